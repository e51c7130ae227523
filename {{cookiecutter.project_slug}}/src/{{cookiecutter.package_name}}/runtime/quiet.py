"""TensorFlow imported with its C++ start-up lines hidden, and its C++ log limited to fatal errors from then on.

TensorFlow's core prints start-up lines before any setting of Python's can stop them (oneDNN notices, "Could
not find cuda drivers", `failed call to cuInit`): on a machine without a GPU they read like failures. Here the
process's standard error points at nothing while TensorFlow is imported, and TF_CPP_MIN_LOG_LEVEL=3 (inherited by
`compare`'s runs and `launch`'s workers) keeps later lines back. Python's own errors and warnings still show.
"""

from __future__ import annotations

import os
import sys


def import_tensorflow_quietly() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.stderr.flush()
    saved, nowhere = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(nowhere, 2)
    try:
        import tensorflow  # noqa: F401
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(nowhere)
