"""RandomShift moves images as a per-pixel NumPy reference does, and XLA compiles it."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from ..random_shift import RandomShift, shift_images


def reference_shift(image: np.ndarray, dy: float, dx: float) -> np.ndarray:
    """output[i, j] = image[i - dy, j - dx], bilinear between pixels, 0 outside: one pixel at a time."""
    height, width = image.shape[:2]
    out = np.zeros_like(image)
    for i in range(height):
        for j in range(width):
            y, x = i - dy, j - dx
            y0, x0 = int(np.floor(y)), int(np.floor(x))
            for row, weight_y in ((y0, 1 - (y - y0)), (y0 + 1, y - y0)):
                for column, weight_x in ((x0, 1 - (x - x0)), (x0 + 1, x - x0)):
                    if 0 <= row < height and 0 <= column < width:
                        out[i, j] += weight_y * weight_x * image[row, column]
    return out


def test_shift_matches_the_per_pixel_reference():
    rng = np.random.default_rng(0)
    images = rng.uniform(0, 255, (5, 7, 6, 2)).astype("float32")
    offsets = np.array([[0, 0], [1, -2], [0.5, 0.25], [-1.75, 2.4], [6.5, 0]], dtype="float32")
    shifted = keras.ops.convert_to_numpy(shift_images(images, offsets))
    for image, (dy, dx), got in zip(images, offsets, shifted, strict=True):
        np.testing.assert_allclose(got, reference_shift(image, dy, dx), rtol=1e-5, atol=1e-3)


def test_integer_shift_moves_pixels_and_fills_zeros():
    image = np.arange(1, 17, dtype="float32").reshape(1, 4, 4, 1)
    got = keras.ops.convert_to_numpy(shift_images(image, np.array([[1.0, -1.0]], "float32")))[0, :, :, 0]
    expected = np.zeros((4, 4), "float32")
    expected[1:, :-1] = image[0, :-1, 1:, 0]
    np.testing.assert_array_equal(got, expected)


def test_training_shifts_stay_within_the_factor_and_test_time_passes_through():
    layer = RandomShift(0.1, seed=3)
    images = np.zeros((64, 20, 20, 1), "float32")
    images[:, 10, 10] = 1.0  # one bright pixel: where its weight lands shows the shift
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(images, training=False)), images)
    shifted = keras.ops.convert_to_numpy(layer(images, training=True))
    rows, columns = np.nonzero(shifted[..., 0].sum(axis=0))
    assert np.abs(rows - 10).max() <= 2 and np.abs(columns - 10).max() <= 2  # 0.1 x 20 pixels
    assert len({tuple(np.argwhere(image[..., 0] > 0.25)[0]) for image in shifted}) > 1  # not one shift for all
    np.testing.assert_allclose(shifted.sum(axis=(1, 2, 3)), 1.0, rtol=1e-5)  # within the image, nothing is lost


def test_compiles_with_xla_and_survives_saving(tmp_path):
    inputs = keras.Input((8, 8, 1))
    model = keras.Model(inputs, RandomShift(0.25, seed=1, name="shift")(inputs))
    compiled = tf.function(lambda x: model(x, training=True), jit_compile=True)
    assert compiled(tf.ones((2, 8, 8, 1))).shape == (2, 8, 8, 1)
    model.save(tmp_path / "shift.keras")
    loaded = keras.models.load_model(tmp_path / "shift.keras")
    assert isinstance(loaded.get_layer("shift"), RandomShift) and loaded.get_layer("shift").factor == 0.25
