"""The keys of this project's `config.yaml` and the values each may take.

`runtime/config.py` does the loading and checking; this module only says what is allowed. Standard
library + PyYAML only, like `runtime/config.py`, because the generation hook imports it: an image size
the generator cannot grow to is refused when the project is generated.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .architecture import resampling_steps
from .runtime import config
from .runtime.config import COMMON_FIELDS
from .runtime.fields import Field
from .runtime.i18n import N_, _

ARCHITECTURE = "dcgan"

FIELDS: dict[str, Field] = {
    "architecture": Field("choice", N_("which network this project trains"), choices=(ARCHITECTURE,)),
    # Not run.log_gradients: the GAN's two networks train on two losses in its own step, not on one loss to measure.
    **{key: field for key, field in COMMON_FIELDS.items() if key != "run.log_gradients"},
    "training.beta_1": Field("float", N_("Adam's decay of its running gradient average"), minimum=0.0, maximum=1.0,
                             below_maximum=True),
    "data.source": Field("choice", N_("where the images come from"),
                         choices=("tfds", "npz", "folder", "synthetic", "auto")),
    "data.tfds_name": Field("choice", N_("tensorflow-datasets name"), choices=("mnist", "fashion_mnist")),
    "data.data_dir": Field("str", N_("tensorflow-datasets folder (null = ~/tensorflow_datasets)"), optional=True),
    "data.npz_path": Field("str", N_("file in Keras's mnist.npz layout"), optional=True),
    "data.folder": Field("str", N_("image folder with one sub-folder per class"), optional=True),
    "data.image_size": Field("int", N_("height and width of the images"), minimum=12, maximum=1024),
    "data.channels": Field("choice", N_("colour channels"), choices=(1, 3)),
    "data.synthetic_examples": Field("int", N_("size of the synthetic training set"), minimum=16, maximum=10_000_000),
    "data.shuffle_buffer": Field("int", N_("images mixed at a time when shuffling"), minimum=1),
    "model.latent_dim": Field("int", N_("length of the generator's noise vector"), minimum=1, maximum=4096),
    "model.generator_filters": Field("int", N_("filters of the generator's last hidden layer"), minimum=1,
                                     maximum=4096),
    "model.discriminator_filters": Field("int", N_("filters of the discriminator's first layer"), minimum=1,
                                         maximum=4096),
    "model.leaky_slope": Field("float", N_("LeakyReLU's slope below zero"), minimum=0.0, maximum=1.0),
    "quality.classifier": Field("str", N_("a saved quality classifier to reuse (null = train one)"), optional=True),
    "quality.classifier_epochs": Field("int", N_("epochs to train the quality classifier"), minimum=1, maximum=1000),
    "quality.samples": Field("int", N_("real and generated images compared each epoch"), minimum=16, maximum=100_000),
    "quality.grid_size": Field("int", N_("images per side of each epoch's grid"), minimum=1, maximum=32),
}


def check(cfg: dict) -> Iterable[str]:
    """Combinations of values that are each allowed alone but not together."""
    yield from config.check_common(cfg)
    data = cfg["data"]
    try:
        resampling_steps(data["image_size"])
    except ValueError as error:
        yield _("data.image_size: got {value}; {reason}").format(value=data["image_size"], reason=error)
    for source, key in (("npz", "npz_path"), ("folder", "folder")):
        if data["source"] == source and data[key] is None:
            yield _("data.{key}: got null; data.source={source} needs it").format(key=key, source=source)
        elif data["source"] == source and not Path(data[key]).expanduser().exists():
            missing = (_("data.{key}: got {value!r}; no such file") if source == "npz"
                       else _("data.{key}: got {value!r}; no such folder"))
            yield missing.format(key=key, value=data[key])
    if cfg["quality"]["classifier"] is not None and not Path(cfg["quality"]["classifier"]).expanduser().is_file():
        yield _("quality.classifier: got {value!r}; no such file (a quality_classifier.keras)").format(
            value=cfg["quality"]["classifier"])


def load(path: str | Path = "config.yaml", overrides: Iterable[str] = ()) -> dict:
    return config.load(path, overrides, FIELDS, check)
