"""The Restricted Boltzmann Machine, a Keras layer registered so a saved model that holds one loads as it is."""

from __future__ import annotations

import keras
from keras import ops

from .runtime.i18n import _

PACKAGE = "classics"  # the registration name; independent of the generated package's name


@keras.saving.register_keras_serializable(package=PACKAGE)
class RBM(keras.layers.Layer):
    """Bernoulli-Bernoulli RBM (Hinton 2002; "A Practical Guide to Training RBMs", Hinton 2010).

    Visible units v and hidden units h are 0/1; every visible unit is joined to every hidden unit by
    a weight W, and each unit has a bias (b visible, c hidden). There are no links within a layer,
    so given one layer the units of the other are independent coins:

        p(h_j = 1 | v) = sigmoid(c_j + v . W[:, j])        p(v_i = 1 | h) = sigmoid(b_i + W[i, :] . h)

    The free energy F(v) = -v . b - sum_j softplus(c_j + v . W[:, j]) is low for the patterns the
    machine likes; p(v) is proportional to exp(-F(v)).

    Called on a batch of visible vectors the layer returns p(h | v): the features the next RBM of a
    Deep Belief Net learns from, and what the Dense layer initialized from this RBM computes.
    """

    def __init__(self, units: int, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        if units < 1:
            raise ValueError(_("units: got {units}; expected at least 1 hidden unit").format(units=units))
        self.units, self.seed = units, seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        visible = input_shape[-1]
        # Small random weights and zero biases, as the practical guide recommends (section 8).
        self.kernel = self.add_weight(shape=(visible, self.units), name="kernel",
                                      initializer=keras.initializers.RandomNormal(stddev=0.01, seed=self.seed))
        self.visible_bias = self.add_weight(shape=(visible,), name="visible_bias", initializer="zeros")
        self.hidden_bias = self.add_weight(shape=(self.units,), name="hidden_bias", initializer="zeros")

    def call(self, visible):
        return self.hidden_probabilities(visible)

    def hidden_probabilities(self, visible):
        return ops.sigmoid(ops.matmul(visible, self.kernel) + self.hidden_bias)

    def visible_probabilities(self, hidden):
        return ops.sigmoid(ops.matmul(hidden, ops.transpose(self.kernel)) + self.visible_bias)

    def free_energy(self, visible):
        """F(v) for each row of the batch."""
        return (-ops.matmul(visible, ops.expand_dims(self.visible_bias, -1))[:, 0]
                - ops.sum(ops.softplus(ops.matmul(visible, self.kernel) + self.hidden_bias), axis=-1))

    def uniform(self, shape):
        """The random numbers every sample is drawn with (a test replaces this to fix the draws)."""
        return keras.random.uniform(shape, seed=self.seed_generator)

    def sample(self, probabilities):
        """0/1 units, each 1 with its probability."""
        return ops.cast(self.uniform(ops.shape(probabilities)) < probabilities, probabilities.dtype)

    def gibbs_chain(self, visible, steps: int):
        """Run `steps` rounds of v -> h -> v from `visible`; return the last visible probabilities.

        Hidden states are sampled, which keeps the chain from simply copying its input. The visible
        states in between are sampled too; the last one is left as probabilities, which the
        practical guide recommends (section 3.2): it lowers the noise of the learning signal.
        """
        for step in range(steps):
            hidden = self.sample(self.hidden_probabilities(visible))
            visible = self.visible_probabilities(hidden)
            if step < steps - 1:
                visible = self.sample(visible)
        return visible

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "seed": self.seed}
