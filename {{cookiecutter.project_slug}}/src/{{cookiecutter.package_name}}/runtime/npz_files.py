"""Labelled images in Keras's `mnist.npz` layout (`data.npz_path`): x_train, y_train, x_test, y_test."""

from __future__ import annotations

import functools
import zipfile
import zlib
from pathlib import Path

import numpy as np

from .data_sources import DataError
from .i18n import _

NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")


def read_npz_arrays(path: Path) -> dict[str, np.ndarray]:
    """The four arrays of a file in Keras's `mnist.npz` layout (data.npz_path), unchecked beyond being there."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            missing = [key for key in NPZ_KEYS if key not in archive.files]
            if missing:
                raise DataError(_("data.npz_path={path!r}: missing arrays {missing}; expected {expected} (Keras's "
                                  "mnist.npz layout)").format(path=str(path), missing=", ".join(missing),
                                                              expected=", ".join(NPZ_KEYS)))
            return {key: archive[key] for key in NPZ_KEYS}
    except DataError:
        raise
    # A file cut short (an interrupted download or copy) fails in zipfile or zlib, as it is opened or read.
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as error:
        raise DataError(_("data.npz_path={path!r}: cannot read it as an .npz file ({error}); it may be cut short or "
                          "not an .npz at all: copy it again").format(path=str(path), error=error)) from None


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
        x_name, y_name = f"x_{split}", f"y_{split}"
        x, y = arrays[x_name], arrays[y_name]
        images = x[..., np.newaxis] if x.ndim == 3 else x
        if images.ndim != 4 or images.shape[-1] not in channels or (image_size and images.shape[1:3] != image_size):
            raise DataError(wrong_shape(where, x_name, x.shape, image_size, channels))
        if len(x) == 0:
            raise DataError(_("{where}: {array} is empty").format(where=where, array=x_name))
        if y.shape != (len(x),):
            raise DataError(_("{where}: {array} has shape {shape}; expected ({count},), one label per image").format(
                where=where, array=y_name, shape=y.shape, count=len(x)))
        if not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or (num_classes and y.max() >= num_classes):
            if num_classes:
                labels = _("{where}: {array} holds {dtype} values from {low} to {high}; expected integer labels "
                           "0-{last}")
            else:
                labels = _("{where}: {array} holds {dtype} values from {low} to {high}; expected integer labels "
                           "from 0")
            raise DataError(labels.format(where=where, array=y_name, dtype=y.dtype, low=y.min(), high=y.max(),
                                          last=(num_classes or 0) - 1))
        if np.issubdtype(x.dtype, np.floating) and not np.isfinite(x).all():
            raise DataError(_("{where}: {array} holds {count} NaN or infinite values; expected grey levels "
                              "0-255").format(where=where, array=x_name, count=np.count_nonzero(~np.isfinite(x))))
        if x.dtype != np.uint8 and (x.min() < 0 or x.max() > 255):
            raise DataError(_("{where}: {array} values run from {low} to {high}; expected grey levels 0-255").format(
                where=where, array=x_name, low=x.min(), high=x.max()))
        arrays[f"x_{split}"], arrays[f"y_{split}"] = images.astype(np.uint8), y.astype(np.int64)
    return tuple(arrays[key] for key in NPZ_KEYS)


def wrong_shape(where: str, array: str, shape: tuple, image_size: tuple[int, int] | None,
                channels: tuple[int, ...]) -> str:
    """'x_train has shape (5, 28); expected (N, 28, 28)', with a channel axis too where more than 1 is allowed."""
    if channels == (1,):
        message = (_("{where}: {array} has shape {shape}; expected (N, {height}, {width})") if image_size
                   else _("{where}: {array} has shape {shape}; expected (N, height, width)"))
    else:
        message = (_("{where}: {array} has shape {shape}; expected (N, {height}, {width}) or "
                     "(N, {height}, {width}, {channels})") if image_size
                   else _("{where}: {array} has shape {shape}; expected (N, height, width) or "
                          "(N, height, width, {channels})"))
    either = functools.reduce(lambda first, second: _("{first} or {second}").format(first=first, second=second),
                              map(str, channels))
    height, width = image_size or (None, None)
    return message.format(where=where, array=array, shape=shape, height=height, width=width, channels=either)
