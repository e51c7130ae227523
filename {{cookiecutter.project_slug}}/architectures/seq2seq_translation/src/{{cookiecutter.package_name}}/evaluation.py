"""Scoring the translator on the test split: corpus BLEU (sacrebleu), sample translations, and
attention heat-maps.

BLEU compares word n-grams (1 to 4) of each translation with its reference, over the whole test
set, with a penalty for translations shorter than the references. The vocabulary is lower-case,
so BLEU is computed case-insensitively; sacrebleu's signature records that and every other choice,
so the number can be compared with others computed the same way. Translations are detokenized
("a bike ." -> "a bike.") before scoring, as sacrebleu expects: it tokenizes both sides itself.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import sacrebleu

from . import tokens
from .decoding import Translator
from .runtime.data_sources import Datasets
from .runtime.i18n import _
from .runtime.plots import plt, save_figure
from .runtime.storage import write_text

# The test metric a run is judged by, and what `evaluate` writes into the run directory besides metrics.json.
HEADLINE = "bleu"
ARTIFACTS = ("translations.tsv",)
HEAT_MAPS = 3  # sentences shown in attention.png


def summary(results: dict) -> str:
    return _("test BLEU: {bleu:.2f} ({signature})").format(bleu=results[HEADLINE], signature=results["bleu_signature"])


def evaluate(model, datasets: Datasets, run_dir: Path, cfg: dict) -> dict:
    """Translate the test sources; write translations.tsv (and attention.png with attention); return BLEU."""
    translator = Translator(model, datasets.class_names, cfg["model"]["max_target_length"])
    sources, references, translations, translated_words, attention = [], [], [], [], []
    for source_batch, reference_batch in datasets.test:
        batch = [text.decode("utf-8") for text in source_batch.numpy()]
        words, weights = translator.translate(batch, cfg["model"]["beam_width"])
        sources += batch
        references += [text.decode("utf-8") for text in reference_batch.numpy()]
        translated_words += words
        translations += [tokens.detokenize(sentence, cfg["data"]["target_language"]) for sentence in words]
        attention += weights
    bleu = sacrebleu.metrics.BLEU(lowercase=True)
    score = bleu.corpus_score(translations, [references])
    table = io.StringIO()
    writer = csv.writer(table, delimiter="\t", lineterminator="\n")
    writer.writerow(["source", "reference", "translation"])
    writer.writerows(zip(sources, references, translations, strict=True))
    write_text(run_dir / "translations.tsv", table.getvalue())
    if translator.has_attention:
        first = list(zip(sources, translated_words, attention, strict=True))[:HEAT_MAPS]
        shown = [(_words(source), words, weights) for source, words, weights in first]
        plot_attention(shown, run_dir / "attention.png")
    return {
        "examples": len(sources),
        "bleu": float(score.score),
        "bleu_signature": str(bleu.get_signature()),
        "bleu_details": str(score),
        "beam_width": cfg["model"]["beam_width"],
        "samples": [{"source": s, "reference": r, "translation": t}
                    for s, r, t in list(zip(sources, references, translations, strict=True))[:5]],
    }


def plot_attention(examples: list[tuple[list[str], list[str], np.ndarray]], path: Path) -> None:
    """One heat-map per (source words, translated words, weights): which source word each output word looked at."""
    figure, axes = plt.subplots(1, len(examples), figsize=(5 * len(examples), 5), squeeze=False)
    for axis, (source, translation, weights) in zip(axes[0], examples, strict=True):
        axis.imshow(weights[: len(translation), : len(source)], cmap="viridis", vmin=0.0, vmax=1.0)
        axis.set(xticks=range(len(source)), yticks=range(len(translation)), xlabel=_("source"),
                 ylabel=_("translation"))
        axis.set_xticklabels(source, rotation=90)
        axis.set_yticklabels(translation)
    figure.suptitle(_("attention weights (each row sums to 1)"))
    figure.tight_layout()
    save_figure(figure, path)


def _words(text: str) -> list[str]:
    """The source as the encoder saw it (standardized, split, cut), to label the heat-map's columns."""
    return np.asarray(tokens.standardize(text)).item().decode("utf-8").split()
