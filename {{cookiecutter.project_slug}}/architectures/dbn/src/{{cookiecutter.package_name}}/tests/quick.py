"""Settings that make this architecture small enough for a test: two small RBMs, one pre-training epoch each,
and a learning rate at which a sigmoid net learns the synthetic digits in a few epochs."""

MODEL_OVERRIDES: list[str] = ["model.hidden_units=[64, 32]", "pretraining.epochs=1", "training.learning_rate=0.01"]
# What shows that the strategy test's 3 epochs of fine-tuning ran on both replicas, and what else it changes.
STRATEGY_PROGRESS = "loss"
STRATEGY_OVERRIDES: list[str] = []
# What its finished runs hold besides the files of every run and of `evaluate` (test_lesson.py checks them).
OWN_ARTIFACTS: set[str] = {"pretraining.csv", "rbm_1_filters.png"}
