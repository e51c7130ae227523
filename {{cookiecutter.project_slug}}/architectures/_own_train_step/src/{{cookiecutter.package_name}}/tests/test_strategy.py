"""Its own training step on two replicas: the runtime's suite tests the strategies with Keras's own `train_step`;
this network brings its own, which must split its batch and add up its gradients across replicas too."""

from __future__ import annotations

import json

from .. import schema
from ..runtime.plots import read_history
from . import quick
from .conftest import STEADY_OPTIMIZER, run_project

STRATEGY_EPOCHS = 3


def test_mirrored_strategy_over_two_logical_cpus(tmp_path):
    """Two replicas on one CPU: the global batch doubles and training still makes progress (fresh process,
    because devices can only be split before TensorFlow starts)."""
    result = run_project("data.source=synthetic", "data.synthetic_examples=1024", f"training.epochs={STRATEGY_EPOCHS}",
                         "training.batch_size=32", "training.early_stopping_patience=0", "training.jit_compile=false",
                         "distribute.strategy=mirrored", "distribute.cpu_replicas=2", f"run.runs_dir={tmp_path}",
                         *STEADY_OPTIMIZER, *quick.MODEL_OVERRIDES, *quick.STRATEGY_OVERRIDES)
    assert result.returncode == 0, result.stderr[-3000:]
    (run_dir,) = tmp_path.iterdir()
    metrics = json.loads((run_dir / "metrics.json").read_text())
    batch = schema.load(run_dir / "config.yaml")["training"]["batch_size"]  # 32, unless quick.py sets another
    assert metrics["strategy"] == {"name": "MirroredStrategy", "replicas": 2, "global_batch_size": 2 * batch}
    values = read_history(run_dir / "history.csv")[quick.STRATEGY_PROGRESS]
    assert len(values) == STRATEGY_EPOCHS and values[-1] < values[0]
