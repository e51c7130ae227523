"""Settings that make this architecture small enough for a test: two small RBMs, one pre-training epoch each,
and a learning rate at which a sigmoid net learns the synthetic digits in a few epochs."""

MODEL_OVERRIDES: list[str] = ["model.hidden_units=[64, 32]", "pretraining.epochs=1", "training.learning_rate=0.01"]
