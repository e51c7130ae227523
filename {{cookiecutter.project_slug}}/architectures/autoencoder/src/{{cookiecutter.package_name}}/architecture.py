"""The stacked autoencoder on paper: the layer sizes, each layer's parameters, and the shallow autoencoders
that pre-train it.

The encoder narrows the input down to a code, through `model.hidden_units` and `model.code_size`; the decoder
is its mirror image. Layer pair i (encoder_i, decoder_i) is one shallow, three-layer autoencoder of the
notes' greedy pre-training: encoder_i maps the layer below (sizes[i-1] units) to sizes[i] units and decoder_i
maps them back, so their weights are (sizes[i-1] + 1) x sizes[i] and (sizes[i] + 1) x sizes[i-1].
"""

from __future__ import annotations

from math import prod

from .runtime.i18n import _, ngettext
from .runtime.layer_cost import multiply_adds
from .runtime.shapes import LayerRow, dense_params

IMAGE_SHAPE = (28, 28, 1)
POINT_SHAPE = (3,)  # a point of the Swiss roll: x, y, z
NUM_CLASSES = 10  # ten digits, or ten stretches along the Swiss roll


def input_shape(cfg: dict) -> tuple[int, ...]:
    return POINT_SHAPE if cfg["data"]["source"] == "swiss_roll" else IMAGE_SHAPE


def input_scale(cfg: dict) -> float:
    """What an input value is multiplied by before the first layer: grey levels 0-255 become 0-1, what a sigmoid
    can reproduce; the roll's coordinates come standardized already."""
    return 1.0 if cfg["data"]["source"] == "swiss_roll" else 1.0 / 255


def layer_sizes(cfg: dict) -> list[int]:
    """Units from the input to the code: [784, 500, 250, 2] by default, [3, 100, 50, 25, 10, 2] for the roll."""
    return [prod(input_shape(cfg)), *cfg["model"]["hidden_units"], cfg["model"]["code_size"]]


def output_activation(cfg: dict) -> str:
    """Grey levels scaled to 0-1 are reproduced by a sigmoid; the roll's coordinates, any real number, by none."""
    return "linear" if cfg["data"]["source"] == "swiss_roll" else "sigmoid"


def activations(cfg: dict) -> tuple[list[str], list[str]]:
    """Of encoder_1..encoder_n and of decoder_1..decoder_n. The code layer is linear (Hinton & Salakhutdinov 2006)
    or, with model.code_activation: tanh, bounded to a square; decoder_i reproduces what encoder_i was given, so it
    has that layer's activation: the hidden one, or for decoder_1 the input's own."""
    hidden, code, layers = cfg["model"]["activation"], cfg["model"]["code_activation"], len(layer_sizes(cfg)) - 1
    return [hidden] * (layers - 1) + [code], [output_activation(cfg)] + [hidden] * (layers - 1)


def layer_plan(cfg: dict) -> list[LayerRow]:
    sizes = layer_sizes(cfg)
    encoders, decoders = activations(cfg)
    rule = (_("({inputs} + 1) x {units}, from shallow autoencoder {index}") if cfg["model"]["pretrain"] else
            _("({inputs} + 1) x {units}, random init"))
    if input_shape(cfg) == IMAGE_SHAPE:
        rows = [LayerRow("input", IMAGE_SHAPE, 0, _("28x28 grey levels, scaled to 0-1")),
                LayerRow("flatten", (sizes[0],), 0, _("28 x 28 x 1 = 784 inputs"))]
    else:
        rows = [LayerRow("input", POINT_SHAPE, 0, _("x, y, z of a point on the Swiss roll, standardized"))]
    if cfg["model"]["input_noise"]:
        noise = _("+ Gaussian noise, std {std}, while training only").format(std=cfg["model"]["input_noise"])
        rows.append(LayerRow("input_noise", (sizes[0],), 0, noise))
    for index in range(1, len(sizes)):
        rows.append(LayerRow(f"encoder_{index} ({encoders[index - 1]})", (sizes[index],),
                             dense_params(sizes[index - 1], sizes[index]),
                             rule.format(inputs=sizes[index - 1], units=sizes[index], index=index)))
    rows.append(LayerRow("code", (sizes[-1],), 0, _("the code: the encoder's output")))
    for index in range(len(sizes) - 1, 0, -1):
        rows.append(LayerRow(f"decoder_{index} ({decoders[index - 1]})", (sizes[index - 1],),
                             dense_params(sizes[index], sizes[index - 1]),
                             rule.format(inputs=sizes[index], units=sizes[index - 1], index=index)))
    if cfg["model"]["head"] == "softmax":
        rows.append(LayerRow("class (softmax)", (NUM_CLASSES,), dense_params(sizes[-1], NUM_CLASSES),
                             _("({inputs} + 1) x {units} on the code, random init").format(inputs=sizes[-1],
                                                                                           units=NUM_CLASSES)))
    return rows


def notes(cfg: dict) -> list[str]:
    """Lines `explain` prints under the table."""
    sizes = layer_sizes(cfg)
    lines = [_("encoder {encoder}, decoder {decoder}").format(encoder="-".join(map(str, sizes)),
                                                             decoder="-".join(map(str, sizes[::-1])))]
    if cfg["model"]["pretrain"]:
        epochs = cfg["pretraining"]["epochs"]
        line = ngettext("pre-training: {count} shallow autoencoders, one after the other, {epochs} epoch each, each "
                        "reproducing the codes of the one before:", "pre-training: {count} shallow autoencoders, one "
                        "after the other, {epochs} epochs each, each reproducing the codes of the one before:", epochs)
        lines.append(line.format(count=len(sizes) - 1, epochs=epochs))
        for index, (below, units) in enumerate(zip(sizes, sizes[1:], strict=False), start=1):
            params = dense_params(below, units) + dense_params(units, below)
            lines.append("  " + _("autoencoder {index}: {below}-{units}-{below}, {params:,} parameters (becomes "
                                  "encoder_{index} and decoder_{index})").format(index=index, below=below,
                                                                                 units=units, params=params))
    else:
        lines.append(_("pre-training: off (model.pretrain=false); every layer starts from random weights"))
    work = sum(multiply_adds(row) for row in layer_plan(cfg))
    lines.append(_("one example costs {work:,} multiply-adds forward").format(work=work))
    return lines
