"""`predict`: classify image files with a saved run.

Each architecture family has its own version of this module (images, texts, translations); the
command line asks it for the command's name, its arguments and what to do with a loaded model.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

COMMAND = "predict"
HELP = "classify image files with a saved run"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help="image files (.png, .npy; JPEG too where the data is photos)")
    parser.add_argument("--top", type=int, default=3, help="how many classes to list per file (default 3)")


def run(args: argparse.Namespace, model, run_metrics: dict, cfg: dict) -> int:
    import numpy as np

    from .data import read_image

    class_names = run_metrics["class_names"]
    # Files are read at the size the saved model takes, whatever size they come in.
    images = np.stack([read_image(path, tuple(model.input_shape[1:])) for path in args.files])
    probabilities = np.asarray(model.predict(images, verbose=0))
    for path, row in zip(args.files, probabilities, strict=True):
        best = np.argsort(row)[::-1][: max(1, args.top)]
        ranked = {class_names[i]: round(float(row[i]), 4) for i in best}
        print(json.dumps({"file": str(path), "class": class_names[best[0]], "probabilities": ranked}))
    return 0
