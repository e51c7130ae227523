"""The three pieces of LeNet-5 that Keras has no layer for, as the 1998 paper defines them.

Registered as serializable, so a saved `model.keras` loads with plain `keras.models.load_model`.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from .runtime.i18n import _

PACKAGE = "classics"  # the registration name; independent of the generated package's name


@keras.saving.register_keras_serializable(package=PACKAGE)
def scaled_tanh(x):
    """The paper's squashing function f(a) = A tanh(S a) with A = 1.7159 and S = 2/3.

    Chosen so that f(1) = 1 and f(-1) = -1 and the slope is steepest around the inputs the
    normalized data produces; the outputs then stay in the range where learning is fastest.
    """
    return 1.7159 * ops.tanh(2.0 / 3.0 * x)


@keras.saving.register_keras_serializable(package=PACKAGE)
class Subsampling(keras.layers.Layer):
    """S2 and S4: each map's non-overlapping 2x2 blocks are added, multiplied by a trainable
    coefficient and shifted by a trainable bias - two parameters per map.

    The squashing function follows as a separate activation. Max-pooling, which later replaced
    this, has no parameters at all.
    """

    def __init__(self, pool_size: int = 2, **kwargs):
        super().__init__(**kwargs)
        self.pool_size = pool_size

    def build(self, input_shape):
        maps = input_shape[-1]
        # Starting at 1/(pool size)^2 makes the layer begin as a plain average.
        self.coefficient = self.add_weight(shape=(maps,), initializer=keras.initializers.Constant(
            1.0 / self.pool_size**2), name="coefficient")
        self.bias = self.add_weight(shape=(maps,), initializer="zeros", name="bias")

    def call(self, inputs):
        window = self.pool_size
        block_sums = ops.average_pool(inputs, window, strides=window, padding="valid") * float(window * window)
        return block_sums * self.coefficient + self.bias

    def compute_output_shape(self, input_shape):
        batch, height, width, maps = input_shape
        return batch, height // self.pool_size, width // self.pool_size, maps

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size}


@keras.saving.register_keras_serializable(package=PACKAGE)
class PartiallyConnectedConv2D(keras.layers.Layer):
    """A convolution in which output map j sees only the input maps listed in `table[j]` (C3).

    Only the connected kernels are weights: C3 holds 5 x 5 x 60 + 16 = 1,516 parameters rather
    than the 5 x 5 x 96 + 16 = 2,416 of a full convolution. For the computation they are placed
    into a full kernel with zeros elsewhere, so one ordinary convolution does the work.
    """

    def __init__(self, table, kernel_size: int = 5, **kwargs):
        super().__init__(**kwargs)
        self.table = [list(inputs) for inputs in table]
        self.kernel_size = kernel_size

    def build(self, input_shape):
        in_maps, out_maps = input_shape[-1], len(self.table)
        pairs = [(i, j) for j, inputs in enumerate(self.table) for i in inputs]
        highest = max(i for i, _j in pairs)
        if highest >= in_maps:
            raise ValueError(_("table refers to input map {index}; the input has {maps} maps").format(index=highest,
                                                                                                     maps=in_maps))
        # placement[c, i, j] = 1 when connection c joins input map i to output map j.
        placement = np.zeros((len(pairs), in_maps, out_maps), dtype="float32")
        for c, (i, j) in enumerate(pairs):
            placement[c, i, j] = 1.0
        self.placement = ops.convert_to_tensor(placement)
        fan_in = self.kernel_size**2 * len(pairs) / out_maps  # inputs per output unit, on average
        limit = float(np.sqrt(3.0 / fan_in))  # LeCun's uniform initialization
        self.kernel = self.add_weight(shape=(self.kernel_size, self.kernel_size, len(pairs)),
                                      initializer=keras.initializers.RandomUniform(-limit, limit), name="kernel")
        self.bias = self.add_weight(shape=(out_maps,), initializer="zeros", name="bias")

    def call(self, inputs):
        kernel = ops.einsum("hwc,cio->hwio", self.kernel, ops.cast(self.placement, self.kernel.dtype))
        return ops.conv(inputs, kernel, strides=1, padding="valid") + self.bias

    def compute_output_shape(self, input_shape):
        batch, height, width, _maps = input_shape
        shrink = self.kernel_size - 1
        return batch, height - shrink, width - shrink, len(self.table)

    def get_config(self):
        return {**super().get_config(), "table": self.table, "kernel_size": self.kernel_size}
