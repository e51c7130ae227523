"""The contract between a network and the runtime: what a project's `lesson.py` gives, and nothing more.

A project subclasses `Lesson` in its `lesson.py`, in the order a run uses it: settings -> data ->
model -> compile -> fit -> evaluate. The runtime calls these methods and reads these attributes; it
never imports a project's other modules and never asks whether an optional name exists. The optional
hooks have defaults here that do nothing, so a plain classifier overrides none of them.

Standard library only at import time: the post-generation hook reaches this package before
TensorFlow is installed.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from .i18n import _


@runtime_checkable
class Command(Protocol):
    """A project's own command for a saved run (`predict`, `translate`, `sample`): usually its prediction module."""

    COMMAND: str  # the word after train.py
    HELP: str  # one line for --help, marked N_("...") for the catalog (cli.py shows it translated)

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace, model: Any, run_metrics: dict, cfg: dict) -> int: ...


class Lesson:
    """One network, as the runtime sees it. Subclasses set the class attributes and override the methods
    marked "required"; every other method is an optional hook whose default does nothing."""

    name: str = ""  # the architecture: names run directories, recorded in metrics.json
    command: Command | None = None  # its own command for a saved run, if it has one
    headline: str = "accuracy"  # the test metric a run is judged by (compare's table, the summary line)
    evaluation_artifacts: tuple[str, ...] = ()  # what `evaluate` writes beside metrics.json
    monitor: str | None = None  # lower is better, watched by the best checkpoint and early stopping;
    #                             None: val_loss, or loss when there is no validation set
    measure_xla: bool = True  # training.jit_compile: auto on a CPU alone times XLA both ways (compile_choice.py);
    #                           False: Keras's answer (off), for networks XLA compiles slowly

    # settings -> data -> model -> compile -> fit -> evaluate

    def settings(self, path: str | Path, overrides: Iterable[str] = ()) -> dict:
        """Required: config.yaml with `key=value` overrides, checked (errors.ConfigError if wrong)."""
        raise NotImplementedError

    def data(self, cfg: dict, global_batch: int, even_batches: bool = False):
        """Required: a runtime.data_sources.Datasets of batches of `global_batch` examples."""
        raise NotImplementedError

    def model(self, cfg: dict, **adapted):
        """Required: the network, built and not yet compiled. `adapted` is what the data learned (Datasets.adapted,
        such as a vocabulary)."""
        raise NotImplementedError

    def compile(self, network, **options) -> None:
        """Required: `network.compile` with the loss and metrics; `options` are the runtime's (the optimizer,
        jit_compile, steps_per_execution from config.yaml's training section)."""
        raise NotImplementedError

    def fit(self, network, datasets, **options) -> None:
        """Train on the run's pipelines; `options` are epochs, steps_per_epoch and callbacks. Keras's `fit`;
        a multi-worker run uses the runtime's own loop instead (Keras 3's fit fails there)."""
        network.fit(datasets.train, validation_data=datasets.validation, verbose=0, shuffle=False, **options)

    def evaluate(self, network, datasets, run_dir: Path, cfg: dict) -> dict:
        """Required: the test scores of a saved model (a dict with `headline` in it); may write files into run_dir."""
        raise NotImplementedError

    def summary(self, results: dict) -> str:
        """One line of test results for the terminal."""
        return _("test {metric}: {value:.4f}").format(metric=self.headline, value=results[self.headline])

    # `explain`: the network on paper

    def layer_plan(self, cfg: dict) -> list:
        """Required: the layer table (runtime.shapes.LayerRow rows) that `explain` prints and checks."""
        raise NotImplementedError

    def notes(self, cfg: dict) -> Iterable[str]:
        """Lines printed under the layer table."""
        return ()

    # Optional hooks

    def pretrain(self, network, cfg: dict, strategy, fit: Callable, run_dir: Path | None) -> dict:
        """Train the starting weights another way before `fit` (the DBN's RBMs); return a report for metrics.json.
        `fit(helper_network, epochs, name=None)` trains a helper model with the run's seeds and returns its
        history; a named one is backed up when it has finished, and a run killed after that restores it instead
        of training it again. run_dir is None on a worker that is not the chief. Called only when the run has no
        backup of `fit` yet; an empty report means there was nothing to pre-train."""
        return {}

    def epoch_callbacks(self, cfg: dict, datasets, run_dir: Path, fit: Callable, strategy,
                        is_chief: bool) -> tuple[list, dict]:
        """Per-epoch work of the network's own (the GAN's image grid and Fréchet distance): callbacks that run
        before the CSV log and the checkpoints see the epoch's logs, and a report for metrics.json."""
        return [], {}

    def comparison_pictures(self, folder: Path, runs: dict[str, list[Path]]) -> None:
        """Pictures of the network's own for `compare`, drawn once every run has finished, into the comparison's
        folder: `runs` holds each setting's run directories (one per seed), under the label curves.png gives it."""

    def saved_model(self, network, cfg: dict, **adapted):
        """The model written to model.keras (the text projects put their word lookup in front)."""
        return network

