"""The DCGAN on paper: how the generator grows a latent vector into an image and the discriminator shrinks it back.

Radford, Metz and Chintala, "Unsupervised Representation Learning with Deep Convolutional GANs"
(2015). Every resampling step is a stride-2 convolution, which doubles (generator) or halves
(discriminator) the height and width: 28 = 7 x 2 x 2, 64 = 4 x 2 x 2 x 2 x 2. So an image size must
be a start of 3 to 8 pixels doubled at least twice; `start_size` finds that start or says why not.
"""

from __future__ import annotations

from .conv_shapes import conv_output_size, conv_params, size_rule
from .runtime.i18n import _
from .runtime.shapes import LayerRow, dense_params

KERNEL = 5  # every convolution's window, as in the DCGAN examples for MNIST-sized images
SMALLEST_START, LARGEST_START = 3, 8


def resampling_steps(image_size: int) -> tuple[int, int]:
    """(start size, number of stride-2 steps) for an image `image_size` pixels wide; ValueError if none fits."""
    size, steps = image_size, 0
    while size % 2 == 0 and size // 2 >= SMALLEST_START:
        size, steps = size // 2, steps + 1
    if steps < 2 or size > LARGEST_START:
        raise ValueError(_("{size} is not a start of {smallest}-{largest} pixels doubled at least twice (e.g. 28 = "
                           "7x2x2, 32, 48, 64 = 4x2x2x2x2, 96, 128)").format(size=image_size, smallest=SMALLEST_START,
                                                                             largest=LARGEST_START))
    return size, steps


def generator_filters(cfg: dict) -> list[int]:
    """Filters after the Dense layer and after each hidden transposed convolution: halving towards the image."""
    steps = resampling_steps(cfg["data"]["image_size"])[1]
    base = cfg["model"]["generator_filters"]
    return [base * 2 ** (steps - 1 - i) for i in range(steps)]


def discriminator_filters(cfg: dict) -> list[int]:
    """Filters of each strided convolution: doubling as the image shrinks."""
    steps = resampling_steps(cfg["data"]["image_size"])[1]
    return [cfg["model"]["discriminator_filters"] * 2 ** i for i in range(steps)]


def generator_plan(cfg: dict) -> list[LayerRow]:
    start, steps = resampling_steps(cfg["data"]["image_size"])
    latent, channels = cfg["model"]["latent_dim"], cfg["data"]["channels"]
    filters = generator_filters(cfg)
    rows = [LayerRow(_("G input: noise z"), (latent,), 0,
                     _("{latent} numbers drawn from N(0, 1)").format(latent=latent)),
            LayerRow(_("G dense"), (start * start * filters[0],),
                     dense_params(latent, start * start * filters[0], False),
                     _("{latent} x {start}*{start}*{filters} (no bias: batch norm follows)").format(
                         latent=latent, start=start, filters=filters[0])),
            LayerRow(_("G reshape"), (start, start, filters[0]), 0,
                     _("{start}x{start} maps to grow").format(start=start)),
            LayerRow(_("G batch norm + ReLU"), (start, start, filters[0]), 4 * filters[0],
                     _("scale, shift, 2 running stats"))]
    size = start
    for index in range(1, steps):
        size *= 2
        rows += [LayerRow(_("G conv-transpose {index}, stride 2").format(index=index), (size, size, filters[index]),
                          conv_params(filters[index - 1], filters[index], KERNEL, bias=False),
                          f"{size // 2} x 2 = {size}; {KERNEL}x{KERNEL}x{filters[index - 1]}x{filters[index]}"),
                 LayerRow(_("G batch norm + ReLU"), (size, size, filters[index]), 4 * filters[index], "")]
    size *= 2
    rows.append(LayerRow(_("G output conv-transpose, tanh"), (size, size, channels),
                         conv_params(filters[-1], channels, KERNEL),
                         _("{half} x 2 = {size}; pixels in -1..1, no batch norm (Radford)").format(half=size // 2,
                                                                                                    size=size)))
    return rows


def discriminator_plan(cfg: dict) -> list[LayerRow]:
    size, channels = cfg["data"]["image_size"], cfg["data"]["channels"]
    filters = discriminator_filters(cfg)
    rows = [LayerRow(_("D input: image"), (size, size, channels), 0, _("real (scaled to -1..1) or generated"))]
    previous = channels
    for index, count in enumerate(filters, start=1):
        # "same" padding of a 5x5 window: 2 pixels on each side, so a stride of 2 halves the size.
        rule = size_rule(size, KERNEL, 2, KERNEL // 2)
        size = conv_output_size(size, KERNEL, 2, KERNEL // 2)
        if index == 1:
            rows.append(LayerRow(_("D conv 1, stride 2 + LeakyReLU"), (size, size, count),
                                 conv_params(previous, count, KERNEL),
                                 _("{rule}; no batch norm on the input layer (Radford)").format(rule=rule)))
        else:
            rows += [LayerRow(_("D conv {index}, stride 2").format(index=index), (size, size, count),
                              conv_params(previous, count, KERNEL, bias=False), rule),
                     LayerRow(_("D batch norm + LeakyReLU"), (size, size, count), 4 * count,
                              _("slope 0.2 below zero"))]
        previous = count
    flat = size * size * previous
    rows += [LayerRow(_("D flatten"), (flat,), 0, f"{size}*{size}*{previous}"),
             LayerRow(_("D output: real or fake"), (1,), dense_params(flat, 1), _("one logit; sigmoid is in the loss"))]
    return rows


def layer_plan(cfg: dict) -> list[LayerRow]:
    return generator_plan(cfg) + discriminator_plan(cfg)


def notes(cfg: dict) -> list[str]:
    """Lines `explain` prints under the table."""
    generator, discriminator = generator_plan(cfg), discriminator_plan(cfg)
    return [_("generator: {generator:,} parameters; discriminator: {discriminator:,}; they are trained in turns, each "
              "against the other").format(generator=sum(row.params for row in generator),
                                          discriminator=sum(row.params for row in discriminator)),
            _("batch norm's 2 running statistics per channel count as parameters (not trained), as Keras counts them")]
