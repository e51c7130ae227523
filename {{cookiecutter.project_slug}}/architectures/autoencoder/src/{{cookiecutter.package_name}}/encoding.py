"""`encode`: the codes a saved autoencoder gives images, the features its encoder extracts.

    python train.py encode RUN digit.png other.npy --output codes.npy

One JSON line per file with its code; `--output` also writes all of them as one NumPy array, one row per
image, for another program (a classifier, a plot) to use. A Swiss-roll run reads `.npy` files of points
instead, one point per row, standardized as its training points were.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import keras
import numpy as np

from .data import read_image
from .runtime.data_sources import DataError
from .runtime.errors import ConfigError
from .runtime.i18n import N_, _

COMMAND = "encode"
HELP = N_("write the codes a saved run's encoder gives image files")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help=_("images (.png, .npy), or for a Swiss-roll run .npy files of points"))
    parser.add_argument("--output", type=Path, default=None, help=_("also write the codes to this .npy file"))


def run(args: argparse.Namespace, model, run_metrics: dict, cfg: dict) -> int:
    if args.output is not None and args.output.suffix != ".npy":
        raise ConfigError([_("--output: got {output!r}; expected a file name ending in .npy").format(
            output=str(args.output))])
    shape = tuple(model.input_shape[1:])
    if len(shape) == 3:  # images, read at the size the saved model takes, whatever size they come in
        inputs = [read_image(path, shape)[np.newaxis] for path in args.files]
    else:
        inputs = [read_points(path, shape[0]) for path in args.files]
    encoder = keras.Model(model.input, model.get_layer("code").output)
    codes = [np.asarray(encoder.predict(batch, verbose=0)) for batch in inputs]
    for path, code in zip(args.files, codes, strict=True):
        rounded = np.round(code.astype(np.float64), 5).tolist()  # float64: 5 decimals print as 5 decimals
        print(json.dumps({"file": str(path), "code": rounded[0]} if len(shape) == 3 else
                         {"file": str(path), "codes": rounded}))
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        np.save(args.output, np.concatenate(codes))
    return 0


def read_points(path: Path, width: int) -> np.ndarray:
    """Points saved with np.save, one per row: (points, width)."""
    if not path.is_file():
        raise DataError(_("{path}: no such file").format(path=path))
    if path.suffix.lower() != ".npy":
        raise DataError(_("{path}: unsupported file type {suffix!r}; expected .npy points, one per row").format(
            path=path, suffix=path.suffix))
    try:
        points = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as error:
        raise DataError(_("{path}: not a readable .npy file ({error})").format(path=path, error=error)) from None
    if points.ndim != 2 or points.shape[1] != width or not np.issubdtype(points.dtype, np.number):
        raise DataError(_("{path}: holds {dtype} values of shape {shape}; expected numbers of shape (points, "
                          "{width})").format(path=path, dtype=points.dtype, shape=points.shape, width=width))
    return points.astype(np.float32)
