"""Settings that make this architecture small enough for a test; the default net already is."""

MODEL_OVERRIDES: list[str] = []
# What its finished runs hold besides the files of every run and of `evaluate` (test_lesson.py checks them).
OWN_ARTIFACTS: set[str] = set()
