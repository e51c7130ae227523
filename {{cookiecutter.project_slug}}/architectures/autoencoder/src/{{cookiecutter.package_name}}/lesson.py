"""A stacked autoencoder learns to compress digits (or a Swiss roll) into a code: the whole lesson, top-down.
Read this file first.

settings -> data -> model -> compile -> pretrain -> fit -> evaluate, each one call into the module that holds
it. `python train.py` hands LESSON to the runtime (runtime/REFERENCE.md), which calls these methods in this
order and does what every run needs around them: run directory, devices, backups and exact resume,
seeds, progress, curves, metrics.json. Change the training loop here, in `fit`.
"""

from __future__ import annotations

from . import architecture, data, encoding, evaluation, model, pretraining, schema, swiss_roll
from .runtime.lesson import Lesson


class StackedAutoencoder(Lesson):
    name = schema.ARCHITECTURE
    command = encoding  # python train.py encode RUN digit.png --output codes.npy
    headline, evaluation_artifacts = evaluation.HEADLINE, evaluation.ARTIFACTS

    def settings(self, path, overrides=()):  # config.yaml and key=value overrides, checked by schema.py
        return schema.load(path, overrides)

    def data(self, cfg, global_batch, even_batches=False):  # MNIST (tfds, .npz, synthetic) or the Swiss roll
        source = swiss_roll if cfg["data"]["source"] == "swiss_roll" else data
        # An autoencoder's target is its own input (and, with the softmax head, the label too).
        return model.with_targets(source.load_datasets(cfg, global_batch, even_batches), cfg)

    def model(self, cfg, **adapted):  # input -> encoder -> code -> decoder -> the input again
        return model.build_model(cfg)

    def compile(self, network, **options):  # options: the optimizer, XLA and steps per call of config.yaml
        model.compile_model(network, **options)

    def pretrain(self, network, cfg, strategy, fit, run_dir):  # before fit: one shallow autoencoder per layer
        return pretraining.pretrain(network, cfg, strategy, fit, run_dir)

    def fit(self, network, datasets, **options):  # options: epochs, steps_per_epoch and the run's callbacks
        network.fit(datasets.train, validation_data=datasets.validation, verbose=0, shuffle=False, **options)

    def evaluate(self, network, datasets, run_dir, cfg):  # reconstruction and codes, against PCA
        return evaluation.evaluate(network, datasets, run_dir, cfg)

    def summary(self, results):
        return evaluation.summary(results)

    def layer_plan(self, cfg):  # python train.py explain: the network on paper
        return architecture.layer_plan(cfg)

    def notes(self, cfg):
        return architecture.notes(cfg)


LESSON = StackedAutoencoder()
