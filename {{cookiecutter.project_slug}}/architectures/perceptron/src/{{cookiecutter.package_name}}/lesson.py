"""A perceptron learns to separate points in the plane: the whole lesson, top-down. Read this file first.

settings -> data -> model -> compile -> fit -> evaluate, each one call into the module that holds it.
`python train.py` hands LESSON to the runtime (runtime/REFERENCE.md), which calls these methods in this
order and does what every run needs around them: run directory, devices, backups and exact resume,
seeds, progress, curves, metrics.json. Change the training loop here, in `fit`.
"""

from __future__ import annotations

from . import architecture, boundary, data, evaluation, model, prediction, schema
from .runtime.lesson import Lesson


class PerceptronOnPoints(Lesson):
    name = schema.ARCHITECTURE
    command = prediction  # python train.py predict RUN 1,-1
    headline, evaluation_artifacts = evaluation.HEADLINE, evaluation.ARTIFACTS

    def settings(self, path, overrides=()):  # config.yaml and key=value overrides, checked by schema.py
        return schema.load(path, overrides)

    def data(self, cfg, global_batch, even_batches=False):  # XOR, moons, circles or blobs, or your CSV file
        return data.load_datasets(cfg, global_batch, even_batches)

    def model(self, cfg, **adapted):  # 2 inputs -> hidden layers (or none) -> 1 probability
        return model.build_model(cfg)

    def compile(self, network, **options):  # options: the optimizer, XLA and steps per call of config.yaml
        network.compile(loss=model.LOSS, metrics=model.METRICS, **options)

    def fit(self, network, datasets, **options):  # options: epochs, steps_per_epoch and the run's callbacks
        network.fit(datasets.train, validation_data=datasets.validation, verbose=0, shuffle=False, **options)

    def evaluate(self, network, datasets, run_dir, cfg):  # test accuracy, confusion matrix, decision boundary
        return evaluation.evaluate(network, datasets, run_dir, cfg)

    def layer_plan(self, cfg):  # python train.py explain: the network on paper
        return architecture.layer_plan(cfg)

    def notes(self, cfg):
        return architecture.notes(cfg)

    def epoch_callbacks(self, cfg, datasets, run_dir, fit, strategy, is_chief):  # the boundary after every epoch
        return ([boundary.BoundaryRecorder(run_dir / "boundaries")] if is_chief else []), {}


LESSON = PerceptronOnPoints()
