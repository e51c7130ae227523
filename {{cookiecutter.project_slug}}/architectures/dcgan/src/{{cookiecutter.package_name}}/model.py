"""The DCGAN: a generator and a discriminator trained against each other by a `Model` with its own `train_step`.

Each step first shows the discriminator a batch of real images (target 1) and as many generated
ones (target 0), then trains the generator to make the discriminator say 1 for its images (the
"non-saturating" loss of Goodfellow et al. 2014: it gives the generator strong gradients exactly
when the discriminator easily spots its fakes). Both losses are logged. Because the loop is a
`train_step`, `fit` brings progress bars, callbacks, `BackupAndRestore` and the strategies.

Only the generator is saved as model.keras (lesson.py): a latent vector in, an image out, which is
all `sample` needs.
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import layers, ops

from .architecture import KERNEL, discriminator_filters, generator_filters, resampling_steps

PACKAGE = "classics"


def build_generator(cfg: dict) -> keras.Model:
    start, steps = resampling_steps(cfg["data"]["image_size"])
    filters = generator_filters(cfg)
    noise = keras.Input((cfg["model"]["latent_dim"],), name="noise")
    x = layers.Dense(start * start * filters[0], use_bias=False, name="project")(noise)
    x = layers.Reshape((start, start, filters[0]), name="reshape")(x)
    x = layers.ReLU(name="relu_0")(layers.BatchNormalization(name="norm_0")(x))
    for index in range(1, steps):
        x = layers.Conv2DTranspose(filters[index], KERNEL, strides=2, padding="same", use_bias=False,
                                   name=f"up_{index}")(x)
        x = layers.ReLU(name=f"relu_{index}")(layers.BatchNormalization(name=f"norm_{index}")(x))
    image = layers.Conv2DTranspose(cfg["data"]["channels"], KERNEL, strides=2, padding="same", activation="tanh",
                                   name="image")(x)
    return keras.Model(noise, image, name="generator")


def build_discriminator(cfg: dict) -> keras.Model:
    size, channels = cfg["data"]["image_size"], cfg["data"]["channels"]
    image = keras.Input((size, size, channels), name="image")
    x = image
    for index, count in enumerate(discriminator_filters(cfg), start=1):
        x = layers.Conv2D(count, KERNEL, strides=2, padding="same", use_bias=index == 1, name=f"down_{index}")(x)
        if index > 1:
            x = layers.BatchNormalization(name=f"norm_{index}")(x)
        x = layers.LeakyReLU(negative_slope=cfg["model"]["leaky_slope"], name=f"leaky_{index}")(x)
    x = layers.Flatten(name="flatten")(x)
    logit = layers.Dense(1, name="real_or_fake", dtype="float32")(x)  # float32 under mixed precision too
    return keras.Model(image, logit, name="discriminator")


@keras.saving.register_keras_serializable(package=PACKAGE)
class DCGAN(keras.Model):
    def __init__(self, generator: keras.Model, discriminator: keras.Model, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.generator, self.discriminator, self.seed = generator, discriminator, seed
        self.latent_dim = generator.input_shape[-1]
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        # Both halves are built models, so the pair is too; without this count_params() refuses.
        self.built = True

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def compile(self, optimizer, loss=None, metrics=None, **kwargs):
        """`optimizer` steps the generator; the discriminator gets its own copy (same settings, own state)."""
        super().compile(optimizer=optimizer, loss=loss, metrics=metrics, **kwargs)
        # Under mixed precision Keras has wrapped the optimizer in a LossScaleOptimizer: the copy gets one too.
        scaled = isinstance(self.optimizer, keras.optimizers.LossScaleOptimizer)
        inner = self.optimizer.inner_optimizer if scaled else self.optimizer
        self.d_optimizer = inner.__class__.from_config(inner.get_config())
        if scaled:
            self.d_optimizer = keras.optimizers.LossScaleOptimizer(self.d_optimizer)
        # Made now, inside the strategy's scope: created lazily in the first step they would be made per
        # replica inside a compiled function, which MirroredStrategy refuses.
        self.optimizer.build(self.generator.trainable_variables)
        self.d_optimizer.build(self.discriminator.trainable_variables)

    def call(self, noise, training=False):
        return self.generator(noise, training=training)

    def train_step(self, data):
        images = data[0] if isinstance(data, tuple) else data
        real = ops.cast(images, "float32") / 127.5 - 1.0  # the generator's tanh range
        batch = ops.shape(real)[0]
        # Losses are means over this replica's batch; the optimizers sum the replicas' gradients.
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        replica = tf.distribute.get_replica_context().replica_id_in_sync_group
        cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)

        def own_noise():
            # The generator's state is shared: every replica would draw the same noise from it, and the step would
            # learn from batch_size noise vectors however many replicas there are. So each replica takes its own
            # part of one draw for all of them (with one replica, the same draw as ever).
            noise = keras.random.normal((batch * replicas, self.latent_dim), seed=self.seed_generator)
            return noise[replica * batch:(replica + 1) * batch]

        noise = own_noise()
        with tf.GradientTape() as tape:
            fake = self.generator(noise, training=True)
            real_logits = self.discriminator(real, training=True)
            fake_logits = self.discriminator(fake, training=True)
            d_loss = (cross_entropy(ops.ones_like(real_logits), real_logits)
                      + cross_entropy(ops.zeros_like(fake_logits), fake_logits))
            # Under mixed precision the optimizers scale the loss up (and the gradients back down when applying).
            scaled = self.d_optimizer.scale_loss(d_loss / replicas)
        weights = self.discriminator.trainable_weights
        self.d_optimizer.apply_gradients(zip(tape.gradient(scaled, weights), weights, strict=True))

        noise = own_noise()
        with tf.GradientTape() as tape:
            fake_logits = self.discriminator(self.generator(noise, training=True), training=True)
            g_loss = cross_entropy(ops.ones_like(fake_logits), fake_logits)
            scaled = self.optimizer.scale_loss(g_loss / replicas)
        weights = self.generator.trainable_weights
        self.optimizer.apply_gradients(zip(tape.gradient(scaled, weights), weights, strict=True))

        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {metric.name: metric.result() for metric in self.metrics}

    def get_config(self):
        return {**super().get_config(), "seed": self.seed,
                "generator": keras.saving.serialize_keras_object(self.generator),
                "discriminator": keras.saving.serialize_keras_object(self.discriminator)}

    @classmethod
    def from_config(cls, config):
        generator = keras.saving.deserialize_keras_object(config.pop("generator"))
        discriminator = keras.saving.deserialize_keras_object(config.pop("discriminator"))
        return cls(generator, discriminator, **config)


def build_model(cfg: dict) -> DCGAN:
    return DCGAN(build_generator(cfg), build_discriminator(cfg), seed=cfg["seed"], name="dcgan")

