"""`sample`: new images from a saved generator, as separate PNG files or one grid."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path

from .runtime.errors import ConfigError
from .runtime.i18n import N_, _

COMMAND = "sample"
HELP = N_("write new images from a saved run's generator")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--count", type=int, default=16, help=_("how many images (default 16)"))
    parser.add_argument("--grid", action="store_true", help=_("write one grid picture instead of one file per image"))
    parser.add_argument("--seed", type=int, default=None, help=_("noise seed: the same seed gives the same images"))
    parser.add_argument("--output", type=Path, default=None,
                        help=_("folder for the images (default: RUN_DIR/samples-<date>-<time>)"))


def run(args: argparse.Namespace, model, run_metrics: dict, cfg: dict) -> int:
    import numpy as np
    import tensorflow as tf

    from . import quality

    if not 1 <= args.count <= 10_000:
        raise ConfigError([_("--count: got {count}; expected a whole number from 1 to 10000").format(count=args.count)])
    output = args.output or args.run_dir / f"samples-{datetime.now():%Y%m%d-%H%M%S}"
    if output.exists() and any(output.iterdir()):
        raise ConfigError([_("--output: got {folder!r}; that folder is not empty, and nothing in it is overwritten: "
                             "name a new or empty folder").format(folder=str(output))])
    noise = np.random.default_rng(args.seed).standard_normal((args.count, model.input_shape[-1])).astype("float32")
    images = quality.to_pixels(model.predict(noise, verbose=0))
    output.mkdir(parents=True, exist_ok=True)
    if args.grid:
        files = [output / "grid.png"]
        quality.plot_image_grid(images, files[0])
    else:
        files = [output / f"sample_{index:04d}.png" for index in range(1, args.count + 1)]
        for path, image in zip(files, images, strict=True):
            path.write_bytes(tf.io.encode_png(image).numpy())
    print(json.dumps({"images": args.count, "written": [str(path) for path in files]}))
    return 0
