"""LeNet-5 on paper: every layer's output size, parameters and connections, as the 1998 paper counts them.

Each size follows from the one before by (W - F + 2P) / S + 1 (input W, window F, padding P,
stride S). A convolution's weights are shared by every position of its output, so a layer has
far more connections (weights x positions) than parameters: the point of convolutions.
"""

from __future__ import annotations

from .conv_shapes import conv_output_size, conv_params, size_rule
from .runtime.i18n import _
from .runtime.shapes import LayerRow, dense_params

IMAGE_SHAPE = (28, 28, 1)  # what the data gives; the model pads it to the paper's 32x32
PADDING = 2
NUM_CLASSES = 10

# The paper's Table I: which of S2's 6 maps each of C3's 16 maps sees. Six see 3 neighbouring maps,
# six see 4 neighbouring, three see 4 non-neighbouring and one sees all 6: the maps are pushed to
# learn different features, and there are fewer connections to compute.
C3_TABLE = (
    (0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5), (4, 5, 0), (5, 0, 1),
    (0, 1, 2, 3), (1, 2, 3, 4), (2, 3, 4, 5), (3, 4, 5, 0), (4, 5, 0, 1), (5, 0, 1, 2),
    (0, 1, 3, 4), (1, 2, 4, 5), (0, 2, 3, 5),
    (0, 1, 2, 3, 4, 5),
)
C1_MAPS, C3_MAPS, C5_UNITS, F6_UNITS = 6, 16, 120, 84
KERNEL, POOL = 5, 2


def layer_plan(cfg: dict) -> list[LayerRow]:
    model = cfg["model"]
    classic = model["variant"] == "classic"
    side = IMAGE_SHAPE[0]
    rows = [LayerRow("input", IMAGE_SHAPE, 0, _("28x28 grey-level digit"))]
    if model["augment_shift"] > 0:
        shift = _("random shift up to {share:.0%} (training only)").format(share=model["augment_shift"])
        rows.append(LayerRow("shift", IMAGE_SHAPE, 0, shift))
    padded = side + 2 * PADDING
    rows.append(LayerRow("pad", (padded, padded, 1), 0, _("28 + 2x{padding} = {padded}: strokes reach C1's window "
                                                           "centres").format(padding=PADDING, padded=padded)))

    c1 = conv_output_size(padded, KERNEL)
    rows.append(LayerRow("C1 conv 5x5", (c1, c1, C1_MAPS), conv_params(1, C1_MAPS, KERNEL), size_rule(padded, KERNEL)))
    s2 = conv_output_size(c1, POOL, POOL)
    rows.append(LayerRow("S2 subsampling" if classic else f"S2 {model['pooling']}-pool", (s2, s2, C1_MAPS),
                         2 * C1_MAPS if classic else 0, size_rule(c1, POOL, POOL)))
    c3 = conv_output_size(s2, KERNEL)
    if classic:
        connections = sum(len(inputs) for inputs in C3_TABLE)
        c3_params = KERNEL * KERNEL * connections + C3_MAPS
        c3_name = _("C3 conv 5x5 ({connections} of {pairs} map pairs)").format(connections=connections,
                                                                               pairs=C1_MAPS * C3_MAPS)
    else:
        c3_params, c3_name = conv_params(C1_MAPS, C3_MAPS, KERNEL), "C3 conv 5x5"
    rows.append(LayerRow(c3_name, (c3, c3, C3_MAPS), c3_params, size_rule(s2, KERNEL)))
    s4 = conv_output_size(c3, POOL, POOL)
    rows.append(LayerRow("S4 subsampling" if classic else f"S4 {model['pooling']}-pool", (s4, s4, C3_MAPS),
                         2 * C3_MAPS if classic else 0, size_rule(c3, POOL, POOL)))
    c5 = conv_output_size(s4, KERNEL)
    rows.append(LayerRow("C5 conv 5x5", (c5, c5, C5_UNITS), conv_params(C3_MAPS, C5_UNITS, KERNEL),
                         _("{rule}: a 5x5 window covers all of S4").format(rule=size_rule(s4, KERNEL))))
    rows.append(LayerRow("flatten", (C5_UNITS,), 0, f"1 x 1 x {C5_UNITS}"))
    if model["dropout"] > 0:
        rows.append(LayerRow("dropout C5", (C5_UNITS,), 0,
                             _("drops {share:.0%} while training").format(share=model["dropout"])))
    rows.append(LayerRow("F6 dense", (F6_UNITS,), dense_params(C5_UNITS, F6_UNITS), f"({C5_UNITS} + 1) x {F6_UNITS}"))
    if model["dropout"] > 0:
        rows.append(LayerRow("dropout F6", (F6_UNITS,), 0,
                             _("drops {share:.0%} while training").format(share=model["dropout"])))
    rows.append(LayerRow("output (softmax)", (NUM_CLASSES,), dense_params(F6_UNITS, NUM_CLASSES),
                         f"({F6_UNITS} + 1) x {NUM_CLASSES}"))
    return rows


def connections(row: LayerRow) -> int:
    """Weights times the output positions that share them: the paper's "connections" column."""
    positions = row.output_shape[0] * row.output_shape[1] if len(row.output_shape) == 3 else 1
    if "subsampling" in row.name:  # each unit adds its 2x2 inputs and a bias: 5 connections
        return (POOL * POOL + 1) * row.output_shape[2] * positions
    return row.params * positions


def notes(cfg: dict) -> list[str]:
    """Lines `explain` prints under the table."""
    lines = [_("connections (each shared weight counted at every position it is used):")]
    for row in layer_plan(cfg):
        if row.params:
            lines.append(f"  {row.name.split()[0]:<7} {connections(row):>9,}")
    if cfg["model"]["variant"] == "classic":
        lines.append(_("the paper: C1 122,304  S2 5,880  C3 151,600  S4 2,000  C5 48,120  F6 10,164"))
    return lines
