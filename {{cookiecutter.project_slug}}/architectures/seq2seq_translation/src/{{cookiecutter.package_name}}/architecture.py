"""The encoder-decoder on paper: each layer's output shape and parameters, from the settings alone.

Shapes are per sentence: S source words (model.max_source_length), T target positions. The
encoder's final state is the decoder's first state, so the two must have the same size (units).
"""

from __future__ import annotations

from .recurrent import NAMES, gate_lines, layer_params, params_rule
from .runtime.shapes import LayerRow, dense_params


def layer_plan(cfg: dict) -> list[LayerRow]:
    model = cfg["model"]
    cell, units, embedding = model["rnn_cell"], model["units"], model["embedding_dim"]
    source_length, vocabulary = model["max_source_length"], model["target_vocabulary_size"]
    gates = params_rule(cell, embedding, units)
    rows = [
        LayerRow("source text", (1,), 0, "a raw string"),
        LayerRow("source ids", (source_length,), 0, f"standardized, split, cut or padded to {source_length} ids"),
        LayerRow("source embedding", (source_length, embedding), model["source_vocabulary_size"] * embedding,
                 f"{model['source_vocabulary_size']:,} ids x {embedding}; padding masked"),
        LayerRow(f"encoder {NAMES[cell]}", (source_length, units), layer_params(cell, embedding, units),
                 f"{gates}; a state per source word, the last one starts the decoder"),
        LayerRow("target ids in", ("T",), 0, "[start] w1 w2 ... (the true previous words: teacher forcing)"),
        LayerRow("target embedding", ("T", embedding), vocabulary * embedding,
                 f"{vocabulary:,} ids x {embedding}; padding masked"),
        LayerRow(f"decoder {NAMES[cell]}", ("T", units), layer_params(cell, embedding, units), gates),
    ]
    attention = model["attention"]
    if attention != "none":
        rows.append(LayerRow("attention key", (source_length, units), units * units, f"W: {units} x {units}, no bias"))
        if attention == "bahdanau":
            rows.append(LayerRow("attention query", ("T", units), units * units, f"W: {units} x {units}, no bias"))
            rows.append(LayerRow("attention (additive)", ("T", units), units,
                                 f"v . tanh(query + key): v has {units}; softmax over source words -> context"))
        else:
            rows.append(LayerRow("attention (dot)", ("T", units), 0,
                                 "h . key: softmax over source words -> context (a weighted sum of encoder states)"))
        rows.append(LayerRow("attentional (tanh)", ("T", units), dense_params(2 * units, units),
                             f"({2 * units} + 1) x {units}: [context; decoder state] -> new state"))
    rows.append(LayerRow("next word (logits)", ("T", vocabulary), dense_params(units, vocabulary),
                         f"({units} + 1) x {vocabulary:,}: a score per target word"))
    return rows


def notes(cfg: dict) -> list[str]:
    """Lines `explain` prints under the table: the cell's equations for the encoder and the decoder."""
    model = cfg["model"]
    lines = []
    for part in ("encoder", "decoder"):
        first, *rest = gate_lines(model["rnn_cell"], model["embedding_dim"], model["units"])
        lines += [f"{part}: {first}", *rest]
    lines.append("T is the target length of a batch; translating runs the decoder one word at a time "
                 f"(beam_width={model['beam_width']}; 1 = greedy), at most {model['max_target_length']} words")
    return lines
