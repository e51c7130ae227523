"""Images saved as NumPy arrays (`.npy`), as `predict` reads them."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .data_sources import DataError
from .i18n import _


def read_npy_image(path: Path) -> np.ndarray:
    """An image saved with `np.save`, as (height, width, channels): a 2-D array gets one channel."""
    try:
        image = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as error:
        raise DataError(_("{path}: not a readable .npy file ({error})").format(path=path, error=error)) from None
    if not (np.issubdtype(image.dtype, np.number) or image.dtype == bool):
        raise DataError(_("{path}: holds {dtype} values; expected numbers (pixel values)").format(
            path=path, dtype=image.dtype))
    if not np.isfinite(image).all():
        raise DataError(_("{path}: holds {count} NaN or infinite values; expected pixel values").format(
            path=path, count=np.count_nonzero(~np.isfinite(image))))
    return image[..., np.newaxis] if image.ndim == 2 else image
