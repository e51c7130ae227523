"""Translating with a trained model: the decoder run one word at a time, greedy or with a beam.

Training fed the decoder the true previous word; here each chosen word is fed back in. The
layers are the trained model's own, found by name. Beam search keeps the `beam_width` most
likely partial translations (by summed log-probability) at every step; a translation ends at
[end] or after `max_length` words, and finished ones are compared by log-probability per word,
so that short translations do not win just for being short. beam_width=1 is greedy decoding.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from . import tokens


class Translator:
    def __init__(self, model, vocabulary: list[str], max_length: int):
        """`model`: a saved model (model.saved_model); `vocabulary`: the target words, by id."""
        self.vocabulary = np.array(vocabulary, dtype=object)
        self.max_length = max_length
        self.vectorize = model.get_layer("source_vectorize")
        network = model.get_layer("network")
        names = {layer.name for layer in network.layers}
        self.layer = network.get_layer
        self.has_attention = "attention" in names
        self.has_query = "attention_query" in names
        self._encode = tf.function(self._encode_batch)
        self._step = tf.function(self._step_batch, reduce_retracing=True)

    def _encode_batch(self, sources):
        ids = self.vectorize(sources)
        mask = tf.not_equal(ids, 0)
        outputs, *state = self.layer("encoder")(self.layer("source_embedding")(ids), mask=mask)
        return outputs, state, mask

    def _step_batch(self, words, state, encoder_outputs, mask):
        """Log-probabilities of the next word, the new state, and the attention weights over the source."""
        x, *state = self.layer("decoder")(self.layer("target_embedding")(words[:, None]), initial_state=state)
        weights = tf.zeros_like(tf.cast(mask, x.dtype))
        if self.has_attention:
            query = self.layer("attention_query")(x) if self.has_query else x
            keys = self.layer("attention_key")(encoder_outputs)
            context, scores = self.layer("attention")([query, encoder_outputs, keys], mask=[None, mask],
                                                      return_attention_scores=True)
            x = self.layer("attentional")(tf.concat([context, x], axis=-1))
            weights = scores[:, 0]
        # Only ids that are words of the vocabulary (a small training set may not fill
        # model.target_vocabulary_size), and never padding or [start], which training never asked for.
        logits = self.layer("next_word")(x)[:, 0, : len(self.vocabulary)]
        never = tf.one_hot(0, len(self.vocabulary)) + tf.one_hot(tokens.START_ID, len(self.vocabulary))
        return tf.nn.log_softmax(logits - 1e9 * never), state, weights

    def translate(self, sources: list[str], beam_width: int = 1) -> tuple[list[list[str]], list[np.ndarray]]:
        """The best translation of each source as a list of words, and its attention weights
        (one row per translated word, one column per source word)."""
        count, beams = len(sources), beam_width
        encoder_outputs, state, mask = self._encode(tf.constant(sources, tf.string))
        # Every source is decoded `beams` times side by side: rows are (source, beam) flattened.
        encoder_outputs, mask = (tf.repeat(t, beams, axis=0) for t in (encoder_outputs, mask))
        state = [tf.repeat(s, beams, axis=0) for s in state]
        scores = np.full((count, beams), -np.inf)
        scores[:, 0] = 0.0  # all beams start as the same empty translation: keep one
        words = np.zeros((count, beams, 0), dtype=np.int64)
        attention = np.zeros((count, beams, 0, int(mask.shape[1])), dtype=np.float32)
        last = np.full(count * beams, tokens.START_ID, dtype=np.int64)
        finished: list[list[tuple[float, np.ndarray, np.ndarray]]] = [[] for _ in range(count)]
        for length in range(1, self.max_length + 1):
            log_probs, state, weights = self._step(tf.constant(last), state, encoder_outputs, mask)
            vocabulary_size = int(log_probs.shape[-1])
            totals = scores[:, :, None] + log_probs.numpy().reshape(count, beams, vocabulary_size)
            flat = totals.reshape(count, -1)
            # 2 x beams candidates: enough to refill every beam even if the best of them end here.
            candidates = np.argsort(-flat, axis=1)[:, : 2 * beams]
            keep = np.zeros((count, beams), dtype=np.int64)
            new_scores = np.full((count, beams), -np.inf)
            new_words = np.zeros((count, beams), dtype=np.int64)
            weights = weights.numpy().reshape(count, beams, -1)
            for row in range(count):
                if len(finished[row]) >= beams:
                    continue  # this source is done; its beams run on unseen
                slot = 0
                for rank, index in enumerate(candidates[row]):
                    if not np.isfinite(flat[row, index]):
                        break
                    beam, word = divmod(int(index), vocabulary_size)
                    if word == tokens.END_ID or length == self.max_length:
                        if rank >= beams:
                            continue  # an ending ranked below the beam: a better translation is still alive
                        ended = words[row, beam] if word == tokens.END_ID else np.append(words[row, beam], word)
                        seen = np.concatenate([attention[row, beam], weights[row, beam][None]])
                        finished[row].append((flat[row, index] / length, ended, seen[: len(ended)]))
                        if len(finished[row]) >= beams:
                            break
                    elif slot < beams:
                        keep[row, slot], new_words[row, slot], new_scores[row, slot] = beam, word, flat[row, index]
                        slot += 1
            if all(len(done) >= beams for done in finished):
                break
            rows = np.arange(count)[:, None]
            words = np.concatenate([words[rows, keep], new_words[:, :, None]], axis=2)
            attention = np.concatenate([attention[rows, keep], weights[rows, keep][:, :, None]], axis=2)
            scores = new_scores
            flat_keep = (rows * beams + keep).reshape(-1)
            state = [tf.gather(s, flat_keep) for s in state]
            last = new_words.reshape(-1)
        best = [max(done, key=lambda item: item[0]) for done in finished]
        return [list(self.vocabulary[ids]) for _, ids, _ in best], [seen for _, _, seen in best]
