"""The perceptron on paper: every layer's output size and parameter count.

A point has 2 inputs, x1 and x2. Each hidden layer is fully connected to the one before it, so it has
(inputs + 1) x units parameters (the +1 is the bias); the output is one unit whose sigmoid gives the
probability of class 1.
"""

from __future__ import annotations

from .runtime.shapes import LayerRow, dense_params

NUM_INPUTS = 2


def layer_plan(cfg: dict) -> list[LayerRow]:
    model = cfg["model"]
    width = NUM_INPUTS
    rows = [LayerRow("input", (NUM_INPUTS,), 0, "a point (x1, x2)")]
    for index, units in enumerate(model["hidden_units"], start=1):
        rows.append(LayerRow(f"hidden_{index} ({model['activation']})", (units,), dense_params(width, units),
                             f"({width} + 1) x {units}: {units} line{'s' if units > 1 else ''}"))
        width = units
    rows.append(LayerRow("output (sigmoid)", (1,), dense_params(width, 1), f"({width} + 1) x 1: P(class 1)"))
    return rows


def notes(cfg: dict) -> list[str]:
    """Lines `explain` prints under the table."""
    model = cfg["model"]
    if not model["hidden_units"]:
        lines = ["no hidden layer: the boundary w1 x1 + w2 x2 + b = 0 is one straight line, so XOR (opposite",
                 "corners in the same class) is out of reach: at best 3 of its 4 corners are right"]
    elif model["activation"] == "linear":
        lines = ["linear hidden units: a linear function of a linear function is linear, so the boundary is",
                 "still one straight line, however many layers there are"]
    else:
        lines = [f"each of the {model['hidden_units'][0]} units of hidden_1 draws a line; the "
                 f"{model['activation']} bends each into a soft step, and the layers after it combine the steps",
                 "into a boundary of several pieces: two lines are enough for XOR"]
    if model["learning_rule"] == "rosenblatt":
        lines.append("learning rule: Rosenblatt's, w <- w + learning_rate * (y - y_hat) * x, no gradient")
    return lines
