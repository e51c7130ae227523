"""The encoder-decoder in Keras, as trained: with teacher forcing.

Training shows the decoder the true previous word at every position (teacher forcing), so one
call scores a whole target sentence. Translating has no true words: decoding.py runs the same
layers one word at a time, feeding each chosen word back in. The layers are named so that it can
find them in a loaded model. The network is trained on word ids (data.py makes them); the saved
model has the source word lookup in front, so it reads raw text.

    source text -> word ids -> embedding -> encoder RNN -> its states at every word, and its final state
    [start] w1 w2 ... -> embedding -> decoder RNN (starting from the encoder's final state)
        -> attention over the encoder's states (optional) -> next-word scores: w1 w2 ... [end]
"""

from __future__ import annotations

import keras
import numpy as np

from .tokens import source_vectorizer

# Positions after a sentence's end are padding (id 0): the embeddings' masks keep them out of the
# loss and the accuracy.
LOSS = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
METRICS = ["accuracy"]
# The encoder's final state starts the decoder: two tensors for the LSTM (h and its cell c), one for the others.
RECURRENT_LAYERS = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU, "simple": keras.layers.SimpleRNN}


def build_model(cfg: dict, source_vocabulary: list[str] | None = None,
                target_word_counts: list[int] | None = None) -> keras.Model:
    """The network that is trained, on word ids (`source_vocabulary` is only needed by `saved_model`).

    target_word_counts (how often each target id is the next word in the training pairs) sets the
    next-word layer's starting bias; without it the bias starts at zero.
    """
    model = cfg["model"]
    cell, units = model["rnn_cell"], model["units"]
    source_ids = keras.Input(shape=(model["max_source_length"],), dtype="int64", name="source_ids")
    target_in = keras.Input(shape=(None,), dtype="int64", name="target_in")
    embedded = keras.layers.Embedding(model["source_vocabulary_size"], model["embedding_dim"], mask_zero=True,
                                      name="source_embedding")(source_ids)
    encoder = RECURRENT_LAYERS[cell](units, return_sequences=True, return_state=True, name="encoder")
    encoder_outputs, *encoder_state = encoder(embedded)

    embedded = keras.layers.Embedding(model["target_vocabulary_size"], model["embedding_dim"], mask_zero=True,
                                      name="target_embedding")(target_in)
    decoder = RECURRENT_LAYERS[cell](units, return_sequences=True, return_state=True, name="decoder")
    x, *_ = decoder(embedded, initial_state=encoder_state)
    if model["attention"] != "none":
        x = attend(x, encoder_outputs, model["attention"], units)
    x = keras.layers.Dropout(model["dropout"], name="dropout")(x)
    # float32 even under mixed precision (training.mixed_precision): the softmax over thousands of words needs it.
    logits = keras.layers.Dense(model["target_vocabulary_size"], name="next_word", dtype="float32",
                                bias_initializer=word_frequency_bias(target_word_counts))(x)
    return keras.Model([source_ids, target_in], logits, name="network")


def word_frequency_bias(counts: list[int] | None) -> keras.initializers.Initializer | str:
    """Start the next-word scores at log p(word), the words' frequencies in the training targets.

    Why: the vocabulary has room for target_vocabulary_size ids, and many of them never occur as a
    next word ([start], and on a small corpus most of the ids: the toy task uses 24 of 6,000). With
    a zero bias every id starts equally likely, so the first thing the network must learn is to
    take that probability away from words that never come. Adam moves every weight by about the
    learning rate per step, so it does this by pushing all those thousands of weight columns the
    same way; that one shared push dominates what reaches the decoder, and a run can sit on the
    plateau of "predict the commonest words" for many epochs (measured on the toy task with the
    default sizes: 15 % token accuracy after 6 epochs, against 100 % after 5 with this bias). Starting
    at the frequencies leaves the network only what depends on the source sentence to learn.
    An id that never occurs starts at the score of a word seen a thousandth of a time.
    """
    if counts is None:
        return "zeros"
    frequencies = (np.asarray(counts, dtype=np.float64) + 1e-3) / (np.sum(counts) + 1e-3 * len(counts))
    return keras.initializers.Constant(np.log(frequencies).astype(np.float32))


def saved_model(network: keras.Model, cfg: dict, source_vocabulary: list[str], **_learned) -> keras.Model:
    """Raw source text in: the word lookup the training data was prepared with, then the trained network.
    (What else was learned from the data, the word counts of the starting bias, is in the trained weights.)"""
    source = keras.Input(shape=(), dtype="string", name="source")
    target_in = keras.Input(shape=(None,), dtype="int64", name="target_in")
    logits = network([source_vectorizer(cfg, source_vocabulary)(source), target_in])
    return keras.Model([source, target_in], logits, name=f"{cfg['model']['rnn_cell']}_translator")


def attention_layers(kind: str, units: int) -> dict[str, keras.layers.Layer]:
    """The layers of one attention step, by name (decoding.py calls the same ones).

    luong (general): score(h, s) = h . (W s), Keras's dot-product Attention on projected keys.
    bahdanau: score(h, s) = v . tanh(W1 h + W2 s), Keras's AdditiveAttention (which holds v as its
    scale) on projected queries and keys.
    Either way the weights are a softmax of the scores over the source words, the context is the
    weighted sum of the encoder's states, and tanh(Wc [context; h]) is the "attentional" state that
    predicts the next word (Luong 2015, eq. 5).
    """
    layers = {"key": keras.layers.Dense(units, use_bias=False, name="attention_key")}
    if kind == "bahdanau":
        layers["query"] = keras.layers.Dense(units, use_bias=False, name="attention_query")
        layers["score"] = keras.layers.AdditiveAttention(name="attention")
    else:
        layers["score"] = keras.layers.Attention(name="attention")
    layers["combine"] = keras.layers.Dense(units, activation="tanh", name="attentional")
    return layers


def attend(decoder_outputs, encoder_outputs, kind: str, units: int):
    layers = attention_layers(kind, units)
    query = layers["query"](decoder_outputs) if "query" in layers else decoder_outputs
    context = layers["score"]([query, encoder_outputs, layers["key"](encoder_outputs)])
    return layers["combine"](keras.layers.Concatenate(name="context_and_state")([context, decoder_outputs]))
