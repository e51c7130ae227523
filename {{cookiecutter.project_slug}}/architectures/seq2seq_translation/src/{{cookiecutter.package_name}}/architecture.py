"""The encoder-decoder on paper: each layer's output shape and parameters, from the settings alone.

Shapes are per sentence: S source words (model.max_source_length), T target positions. The
encoder's final state is the decoder's first state, so the two must have the same size (units).
"""

from __future__ import annotations

from .recurrent import NAMES, gate_lines, layer_params, params_rule
from .runtime.i18n import _
from .runtime.shapes import LayerRow, dense_params


def layer_plan(cfg: dict) -> list[LayerRow]:
    model = cfg["model"]
    cell, units, embedding = model["rnn_cell"], model["units"], model["embedding_dim"]
    source_length, vocabulary = model["max_source_length"], model["target_vocabulary_size"]
    gates = params_rule(cell, embedding, units)
    rows = [
        LayerRow(_("source text"), (1,), 0, _("a raw string")),
        LayerRow(_("source ids"), (source_length,), 0,
                 _("standardized, split, cut or padded to {length} ids").format(length=source_length)),
        LayerRow(_("source embedding"), (source_length, embedding), model["source_vocabulary_size"] * embedding,
                 _("{vocabulary:,} ids x {dimension}; padding masked").format(
                     vocabulary=model["source_vocabulary_size"], dimension=embedding)),
        LayerRow(_("encoder {cell}").format(cell=NAMES[cell]), (source_length, units),
                 layer_params(cell, embedding, units),
                 _("{gates}; a state per source word, the last one starts the decoder").format(gates=gates)),
        LayerRow(_("target ids in"), ("T",), 0, _("[start] w1 w2 ... (the true previous words: teacher forcing)")),
        LayerRow(_("target embedding"), ("T", embedding), vocabulary * embedding,
                 _("{vocabulary:,} ids x {dimension}; padding masked").format(vocabulary=vocabulary,
                                                                              dimension=embedding)),
        LayerRow(_("decoder {cell}").format(cell=NAMES[cell]), ("T", units), layer_params(cell, embedding, units),
                 gates),
    ]
    attention = model["attention"]
    if attention != "none":
        no_bias = _("W: {units} x {units}, no bias").format(units=units)
        rows.append(LayerRow(_("attention key"), (source_length, units), units * units, no_bias))
        if attention == "bahdanau":
            rows.append(LayerRow(_("attention query"), ("T", units), units * units, no_bias))
            rows.append(LayerRow(_("attention (additive)"), ("T", units), units,
                                 _("v . tanh(query + key): v has {units}; softmax over source words -> context")
                                 .format(units=units)))
        else:
            rows.append(LayerRow(_("attention (dot)"), ("T", units), 0,
                                 _("h . key: softmax over source words -> context (a weighted sum of encoder "
                                   "states)")))
        rows.append(LayerRow(_("attentional (tanh)"), ("T", units), dense_params(2 * units, units),
                             _("({inputs} + 1) x {units}: [context; decoder state] -> new state").format(
                                 inputs=2 * units, units=units)))
    rows.append(LayerRow(_("next word (logits)"), ("T", vocabulary), dense_params(units, vocabulary),
                         _("({units} + 1) x {vocabulary:,}: a score per target word").format(units=units,
                                                                                           vocabulary=vocabulary)))
    return rows


def notes(cfg: dict) -> list[str]:
    """Lines `explain` prints under the table: the cell's equations for the encoder and the decoder."""
    model = cfg["model"]
    lines = []
    for part in (_("encoder: {cell_line}"), _("decoder: {cell_line}")):
        first, *rest = gate_lines(model["rnn_cell"], model["embedding_dim"], model["units"])
        lines += [part.format(cell_line=first), *rest]
    lines.append(_("T is the target length of a batch; translating runs the decoder one word at a time "
                   "(beam_width={beam_width}; 1 = greedy), at most {max_length} words").format(
                       beam_width=model["beam_width"], max_length=model["max_target_length"]))
    return lines
