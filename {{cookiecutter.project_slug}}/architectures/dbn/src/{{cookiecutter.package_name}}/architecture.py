"""The Deep Belief Net on paper: the RBM stack, the classifier it becomes, and each layer's parameters.

Each RBM between a layer of v visible and h hidden units has v x h weights, v visible biases and h
hidden biases. The classifier keeps the weights and the hidden biases (a Dense layer from v to h
units computes p(h | v)); the visible biases serve only to reconstruct the layer below while
pre-training, so the classifier has v fewer parameters per RBM than the RBMs themselves.
"""

from __future__ import annotations

from math import prod

from .runtime.i18n import _, ngettext
from .runtime.layer_cost import multiply_adds
from .runtime.shapes import LayerRow, dense_params

IMAGE_SHAPE = (28, 28, 1)
NUM_CLASSES = 10


def layer_plan(cfg: dict) -> list[LayerRow]:
    width = prod(IMAGE_SHAPE)
    rows = [LayerRow("input", IMAGE_SHAPE, 0, _("28x28 grey levels, scaled to 0-1")),
            LayerRow("flatten", (width,), 0, _("28 x 28 x 1 = 784 visible units"))]
    rule = (_("({inputs} + 1) x {units}, from RBM {index}") if cfg["model"]["pretrain"] else
            _("({inputs} + 1) x {units}, random init"))
    for index, units in enumerate(cfg["model"]["hidden_units"], start=1):
        rows.append(LayerRow(f"dense_{index} (sigmoid)", (units,), dense_params(width, units),
                             rule.format(inputs=width, units=units, index=index)))
        width = units
    rows.append(LayerRow("output (softmax)", (NUM_CLASSES,), dense_params(width, NUM_CLASSES),
                         _("({inputs} + 1) x {units}, random init").format(inputs=width, units=NUM_CLASSES)))
    return rows


def rbm_params(visible: int, hidden: int) -> int:
    """Weights, visible biases and hidden biases of one RBM."""
    return visible * hidden + visible + hidden


def notes(cfg: dict) -> list[str]:
    """Lines `explain` prints under the table."""
    sizes = [prod(IMAGE_SHAPE), *cfg["model"]["hidden_units"]]
    lines = []
    if cfg["model"]["pretrain"]:
        settings = cfg["pretraining"]
        plan = (ngettext("pre-training: {count} RBMs, one after the other, {epochs} epoch each with persistent CD-{k}:",
                         "pre-training: {count} RBMs, one after the other, {epochs} epochs each with persistent "
                         "CD-{k}:", settings["epochs"])
                if settings["persistent"] else
                ngettext("pre-training: {count} RBMs, one after the other, {epochs} epoch each with CD-{k}:",
                         "pre-training: {count} RBMs, one after the other, {epochs} epochs each with CD-{k}:",
                         settings["epochs"]))
        lines.append(plan.format(count=len(sizes) - 1, epochs=settings["epochs"], k=settings["cd_k"]))
        for index, (visible, hidden) in enumerate(zip(sizes, sizes[1:], strict=False), start=1):
            rbm = _("RBM {index}: {visible} visible x {hidden} hidden: {params:,} parameters ({visible} x {hidden} "
                    "weights + {visible} visible + {hidden} hidden biases)")
            lines.append("  " + rbm.format(index=index, visible=visible, hidden=hidden,
                                           params=rbm_params(visible, hidden)))
    else:
        lines.append(_("pre-training: off (model.pretrain=false); every layer starts from random weights"))
    work = sum(multiply_adds(row) for row in layer_plan(cfg))
    lines.append(_("one image costs {work:,} multiply-adds forward").format(work=work))
    return lines
