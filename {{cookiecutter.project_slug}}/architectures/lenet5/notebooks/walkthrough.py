# %% [markdown] lang="en"
# # LeNet-5 learns MNIST digits: the walkthrough
#
# The same steps as `python train.py`, one cell each, with the same code: the lesson in
# `src/{{ cookiecutter.package_name }}/lesson.py` and the runtime behind it. The run is short (a few epochs on
# stand-in digits) so that the notebook runs in a minute; make `SHORT` below an empty list to train with
# `config.yaml` as it is.
#
# **On Colab**: bring the whole project, not this file alone. Either push the project to your own repository and
# run `!git clone <your repository>` then `%cd <project>/notebooks`, or upload the project's folder as a zip,
# `!unzip` it and `%cd` into its `notebooks` folder. The first cell installs what the project needs there.

# %% [markdown] lang="zh"
# # LeNet-5 识别 MNIST 手写数字：逐步演示
#
# 与 `python train.py` 相同的步骤，每步一个单元格，用的也是同一份代码：`src/{{ cookiecutter.package_name }}/lesson.py`
# 中的课程代码和它背后的运行时。这里只做一次很短的训练（在替代数字上训练几轮），整个笔记本一分钟内就能跑完；
# 把下面的 `SHORT` 改成空列表，就按 `config.yaml` 原样训练。
#
# **在 Colab 上**：要带上整个项目，而不只是这个文件。可以把项目推送到你自己的代码仓库，运行
# `!git clone <你的仓库>` 再 `%cd <项目>/notebooks`；也可以把项目文件夹打包成 zip 上传，`!unzip` 后 `%cd` 进入其中的
# `notebooks` 文件夹。第一个单元格会在那里安装项目需要的软件包。

# %%
import logging
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from IPython.display import Image, Markdown, display

if Path.cwd().name == "notebooks":  # Jupyter starts here; the project's commands run from its root
    os.chdir("..")
if "google.colab" in sys.modules:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-e", "."], check=True)
sys.path.insert(0, os.path.abspath("src"))  # the project's package, installed or not
from {{ cookiecutter.package_name }}.runtime.quiet import import_tensorflow_quietly  # noqa: E402

import_tensorflow_quietly()  # without the start-up lines TensorFlow's C++ core prints
logging.getLogger("tensorflow").setLevel(logging.ERROR)  # one process trains several models: no retracing notes
from {{ cookiecutter.package_name }}.lesson import LESSON  # noqa: E402
from {{ cookiecutter.package_name }}.runtime import comparison, i18n, plots, shapes, training  # noqa: E402

# A short run: XLA off rather than measured both ways first (training.jit_compile: auto does that once per network)
SHORT = ["training.epochs=3", "training.jit_compile=false", "data.source=synthetic", "data.synthetic_examples=1024",
         "run.log_gradients=true"]
cfg = LESSON.settings("config.yaml", SHORT)
i18n.use(cfg["language"])

# %% [markdown] lang="en"
# ## The network on paper
#
# Every layer with its output shape and its parameters. Each size follows from the one before by
# $(W - F + 2P) / S + 1$ (input $W$, window $F$, padding $P$, stride $S$). A convolution uses the same weights at
# every position of its output, so it has far fewer parameters than connections: C1 has 156 parameters but
# 122,304 connections, the lines under the table. `python train.py explain` prints the same.

# %% [markdown] lang="zh"
# ## 纸面上的网络
#
# 每一层的输出形状和参数个数。每一层的尺寸都由前一层按 $(W - F + 2P) / S + 1$ 算出（输入宽度 $W$、窗口 $F$、
# 填充 $P$、步幅 $S$）。卷积层在输出的每个位置上用的都是同一组权重，所以它的参数远少于连接数：C1 只有 156 个参数，
# 却有 122,304 个连接，见表下面的几行。`python train.py explain` 打印的也是这些内容。

# %%
print(shapes.format_table(LESSON.layer_plan(cfg)))
for line in LESSON.notes(cfg):
    print(line)

# %% [markdown] lang="en"
# ## A look at the data
#
# One batch of training digits with their labels, as the network receives them: 28x28 grey levels from 0 to 255.
# These are the synthetic source's stand-ins, a fixed random pattern of dots per class plus noise, so that the
# notebook needs no download; with `data.source=tfds` you see real handwritten digits. The model does the rest
# itself (the random shifts, the padding to the paper's 32x32, the scaling of the pixels), so a saved model takes
# a digit as it is.

# %% [markdown] lang="zh"
# ## 看一看数据
#
# 一批训练数字和它们的标签，也就是网络实际收到的输入：28x28 的灰度值，从 0 到 255。这里是合成数据源生成的替代数字：
# 每个类别一个固定的随机点阵图案，再加上噪声，这样笔记本不用下载任何数据；`data.source=tfds` 时看到的是真实的手写数字。
# 其余的事由模型自己完成（随机平移、按论文填充到 32x32、缩放像素值），所以保存下来的模型可以直接接收原样的数字图像。

# %%
datasets = LESSON.data(cfg, cfg["training"]["batch_size"])
images, labels = next(iter(datasets.train))
figure, axes = plots.plt.subplots(2, 8, figsize=(8, 2.4))
for axis, image, label in zip(axes.flat, images, labels, strict=False):
    axis.imshow(image.numpy().squeeze(), cmap="gray")
    axis.set_title(str(int(label)))
    axis.axis("off")
picture = Path(cfg["run"]["runs_dir"]) / "notebook-batch.png"
picture.parent.mkdir(exist_ok=True)
plots.save_figure(figure, picture)
display(Image(picture))

# %% [markdown] lang="en"
# ## The model
#
# `model.py` builds the variant that `config.yaml` names (`model.variant`: classic, the 1998 paper's scaled tanh,
# trainable subsampling and C3 table); `count_params()` agrees with the table's total.

# %% [markdown] lang="zh"
# ## 模型
#
# `model.py` 按 `config.yaml` 中的 `model.variant` 搭建网络（classic：1998 年论文中的缩放 tanh、可训练的下采样和
# C3 的连接表）；`count_params()` 与上表的总数一致。

# %%
network = LESSON.model(cfg, **datasets.adapted)
print(f"{network.count_params():,}")

# %% [markdown] lang="en"
# ## Train
#
# `training.train` is what `python train.py` calls: a run directory, the progress line of each epoch, backups,
# the training curves and the test scores in `metrics.json`. The training digits are shifted at random
# (`model.augment_shift`) and the validation digits are not, so early on the validation accuracy can be the
# higher of the two.

# %% [markdown] lang="zh"
# ## 训练
#
# `training.train` 正是 `python train.py` 调用的函数：它建立运行目录，每轮打印一行进度，做备份，画出训练曲线，
# 并把测试成绩写进 `metrics.json`。训练数字会被随机平移（`model.augment_shift`），验证数字则不会，
# 所以训练初期验证准确率可能反而更高。

# %%
run_dir = Path(cfg["run"]["runs_dir"]) / f"{datetime.now():%Y%m%d-%H%M%S}-notebook"
metrics = training.train(LESSON, cfg, run_dir)
display(Image(run_dir / "training_curves.png"))

# %% [markdown] lang="en"
# ## Evaluate
#
# The test accuracy, and the confusion matrix: row = the true digit, column = the predicted one. The diagonal is
# what the network gets right; the largest number off it is the pair of digits it confuses most.

# %% [markdown] lang="zh"
# ## 评估
#
# 测试准确率和混淆矩阵：行是真实的数字，列是预测的数字。对角线上是预测正确的数量；对角线外最大的数，
# 就是网络最容易混淆的一对数字。

# %%
print(LESSON.summary(metrics["test"]))
for artifact in LESSON.evaluation_artifacts:
    display(Image(run_dir / artifact))

# %% [markdown] lang="en"
# ## An exercise: the 1998 net against today's
#
# The paper's network (scaled tanh, trainable subsampling, C3 wired by its table) against the modern variant of
# the same sizes (ReLU, max-pooling, C3 sees all six S2 maps), each run logging how large every layer's gradient
# is. `gradients.png` shows every layer's gradient size, from C1 to the output, before training (solid) and after
# the last epoch (dashed): how much of the output's gradient still reaches C1 in each. On real digits the modern
# one learns faster per epoch and ends ahead (measured on 5,000 digits over the full run: classic 96.1 %, modern
# 96.9 %). On this run's stand-in dot patterns and three epochs it can come out the other way: a short run on
# made-up data checks that everything works, it measures nothing; add `data.source=tfds` for the real comparison.
# On the command line: `python train.py compare model.variant=classic,modern --seeds 2 run.log_gradients=true`.

# %% [markdown] lang="zh"
# ## 练习：1998 年的网络对比今天的网络
#
# 论文中的网络（缩放 tanh、可训练的下采样、C3 按论文的表连接）对比同样尺寸的现代版本（ReLU、最大池化、C3 连接
# S2 的全部六个特征图），每次运行都记录每一层梯度的大小。`gradients.png` 画出从 C1 到输出层每一层梯度的大小，
# 实线是训练前，虚线是最后一轮之后：可以看出两者各有多少输出层的梯度传回了 C1。在真实数字上，现代版本每一轮学得
# 更快，最后也更好（在 5,000 个数字上完整训练的测量结果：classic 96.1 %，modern 96.9 %）。在这次运行的替代点阵
# 图案上只训练三轮，结果可能正好相反：在虚构的数据上做很短的训练，只是检查一切都能运行，并不测量什么；
# 加上 `data.source=tfds` 才是真正的比较。
# 在命令行中：`python train.py compare model.variant=classic,modern --seeds 2 run.log_gradients=true`。

# %%
values = ["model.variant=classic,modern", *SHORT]
folder, steps = comparison.start(LESSON, Path("config.yaml"), values, seeds=1)
for run in steps["runs"]:  # compare trains each run in a process of its own; here, one after the other in this one
    settings = LESSON.settings(folder / "config.yaml", run["overrides"])
    if settings == cfg:  # the run trained above, with these very settings and seed: copied in, not trained again
        shutil.copytree(run_dir, folder / run["dir"])
    else:
        training.train(LESSON, settings, folder / run["dir"])
comparison.summarize(LESSON, folder, steps)
display(Markdown((folder / "summary.md").read_text(encoding="utf-8")))
display(Image(folder / "gradients.png"))
