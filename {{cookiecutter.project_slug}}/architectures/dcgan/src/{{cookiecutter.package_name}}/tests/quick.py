"""Settings that make this architecture small enough for a test, and what shows that it learns.

A GAN needs more steps than a classifier to show progress, hence the small batches; the quality
classifier needs enough epochs on the few synthetic images for its features to tell them apart (it is right
about all of them after two; with three, the distance of the shared test run falls from 439 to 92 over 6 epochs).
"""

MODEL_OVERRIDES: list[str] = ["model.latent_dim=16", "model.generator_filters=16", "model.discriminator_filters=16",
                              "training.batch_size=16", "quality.samples=128", "quality.classifier_epochs=3",
                              "quality.grid_size=4"]
# The GAN has no loss that should fall; the Fréchet distance to the real images should (over 6 epochs).
PROGRESS = "frechet_distance"
# In the strategy tests' 3 short epochs the generator has barely started; what shows the step ran on every
# replica is the discriminator learning to tell real from generated images: its loss falls first.
STRATEGY_PROGRESS = "d_loss"
# The strategy tests check the discriminator's loss, not the distance: the classifier behind it needs only to train
# there, for one epoch (its epochs under two replicas took most of those tests' time).
STRATEGY_OVERRIDES = ["quality.classifier_epochs=1"]
# What its finished runs hold besides the files of every run and of `evaluate` (test_lesson.py checks them).
OWN_ARTIFACTS: set[str] = {"grids", "quality_classifier.keras"}
