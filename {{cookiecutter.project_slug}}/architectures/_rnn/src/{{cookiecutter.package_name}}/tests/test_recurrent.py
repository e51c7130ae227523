"""The gate equations and parameter counts that `explain` prints, checked against Keras's layers."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from .. import recurrent

LAYERS = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU, "simple": keras.layers.SimpleRNN}


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def numpy_lstm(x, kernel, recurrent_kernel, bias):
    """The printed equations, step by step; Keras stacks the gates i, f, c, o along the last axis."""
    units = recurrent_kernel.shape[0]
    h, c, outputs = np.zeros(units), np.zeros(units), []
    for x_t in x:
        parts = np.split(x_t @ kernel + h @ recurrent_kernel + bias, 4)
        i, f, g, o = sigmoid(parts[0]), sigmoid(parts[1]), np.tanh(parts[2]), sigmoid(parts[3])
        c = f * c + i * g
        h = o * np.tanh(c)
        outputs.append(h)
    return np.array(outputs)


def numpy_gru(x, kernel, recurrent_kernel, bias):
    """The printed equations (reset applied after the recurrent product); gates z, r, h; bias rows: input, recurrent."""
    units = recurrent_kernel.shape[0]
    h, outputs = np.zeros(units), []
    for x_t in x:
        xz, xr, xh = np.split(x_t @ kernel + bias[0], 3)
        hz, hr, hh = np.split(h @ recurrent_kernel + bias[1], 3)
        z, r = sigmoid(xz + hz), sigmoid(xr + hr)
        n = np.tanh(xh + r * hh)
        h = z * h + (1 - z) * n
        outputs.append(h)
    return np.array(outputs)


def numpy_simple(x, kernel, recurrent_kernel, bias):
    """The printed equation: no gate, the new state is one tanh layer over the input and the old state."""
    h, outputs = np.zeros(recurrent_kernel.shape[0]), []
    for x_t in x:
        h = np.tanh(x_t @ kernel + h @ recurrent_kernel + bias)
        outputs.append(h)
    return np.array(outputs)


@pytest.mark.parametrize("cell", recurrent.CELLS)
def test_printed_equations_compute_what_keras_computes(cell):
    rng = np.random.default_rng(0)
    layer = LAYERS[cell](5, return_sequences=True)
    x = rng.normal(size=(1, 6, 3)).astype("float32")
    layer.build(x.shape)
    # Random biases too, so that every bias in the equations matters.
    layer.set_weights([rng.normal(scale=0.5, size=w.shape).astype("float32") for w in layer.get_weights()])
    reference = {"lstm": numpy_lstm, "gru": numpy_gru, "simple": numpy_simple}[cell](x[0], *layer.get_weights())
    np.testing.assert_allclose(np.asarray(layer(x))[0], reference, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("cell", recurrent.CELLS)
def test_gate_counts_add_up_to_keras_count_params(cell, bidirectional):
    inputs, units = 7, 4
    layer = LAYERS[cell](units)
    if bidirectional:
        layer = keras.layers.Bidirectional(layer)
    layer.build((None, 3, inputs))
    assert recurrent.layer_params(cell, inputs, units, bidirectional) == layer.count_params()

    # Each gate owns a block of units columns of the kernel, the recurrent kernel and the bias(es).
    kernel, recurrent_kernel, bias = layer.get_weights()[:3]
    gates = len(recurrent.GATES[cell])
    per_gate = (kernel.size + recurrent_kernel.size + bias.size) // gates
    assert recurrent.gate_params(cell, inputs, units) == {gate: per_gate for gate, _ in recurrent.GATES[cell]}


def test_gate_lines_name_every_gate_with_its_count():
    lines = "\n".join(recurrent.gate_lines("lstm", 128, 64, bidirectional=True))
    for gate in ("forget", "input", "candidate", "output"):
        assert f"{gate} gate: W 128x64 + U 64x64 + b -> 12,352 x 2 = 24,704 parameters" in lines
    assert "layer total: 98,816 parameters" in lines
    gru = "\n".join(recurrent.gate_lines("gru", 10, 8))
    assert "reset gate" in gru and "update gate" in gru and "forget" not in gru
    assert "layer total: 480 parameters" in gru  # 3 x 8 x (10 + 8 + 2)
    simple = "\n".join(recurrent.gate_lines("simple", 10, 8, bidirectional=True))
    assert "SimpleRNN cell" in simple and "gate:" not in simple
    assert "state: W 10x8 + U 8x8 + b -> 152 x 2 = 304 parameters" in simple  # 8 x (10 + 8 + 1), two directions
    assert recurrent.params_rule("simple", 10, 8) == "no gates: 8 x (10 + 8 + 1)"
    assert recurrent.params_rule("gru", 10, 8) == "3 gates x 8 x (10 + 8 + 2)"
