"""The keys of this project's `config.yaml` and the values each may take.

`runtime/config.py` does the loading and checking; this module only says what is allowed. Standard
library + PyYAML only, like `runtime/config.py`, because the generation hook imports it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .data_fields import DATA_FIELDS, check_data
from .runtime import config
from .runtime.config import COMMON_FIELDS
from .runtime.fields import Field
from .runtime.i18n import N_

ARCHITECTURE = "lenet5"

FIELDS: dict[str, Field] = {
    "architecture": Field("choice", N_("which network this project trains"), choices=(ARCHITECTURE,)),
    **COMMON_FIELDS,
    **DATA_FIELDS,
    "model.variant": Field("choice", N_("classic: the 1998 paper; modern: ReLU and pooling"),
                           choices=("classic", "modern")),
    "model.pooling": Field("choice", N_("the modern variant's S2 and S4 (the classic one subsamples)"),
                           choices=("max", "average")),
    "model.augment_shift": Field("float", N_("random shift while training, as a share of the image size"),
                                 minimum=0.0, maximum=0.5),
    "model.dropout": Field("float", N_("share of C5 and F6 units dropped while training"), minimum=0.0, maximum=1.0,
                           below_maximum=True),
}


def check(cfg: dict) -> Iterable[str]:
    """Combinations of values that are each allowed alone but not together."""
    yield from config.check_common(cfg)
    yield from check_data(cfg)


def load(path: str | Path = "config.yaml", overrides: Iterable[str] = ()) -> dict:
    return config.load(path, overrides, FIELDS, check)
