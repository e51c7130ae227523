"""A recurrent net reads movie reviews and tells their sentiment: the whole lesson, top-down. Read this file first.

settings -> data -> model -> compile -> fit -> evaluate, each one call into the module that holds it.
`python train.py` hands LESSON to the runtime (runtime/REFERENCE.md), which calls these methods in this
order and does what every run needs around them: run directory, devices, backups and exact resume,
seeds, progress, curves, metrics.json. Change the training loop here, in `fit`.
"""

from __future__ import annotations

from . import architecture, data, evaluation, model, prediction, schema, step_gradients
from .runtime.lesson import Lesson


class SentimentRNN(Lesson):
    name = schema.ARCHITECTURE
    command = prediction  # python train.py predict RUN "a moving film"
    headline, evaluation_artifacts = evaluation.HEADLINE, evaluation.ARTIFACTS
    # XLA takes about a minute to compile the recurrent loop and then runs it at a third of the speed (measured on
    # a CPU): training.jit_compile: auto keeps Keras's answer, off without a GPU, instead of timing both ways.
    measure_xla = False

    def settings(self, path, overrides=()):  # config.yaml and key=value overrides, checked by schema.py
        return schema.load(path, overrides)

    def data(self, cfg, global_batch, even_batches=False):  # IMDB reviews, your texts, or synthetic
        return data.load_datasets(cfg, global_batch, even_batches)

    def model(self, cfg, **adapted):  # word ids -> embedding -> LSTM/GRU/SimpleRNN -> P(positive)
        return model.build_model(cfg, **adapted)

    def compile(self, network, **options):  # options: the optimizer, XLA and steps per call of config.yaml
        network.compile(loss=model.LOSS, metrics=model.METRICS, **options)

    def fit(self, network, datasets, **options):  # options: epochs, steps_per_epoch and the run's callbacks
        network.fit(datasets.train, validation_data=datasets.validation, verbose=0, shuffle=False, **options)

    def epoch_callbacks(self, cfg, datasets, run_dir, fit, strategy, is_chief):  # run.log_gradients: gradient per word
        return step_gradients.epoch_callbacks(cfg, datasets, run_dir, is_chief)

    def comparison_pictures(self, folder, runs):  # compare ... run.log_gradients=true: the cells' curves together
        step_gradients.draw_comparison(folder, runs)

    def evaluate(self, network, datasets, run_dir, cfg):  # test accuracy, precision, recall, confusion matrix
        return evaluation.evaluate(network, datasets, run_dir, cfg)

    def summary(self, results):
        return evaluation.summary(results)

    def layer_plan(self, cfg):  # python train.py explain: the network on paper
        return architecture.layer_plan(cfg)

    def notes(self, cfg):
        return architecture.notes(cfg)

    def saved_model(self, network, cfg, **adapted):  # model.keras reads raw text: the word lookup goes in front
        return model.saved_model(network, cfg, **adapted)


LESSON = SentimentRNN()

