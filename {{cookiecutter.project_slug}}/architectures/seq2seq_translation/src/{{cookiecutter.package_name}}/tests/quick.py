"""Settings that make the translator small enough for a test on a laptop CPU: the toy task's short
sentences and small layers, which learn fast at a higher learning rate. The layers and their rules
are the same as at full size. A larger validation share keeps at least one full batch."""

MODEL_OVERRIDES = ["model.source_vocabulary_size=40", "model.target_vocabulary_size=40", "model.max_source_length=10",
                   "model.max_target_length=10", "model.embedding_dim=32", "model.units=64", "model.beam_width=2",
                   "training.learning_rate=0.01", "data.validation_split=0.15"]
# What its finished runs hold besides the files of every run and of `evaluate` (test_lesson.py checks them).
OWN_ARTIFACTS: set[str] = {"attention.png"}
