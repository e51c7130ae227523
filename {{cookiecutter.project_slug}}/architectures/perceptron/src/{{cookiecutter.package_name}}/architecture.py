"""The perceptron on paper: every layer's output size and parameter count.

A point has 2 inputs, x1 and x2. Each hidden layer is fully connected to the one before it, so it has
(inputs + 1) x units parameters (the +1 is the bias); the output is one unit whose sigmoid gives the
probability of class 1.
"""

from __future__ import annotations

from .runtime.i18n import _, ngettext
from .runtime.shapes import LayerRow, dense_params

NUM_INPUTS = 2


def layer_plan(cfg: dict) -> list[LayerRow]:
    model = cfg["model"]
    width = NUM_INPUTS
    rows = [LayerRow("input", (NUM_INPUTS,), 0, _("a point (x1, x2)"))]
    for index, units in enumerate(model["hidden_units"], start=1):
        rule = ngettext("({inputs} + 1) x {units}: {units} line", "({inputs} + 1) x {units}: {units} lines", units)
        rows.append(LayerRow(f"hidden_{index} ({model['activation']})", (units,), dense_params(width, units),
                             rule.format(inputs=width, units=units)))
        width = units
    rows.append(LayerRow("output (sigmoid)", (1,), dense_params(width, 1),
                         _("({inputs} + 1) x 1: P(class 1)").format(inputs=width)))
    return rows


def notes(cfg: dict) -> list[str]:
    """Lines `explain` prints under the table."""
    model = cfg["model"]
    if not model["hidden_units"]:
        lines = [_("no hidden layer: the boundary w1 x1 + w2 x2 + b = 0 is one straight line; XOR is out of reach")]
    elif model["activation"] == "linear":
        lines = [_("linear hidden units: a linear function of a linear function is linear; the boundary stays a line")]
    else:
        lines = [_("each hidden_1 unit draws a line, {activation} bends it into a soft step, and the output combines "
                   "the steps: two can draw XOR's boundary").format(activation=model["activation"])]
    if model["learning_rule"] == "rosenblatt":
        lines.append(_("learning rule: Rosenblatt's, w <- w + learning_rate * (y - y_hat) * x, no gradient"))
    return lines
