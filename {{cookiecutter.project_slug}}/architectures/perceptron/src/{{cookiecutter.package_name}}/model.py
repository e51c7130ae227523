"""The perceptron: 2 inputs, the configured hidden layers (none for the single-layer perceptron), 1 sigmoid output.

The output unit fires (class 1) where its weighted sum w1 h1 + w2 h2 + ... + b is positive, which is where
the sigmoid passes 0.5. Without hidden layers that sum is taken of x1 and x2 themselves, and the boundary
w1 x1 + w2 x2 + b = 0 is a straight line: no setting of three numbers puts the opposite corners of XOR on
the same side. Hidden units each draw a line of their own, and the output combines them.
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import ops

from .architecture import NUM_INPUTS


def build_model(cfg: dict) -> keras.Model:
    settings = cfg["model"]
    inputs = keras.Input(shape=(NUM_INPUTS,), name="point")
    x = inputs
    for index, units in enumerate(settings["hidden_units"], start=1):
        x = keras.layers.Dense(units, activation=settings["activation"], name=f"hidden_{index}")(x)
    # float32 even under mixed precision (training.mixed_precision): a float16 sigmoid rounds small probabilities.
    outputs = keras.layers.Dense(1, activation="sigmoid", name="output", dtype="float32")(x)
    network = RosenblattPerceptron if settings["learning_rule"] == "rosenblatt" else keras.Model
    return network(inputs, outputs, name="perceptron")


# The class is 0 or 1 and the output one probability, so the loss is the binary form of cross-entropy.
LOSS = "binary_crossentropy"
METRICS = ["accuracy"]


@keras.saving.register_keras_serializable(package="perceptron")
class RosenblattPerceptron(keras.Model):
    """A single-layer perceptron trained by Rosenblatt's rule (1958) instead of gradient descent.

    For each point x with class y, the unit's answer is y_hat = 1 if w.x + b >= 0 else 0, and

        w <- w + learning_rate * (y - y_hat) * x,    b <- b + learning_rate * (y - y_hat)

    A right answer changes nothing; a wrong one moves the line towards the point. Here the corrections of a
    batch are averaged. If a line separating the classes exists, the rule finds one in a finite number of
    steps (the perceptron convergence theorem); if none does, as on XOR, it never settles.
    """

    def train_step(self, data):
        points, labels, _ = keras.utils.unpack_x_y_sample_weight(data)
        labels = ops.reshape(ops.cast(labels, "float32"), (-1, 1))
        probabilities = self(points, training=True)
        fired = ops.cast(probabilities >= 0.5, "float32")  # the sigmoid passes 0.5 where w.x + b = 0
        error = labels - fired  # +1: should have fired, -1: should not have, 0: right
        # The corrections are averaged over the batch; several replicas add theirs up, so each takes its share.
        share = ops.cast(ops.shape(points)[0] * tf.distribute.get_strategy().num_replicas_in_sync, "float32")
        kernel_change = ops.matmul(ops.transpose(ops.cast(points, "float32")), error) / share
        bias_change = ops.sum(error, axis=0) / share
        # The optimizer (plain SGD, schema.py sees to that) subtracts learning_rate x what it is given.
        output = self.get_layer("output")
        self.optimizer.apply([-kernel_change, -bias_change], [output.kernel, output.bias])
        # The loss is only reported, for the training curves: the rule above never looks at it.
        loss = ops.mean(keras.losses.binary_crossentropy(labels, probabilities))
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(labels, probabilities)
        return self.get_metrics_result()
