"""Settings that make AlexNet small enough for a test on a laptop CPU: the smallest crop the layer
stack accepts and narrow layers. The shapes still follow the same rules as at full size."""

MODEL_OVERRIDES = ["model.input_size=72", "model.crop_size=67", "model.conv_filters=[16, 32, 32, 32, 32]",
                   "model.dense_units=[64, 64]", "model.num_classes=4"]
# What its finished runs hold besides the files of every run and of `evaluate` (test_lesson.py checks them).
OWN_ARTIFACTS: set[str] = set()
