"""Settings that make this architecture small enough for a test; the default net already is."""

MODEL_OVERRIDES: list[str] = []
