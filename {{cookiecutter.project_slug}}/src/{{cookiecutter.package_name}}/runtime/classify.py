"""`predict` for a network that names the class of an image: classify image files with a saved run.

A lesson that classifies images sets `command = ClassifyImages(read_image)`, where `read_image(path, shape)` reads
one file as the saved model takes it (its own data.py knows how: grey digits, colour photos).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from .cli import at_least_one
from .i18n import N_, _


class ClassifyImages:
    """The `predict` command (runtime/lesson.py's Command): one JSON line per file, its class and top probabilities."""

    COMMAND = "predict"
    HELP = N_("classify image files with a saved run")

    def __init__(self, read_image: Callable):
        self.read_image = read_image

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                            help=_("image files (.png, .npy; JPEG too where the data is photos)"))
        parser.add_argument("--top", type=at_least_one, default=3,
                            help=_("how many classes to list per file (default 3)"))

    def run(self, args: argparse.Namespace, model, run_metrics: dict, cfg: dict) -> int:
        import numpy as np

        class_names = run_metrics["class_names"]
        # Files are read at the size the saved model takes, whatever size they come in.
        images = np.stack([self.read_image(path, tuple(model.input_shape[1:])) for path in args.files])
        probabilities = np.asarray(model.predict(images, verbose=0))
        for path, row in zip(args.files, probabilities, strict=True):
            best = np.argsort(row)[::-1][: args.top]
            ranked = {class_names[i]: round(float(row[i]), 4) for i in best}
            print(json.dumps({"file": str(path), "class": class_names[best[0]], "probabilities": ranked}))
        return 0
