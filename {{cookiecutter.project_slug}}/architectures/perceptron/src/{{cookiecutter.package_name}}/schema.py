"""The keys of this project's `config.yaml` and the values each may take.

`runtime/config.py` does the loading and checking; this module only says what is allowed. Standard
library + PyYAML only, like `runtime/config.py`, because the generation hook imports it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .runtime import config
from .runtime.config import COMMON_FIELDS
from .runtime.fields import Field
from .runtime.i18n import N_, _
from .runtime.values import shown_value

ARCHITECTURE = "perceptron"

DATASETS = ("xor", "moons", "circles", "blobs")
# The activation functions of the course notes, by their Keras names; linear shows that depth alone is not enough.
ACTIVATIONS = ("tanh", "sigmoid", "relu", "leaky_relu", "softsign", "softplus", "elu", "linear")
LEARNING_RULES = ("gradient", "rosenblatt")


class LayerWidths(Field):
    """A list of layer widths that may be empty: `[]` is the single-layer perceptron, with no hidden layer."""

    def parse(self, key: str, value):
        if isinstance(value, list) and not value:
            return []
        return super().parse(key, value)

    def allowed(self) -> str:
        return _("{allowed}, or [] for no hidden layer").format(allowed=super().allowed())


FIELDS: dict[str, Field] = {
    "architecture": Field("choice", N_("which network this project trains"), choices=(ARCHITECTURE,)),
    **COMMON_FIELDS,
    "data.source": Field("choice", N_("where the points come from: drawn, never downloaded"), choices=("synthetic",)),
    "data.dataset": Field("choice", N_("which toy set is drawn"), choices=DATASETS),
    "data.synthetic_examples": Field("int", N_("points drawn in all (training, validation and test)"),
                                     minimum=16, maximum=10_000_000),
    "data.noise": Field("float", N_("spread of the Gaussian noise around each toy set's shape"), minimum=0.0,
                        maximum=10.0),
    # At most 0.4 each, so that at least a fifth of the points are left to train on.
    "data.validation_split": Field("float", N_("share of the points held out for validation"), minimum=0.0,
                                   maximum=0.4),
    "data.test_split": Field("float", N_("share of the points held out for the test"), minimum=0.05, maximum=0.4),
    "model.hidden_units": LayerWidths("int_list", N_("width of each hidden layer"), minimum=1, maximum=4096,
                                      max_items=8),
    "model.activation": Field("choice", N_("non-linearity of the hidden layers"), choices=ACTIVATIONS),
    "model.learning_rule": Field("choice", N_("how the weights learn"), choices=LEARNING_RULES),
}


def check(cfg: dict) -> Iterable[str]:
    """Combinations of values that are each allowed alone but not together."""
    yield from config.check_common(cfg)
    model, training = cfg["model"], cfg["training"]
    if model["learning_rule"] == "rosenblatt":
        # Rosenblatt's rule corrects a unit by its own error; a hidden unit has none (that needs back-propagation).
        if model["hidden_units"]:
            yield _("model.learning_rule: got 'rosenblatt' with model.hidden_units={units}; Rosenblatt's rule trains a "
                    "single layer only: set model.hidden_units=[] (or learning_rule=gradient)").format(
                        units=shown_value(model["hidden_units"]))
        if training["optimizer"] != "sgd":
            yield _("model.learning_rule: got 'rosenblatt' with training.optimizer={optimizer}; Rosenblatt's rule "
                    "takes plain steps of training.learning_rate: set training.optimizer=sgd").format(
                        optimizer=training["optimizer"])


def load(path: str | Path = "config.yaml", overrides: Iterable[str] = ()) -> dict:
    return config.load(path, overrides, FIELDS, check)
