"""Texts as the recurrent projects read them: UTF-8 files, a validation share held out, words made ids once."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import tensorflow as tf

from .config import decode_utf8
from .data_sources import DataError
from .errors import UserError


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


def as_ids(pairs: tf.data.Dataset, to_ids) -> tf.data.Dataset:
    """`to_ids` mapped over the texts 1,024 at a time, once: `pipeline` caches the ids, so no epoch splits the
    texts into words again. Ids of different lengths (ragged rows) come out as plain tensors for `padded_batch`:
    unbatch leaves each a one-row ragged tensor, and passing through a map makes it a plain one."""
    ids = pairs.batch(1024).map(to_ids, num_parallel_calls=tf.data.AUTOTUNE).unbatch().map(lambda *parts: parts)
    size = pairs.cardinality()  # unbatch hides it, and progress and step counts need it
    return ids.apply(tf.data.experimental.assert_cardinality(size)) if size >= 0 else ids
