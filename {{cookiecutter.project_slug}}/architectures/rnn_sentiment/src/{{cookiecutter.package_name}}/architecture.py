"""The sentiment network on paper: each layer's output shape and parameters, from the settings alone.

Text -> word ids (a lookup, no weights) -> a learned vector per id -> recurrent layers that read
the vectors in order, carrying a state -> one sigmoid unit: the probability that the text is
positive. Only the last recurrent layer's final state reaches the output; the lower layers hand
their whole sequence of states up to the next one.
"""

from __future__ import annotations

from .recurrent import NAMES, gate_lines, layer_params, params_rule
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
    rows = [LayerRow("text", (1,), 0, "a raw string"),
            LayerRow("vectorize", (length,), 0,
                     f"{model['standardize']}, split on spaces, cut or padded to {length} word ids"),
            LayerRow("embedding", (length, model["embedding_dim"]), model["vocabulary_size"] * model["embedding_dim"],
                     f"{model['vocabulary_size']:,} ids x {model['embedding_dim']}; id 0 (padding) is masked")]
    stack = recurrent_stack(cfg)
    for index, (inputs, units) in enumerate(stack, start=1):
        last = index == len(stack)
        shape = (units * directions,) if last else (length, units * directions)
        kind = ("bidirectional " if both_ways else "") + NAMES[cell]
        rule = params_rule(cell, inputs, units)
        rule += " x 2 directions" if both_ways else ""
        rule += "; the final state only" if last else "; a state per word, for the next layer"
        rows.append(LayerRow(f"{kind} {index}", shape, layer_params(cell, inputs, units, both_ways), rule))
    width = stack[-1][1] * directions
    rows.append(LayerRow("output (sigmoid)", (1,), dense_params(width, 1), f"({width} + 1) x 1: P(positive)"))
    return rows


def notes(cfg: dict) -> list[str]:
    """Lines `explain` prints under the table: the cell's equations, with what each gate costs."""
    model = cfg["model"]
    lines = []
    for index, (inputs, units) in enumerate(recurrent_stack(cfg), start=1):
        first, *rest = gate_lines(model["rnn_cell"], inputs, units, model["bidirectional"])
        lines += [f"recurrent layer {index}: {first}", *rest]
    return lines
