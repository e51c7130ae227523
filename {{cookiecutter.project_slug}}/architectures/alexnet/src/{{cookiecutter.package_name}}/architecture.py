"""AlexNet on paper: every layer's output size, parameters and cost, from the settings alone.

Each spatial size follows from the one before by (W - F + 2P) / S + 1. With two towers, conv2,
conv4 and conv5 are grouped convolutions: each filter sees only the maps of its own tower (half
of them), which is how the paper split the network over two GPUs; conv3 and the dense layers see
both towers.
"""

from __future__ import annotations

from .conv_shapes import conv_output_size, conv_params, size_rule
from .runtime.i18n import _
from .runtime.layer_cost import multiply_adds
from .runtime.shapes import LayerRow, dense_params, total_params

CHANNELS = 3
# (name, kernel, stride, padding, grouped when towers=2) for conv1..conv5, as in the paper.
CONVOLUTIONS = (("conv1", 11, 4, 0, False), ("conv2", 5, 1, 2, True), ("conv3", 3, 1, 1, False),
                ("conv4", 3, 1, 1, True), ("conv5", 3, 1, 1, True))
POOL, POOL_STRIDE = 3, 2  # overlapping pooling: windows of 3 every 2 pixels
POOLED_AFTER = {"conv1": "pool1", "conv2": "pool2", "conv5": "pool5"}
NORMALIZED_AFTER = {"pool1": "lrn1", "pool2": "lrn2"}


def layer_plan(cfg: dict) -> list[LayerRow]:
    model = cfg["model"]
    towers, crop = model["towers"], model["crop_size"]
    side, maps = crop, CHANNELS
    rows = [LayerRow("input", (model["input_size"], model["input_size"], CHANNELS), 0,
                     _("photos resized to {size}x{size}").format(size=model["input_size"])),
            LayerRow("crop", (crop, crop, CHANNELS), 0, _("random crop while training, the centre when testing"))]
    if model["flip"]:
        rows.append(LayerRow("flip", (crop, crop, CHANNELS), 0, _("random left-right flip (training only)")))
    for (name, kernel, stride, padding, grouped), filters in zip(CONVOLUTIONS, model["conv_filters"], strict=True):
        groups = towers if grouped else 1
        rule = size_rule(side, kernel, stride, padding)
        if groups > 1:
            rule = _("{rule}; each filter sees its tower's {own} of {maps} maps").format(rule=rule, own=maps // groups,
                                                                                         maps=maps)
        side = conv_output_size(side, kernel, stride, padding)
        rows.append(LayerRow(f"{name} {kernel}x{kernel}/{stride} relu", (side, side, filters),
                             conv_params(maps, filters, kernel, groups), rule))
        maps = filters
        if name in POOLED_AFTER:
            pool = POOLED_AFTER[name]
            rule = size_rule(side, POOL, POOL_STRIDE)
            side = conv_output_size(side, POOL, POOL_STRIDE)
            rows.append(LayerRow(f"{pool} max 3x3/2", (side, side, maps), 0, rule))
            if pool in NORMALIZED_AFTER:
                lrn = model["lrn"]
                rule = (_("n={depth} k={k:g} alpha={alpha:g} beta={beta:g} within each tower") if towers > 1
                        else "n={depth} k={k:g} alpha={alpha:g} beta={beta:g}")
                rows.append(LayerRow(NORMALIZED_AFTER[pool], (side, side, maps), 0,
                                     rule.format(depth=lrn["depth"], k=lrn["k"], alpha=lrn["alpha"], beta=lrn["beta"])))
    width = side * side * maps
    rows.append(LayerRow("flatten", (width,), 0, f"{side} x {side} x {maps}"))
    for index, units in enumerate(model["dense_units"], start=6):
        rows.append(LayerRow(f"fc{index} relu", (units,), dense_params(width, units), f"({width} + 1) x {units}"))
        if model["dropout"] > 0:
            rows.append(LayerRow(f"dropout{index}", (units,), 0,
                                 _("drops {share:.0%} while training").format(share=model["dropout"])))
        width = units
    classes = model["num_classes"]
    rows.append(LayerRow("output (softmax)", (classes,), dense_params(width, classes), f"({width} + 1) x {classes}"))
    return rows


def forward_flops(cfg: dict) -> int:
    """Floating-point operations of one image's forward pass: 2 per multiply-add (conv and dense layers).

    A training step costs about three times as much: the backward pass computes gradients for
    both the inputs and the weights of every layer.
    """
    return 2 * sum(multiply_adds(row) for row in layer_plan(cfg))


def notes(cfg: dict) -> list[str]:
    """Lines `explain` prints under the table."""
    towers = {count: total_params(layer_plan({**cfg, "model": {**cfg["model"], "towers": count}})) for count in (1, 2)}
    return [
        _("parameters with model.towers=1: {one:,}; with model.towers=2: {two:,} (for {classes} classes; the paper's "
          "1000 give 62,378,344 and 60,965,224)").format(one=towers[1], two=towers[2],
                                                         classes=cfg["model"]["num_classes"]),
        _("one image costs {gflop:.2f} GFLOP forward, about three times that to train").format(
            gflop=forward_flops(cfg) / 1e9),
    ]
