"""The RBM against the formulas written out in NumPy: probabilities, free energy and the CD-k update."""

from __future__ import annotations

import itertools

import keras
import numpy as np
import pytest
from keras import ops

from ..layers import RBM
from ..pretraining import RBMTrainer

VISIBLE, HIDDEN, BATCH = 6, 4, 5


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def random_rbm(seed: int = 0) -> RBM:
    rng = np.random.default_rng(seed)
    rbm = RBM(HIDDEN, seed=seed)
    rbm.build((None, VISIBLE))
    rbm.set_weights([rng.normal(0, 0.5, (VISIBLE, HIDDEN)), rng.normal(0, 0.5, VISIBLE), rng.normal(0, 0.5, HIDDEN)])
    return rbm


def test_conditionals_and_free_energy_follow_the_formulas():
    rbm = random_rbm()
    w, b, c = (np.asarray(weight) for weight in rbm.get_weights())
    v = (np.random.default_rng(1).random((BATCH, VISIBLE)) < 0.5).astype("float32")
    h = (np.random.default_rng(2).random((BATCH, HIDDEN)) < 0.5).astype("float32")
    np.testing.assert_allclose(rbm(v), sigmoid(v @ w + c), rtol=1e-5)
    np.testing.assert_allclose(rbm.visible_probabilities(h), sigmoid(h @ w.T + b), rtol=1e-5)
    free_energy = -v @ b - np.log1p(np.exp(v @ w + c)).sum(axis=1)
    np.testing.assert_allclose(rbm.free_energy(v), free_energy, rtol=1e-5)


def test_free_energy_gives_the_exact_probabilities_of_a_tiny_rbm():
    """p(v) = exp(-F(v)) / Z, with Z summed over all 2^6 visible patterns; checked against the joint p(v, h)."""
    rbm = random_rbm(3)
    w, b, c = (np.asarray(weight, dtype=np.float64) for weight in rbm.get_weights())
    patterns = np.array(list(itertools.product([0, 1], repeat=VISIBLE)), dtype="float32")
    hiddens = np.array(list(itertools.product([0, 1], repeat=HIDDEN)), dtype=np.float64)
    joint = np.exp(patterns @ b[:, None] + (patterns @ w) @ hiddens.T + (hiddens @ c)[None, :])  # exp(-E(v, h))
    expected = joint.sum(axis=1) / joint.sum()
    unnormalized = np.exp(-np.asarray(rbm.free_energy(patterns), dtype=np.float64))
    np.testing.assert_allclose(unnormalized / unnormalized.sum(), expected, rtol=1e-4)


def fixed_draws(rbm: RBM, draws: list[np.ndarray]) -> None:
    """Replace the RBM's random numbers with `draws`, in the order the chain asks for them."""
    turn = itertools.cycle(draws)
    rbm.uniform = lambda shape: ops.convert_to_tensor(next(turn), "float32")


def numpy_chain(v, w, b, c, draws, k):
    """CD-k's negative phase as the docstring of RBM.gibbs_chain says: sample h, sample v except the last."""
    draws = iter(draws)
    for step in range(k):
        h = (next(draws) < sigmoid(v @ w + c)).astype(np.float64)
        v = sigmoid(h @ w.T + b)
        if step < k - 1:
            v = (next(draws) < v).astype(np.float64)
    return v


@pytest.mark.parametrize(("k", "persistent", "loss_scaled"), [(1, False, False), (3, False, False), (1, True, False),
                                                               (1, False, True)])
def test_one_cd_step_is_hintons_update(k, persistent, loss_scaled):
    """One train_step with plain SGD moves W by lr * (v0' p(h|v0) - vk' p(h|vk)) / batch, and the biases likewise.
    loss_scaled: the optimizer as mixed precision wraps it (it scales the loss up, the gradients back down)."""
    rng = np.random.default_rng(4)
    rbm = random_rbm(5)
    w, b, c = (np.asarray(weight, dtype=np.float64) for weight in rbm.get_weights())
    trainer = RBMTrainer(rbm, VISIBLE, cd_k=k, persistent_chains=BATCH if persistent else 0)
    learning_rate = 0.1
    optimizer = keras.optimizers.SGD(learning_rate)
    trainer.compile(optimizer=keras.optimizers.LossScaleOptimizer(optimizer) if loss_scaled else optimizer)
    draws = [rng.random((BATCH, HIDDEN)) if i % 2 == 0 else rng.random((BATCH, VISIBLE)) for i in range(2 * k - 1)]
    fixed_draws(rbm, draws)
    images = rng.integers(0, 256, (BATCH, VISIBLE)).astype("float32")
    v0 = images / 255.0
    start = np.asarray(trainer.chains, dtype=np.float64) if persistent else v0
    trainer.train_on_batch(images)

    vk = numpy_chain(start, w, b, c, draws, k)
    h0, hk = sigmoid(v0 @ w + c), sigmoid(vk @ w + c)
    new_w, new_b, new_c = (np.asarray(weight) for weight in rbm.get_weights())
    np.testing.assert_allclose(new_w, w + learning_rate * (v0.T @ h0 - vk.T @ hk) / BATCH, atol=1e-5)
    np.testing.assert_allclose(new_b, b + learning_rate * (v0 - vk).mean(axis=0), atol=1e-5)
    np.testing.assert_allclose(new_c, c + learning_rate * (h0 - hk).mean(axis=0), atol=1e-5)
    if persistent:
        np.testing.assert_allclose(np.asarray(trainer.chains), vk, atol=1e-5)


def test_rbm_survives_a_saved_model_round_trip(tmp_path):
    inputs = keras.Input((VISIBLE,))
    model = keras.Model(inputs, RBM(HIDDEN, seed=7, name="rbm")(inputs))
    v = np.random.default_rng(6).random((BATCH, VISIBLE)).astype("float32")
    model.save(tmp_path / "rbm.keras")
    restored = keras.models.load_model(tmp_path / "rbm.keras")
    assert restored.get_layer("rbm").get_config()["units"] == HIDDEN
    np.testing.assert_array_equal(restored.predict(v, verbose=0), model.predict(v, verbose=0))


def test_zero_hidden_units_are_refused():
    with pytest.raises(ValueError, match="units: got 0; expected at least 1 hidden unit"):
        RBM(0)
