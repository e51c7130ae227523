"""Labelled images in Keras's `mnist.npz` layout (`data.npz_path`): x_train, y_train, x_test, y_test."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import numpy as np

from .data_sources import DataError

NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")


def read_npz_arrays(path: Path) -> dict[str, np.ndarray]:
    """The four arrays of a file in Keras's `mnist.npz` layout (data.npz_path), unchecked beyond being there."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            missing = [key for key in NPZ_KEYS if key not in archive.files]
            if missing:
                raise DataError(f"data.npz_path={str(path)!r}: missing arrays {', '.join(missing)}; "
                                f"expected {', '.join(NPZ_KEYS)} (Keras's mnist.npz layout)")
            return {key: archive[key] for key in NPZ_KEYS}
    except DataError:
        raise
    # A file cut short (an interrupted download or copy) fails in zipfile or zlib, as it is opened or read.
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as error:
        raise DataError(f"data.npz_path={str(path)!r}: cannot read it as an .npz file ({error}); it may be cut "
                        f"short or not an .npz at all: copy it again") from None


def read_labelled_images(path: str | Path, image_size: tuple[int, int] | None = None,
                         channels: tuple[int, ...] = (1, 3), num_classes: int | None = None) -> tuple[np.ndarray, ...]:
    """x_train, y_train, x_test, y_test from a file in Keras's `mnist.npz` layout, checked: uint8 images of shape
    (N, height, width, channels) holding grey levels 0-255 (a file may leave out a channel axis of 1), and one
    int64 label each. image_size: the (height, width) required, or None for any; channels: the numbers allowed;
    num_classes: labels must be below it (None: any label from 0)."""
    path = Path(path).expanduser()
    arrays = read_npz_arrays(path)
    where = f"data.npz_path={str(path)!r}"
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        images = x[..., np.newaxis] if x.ndim == 3 else x
        if images.ndim != 4 or images.shape[-1] not in channels or (image_size and images.shape[1:3] != image_size):
            height, width = image_size or ("height", "width")
            raise DataError(f"{where}: x_{split} has shape {x.shape}; expected (N, {height}, {width})"
                            + ("" if channels == (1,) else f" or (N, {height}, {width}, "
                               f"{' or '.join(map(str, channels))})"))
        if len(x) == 0:
            raise DataError(f"{where}: x_{split} is empty")
        if y.shape != (len(x),):
            raise DataError(f"{where}: y_{split} has shape {y.shape}; expected ({len(x)},), one label per image")
        if not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or (num_classes and y.max() >= num_classes):
            allowed = f"0-{num_classes - 1}" if num_classes else "from 0"
            raise DataError(f"{where}: y_{split} holds {y.dtype} values from {y.min()} to {y.max()}; expected "
                            f"integer labels {allowed}")
        if np.issubdtype(x.dtype, np.floating) and not np.isfinite(x).all():
            raise DataError(f"{where}: x_{split} holds {np.count_nonzero(~np.isfinite(x))} NaN or infinite values; "
                            f"expected grey levels 0-255")
        if x.dtype != np.uint8 and (x.min() < 0 or x.max() > 255):
            raise DataError(f"{where}: x_{split} values run from {x.min()} to {x.max()}; expected grey levels 0-255")
        arrays[f"x_{split}"], arrays[f"y_{split}"] = images.astype(np.uint8), y.astype(np.int64)
    return tuple(arrays[key] for key in NPZ_KEYS)
