"""A DCGAN learns to draw digits or your images: the whole lesson, top-down. Read this file first.

settings -> data -> model -> compile -> fit -> evaluate, each one call into the module that holds it.
`python train.py` hands LESSON to the runtime (runtime/REFERENCE.md), which calls these methods in this
order and does what every run needs around them: run directory, devices, backups and exact resume,
seeds, progress, curves, metrics.json. Change the training loop here, in `fit`.
"""

from __future__ import annotations

from . import architecture, data, evaluation, model, prediction, quality, schema
from .runtime.lesson import Lesson


class DCGANLesson(Lesson):
    name = schema.ARCHITECTURE
    command = prediction  # python train.py sample RUN
    headline, evaluation_artifacts = evaluation.HEADLINE, evaluation.ARTIFACTS
    monitor = "frechet_distance"  # lower is closer to the real images; a GAN's losses do not fall as it improves
    # XLA takes 35 s to compile the two networks' step and then runs it at half the speed (measured on a CPU):
    # training.jit_compile: auto keeps Keras's answer, off without a GPU, instead of timing both ways.
    measure_xla = False

    def settings(self, path, overrides=()):  # config.yaml and key=value overrides, checked by schema.py
        return schema.load(path, overrides)

    def data(self, cfg, global_batch, even_batches=False):  # MNIST, Fashion-MNIST, .npz, image folder
        return data.load_datasets(cfg, global_batch, even_batches)

    def model(self, cfg, **adapted):  # a generator and a discriminator, trained against each other
        return model.build_model(cfg)

    def compile(self, network, **options):  # options: the optimizer, XLA and steps per call of config.yaml
        network.compile(**options)  # no loss to give: train_step computes and logs its own two

    def fit(self, network, datasets, **options):  # options: epochs, steps_per_epoch and the run's callbacks
        network.fit(datasets.train, validation_data=datasets.validation, verbose=0, shuffle=False, **options)

    def evaluate(self, network, datasets, run_dir, cfg):  # Fréchet distance, classes covered, samples
        return evaluation.evaluate(network, datasets, run_dir, cfg)

    def summary(self, results):
        return evaluation.summary(results)

    def layer_plan(self, cfg):  # python train.py explain: the network on paper
        return architecture.layer_plan(cfg)

    def notes(self, cfg):
        return architecture.notes(cfg)

    def epoch_callbacks(self, cfg, datasets, run_dir, fit, strategy, is_chief):  # Fréchet distance, image grid
        return quality.epoch_callbacks(cfg, datasets, run_dir, fit, strategy, is_chief)

    def saved_model(self, network, cfg, **adapted):  # model.keras is the generator: noise in, an image out
        return network.generator


LESSON = DCGANLesson()

