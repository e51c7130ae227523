"""Shape and parameter arithmetic in plain Python, the way the course notes write it.

No TensorFlow here: `explain` prints these numbers next to the built model's, config validation
uses them to refuse an input too small for the network, and the tests hold the built model to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod


@dataclass(frozen=True)
class LayerRow:
    """One line of the layer table: the layer, what comes out of it, its weights, and why that size."""

    name: str
    output_shape: tuple[int, ...]
    params: int
    rule: str


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """(W - F + 2P) / S + 1 for one spatial dimension; raises ValueError if nothing is left."""
    out = (size - kernel + 2 * padding) // stride + 1
    if out < 1:
        raise ValueError(f"a {kernel}x{kernel} window with stride {stride} and padding {padding} "
                         f"does not fit an input of size {size}")
    return out


def size_rule(size: int, kernel: int, stride: int = 1, padding: int = 0) -> str:
    """The arithmetic of `conv_output_size` written out, for the layer table's "why" column."""
    return f"({size} - {kernel} + 2x{padding}) / {stride} + 1 = {conv_output_size(size, kernel, stride, padding)}"


def dense_params(inputs: int, units: int, bias: bool = True) -> int:
    """A fully connected layer: one weight per input per unit, plus one bias per unit."""
    return inputs * units + (units if bias else 0)


def conv_params(in_channels: int, filters: int, kernel: int, groups: int = 1, bias: bool = True) -> int:
    """A convolution: F x F x (C_in / groups) weights per filter, plus one bias per filter."""
    return kernel * kernel * (in_channels // groups) * filters + (filters if bias else 0)


def multiply_adds(row: LayerRow) -> int:
    """Multiply-adds one example costs in a dense or conv layer: every weight (not bias) once per output position."""
    if not row.params:
        return 0
    positions = prod(row.output_shape[:-1])
    return (row.params - row.output_shape[-1]) * positions


def flat_size(shape: tuple[int, ...]) -> int:
    return prod(shape)


def total_params(rows: list[LayerRow]) -> int:
    return sum(row.params for row in rows)


def format_table(rows: list[LayerRow]) -> str:
    """The layer table as aligned text, with the total on the last line."""
    header = ("layer", "output shape", "params", "why this size")
    lines = [(r.name, "x".join(str(d) for d in r.output_shape), f"{r.params:,}", r.rule) for r in rows]
    widths = [max(len(str(line[i])) for line in [header, *lines]) for i in range(3)]
    out = []
    for line in [header, *lines]:
        out.append(f"{line[0]:<{widths[0]}}  {line[1]:>{widths[1]}}  {line[2]:>{widths[2]}}  {line[3]}".rstrip())
    out.insert(1, "-" * len(max(out, key=len)))
    out.append(f"total parameters: {total_params(rows):,}")
    return "\n".join(out)
