"""`compare`'s plan and summary, without training: values read as YAML, every problem told before anything runs,
and a summary that says what the runs' metrics.json say. (The template's own tests run real comparisons.)"""

from __future__ import annotations

import csv
import json
import statistics

import pytest
from standin.lesson import LESSON
from standin.runtime import comparison
from standin.runtime.errors import UserError

from .conftest import CONFIG_PATH, refused


def test_values_are_yaml_so_numbers_and_lists_can_be_compared():
    assert comparison.parse_values("training.learning_rate=1e-3,0.01") == ("training.learning_rate", [0.001, 0.01])
    assert comparison.parse_values("model.units=[512,512],[100]") == ("model.units", [[512, 512], [100]])
    assert comparison.as_override("model.units", [512, 512]) == "model.units=[512, 512]"
    assert comparison.as_override("training.optimizer", "adam") == "training.optimizer=adam"


def test_every_bad_value_is_refused_at_once_before_anything_runs(capsys, tmp_path):
    err = refused(capsys, tmp_path, "compare", "training.optimizer=adam,bogus", "training.epochs=0", "seed=1,2",
                  "traning.epochs=1,2", "training.batch_size=[1,2")
    assert "training.optimizer: got 'bogus'" in err and "training.epochs: got 0" in err
    assert "compare 'seed=1,2': seed cannot be compared here; give one, the first, and --seeds N" in err
    assert "traning.epochs: unknown key" in err and "compare 'training.batch_size=[1,2': cannot read" in err


def test_a_comparison_needs_something_to_compare(capsys, tmp_path):
    assert "nothing to compare" in refused(capsys, tmp_path, "compare", "training.epochs=2")
    with pytest.raises(UserError, match="not a comparison folder"):
        comparison.read_plan(tmp_path)


def test_the_summary_says_what_each_runs_metrics_say(tmp_path, monkeypatch):
    folder, steps = comparison.start(LESSON, CONFIG_PATH,
                                     ["training.optimizer=sgd,adam", "seed=7", f"run.runs_dir={tmp_path}"], 2)
    assert folder.parent == tmp_path and folder.name.endswith("-compare-optimizer")
    assert [run["dir"] for run in steps["runs"]] == ["01-optimizer=sgd_seed=7", "02-optimizer=sgd_seed=8",
                                                     "03-optimizer=adam_seed=7", "04-optimizer=adam_seed=8"]
    scores = [0.5, 0.7, 0.8, 0.9]
    for run, score in zip(steps["runs"], scores, strict=True):
        run_dir = folder / run["dir"]
        run_dir.mkdir()
        metrics = {"test": {LESSON.headline: score}, "epochs_completed": 2, "wall_time_seconds": 3.0,
                   "parameters": 1234}
        (run_dir / "metrics.json").write_text(json.dumps(metrics))
        (run_dir / "history.csv").write_text(f"epoch,loss,val_loss\n0,{2 - score},2.0\n1,{1 - score},1.5\n")
    drawn = {}
    monkeypatch.setattr(LESSON, "comparison_pictures", lambda folder, runs: drawn.update(folder=folder, runs=runs))
    rows = comparison.summarize(LESSON, folder, steps)
    assert drawn == {"folder": folder, "runs": {  # the network's own pictures get each setting's runs
        "training.optimizer=sgd": [folder / "01-optimizer=sgd_seed=7", folder / "02-optimizer=sgd_seed=8"],
        "training.optimizer=adam": [folder / "03-optimizer=adam_seed=7", folder / "04-optimizer=adam_seed=8"]}}
    headline = f"test_{LESSON.headline}"
    with (folder / "summary.csv").open(newline="") as handle:
        saved = list(csv.DictReader(handle))
    assert [row["training.optimizer"] for row in saved] == ["sgd", "adam"]
    assert [float(row[f"{headline}_mean"]) for row in saved] == pytest.approx([0.6, 0.85])
    assert [float(row[f"{headline}_std"]) for row in saved] == pytest.approx([statistics.stdev([0.5, 0.7]),
                                                                              statistics.stdev([0.8, 0.9])])
    assert len(rows) == 2 and "| training.optimizer=adam | 2 | 0.8500 ± 0.0707 | 2 | 3.0 | 1,234 |" in \
        (folder / "summary.md").read_text()
    assert (folder / "curves.png").stat().st_size > 0 and not (folder / "gradients.png").exists()
    records = sorted(folder.rglob("events.out.tfevents.*"))
    assert len(records) == 4, "one HParams record per run"
    import tensorflow as tf

    events = tf.compat.v1.train.summary_iterator(str(records[0]))
    tags = {value.tag for event in events for value in event.summary.value}
    assert {"_hparams_/session_start_info", headline} <= tags, tags
