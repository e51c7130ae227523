"""Random shifts of training images, cheap with XLA and without it.

Keras's `RandomTranslation` does the same job, but it warps each image with an op that XLA cannot
compile, and one such layer turns XLA off for the whole training step. A shift by (dy, dx) pixels
moves rows and columns independently, so it is two small matrix products per image: each output
row is a blend of the two input rows it falls between (bilinear interpolation), and rows that fall
outside the image are zero. Matrix products compile everywhere; without XLA they take a third of
`RandomTranslation`'s time."""

from __future__ import annotations

import keras
from keras import ops

PACKAGE = "classics"  # the registration name; independent of the generated package's name


@keras.saving.register_keras_serializable(package=PACKAGE)
class RandomShift(keras.layers.Layer):
    """While training, shift each image by up to `factor` of its height and width (uniform at random,
    fractions of a pixel included, uncovered pixels 0); at test time pass images through unchanged."""

    def __init__(self, factor: float, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, images, training=None):
        if not training:
            return images
        fractions = keras.random.uniform((ops.shape(images)[0], 2), -self.factor, self.factor,
                                         seed=self.seed_generator)
        return shift_images(images, fractions * ops.convert_to_tensor([float(images.shape[1]), float(images.shape[2])]))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "seed": self.seed}


def shift_images(images, offsets):
    """Move each image of a (batch, height, width, channels) stack down by offsets[:, 0] and right by
    offsets[:, 1] pixels, read between pixels bilinearly: rows @ image @ columns.T for each channel."""
    rows = _interpolation(offsets[:, 0], images.shape[1], images.dtype)[:, None]  # one per image, for every channel
    columns = ops.transpose(_interpolation(offsets[:, 1], images.shape[2], images.dtype), (0, 2, 1))[:, None]
    return ops.transpose(ops.matmul(ops.matmul(rows, ops.transpose(images, (0, 3, 1, 2))), columns), (0, 2, 3, 1))


def _interpolation(offsets, size: int, dtype):
    """(batch, size, size): entry [i, j] is the weight of input pixel j in output pixel i, 1 - |i - offset - j|
    where that is positive: two neighbours share a fractional position, and an integer one takes one pixel."""
    index = ops.arange(size, dtype="float32")
    distance = index[None, :, None] - ops.cast(offsets, "float32")[:, None, None] - index[None, None, :]
    return ops.cast(ops.relu(1.0 - ops.abs(distance)), dtype)
