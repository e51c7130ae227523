"""Local Response Normalization against the paper's formula in NumPy and against TensorFlow's own op."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from ..layers import LocalResponseNormalization, RandomOrCentreCrop


def paper_lrn(a: np.ndarray, n: int = 5, k: float = 2.0, alpha: float = 1e-4, beta: float = 0.75) -> np.ndarray:
    """b_i = a_i / (k + alpha * sum_{j=max(0, i-n/2)}^{min(N-1, i+n/2)} a_j^2)^beta, written as the paper writes it."""
    channels = a.shape[-1]
    b = np.empty_like(a, dtype=np.float64)
    for i in range(channels):
        low, high = max(0, i - n // 2), min(channels - 1, i + n // 2)
        total = (a[..., low:high + 1].astype(np.float64) ** 2).sum(axis=-1)
        b[..., i] = a[..., i] / (k + alpha * total) ** beta
    return b


@pytest.mark.parametrize(
    ("n", "k", "alpha", "beta"),
    [(5, 2.0, 1e-4, 0.75), (3, 1.0, 0.5, 0.75), (7, 0.5, 1.0, 0.5), (1, 2.0, 0.1, 1.0)],
)
def test_matches_the_papers_formula_including_the_edge_channels(n, k, alpha, beta):
    # Activations of the size ReLU layers give, so that a large alpha makes the normalization matter.
    a = np.random.default_rng(n).gamma(2.0, 3.0, size=(2, 4, 5, 11)).astype("float32")
    got = np.asarray(LocalResponseNormalization(n, k, alpha, beta)(a))
    expected = paper_lrn(a, n, k, alpha, beta)
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    np.testing.assert_allclose(got[..., [0, 1, -2, -1]], expected[..., [0, 1, -2, -1]], rtol=1e-5)
    if alpha >= 0.1:
        assert not np.allclose(got, a / k**beta, rtol=1e-2), "the neighbours should change the result"


@pytest.mark.parametrize(("n", "k", "alpha", "beta"), [(5, 2.0, 1e-4, 0.75), (3, 1.0, 0.3, 0.6)])
def test_matches_tf_nn_local_response_normalization(n, k, alpha, beta):
    a = np.random.default_rng(1).normal(size=(3, 6, 6, 16)).astype("float32") * 4
    ours = LocalResponseNormalization(n, k, alpha, beta)(a)
    theirs = tf.nn.local_response_normalization(a, depth_radius=(n - 1) // 2, bias=k, alpha=alpha, beta=beta)
    np.testing.assert_allclose(np.asarray(ours), theirs.numpy(), rtol=1e-5, atol=1e-6)


def test_groups_normalize_each_block_on_its_own():
    a = np.random.default_rng(2).normal(size=(2, 3, 3, 12)).astype("float32") * 5
    layer = LocalResponseNormalization(5, 1.0, 0.5, 0.75, groups=2)
    halves = [paper_lrn(a[..., :6], 5, 1.0, 0.5, 0.75), paper_lrn(a[..., 6:], 5, 1.0, 0.5, 0.75)]
    np.testing.assert_allclose(np.asarray(layer(a)), np.concatenate(halves, axis=-1), rtol=1e-5)
    one_group = LocalResponseNormalization(5, 1.0, 0.5, 0.75)
    separately = np.concatenate([np.asarray(one_group(a[..., :6])), np.asarray(one_group(a[..., 6:]))], axis=-1)
    np.testing.assert_allclose(np.asarray(layer(a)), separately, rtol=1e-6)
    whole = np.asarray(LocalResponseNormalization(5, 1.0, 0.5, 0.75)(a))
    assert not np.allclose(np.asarray(layer(a))[..., 4:8], whole[..., 4:8]), "the blocks meet at channels 5/6"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"depth": 4}, "depth: got 4; expected an odd number"), ({"depth": 0}, "depth: got 0"),
     ({"k": 0.0}, "expected k > 0"), ({"alpha": -1.0}, "alpha >= 0"), ({"beta": -0.5}, "beta >= 0"),
     ({"groups": 0}, "groups: got 0")],
)
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        LocalResponseNormalization(**kwargs)


def test_channels_must_split_into_the_groups():
    with pytest.raises(ValueError, match="10 channels cannot be split into 3 equal groups"):
        LocalResponseNormalization(groups=3)(np.zeros((1, 2, 2, 10), "float32"))


def test_shape_and_dtype_are_kept():
    a = np.ones((2, 5, 5, 8), "float32")
    out = LocalResponseNormalization()(a)
    assert tuple(out.shape) == a.shape and out.dtype == "float32"
    assert LocalResponseNormalization().compute_output_shape((None, 5, 5, 8)) == (None, 5, 5, 8)


@pytest.mark.parametrize(("policy", "rtol"), [("mixed_float16", 2e-3), ("mixed_bfloat16", 1e-2)])
def test_half_precision_stays_finite_and_close_to_float32(policy, rtol):
    # ReLU outputs above 256 would overflow float16 if squared in float16.
    a = np.random.default_rng(4).gamma(2.0, 100.0, size=(2, 3, 3, 8)).astype("float32")
    out = LocalResponseNormalization(5, 2.0, 1e-3, 0.75, dtype=policy)(a)
    assert out.dtype == policy.removeprefix("mixed_")
    expected = paper_lrn(a.astype(policy.removeprefix("mixed_")).astype("float32"), 5, 2.0, 1e-3, 0.75)
    np.testing.assert_allclose(np.asarray(out, dtype="float32"), expected, rtol=rtol)


def test_config_round_trip():
    layer = LocalResponseNormalization(3, 1.5, 0.01, 0.5, groups=2, name="norm")
    config = layer.get_config()
    assert {key: config[key] for key in ("depth", "k", "alpha", "beta", "groups")} == {
        "depth": 3, "k": 1.5, "alpha": 0.01, "beta": 0.5, "groups": 2}
    clone = LocalResponseNormalization.from_config(config)
    assert clone.get_config() == config
    assert keras.saving.get_registered_name(LocalResponseNormalization) == "classics>LocalResponseNormalization"


def test_survives_model_save_and_load_without_custom_objects(tmp_path):
    inputs = keras.Input((8, 8, 6))
    x = keras.layers.Conv2D(8, 3, activation="relu")(inputs)
    x = LocalResponseNormalization(3, 2.0, 0.05, 0.75, groups=2, name="lrn")(x)
    x = RandomOrCentreCrop(4, seed=1, name="crop")(x)
    outputs = keras.layers.Dense(3)(keras.layers.Flatten()(x))
    model = keras.Model(inputs, outputs)
    images = np.random.default_rng(3).normal(size=(4, 8, 8, 6)).astype("float32")
    model.save(tmp_path / "m.keras")
    restored = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(restored.predict(images, verbose=0), model.predict(images, verbose=0))
    assert restored.get_layer("lrn").get_config() == model.get_layer("lrn").get_config()


def test_crop_is_random_while_training_and_central_otherwise():
    images = np.arange(2 * 10 * 10 * 1, dtype="float32").reshape(2, 10, 10, 1)
    crop = RandomOrCentreCrop(6, seed=0)
    np.testing.assert_array_equal(np.asarray(crop(images)), images[:, 2:8, 2:8])
    windows = {tuple(np.asarray(crop(images, training=True))[0, 0, :2, 0]) for _ in range(10)}
    assert len(windows) > 1 and all(len(w) == 2 for w in windows)
