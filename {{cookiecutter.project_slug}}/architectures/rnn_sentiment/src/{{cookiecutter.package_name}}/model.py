"""The sentiment network in Keras: word ids in, P(positive) out; saved with the word lookup in front.

Training reads word ids that the input pipeline makes (data.py): string tensors cannot be split
between the replicas of a MirroredStrategy (tensorflow/tensorflow#80951). The saved `model.keras`
puts the lookup, with the vocabulary learned from the training texts, in front of the trained
network, so it takes plain text: `predict` needs nothing but the run directory.
"""

from __future__ import annotations

import keras

from .data import make_vectorizer

LOSS = "binary_crossentropy"
METRICS = ["accuracy"]
RECURRENT_LAYERS = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU, "simple": keras.layers.SimpleRNN}


def build_model(cfg: dict, vocabulary: list[str] | None = None) -> keras.Model:
    """The network that is trained, on word ids (`vocabulary` is only needed by `saved_model`)."""
    model = cfg["model"]
    ids = keras.Input(shape=(model["sequence_length"],), dtype="int64", name="word_ids")
    # mask_zero: padding (id 0) is skipped by the recurrent layers, so a short text is not read as
    # a long one ending in blanks.
    x = keras.layers.Embedding(model["vocabulary_size"], model["embedding_dim"], mask_zero=True, name="embedding")(ids)
    layers = model["rnn_units"]
    for index, units in enumerate(layers, start=1):
        if model["dropout"]:
            x = keras.layers.Dropout(model["dropout"], name=f"dropout{index}")(x)
        # Named by place, not by cell, so that the per-layer gradients of runs with different cells line up
        # (compare model.rnn_cell=simple,lstm,gru run.log_gradients=true).
        recurrent = RECURRENT_LAYERS[model["rnn_cell"]](
            units, return_sequences=index < len(layers), recurrent_dropout=model["recurrent_dropout"],
            name=f"recurrent{index}")
        if model["bidirectional"]:
            recurrent = keras.layers.Bidirectional(recurrent, name=f"bidirectional{index}")
        x = recurrent(x)
    # float32 even under mixed precision (training.mixed_precision): a float16 sigmoid rounds confident answers to 1.
    output = keras.layers.Dense(1, activation="sigmoid", name="positive", dtype="float32")(x)
    return keras.Model(ids, output, name=f"{model['rnn_cell']}_sentiment")


def saved_model(network: keras.Model, cfg: dict, vocabulary: list[str]) -> keras.Model:
    """Raw strings in: the word lookup the training data was prepared with, then the trained network."""
    text = keras.Input(shape=(), dtype="string", name="text")
    return keras.Model(text, network(make_vectorizer(cfg, vocabulary)(text)), name="text_to_sentiment")
