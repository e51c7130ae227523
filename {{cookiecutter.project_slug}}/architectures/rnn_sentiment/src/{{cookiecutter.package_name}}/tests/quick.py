"""Settings that make the sentiment network small enough for a test on a laptop CPU, learning fast
at a higher learning rate. The layers and their rules are the same as at full size: two stacked
layers, both directions."""

MODEL_OVERRIDES = ["model.vocabulary_size=200", "model.sequence_length=32", "model.embedding_dim=16",
                   "model.rnn_units=[16, 8]", "model.bidirectional=true", "training.learning_rate=0.01"]
