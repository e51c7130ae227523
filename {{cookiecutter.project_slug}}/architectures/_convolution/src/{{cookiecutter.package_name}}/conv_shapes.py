"""The arithmetic of a convolution or pooling window, the way the course notes write it.

No TensorFlow here: `explain` prints these numbers next to the built model's, config validation
uses them to refuse an input too small for the network, and the tests hold the built model to them.
"""

from __future__ import annotations

from .runtime.i18n import _


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """(W - F + 2P) / S + 1 for one spatial dimension; raises ValueError if nothing is left."""
    out = (size - kernel + 2 * padding) // stride + 1
    if out < 1:
        raise ValueError(_("a {kernel}x{kernel} window with stride {stride} and padding {padding} does not fit an "
                           "input of size {size}").format(kernel=kernel, stride=stride, padding=padding, size=size))
    return out


def size_rule(size: int, kernel: int, stride: int = 1, padding: int = 0) -> str:
    """The arithmetic of `conv_output_size` written out, for the layer table's "why" column."""
    return f"({size} - {kernel} + 2x{padding}) / {stride} + 1 = {conv_output_size(size, kernel, stride, padding)}"


def conv_params(in_channels: int, filters: int, kernel: int, groups: int = 1, bias: bool = True) -> int:
    """A convolution: F x F x (C_in / groups) weights per filter, plus one bias per filter."""
    return kernel * kernel * (in_channels // groups) * filters + (filters if bias else 0)
