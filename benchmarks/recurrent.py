"""Benchmarks of the two recurrent projects on real text, run by benchmarks/run.py (--part recurrent).

rnn_sentiment: the default config on the movie-review sentences (sentiment-mr), LSTM against GRU,
both directions against one, and the default over three seeds (533 test sentences make one run's
accuracy uncertain by about 2 points). seq2seq_translation: the synthetic reverse task (BLEU of a
short run), then German -> English on Multi30k with and without attention: trained on
train.de-en.tsv, scored on val.de-en.tsv with sacrebleu. Every number is read from the run's own
metrics.json.
"""

from __future__ import annotations

import csv
import importlib
import statistics
import sys
import time
from pathlib import Path

import sacrebleu

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
MR = SHARED_DATA / "sentiment-mr"
MULTI30K = SHARED_DATA / "translation-multi30k"
SENTIMENT_VARIANTS = [
    ("LSTM, bidirectional (default)", [], [42, 1, 2]),
    ("GRU, bidirectional", ["model.rnn_cell=gru"], [42]),
    ("LSTM, one direction", ["model.bidirectional=false"], [42]),
    ("GRU, one direction", ["model.rnn_cell=gru", "model.bidirectional=false"], [42]),
]
# The toy task with the default config (vocabularies of 8,000 / 6,000 ids for the task's 20 words, 30 epochs with
# early stopping): until the next-word layer's bias started at the words' frequencies (model.word_frequency_bias),
# it stayed at 15 % token accuracy and stopped early.
SYNTHETIC = ["data.source=synthetic"]
TRANSLATION_VARIANTS = [("attention luong (default)", []), ("no attention", ["model.attention=none"])]
# One Multi30k epoch takes about 2 minutes on this 2-core CPU, so the real runs stop at 10 epochs
# (early stopping may end them sooner); a GPU run can keep the default 30.
MULTI30K_EPOCHS = 10


def _train(modules, project: Path, overrides: list[str], run_dir: Path) -> tuple[dict, float, list[float]]:
    cfg = modules["schema"].load(project / "config.yaml", overrides)
    started = time.perf_counter()
    metrics = modules["training"].train(modules["lesson"].LESSON, cfg, run_dir, verbose=0)
    wall = time.perf_counter() - started
    epoch_seconds = modules["plots"].read_history(run_dir / "history.csv")["epoch_seconds"]
    return metrics, wall, epoch_seconds


def sentiment(generate, workdir: Path) -> list[str]:
    project, modules = generate("rnn_sentiment", workdir)
    real = ["data.source=csv", f"data.train_csv={MR / 'train.csv'}", f"data.test_csv={MR / 'test.csv'}"]
    lines = ["| variant | seed | test accuracy (533) | precision | recall | F1 | epochs run (best kept) | "
             "train examples/s | wall time | parameters |", "|---|---|---|---|---|---|---|---|---|---|"]
    default_accuracies = []
    for label, variant, seeds in SENTIMENT_VARIANTS:
        for seed in seeds:
            run_dir = workdir / "runs" / f"sentiment-{len(lines)}"
            metrics, wall, epoch_seconds = _train(modules, project, [*real, *variant, f"seed={seed}",
                                                                     f"run.runs_dir={workdir / 'runs'}"], run_dir)
            test = metrics["test"]
            if not variant:
                default_accuracies.append(test["accuracy"])
            speed = metrics["data"]["num_train"] / statistics.median(epoch_seconds[1:] or epoch_seconds)
            lines.append(f"| {label} | {seed} | {test['accuracy']:.2%} | {test['precision']:.3f} | "
                         f"{test['recall']:.3f} | {test['f1']:.3f} | {metrics['epochs_completed']} | {speed:,.0f} | "
                         f"{wall:.0f} s | {metrics['parameters']:,} |")
    sys.path.remove(str(project / "src"))
    mean = statistics.mean(default_accuracies)
    return [f"### `rnn_sentiment` on sentiment-mr ({metrics['data']['num_train']:,} train after the 10 % validation "
            f"hold-out, 533 test; target: >= 76 % with the default config)", "", *lines, "",
            f"Default config over seeds {', '.join(str(s) for s in SENTIMENT_VARIANTS[0][2])}: mean test accuracy "
            f"{mean:.2%} (runs: {', '.join(f'{a:.2%}' for a in default_accuracies)})."]


def translation(generate, workdir: Path) -> list[str]:
    project, modules = generate("seq2seq_translation", workdir)
    runs = f"run.runs_dir={workdir / 'runs'}"
    lines = ["| data | variant | test BLEU | BLEU if not detokenized | sacrebleu signature | epochs run (best kept) | "
             "train pairs/s | wall time (train + score) | parameters |", "|---|---|---|---|---|---|---|---|---|"]

    tokens = importlib.import_module(f"{modules['schema'].__name__.rsplit('.', 1)[0]}.tokens")

    def tokenized_bleu(run_dir: Path) -> float:
        """BLEU of the run's translations as they were scored before detokenization: words joined by spaces."""
        with (run_dir / "translations.tsv").open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        hypotheses = [" ".join(tokens.standardize(row["translation"]).numpy().decode("utf-8").split())
                      for row in rows]
        references = [[row["reference"] for row in rows]]
        return sacrebleu.metrics.BLEU(lowercase=True).corpus_score(hypotheses, references).score

    def row(data: str, label: str, overrides: list[str]) -> dict:
        run_dir = workdir / "runs" / f"translation-{len(lines)}"
        metrics, wall, epoch_seconds = _train(modules, project, [*overrides, runs], run_dir)
        test = metrics["test"]
        speed = metrics["data"]["num_train"] / statistics.median(epoch_seconds[1:] or epoch_seconds)
        data = f"{data} ({metrics['data']['num_train']:,} train / {test['examples']:,} test)"
        lines.append(f"| {data} | {label} | {test['bleu']:.2f} | {tokenized_bleu(run_dir):.2f} | "
                     f"`{test['bleu_signature']}` | {metrics['epochs_completed']} | {speed:,.0f} | {wall:.0f} s | "
                     f"{metrics['parameters']:,} |")
        return metrics

    row("synthetic reverse", "default config", SYNTHETIC)
    real = ["data.source=tsv", f"data.train_tsv={MULTI30K / 'train.de-en.tsv'}",
            f"data.test_tsv={MULTI30K / 'val.de-en.tsv'}", f"training.epochs={MULTI30K_EPOCHS}"]
    samples = {}
    for label, variant in TRANSLATION_VARIANTS:
        metrics = row("Multi30k de->en", f"{label}, at most {MULTI30K_EPOCHS} epochs", [*real, *variant])
        samples[label] = metrics["test"]["samples"][:3]
    sys.path.remove(str(project / "src"))
    shown = []
    for label, items in samples.items():
        shown += [f"- {label}: \"{s['source']}\" -> \"{s['translation']}\" (reference: \"{s['reference']}\")"
                  for s in items]
    return ["### `seq2seq_translation` (target: BLEU >= 90 on the synthetic task; on Multi30k attention must beat "
            "no attention)", "", *lines, "", "First test sentences, as translated:", "", *shown]
