"""Folders of images, one sub-folder per class, checked before Keras reads them."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import tensorflow as tf

from .data_sources import DataError
from .i18n import _

# The file types keras.utils.image_dataset_from_directory reads; it ignores all others.
IMAGE_EXTENSIONS = (".jpeg", ".jpg", ".png", ".bmp", ".gif")


def scan_folder(setting: str, folder: str) -> tuple[list[str], int]:
    """The class names and image count of an image folder, after checking every file Keras would read.

    Keras stops with a TensorFlow error deep inside training at the first file it cannot decode,
    so each image is decoded once here and every problem is reported by name before training.
    """
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise DataError(_("{setting}={folder!r}: no such folder").format(setting=setting, folder=folder))
    classes = sorted(path.name for path in root.iterdir() if path.is_dir() and not path.name.startswith("."))
    if not classes:
        loose = sum(1 for path in root.iterdir() if path.is_file())
        raise DataError(_("{setting}={folder!r}: no class sub-folders (found {count} files directly in it); expected "
                          "{folder}/<class name>/<images>, one sub-folder per class").format(
                              setting=setting, folder=folder, count=loose))
    unreadable, skipped, count = [], Counter(), 0
    for name in classes:
        files = sorted(path for path in (root / name).rglob("*") if path.is_file())
        images = [path for path in files if path.suffix.lower() in IMAGE_EXTENSIONS]
        skipped.update(path.suffix.lower() or path.name for path in files if path not in images)
        if not images:
            raise DataError(_("{setting}={folder!r}: class folder {name!r} has no images ({extensions}); add some or "
                              "remove the folder").format(setting=setting, folder=folder, name=name,
                                                          extensions=", ".join(IMAGE_EXTENSIONS)))
        count += len(images)
        for path in images:
            try:
                tf.io.decode_image(tf.io.read_file(str(path)), channels=3, expand_animations=False)
            except tf.errors.OpError:
                unreadable.append(path)
    if unreadable:
        shown = ", ".join(str(path) for path in unreadable[:3]) + (" ..." if len(unreadable) > 3 else "")
        raise DataError(_("{setting}={folder!r}: {count} files cannot be read as images ({shown}); remove or "
                          "replace them").format(setting=setting, folder=folder, count=len(unreadable), shown=shown))
    if skipped:
        print(_("note: {setting}: skipped {count} files that are not images ({kinds})").format(
            setting=setting, count=sum(skipped.values()), kinds=", ".join(sorted(skipped))), file=sys.stderr)
    return classes, count


def as_uint8(images, labels):
    """Decoded image pixels (floats) back to grey levels 0-255, and labels as int64."""
    return tf.cast(tf.clip_by_value(tf.round(images), 0, 255), tf.uint8), tf.cast(labels, tf.int64)
