"""Arrays in Keras's `mnist.npz` layout (`data.npz_path`): x_train, y_train, x_test, y_test."""

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
