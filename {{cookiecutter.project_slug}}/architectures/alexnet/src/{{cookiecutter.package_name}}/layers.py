"""The layers AlexNet needs that Keras lacks, registered so a saved `model.keras` loads as it is."""

from __future__ import annotations

import keras
from keras import ops

from .runtime.i18n import _

PACKAGE = "classics"  # the registration name; independent of the generated package's name


@keras.saving.register_keras_serializable(package=PACKAGE)
class LocalResponseNormalization(keras.layers.Layer):
    """Local Response Normalization across channels (Krizhevsky et al. 2012, section 3.3).

        b[i] = a[i] / (k + alpha * sum(a[j] ** 2 for j from max(0, i - n//2) to min(N - 1, i + n//2))) ** beta

    a[i] is the activity of channel ("kernel map") i at one position, N the number of channels and
    n = `depth` the neighbouring channels in the window. A strong activation damps its neighbours at
    the same position, a form of the lateral inhibition seen in real neurons: k keeps the divisor
    away from zero, alpha sets how strongly the neighbours count and beta how steeply. The paper
    uses k=2, n=5, alpha=1e-4, beta=0.75.

    alpha differs between libraries. Here, as in the paper and `tf.nn.local_response_normalization`
    (depth_radius = (n - 1) / 2, bias = k), alpha multiplies the plain sum of squares. Caffe's LRN
    layer and PyTorch's `torch.nn.LocalResponseNorm` divide it by n first (alpha / n * sum), so the
    paper's alpha=1e-4 with n=5 is alpha=5e-4 there.

    `groups`: the channels are split into this many equal blocks and no window crosses a block,
    so with 2 each half is normalized on its own, as each of the paper's two GPUs did.
    """

    def __init__(self, depth: int = 5, k: float = 2.0, alpha: float = 1e-4, beta: float = 0.75, groups: int = 1,
                 **kwargs):
        super().__init__(**kwargs)
        if depth < 1 or depth % 2 == 0:
            raise ValueError(_("depth: got {depth}; expected an odd number of at least 1 (a window centred on each "
                               "channel)").format(depth=depth))
        if k <= 0 or alpha < 0 or beta < 0:
            raise ValueError(_("got k={k}, alpha={alpha}, beta={beta}; expected k > 0, alpha >= 0 and beta >= 0")
                             .format(k=k, alpha=alpha, beta=beta))
        if groups < 1:
            raise ValueError(_("groups: got {groups}; expected at least 1").format(groups=groups))
        self.depth, self.k, self.alpha, self.beta, self.groups = depth, k, alpha, beta, groups

    def build(self, input_shape):
        channels = input_shape[-1]
        if channels % self.groups:
            raise ValueError(_("{channels} channels cannot be split into {groups} equal groups").format(
                channels=channels, groups=self.groups))

    def call(self, inputs):
        # Under mixed precision float16 squares overflow above 256 and bfloat16 rounds k + alpha * sum back
        # to k, so half-precision inputs are normalized in float32 and only the result is cast back.
        dtype = keras.backend.standardize_dtype(inputs.dtype)
        x = ops.cast(inputs, "float32") if dtype in ("float16", "bfloat16") else inputs
        radius, channels = self.depth // 2, x.shape[-1]
        size = channels // self.groups
        squares = ops.square(x)
        window_sums = []
        for start in range(0, channels, size):
            # Zero squares beyond the block's edges make the window shrink there, as the formula says.
            block = squares if self.groups == 1 else squares[..., start:start + size]
            block = ops.pad(block, [[0, 0]] * (len(x.shape) - 1) + [[radius, radius]])
            window_sums.append(sum(block[..., offset:offset + size] for offset in range(self.depth)))
        total = window_sums[0] if self.groups == 1 else ops.concatenate(window_sums, axis=-1)
        # x / base ** beta with the power written as exp(-beta * log(base)): the same number, several times
        # faster than a general power on CPU. base >= k > 0, so the logarithm is always defined.
        return ops.cast(x * ops.exp(-self.beta * ops.log(self.k + self.alpha * total)), dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "depth": self.depth, "k": self.k, "alpha": self.alpha, "beta": self.beta,
                "groups": self.groups}


@keras.saving.register_keras_serializable(package=PACKAGE)
class RandomOrCentreCrop(keras.layers.Layer):
    """A random `size` x `size` window while training, the centre one otherwise.

    Keras 3.15's `RandomCrop` returns the whole, uncropped image outside training, so it cannot
    stand alone in a model that must give the next layer the same shape at test time.
    """

    def __init__(self, size: int, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.size, self.seed = size, seed
        self.random = keras.layers.RandomCrop(size, size, seed=seed)
        self.centre = keras.layers.CenterCrop(size, size)

    def build(self, input_shape):
        self.random.build(input_shape)
        self.centre.build(input_shape)

    def call(self, inputs, training=None):
        return self.random(inputs, training=True) if training else self.centre(inputs)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.size, self.size, input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "size": self.size, "seed": self.seed}
