"""Settings that make this architecture small enough for a test, and what shows that it learns.

A 784-64-16 autoencoder, one pre-training epoch per layer pair. The synthetic digits are class patterns with a
tenth of their pixels flipped at random, which no code can predict: over the shared run's 6 epochs the validation
loss falls from about 0.15 to 0.09, that floor (measured; a 2-D code stayed near 0.17, above it).
"""

MODEL_OVERRIDES: list[str] = ["model.hidden_units=[64]", "model.code_size=16", "pretraining.epochs=1",
                              "training.learning_rate=0.01"]
# It has no accuracy to check (test_lesson.py): its validation loss, the reconstruction error, falls.
PROGRESS = "val_loss"
# What its finished runs hold besides the files of every run and of `evaluate` (test_lesson.py checks them).
OWN_ARTIFACTS: set[str] = {"pretraining.csv"}
