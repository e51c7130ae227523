"""Settings that make the sentiment network small enough for a test on a laptop CPU, learning fast
at a higher learning rate. The layers are those of the default config, narrower: one layer read
both ways. Stacked layers are built and counted in test_model.py; training them here would double
the time spent tracing the recurrent loops in every test that trains."""

MODEL_OVERRIDES = ["model.vocabulary_size=200", "model.sequence_length=32", "model.embedding_dim=16",
                   "model.rnn_units=[16]", "model.bidirectional=true", "training.learning_rate=0.01"]
# What its finished runs hold besides the files of every run and of `evaluate` (test_lesson.py checks them).
OWN_ARTIFACTS: set[str] = set()
