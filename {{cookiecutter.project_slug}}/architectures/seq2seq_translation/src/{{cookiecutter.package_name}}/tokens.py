"""How a sentence becomes words, for both languages, how translated words become a sentence again,
and the target vocabulary's reserved words.

Punctuation becomes words of its own ("bike." -> "bike ."): BLEU scores a full stop like any word,
so the model must learn to write it. Apostrophes and hyphens stay inside words ("man's",
"t-shirt"). A translation is written as text people read ("a bike."), joined by the Moses
detokenizer (sacremoses), so it is scored the way sacrebleu expects: against references as
written, with sacrebleu's own tokenizer applied to both sides.
"""

from __future__ import annotations

from functools import cache

import keras
import tensorflow as tf
from sacremoses import MosesDetokenizer

PADDING, UNKNOWN, START, END = "", "[UNK]", "[start]", "[end]"
START_ID, END_ID = 2, 3  # the target vocabulary is [PADDING, UNKNOWN, START, END, words...]


@keras.saving.register_keras_serializable(package="classics")
def standardize(text):
    """Lower-case (any alphabet), and put spaces around punctuation other than ' and -."""
    text = tf.strings.lower(text, encoding="utf-8")
    return tf.strings.regex_replace(text, r"([^\p{L}\p{N}\s'\-])", r" \1 ")


def target_vocabulary(words: list[str], size: int) -> list[str]:
    """The adapted target words (most frequent first) behind the reserved ones, `size` in all."""
    reserved = [PADDING, UNKNOWN, START, END]
    return [*reserved, *[w for w in words if w not in reserved]][:size]


def source_vectorizer(cfg: dict, vocabulary: list[str] | None = None) -> keras.layers.TextVectorization:
    """Source text -> model.max_source_length word ids (0 = padding); learns a vocabulary by `adapt` when none
    is given. The input pipeline uses it while training, and the saved model keeps it in front."""
    model = cfg["model"]
    return keras.layers.TextVectorization(max_tokens=model["source_vocabulary_size"], standardize=standardize,
                                          output_sequence_length=model["max_source_length"], vocabulary=vocabulary,
                                          name="source_vectorize")


def detokenize(words: list[str], language: str) -> str:
    """Translated words as a sentence, by Moses's rules for `language`: ["a", "bike", "."] -> "a bike."."""
    return _detokenizer(language).detokenize(words)


@cache
def _detokenizer(language: str) -> MosesDetokenizer:
    return MosesDetokenizer(lang=language)
