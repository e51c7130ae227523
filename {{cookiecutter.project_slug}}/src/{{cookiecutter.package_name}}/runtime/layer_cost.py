"""What one example costs a dense or convolutional network, counted from its layer table."""

from __future__ import annotations

from math import prod

from .shapes import LayerRow


def multiply_adds(row: LayerRow) -> int:
    """Multiply-adds one example costs in a dense or conv layer: every weight (not bias) once per output position."""
    if not row.params:
        return 0
    positions = prod(row.output_shape[:-1])
    return (row.params - row.output_shape[-1]) * positions
