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

ARCHITECTURE = "autoencoder"

FIELDS: dict[str, Field] = {
    "architecture": Field("choice", N_("which network this project trains"), choices=(ARCHITECTURE,)),
    **COMMON_FIELDS,
    **DATA_FIELDS,
    # The digits' sources, and one more: points on a rolled-up sheet, made in NumPy (swiss_roll.py).
    "data.source": Field("choice", N_("where the examples come from"),
                         choices=("tfds", "npz", "synthetic", "auto", "swiss_roll")),
    "data.swiss_roll_examples": Field("int", N_("training points of the Swiss roll"), minimum=100, maximum=1_000_000),
    "data.swiss_roll_noise": Field("float", N_("spread of the Swiss roll's points off its sheet"), minimum=0.0,
                                   maximum=5.0),
    "model.hidden_units": Field("int_list", N_("units of each hidden layer of the encoder, input side first (the "
                                   "decoder mirrors them)"), minimum=1, maximum=65_536),
    "model.code_size": Field("int", N_("units of the code layer in the middle"), minimum=1, maximum=65_536),
    "model.activation": Field("choice", N_("activation of the hidden layers"),
                              choices=("sigmoid", "tanh", "relu", "elu")),
    "model.code_activation": Field("choice", N_("activation of the code layer"), choices=("linear", "tanh")),
    "model.pretrain": Field("bool", N_("start from greedily pre-trained shallow autoencoders (false = random init)")),
    "model.head": Field("choice", N_("none: reconstruct only | softmax: also a classifier on the codes"),
                        choices=("none", "softmax")),
    "model.input_noise": Field("float", N_("standard deviation of the Gaussian noise added to the inputs while "
                                  "training (0 = none; above 0: a denoising autoencoder)"), minimum=0.0, maximum=10.0),
    "pretraining.epochs": Field("int", N_("passes over the training set for each shallow autoencoder"), minimum=1,
                                maximum=100_000),
    "pretraining.learning_rate": Field("float", N_("Adam's step size while pre-training"), minimum=1e-8, maximum=10.0),
}


def check(cfg: dict) -> Iterable[str]:
    """Combinations of values that are each allowed alone but not together."""
    yield from config.check_common(cfg)
    yield from check_data(cfg)


def load(path: str | Path = "config.yaml", overrides: Iterable[str] = ()) -> dict:
    return config.load(path, overrides, FIELDS, check)
