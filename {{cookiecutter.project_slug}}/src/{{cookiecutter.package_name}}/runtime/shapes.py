"""Shape and parameter arithmetic in plain Python, the way the course notes write it.

No TensorFlow here: `explain` prints these numbers next to the built model's, and the tests hold
the built model to them. The convolutional projects add conv_shapes.py: the output-size formula.
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import _
from .wide_text import display_width


@dataclass(frozen=True)
class LayerRow:
    """One line of the layer table: the layer, what comes out of it, its weights, and why that size."""

    name: str
    output_shape: tuple[int, ...]
    params: int
    rule: str


def dense_params(inputs: int, units: int, bias: bool = True) -> int:
    """A fully connected layer: one weight per input per unit, plus one bias per unit."""
    return inputs * units + (units if bias else 0)


def total_params(rows: list[LayerRow]) -> int:
    return sum(row.params for row in rows)


def format_table(rows: list[LayerRow]) -> str:
    """The layer table as aligned text, with the total on the last line."""
    header = (_("layer"), _("output shape"), _("params"), _("why this size"))
    lines = [(r.name, "x".join(str(d) for d in r.output_shape), f"{r.params:,}", r.rule) for r in rows]
    widths = [max(display_width(line[i]) for line in [header, *lines]) for i in range(3)]
    out = []
    for line in [header, *lines]:  # the name left-aligned, the numbers right-aligned, the reason as it is
        pads = [" " * (widths[i] - display_width(line[i])) for i in range(3)]
        out.append(f"{line[0]}{pads[0]}  {pads[1]}{line[1]}  {pads[2]}{line[2]}  {line[3]}".rstrip())
    out.insert(1, "-" * max(map(display_width, out)))
    out.append(_("total parameters: {total:,}").format(total=total_params(rows)))
    return "\n".join(out)
