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

ARCHITECTURE = "dbn"

FIELDS: dict[str, Field] = {
    "architecture": Field("choice", N_("which network this project trains"), choices=(ARCHITECTURE,)),
    **COMMON_FIELDS,
    **DATA_FIELDS,
    "model.hidden_units": Field("int_list", N_("hidden units of each RBM, bottom to top"), minimum=1, maximum=65_536),
    "model.pretrain": Field("bool", N_("start the Dense layers from greedily trained RBMs (false = random init)")),
    "pretraining.epochs": Field("int", N_("passes over the training images for each RBM"), minimum=1, maximum=100_000),
    "pretraining.cd_k": Field("int", N_("Gibbs steps of contrastive divergence (CD-k)"), minimum=1, maximum=1000),
    "pretraining.persistent": Field("bool", N_("keep the Gibbs chains between batches (persistent CD)")),
    "pretraining.learning_rate": Field("float", N_("step size of the contrastive-divergence update"),
                                       minimum=1e-8, maximum=10.0),
    "pretraining.momentum": Field("float", N_("share of the last update kept in the next"), minimum=0.0, maximum=1.0,
                                  below_maximum=True),
}


def check(cfg: dict) -> Iterable[str]:
    """Combinations of values that are each allowed alone but not together."""
    yield from config.check_common(cfg)
    yield from check_data(cfg)


def load(path: str | Path = "config.yaml", overrides: Iterable[str] = ()) -> dict:
    return config.load(path, overrides, FIELDS, check)
