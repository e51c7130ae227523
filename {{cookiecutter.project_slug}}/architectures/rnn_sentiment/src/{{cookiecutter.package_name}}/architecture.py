"""The sentiment network on paper: each layer's output shape and parameters, from the settings alone.

Text -> word ids (a lookup, no weights) -> a learned vector per id -> recurrent layers that read
the vectors in order, carrying a state -> one sigmoid unit: the probability that the text is
positive. Only the last recurrent layer's final state reaches the output; the lower layers hand
their whole sequence of states up to the next one.
"""

from __future__ import annotations

from .recurrent import NAMES, gate_lines, layer_params, params_rule
from .runtime.i18n import _
from .runtime.shapes import LayerRow, dense_params


def recurrent_stack(cfg: dict) -> list[tuple[int, int]]:
    """(input size, units) of each recurrent layer, bottom first."""
    model = cfg["model"]
    directions = 2 if model["bidirectional"] else 1
    sizes, inputs = [], model["embedding_dim"]
    for units in model["rnn_units"]:
        sizes.append((inputs, units))
        inputs = units * directions
    return sizes


def layer_plan(cfg: dict) -> list[LayerRow]:
    model = cfg["model"]
    length, cell, both_ways = model["sequence_length"], model["rnn_cell"], model["bidirectional"]
    directions = 2 if both_ways else 1
    vocabulary, dimension = model["vocabulary_size"], model["embedding_dim"]
    rows = [LayerRow(_("text"), (1,), 0, _("a raw string")),
            LayerRow(_("vectorize"), (length,), 0,
                     _("{standardize}, split on spaces, cut or padded to {length} word ids").format(
                         standardize=model["standardize"], length=length)),
            LayerRow(_("embedding"), (length, dimension), vocabulary * dimension,
                     _("{vocabulary:,} ids x {dimension}; id 0 (padding) is masked").format(vocabulary=vocabulary,
                                                                                         dimension=dimension))]
    stack = recurrent_stack(cfg)
    for index, (inputs, units) in enumerate(stack, start=1):
        last = index == len(stack)
        shape = (units * directions,) if last else (length, units * directions)
        name = (_("bidirectional {cell} {index}") if both_ways else "{cell} {index}").format(cell=NAMES[cell],
                                                                                             index=index)
        if last:
            rule = _("{gates} x 2 directions; the final state only") if both_ways else \
                _("{gates}; the final state only")
        else:
            rule = _("{gates} x 2 directions; a state per word, for the next layer") if both_ways else \
                _("{gates}; a state per word, for the next layer")
        rows.append(LayerRow(name, shape, layer_params(cell, inputs, units, both_ways),
                             rule.format(gates=params_rule(cell, inputs, units))))
    width = stack[-1][1] * directions
    rows.append(LayerRow(_("output (sigmoid)"), (1,), dense_params(width, 1),
                         _("({width} + 1) x 1: P(positive)").format(width=width)))
    return rows


def notes(cfg: dict) -> list[str]:
    """Lines `explain` prints under the table: the cell's equations, with what each gate costs."""
    model = cfg["model"]
    lines = []
    for index, (inputs, units) in enumerate(recurrent_stack(cfg), start=1):
        first, *rest = gate_lines(model["rnn_cell"], inputs, units, model["bidirectional"])
        lines += [_("recurrent layer {index}: {cell_line}").format(index=index, cell_line=first), *rest]
    return lines
