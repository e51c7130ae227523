"""Settings that make this architecture quick to test: the default net already is small, but the shared test run
has only 6 short epochs, so it takes smaller batches and bigger steps to learn XOR in them."""

MODEL_OVERRIDES: list[str] = ["training.batch_size=16", "training.learning_rate=0.03"]
# What its finished runs hold besides the files of every run and of `evaluate` (test_lesson.py checks them).
OWN_ARTIFACTS: set[str] = {"boundaries"}
