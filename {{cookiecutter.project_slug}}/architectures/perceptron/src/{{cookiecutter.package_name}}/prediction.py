"""`predict`: the class of points (x1, x2), from a saved run."""

from __future__ import annotations

import argparse
import json
import math

import numpy as np

from .runtime.i18n import N_, _

COMMAND = "predict"
HELP = N_("classify points (x1, x2) with a saved run")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # Two numbers after --point rather than one "x1,x2": argparse would take "-1,1" for an option.
    parser.add_argument("--point", nargs=2, type=float, action="append", default=[], metavar=("X1", "X2"),
                        help=_("a point to classify, such as --point 1 -1 (give it again for more)"))


def run(args: argparse.Namespace, model, run_metrics: dict, cfg: dict) -> int:
    from .evaluation import THRESHOLD
    from .runtime.data_sources import DataError

    points = args.point
    if not all(math.isfinite(value) for point in points for value in point):
        raise DataError(_("--point: expected two finite numbers X1 X2, such as --point 1 -1"))
    if not points:
        raise DataError(_("expected at least one point: --point X1 X2"))
    class_names = run_metrics["class_names"]
    probabilities = np.asarray(model.predict(np.array(points, np.float32), verbose=0)).reshape(-1)
    for point, probability in zip(points, probabilities, strict=True):
        label = class_names[int(probability >= THRESHOLD)]
        print(json.dumps({"point": point, "class": label, "p_class_1": round(float(probability), 4)}))
    return 0
