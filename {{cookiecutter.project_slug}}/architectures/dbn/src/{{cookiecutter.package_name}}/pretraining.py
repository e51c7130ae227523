"""Training one RBM with contrastive divergence, as a Keras `Model` whose `train_step` is CD-k.

Written as a model with its own step, `fit` brings what every other run here has: progress bars,
callbacks, the distribution strategies. Nothing in this step is a loss that back-propagation
lowers; the weight change is Hinton's contrastive-divergence rule,

    dW = lr * (<v h>_data - <v h>_model)      db = lr * (<v>_data - <v>_model)      dc = lr * (<h>_data - <h>_model)

where <.>_data uses the training batch v0 with p(h | v0), and <.>_model the visible units vk after k
Gibbs steps started from the data (CD-k) or from chains kept between batches (persistent CD,
Tieleman 2008), with p(h | vk). That rule is exactly minus the gradient of

    mean F(v0) - mean F(vk)      (F the free energy, vk held fixed)

so the step hands that gradient to an ordinary Keras optimizer: SGD with momentum gives Hinton's
update with momentum, and under a strategy the replicas' updates are averaged like any other.
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import ops

from .layers import RBM


class RBMTrainer(keras.Model):
    """Fits `rbm` to the data as seen through the already trained RBMs `below` (greedy, layer by layer)."""

    def __init__(self, rbm: RBM, visible_units: int, below: list[RBM] = (), cd_k: int = 1,
                 persistent_chains: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.rbm, self.below, self.cd_k = rbm, list(below), cd_k
        if not rbm.built:
            rbm.build((None, visible_units))
        self.chains = None
        if persistent_chains:
            # The fantasy particles of persistent CD. Each replica runs its own chains; the copy kept is
            # the first replica's, which only matters when a run is restored.
            self.chains = self.add_weight(shape=(persistent_chains, visible_units), name="chains",
                                          initializer=keras.initializers.RandomUniform(0.0, 1.0), trainable=False,
                                          aggregation="only_first_replica")
        self.reconstruction_error = keras.metrics.Mean(name="reconstruction_error")
        self.free_energy = keras.metrics.Mean(name="free_energy")

    @property
    def metrics(self):
        return [self.reconstruction_error, self.free_energy]

    def visible(self, images):
        """The RBM's visible units for a batch of images: grey levels 0-255 as probabilities, passed up the stack."""
        units = ops.reshape(ops.cast(images, "float32") / 255.0, (ops.shape(images)[0], -1))
        for rbm in self.below:
            units = rbm.hidden_probabilities(units)
        return units

    def call(self, images):
        return self.rbm(self.visible(images))

    def train_step(self, data):
        images = data[0] if isinstance(data, tuple) else data
        v0 = self.visible(images)
        if self.chains is None:
            vk = self.rbm.gibbs_chain(v0, self.cd_k)
        else:
            batch = ops.shape(v0)[0]
            vk = self.rbm.gibbs_chain(self.chains[:batch], self.cd_k)
            self.chains.assign(ops.concatenate([vk, self.chains[batch:]], axis=0))
        vk = ops.stop_gradient(vk)
        weights = self.rbm.trainable_weights
        with tf.GradientTape() as tape:
            contrast = ops.mean(self.rbm.free_energy(v0)) - ops.mean(self.rbm.free_energy(vk))
            # The optimizer sums the replicas' gradients; dividing here makes that sum their mean.
            contrast = contrast / tf.distribute.get_strategy().num_replicas_in_sync
            contrast = self.optimizer.scale_loss(contrast)  # scaled up under mixed precision, back down in apply
        self.optimizer.apply_gradients(zip(tape.gradient(contrast, weights), weights, strict=True))
        return self._record(v0)

    def test_step(self, data):
        images = data[0] if isinstance(data, tuple) else data
        return self._record(self.visible(images))

    def _record(self, v0):
        # Reconstruction through the probabilities (no sampling): the same noise-free measure in training and
        # validation. It is only a rough guide: CD does not minimize it (practical guide, section 5).
        reconstruction = self.rbm.visible_probabilities(self.rbm.hidden_probabilities(v0))
        self.reconstruction_error.update_state(ops.mean(ops.square(v0 - reconstruction), axis=-1))
        self.free_energy.update_state(self.rbm.free_energy(v0))
        return {metric.name: metric.result() for metric in self.metrics}
