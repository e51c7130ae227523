"""`predict`: the sentiment of texts, from a saved run (the saved model reads raw strings)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .runtime.i18n import N_, _

COMMAND = "predict"
HELP = N_("score the sentiment of texts with a saved run")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("texts", nargs="*", metavar="TEXT", help=_("texts to score (quote each one)"))
    parser.add_argument("--file", type=Path, help=_("a UTF-8 file with one text per line (blank lines skipped)"))


def run(args: argparse.Namespace, model, run_metrics: dict, cfg: dict) -> int:
    import numpy as np
    import tensorflow as tf

    from .data import read_texts
    from .evaluation import THRESHOLD

    negative, positive = run_metrics["class_names"]
    texts = read_texts(args.texts, args.file)
    probabilities = np.asarray(model.predict(tf.constant(texts), verbose=0)).reshape(-1)
    for text, probability in zip(texts, probabilities, strict=True):
        label = positive if probability >= THRESHOLD else negative
        print(json.dumps({"text": text, "label": label, "p_positive": round(float(probability), 4)},
                         ensure_ascii=False))
    return 0
