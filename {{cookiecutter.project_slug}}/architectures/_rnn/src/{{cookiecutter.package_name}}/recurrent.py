"""LSTM, GRU and simple recurrent cells on paper: their equations and the parameters each gate adds.

Pure Python (no TensorFlow), so `explain` and the config checks can use it. The equations are
written the way Keras computes them, and a test runs them in NumPy against Keras's own layers.

Every gate is a small dense layer that reads the current input x_t (size d) and the previous
hidden state h_{t-1} (size u, the layer's units): W is d x u, U is u x u, plus a bias of u.
So an LSTM layer holds 4 u (d + u + 1) parameters. Keras's GRU (reset_after=True, the layout
cuDNN uses) keeps a second bias for the recurrent part of each gate: 3 u (d + u + 2). The simple
cell (Elman 1990; Keras's SimpleRNN) has no gate: one such layer with tanh is its whole step,
u (d + u + 1) parameters, and nothing but U carries the past forward: the gradient through time
is multiplied by it at every step.
"""

from __future__ import annotations

CELLS = ("lstm", "gru", "simple")
NAMES = {"lstm": "LSTM", "gru": "GRU", "simple": "SimpleRNN"}  # as Keras names the layers
UNGATED = {"simple"}  # cells whose one block is the new state itself, not a gate


def N_(message: str) -> str:  # noqa: N802 (gettext's name for it)
    """Mark text for the catalogs, as runtime/i18n.py's N_ does; it is translated with `_` where it is shown.
    Defined here, not imported: this file also runs on its own, outside its package (the template's tests read
    CELLS from it)."""
    return message


# (gate, (equation, what it does)) in the order Keras stacks them in the kernel: LSTM i, f, c, o; GRU z, r, h;
# simple: the state. Each equation is padded to where its note starts.
GATES: dict[str, tuple[tuple[str, tuple[str, str]], ...]] = {
    "lstm": (
        ("input", ("i_t = sigmoid(W_i x_t + U_i h_{t-1} + b_i)        ", N_("how much of the candidate to write"))),
        ("forget", ("f_t = sigmoid(W_f x_t + U_f h_{t-1} + b_f)       ", N_("how much of the old cell to keep"))),
        ("candidate", ("g_t = tanh(W_c x_t + U_c h_{t-1} + b_c)         ", N_("the new content"))),
        ("output", ("o_t = sigmoid(W_o x_t + U_o h_{t-1} + b_o)       ", N_("how much of the cell to show"))),
    ),
    "gru": (
        ("update", ("z_t = sigmoid(W_z x_t + b_z + U_z h_{t-1} + b'_z)    ", N_("how much of the old state to keep"))),
        ("reset", ("r_t = sigmoid(W_r x_t + b_r + U_r h_{t-1} + b'_r)    ",
                   N_("how much of the old state the candidate sees"))),
        ("candidate", ("n_t = tanh(W_h x_t + b_h + r_t * (U_h h_{t-1} + b'_h))   ", N_("the new content"))),
    ),
    "simple": (
        ("state", ("h_t = tanh(W x_t + U h_{t-1} + b)                 ", N_("the new state: no gate, no cell"))),
    ),
}
# What each gate's block is called in the lines of `explain`.
BLOCKS = {"input": N_("input gate"), "forget": N_("forget gate"), "candidate": N_("candidate gate"),
          "output": N_("output gate"), "update": N_("update gate"), "reset": N_("reset gate"), "state": N_("state")}
STATE_UPDATES: dict[str, tuple[tuple[str, str], ...]] = {
    "lstm": (("c_t = f_t * c_{t-1} + i_t * g_t                   ", N_("the cell: the long-term memory")),
             ("h_t = o_t * tanh(c_t)                             ", N_("the output and next hidden state"))),
    "gru": (("h_t = z_t * h_{t-1} + (1 - z_t) * n_t             ", N_("one state, no separate cell")),),
    "simple": (),  # its one equation is the update
}
BIASES_PER_GATE = {"lstm": 1, "gru": 2, "simple": 1}


def gate_params(cell: str, inputs: int, units: int) -> dict[str, int]:
    """Parameters of each gate of one direction: W (inputs x units) + U (units x units) + biases."""
    per_gate = units * (inputs + units + BIASES_PER_GATE[cell])
    return {gate: per_gate for gate, _ in GATES[cell]}


def layer_params(cell: str, inputs: int, units: int, bidirectional: bool = False) -> int:
    """All parameters of a recurrent layer; a bidirectional one is two independent copies."""
    return sum(gate_params(cell, inputs, units).values()) * (2 if bidirectional else 1)


def params_rule(cell: str, inputs: int, units: int) -> str:
    """How one direction's parameters add up, for the layer table: "4 gates x 64 x (128 + 64 + 1)"."""
    from .runtime.i18n import _

    product = f"{units} x ({inputs} + {units} + {BIASES_PER_GATE[cell]})"
    if cell in UNGATED:
        return _("no gates: {product}").format(product=product)
    return _("{gates} gates x {product}").format(gates=len(GATES[cell]), product=product)


def gate_lines(cell: str, inputs: int, units: int, bidirectional: bool = False) -> list[str]:
    """The equations, each with the parameters its gate adds, as lines for `explain`."""
    from .runtime.i18n import _

    directions = 2 if bidirectional else 1
    counts = gate_params(cell, inputs, units)
    biases = "b" if BIASES_PER_GATE[cell] == 1 else "b + b'"
    heading = _("{cell} cell, input size d={inputs}, units u={units}, bidirectional (two independent copies, one "
                "reading backwards):") if bidirectional else _("{cell} cell, input size d={inputs}, units u={units}:")
    lines = [heading.format(cell=NAMES[cell], inputs=inputs, units=units)]
    for gate, (equation, note) in GATES[cell]:
        share = f"{counts[gate]:,}" + (f" x 2 = {counts[gate] * directions:,}" if bidirectional else "")
        lines.append(f"  {equation}{_(note)}")
        lines.append("      " + _("{block}: W {inputs}x{units} + U {units}x{units} + {biases} -> {share} parameters")
                     .format(block=_(BLOCKS[gate]), inputs=inputs, units=units, biases=biases, share=share))
    lines += [f"  {equation}{_(note)}" for equation, note in STATE_UPDATES[cell]]
    lines.append("  " + _("layer total: {total:,} parameters").format(
        total=layer_params(cell, inputs, units, bidirectional)))
    return lines
