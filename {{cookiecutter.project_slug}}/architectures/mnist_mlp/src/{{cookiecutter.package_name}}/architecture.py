"""The multilayer perceptron on paper: every layer's output size and parameter count.

A 28x28 image is flattened to 784 inputs; each hidden layer is fully connected to the one before
it, so it has (inputs + 1) x units parameters (the +1 is the bias); the output layer has one unit
per digit and turns scores into probabilities with softmax.
"""

from __future__ import annotations

from math import prod

from .runtime.i18n import _
from .runtime.layer_cost import multiply_adds
from .runtime.shapes import LayerRow, dense_params

IMAGE_SHAPE = (28, 28, 1)
NUM_CLASSES = 10


def layer_plan(cfg: dict) -> list[LayerRow]:
    model = cfg["model"]
    width = prod(IMAGE_SHAPE)
    rows = [
        LayerRow("input", IMAGE_SHAPE, 0, _("28x28 grey-level image")),
    ]
    if model["augment_shift"] > 0:
        shift = _("random shift up to {share:.0%} (training only)").format(share=model["augment_shift"])
        rows.append(LayerRow("shift", IMAGE_SHAPE, 0, shift))
    rows.append(LayerRow("flatten", (width,), 0, "28 x 28 x 1 = 784"))
    for index, units in enumerate(model["hidden_units"], start=1):
        rows.append(LayerRow(f"dense_{index} ({model['activation']})", (units,), dense_params(width, units),
                             f"({width} + 1) x {units}"))
        if model["dropout"] > 0:
            rows.append(LayerRow(f"dropout_{index}", (units,), 0,
                                 _("drops {share:.0%} while training").format(share=model["dropout"])))
        width = units
    rows.append(LayerRow("output (softmax)", (NUM_CLASSES,), dense_params(width, NUM_CLASSES),
                         f"({width} + 1) x {NUM_CLASSES}"))
    return rows


def notes(cfg: dict) -> list[str]:
    """Lines `explain` prints under the table."""
    work = sum(multiply_adds(row) for row in layer_plan(cfg))
    return [_("one image costs {work:,} multiply-adds forward: one per weight (biases are additions)").format(
        work=work)]
