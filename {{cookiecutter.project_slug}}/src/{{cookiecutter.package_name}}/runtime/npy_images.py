"""Images saved as NumPy arrays (`.npy`), as `predict` reads them."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .data_sources import DataError


def read_npy_image(path: Path) -> np.ndarray:
    """An image saved with `np.save`, as (height, width, channels): a 2-D array gets one channel."""
    try:
        image = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as error:
        raise DataError(f"{path}: not a readable .npy file ({error})") from None
    if not (np.issubdtype(image.dtype, np.number) or image.dtype == bool):
        raise DataError(f"{path}: holds {image.dtype} values; expected numbers (pixel values)")
    if not np.isfinite(image).all():
        raise DataError(f"{path}: holds {np.count_nonzero(~np.isfinite(image))} NaN or infinite values; expected "
                        f"pixel values")
    return image[..., np.newaxis] if image.ndim == 2 else image
