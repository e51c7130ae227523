# %% [markdown] lang="en"
# # A DCGAN learns to draw images: the walkthrough
#
# The same steps as `python train.py`, one cell each, with the same code: the lesson in
# `src/{{ cookiecutter.package_name }}/lesson.py` and the runtime behind it. The run is short (narrow networks, a few
# epochs on stand-in images, at a larger learning rate) so that the notebook runs in a minute; delete `SHORT` below to
# train with `config.yaml` as it is.
#
# **On Colab**: bring the whole project, not this file alone. Either push the project to your own repository and
# run `!git clone <your repository>` then `%cd <project>/notebooks`, or upload the project's folder as a zip,
# `!unzip` it and `%cd` into its `notebooks` folder. The first cell installs what the project needs there.

# %% [markdown] lang="zh"
# # DCGAN 学习画图：逐步演示
#
# 与 `python train.py` 相同的步骤，每步一个单元格，用的也是同一份代码：`src/{{ cookiecutter.package_name }}/lesson.py`
# 中的课程代码和它背后的运行时。这里只做一次很短的训练（较窄的网络，用较大的学习率在替代图像上训练几轮），整个笔记本
# 一分钟内就能跑完；删除下面的 `SHORT`，就按 `config.yaml` 原样训练。
#
# **在 Colab 上**：要带上整个项目，而不只是这个文件。可以把项目推送到你自己的代码仓库，运行
# `!git clone <你的仓库>` 再 `%cd <项目>/notebooks`；也可以把项目文件夹打包成 zip 上传，`!unzip` 后 `%cd` 进入其中的
# `notebooks` 文件夹。第一个单元格会在那里安装项目需要的软件包。

# %%
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from IPython.display import Image, display

if Path.cwd().name == "notebooks":  # Jupyter starts here; the project's commands run from its root
    os.chdir("..")
if "google.colab" in sys.modules:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-e", "."], check=True)
sys.path.insert(0, os.path.abspath("src"))  # the project's package, installed or not
from {{ cookiecutter.package_name }}.runtime.quiet import import_tensorflow_quietly  # noqa: E402

import_tensorflow_quietly()  # without the start-up lines TensorFlow's C++ core prints
import tensorflow as tf  # noqa: E402

tf.get_logger().setLevel("ERROR")  # several runs in one process: TensorFlow's notes on retracing are not for us
from {{ cookiecutter.package_name }}.lesson import LESSON  # noqa: E402
from {{ cookiecutter.package_name }}.quality import plot_image_grid, real_images  # noqa: E402
from {{ cookiecutter.package_name }}.runtime import comparison, i18n, shapes, training  # noqa: E402

# A short run: a few epochs at ten times Radford's learning rate, stand-in images, narrow networks with small batches
# (a GAN needs many steps), a quick quality classifier, float32 and XLA left off (measuring whether they pay takes
# longer than this run).
SHORT = ["training.epochs=3", "training.learning_rate=0.002", "data.source=synthetic", "data.synthetic_examples=1024",
         "training.jit_compile=false", "training.mixed_precision=false", "model.latent_dim=16",
         "model.generator_filters=16", "model.discriminator_filters=16", "training.batch_size=16",
         "quality.samples=256", "quality.classifier_epochs=2"]
cfg = LESSON.settings("config.yaml", SHORT)
i18n.use(cfg["language"])

# %% [markdown] lang="en"
# ## The network on paper
#
# Two networks in one table: the generator (G) grows a noise vector $z$ into an image with stride-2 transposed
# convolutions, each doubling the height and width; the discriminator (D) shrinks an image back to one number,
# real or fake, with stride-2 convolutions. No pooling, batch normalization in both except the generator's output
# and the discriminator's input (Radford's guidelines). `python train.py explain` prints the same.

# %% [markdown] lang="zh"
# ## 纸面上的网络
#
# 一张表里有两个网络：生成器（G）用步幅为 2 的转置卷积把噪声向量 $z$ 逐步放大成一张图像，每层把高和宽各翻一倍；
# 判别器（D）用步幅为 2 的卷积把图像缩小成一个数：真还是假。不用池化；两个网络都用批归一化，只有生成器的输出层和
# 判别器的输入层除外（Radford 的准则）。`python train.py explain` 打印的也是这张表。

# %%
print(shapes.format_table(LESSON.layer_plan(cfg)))
for line in LESSON.notes(cfg):
    print(line)

# %% [markdown] lang="en"
# ## A look at the data
#
# Real training images, the ones the discriminator learns to tell from the generator's. Offline they are stand-ins:
# ten classes, each a fixed pattern of blots drawn with a little noise (with `data.source: tfds`, MNIST's digits).

# %% [markdown] lang="zh"
# ## 看一看数据
#
# 真实的训练图像，判别器要学会把它们和生成器的图像区分开。离线时用的是替代图像：十个类别，每类是一个固定的斑块图案，
# 加上一点噪声（`data.source: tfds` 时是 MNIST 的手写数字）。

# %%
datasets = LESSON.data(cfg, cfg["training"]["batch_size"])
picture = Path(cfg["run"]["runs_dir"]) / "notebook-real.png"
picture.parent.mkdir(exist_ok=True)
plot_image_grid(real_images(datasets.train, 64), picture)
display(Image(picture, width=320))

# %% [markdown] lang="en"
# ## The model
#
# `model.py` builds both, and `count_params()` of the pair agrees with the table above. `DCGAN.train_step` is where
# the game is played: each step first teaches the discriminator to tell a batch of real images from as many fakes,
# then teaches the generator to make fakes the discriminator calls real.

# %% [markdown] lang="zh"
# ## 模型
#
# `model.py` 搭建这两个网络，两者合起来的 `count_params()` 与上面的表一致。对抗就在 `DCGAN.train_step` 里进行：
# 每一步先教判别器把一批真实图像和同样多的生成图像区分开，再教生成器画出让判别器判为真实的图像。

# %%
network = LESSON.model(cfg, **datasets.adapted)
print(f"{network.count_params():,}")

# %% [markdown] lang="en"
# ## Train
#
# `training.train` is what `python train.py` calls: a run directory, the progress line of each epoch, backups,
# the training curves and the test scores in `metrics.json`. A GAN's two losses (`d_loss`, `g_loss`) do not fall
# as it improves, they balance; so before training, a small classifier learns the real images, and after every
# epoch its features measure how far the generated images are from the real ones: the Fréchet distance (lower is
# closer). The same classifier counts the classes the generated images fall into (`classes_covered`).

# %% [markdown] lang="zh"
# ## 训练
#
# `training.train` 正是 `python train.py` 调用的函数：它建立运行目录，每轮打印一行进度，做备份，画出训练曲线，
# 并把测试成绩写进 `metrics.json`。生成对抗网络的两个损失（`d_loss`、`g_loss`）不会随着网络变好而下降，而是相互平衡；
# 所以训练之前先让一个小分类器学习真实图像，每轮之后用它的特征衡量生成图像离真实图像有多远：Fréchet 距离（越小越接近）。
# 同一个分类器还会数出生成图像落在几个类别里（`classes_covered`）。

# %%
run_dir = Path(cfg["run"]["runs_dir"]) / f"{datetime.now():%Y%m%d-%H%M%S}-notebook"
metrics = training.train(LESSON, cfg, run_dir)
display(Image(run_dir / "training_curves.png"))

# %% [markdown] lang="en"
# ## Evaluate
#
# The saved generator against the real test images: the Fréchet distance and the classes covered. Then the same
# noise through the generator after the first epoch and after the last (`grids/`): grey blurs that sharpen into
# the black-and-white patterns of the real images. `python train.py sample RUN --grid` draws new ones from the
# saved generator.

# %% [markdown] lang="zh"
# ## 评估
#
# 用保存的生成器和真实的测试图像比较：Fréchet 距离和覆盖的类别数。然后是同一批噪声在第一轮之后和最后一轮之后经过生成器
# 得到的图像（`grids/`）：灰色的模糊斑块渐渐变成真实图像那样黑白分明的图案。`python train.py sample RUN --grid`
# 用保存的生成器画出新的图像。

# %%
print(LESSON.summary(metrics["test"]))
grids = sorted((run_dir / "grids").glob("epoch_*.png"))
display(Image(grids[0], width=320), Image(grids[-1], width=320))

# %% [markdown] lang="en"
# ## An exercise: the learning rate
#
# Radford et al.'s 0.0002 (the default in `config.yaml`) against the ten times larger one of this short run, two epochs
# each, both measured with the classifier trained above (`quality.classifier`), so that their Fréchet distances are
# measured alike. In a run this short the larger rate gets well ahead while the smaller one still draws noise; over a
# full run a large rate tends to oscillate, or to collapse onto a few kinds of image (`classes_covered` in each run's
# `metrics.json`). On the command line: `python train.py compare training.learning_rate=0.0002,0.001,0.005`.

# %% [markdown] lang="zh"
# ## 练习：学习率
#
# Radford 等人用的 0.0002（`config.yaml` 的默认值）对比这次短训练所用的十倍学习率，各训练两轮，都用上面训练好的分类器
# 来衡量（`quality.classifier`），这样两次运行的 Fréchet 距离是用同一把尺子量的。在这么短的运行里，较大的学习率遥遥领先，
# 较小的学习率画出的还是噪声；在完整的运行中，较大的学习率往往会振荡，或者坍缩到少数几种图像上（看每次运行的
# `metrics.json` 中的 `classes_covered`）。在命令行中：`python train.py compare training.learning_rate=0.0002,0.001,0.005`。

# %%
values = ["training.learning_rate=0.0002,0.002", "training.epochs=2", *SHORT[2:],
          f"quality.classifier={run_dir / 'quality_classifier.keras'}"]
folder, steps = comparison.start(LESSON, Path("config.yaml"), values, seeds=1)
for run in steps["runs"]:  # compare trains each run in a process of its own; here, one after the other in this one
    training.train(LESSON, LESSON.settings(folder / "config.yaml", run["overrides"]), folder / run["dir"])
comparison.summarize(LESSON, folder, steps)
display(Image(folder / "curves.png"))
for run in steps["runs"]:
    display(Image(folder / run["dir"] / "samples.png", width=320))
