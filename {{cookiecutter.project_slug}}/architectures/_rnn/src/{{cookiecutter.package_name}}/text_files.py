"""Text files as the recurrent projects read them: UTF-8, and a validation share held out."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .config import UserError, decode_utf8
from .data_sources import DataError


def read_utf8(path: Path, setting: str) -> str:
    """A text file's contents; a file that is not UTF-8 is refused with the line of its first bad byte."""
    try:
        return decode_utf8(path.read_bytes())
    except UserError as error:
        raise DataError(f"{setting}={str(path)!r}: {error}") from None


def hold_out(examples: list, share: float, seed: int) -> tuple[list, list]:
    """Shuffle a list with `seed` and split off the last `share` of it (for validation)."""
    order = np.random.default_rng(seed).permutation(len(examples))
    shuffled = [examples[i] for i in order]
    cut = len(shuffled) - int(len(shuffled) * share)
    return shuffled[:cut], shuffled[cut:]
