# %% [markdown] lang="en"
# # AlexNet learns to name photos: the walkthrough
#
# The same steps as `python train.py`, one cell each, with the same code: the lesson in
# `src/{{ cookiecutter.package_name }}/lesson.py` and the runtime behind it. The run is short (a shrunk AlexNet,
# a few epochs on stand-in pictures) so that the notebook runs in a minute on a CPU; make `SHORT` below an empty
# list to train with `config.yaml` as it is (the full network wants a GPU).
#
# **On Colab**: bring the whole project, not this file alone. Either push the project to your own repository and
# run `!git clone <your repository>` then `%cd <project>/notebooks`, or upload the project's folder as a zip,
# `!unzip` it and `%cd` into its `notebooks` folder. The first cell installs what the project needs there.

# %% [markdown] lang="zh"
# # AlexNet 学习识别照片：逐步演示
#
# 与 `python train.py` 相同的步骤，每步一个单元格，用的也是同一份代码：`src/{{ cookiecutter.package_name }}/lesson.py`
# 中的课程代码和它背后的运行时。这里只做一次很短的训练（缩小的 AlexNet，在替代图片上训练几轮），在 CPU 上整个
# 笔记本一分钟内就能跑完；把下面的 `SHORT` 改成空列表，就按 `config.yaml` 原样训练（完整的网络需要 GPU）。
#
# **在 Colab 上**：要带上整个项目，而不只是这个文件。可以把项目推送到你自己的代码仓库，运行
# `!git clone <你的仓库>` 再 `%cd <项目>/notebooks`；也可以把项目文件夹打包成 zip 上传，`!unzip` 后 `%cd` 进入其中的
# `notebooks` 文件夹。第一个单元格会在那里安装项目需要的软件包。

# %%
import logging
import os
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
from {{ cookiecutter.package_name }}.layers import RandomOrCentreCrop  # noqa: E402
from {{ cookiecutter.package_name }}.lesson import LESSON  # noqa: E402
from {{ cookiecutter.package_name }}.runtime import comparison, i18n, plots, shapes, training  # noqa: E402

# AlexNet shrunk to train in seconds on a CPU: smaller pictures, fewer filters and units, the same rules
SMALL = ["model.input_size=128", "model.crop_size=99", "model.conv_filters=[24,64,96,96,64]",
         "model.dense_units=[256,256]"]
# A short run: XLA and the precision chosen here, not measured both ways first (auto does that once per network)
SHORT = ["training.epochs=3", "training.jit_compile=false", "training.mixed_precision=false",
         "training.batch_size=32", "data.source=synthetic", "data.synthetic_examples=320", *SMALL]
cfg = LESSON.settings("config.yaml", SHORT)
i18n.use(cfg["language"])

# %% [markdown] lang="en"
# ## The network on paper
#
# Every layer with its output shape and its parameters, for `config.yaml` as it is: the paper's 227x227 crops
# of 256x256 photos, and as many outputs as the data has classes. Each size follows from the one before by
# $(W - F + 2P) / S + 1$ (input $W$, window $F$, padding $P$, stride $S$); the pooling windows of 3 every 2 pixels
# overlap. The convolutions do most of the computing but hold few of the weights: most are in fc6, whose every
# unit sees all $6 \cdot 6 \cdot 256$ numbers of pool5. Under the table: the count with two towers, and what one
# image costs. `python train.py explain` prints the same.

# %% [markdown] lang="zh"
# ## 纸面上的网络
#
# 按 `config.yaml` 原样设置时每一层的输出形状和参数个数：与论文一样，从 256x256 的照片中裁出 227x227，输出的个数
# 等于数据的类别数。每一层的尺寸都由前一层按 $(W - F + 2P) / S + 1$ 算出（输入宽度 $W$、窗口 $F$、填充 $P$、
# 步幅 $S$）；池化窗口大小为 3、每次移动 2 个像素，所以相邻的窗口互相重叠（重叠池化）。计算量大多在卷积层，
# 权重却大多在 fc6：它的每个单元都要看 pool5 的全部 $6 \cdot 6 \cdot 256$ 个数。表下面是用两个塔时的参数个数，
# 以及处理一张图片的计算量。`python train.py explain` 打印的也是这些内容。

# %%
paper = LESSON.settings("config.yaml")
print(shapes.format_table(LESSON.layer_plan(paper)))
for line in LESSON.notes(paper):
    print(line)

# %% [markdown] lang="en"
# ## A look at the data
#
# One batch of training pictures with their classes, as the network receives them (top): the synthetic source's
# stand-in photos, a blocky colour pattern per class under noise, resized to `model.input_size`. Below, what the
# first convolution sees of the same pictures while training: a random `model.crop_size` window of each. Every
# epoch cuts other windows (and flips half of them), so the network rarely sees the same picture twice: the
# paper's main defence against over-fitting. When testing it sees the centre window.

# %% [markdown] lang="zh"
# ## 看一看数据
#
# 上面一行是一批训练图片和它们的类别，也就是网络实际收到的输入：合成数据源生成的替代照片，每个类别一种块状的彩色
# 图案，再加上噪声，缩放到 `model.input_size`。下面一行是训练时第一个卷积层看到的同一批图片：从每张图片中随机
# 裁出的 `model.crop_size` 窗口。每一轮裁出的窗口都不同（还会随机左右翻转一半），所以网络很少两次看到同一张图片：
# 这是论文防止过拟合的主要手段（数据增强）。测试时网络看到的是中心的窗口。

# %%
datasets = LESSON.data(cfg, cfg["training"]["batch_size"])
images, labels = next(iter(datasets.train))
crops = RandomOrCentreCrop(cfg["model"]["crop_size"], seed=cfg["seed"])(images[:8], training=True)
figure, axes = plots.plt.subplots(2, 8, figsize=(10, 2.9))
for axis, image, label in zip(axes[0], images, labels, strict=False):
    axis.imshow(image.numpy())
    axis.set_title(datasets.class_names[int(label)], fontsize=8)
for axis, crop in zip(axes[1], crops, strict=True):
    axis.imshow(crop.numpy().astype("uint8"))
for axis in axes.flat:
    axis.axis("off")
picture = Path(cfg["run"]["runs_dir"]) / "notebook-batch.png"
picture.parent.mkdir(exist_ok=True)
plots.save_figure(figure, picture)
display(Image(picture))

# %% [markdown] lang="en"
# ## The model
#
# `model.py` builds the shrunk network from the settings: the same layers as above, with sizes that follow from
# the same rule. The crop, the flip and the scaling of the pixels are layers of the model, so a saved model does
# the same to a photo at prediction time. `count_params()` agrees with this table's total.

# %% [markdown] lang="zh"
# ## 模型
#
# `model.py` 按设置搭建缩小后的网络：层与上面相同，尺寸也按同一个公式算出。裁剪、翻转和像素缩放都是模型中的层，
# 所以保存下来的模型在预测时对照片做同样的处理。`count_params()` 与这张表的总数一致。

# %%
print(shapes.format_table(LESSON.layer_plan(cfg)))
network = LESSON.model(cfg, **datasets.adapted)
print(f"{network.count_params():,}")

# %% [markdown] lang="en"
# ## Train
#
# `training.train` is what `python train.py` calls: a run directory, the progress line of each epoch, backups,
# the training curves and the test scores in `metrics.json`. Dropout switches off half of fc6's and fc7's units
# while training and none while validating, and the training pictures are random crops: so the training loss can
# stay above the validation loss.

# %% [markdown] lang="zh"
# ## 训练
#
# `training.train` 正是 `python train.py` 调用的函数：它建立运行目录，每轮打印一行进度，做备份，画出训练曲线，
# 并把测试成绩写进 `metrics.json`。丢弃法（dropout）在训练时关掉 fc6 和 fc7 中一半的单元，验证时一个也不关，
# 训练图片又是随机裁剪的，所以训练损失可能一直高于验证损失。

# %%
run_dir = Path(cfg["run"]["runs_dir"]) / f"{datetime.now():%Y%m%d-%H%M%S}-notebook"
metrics = training.train(LESSON, cfg, run_dir)
display(Image(run_dir / "training_curves.png"))

# %% [markdown] lang="en"
# ## Evaluate
#
# The test accuracy, and the confusion matrix: row = the true class, column = the predicted one, on the centre
# crops of the test pictures. The diagonal is what the network gets right; the largest number off it is the pair
# of classes it confuses most.

# %% [markdown] lang="zh"
# ## 评估
#
# 测试准确率和混淆矩阵（用测试图片的中心窗口）：行是真实的类别，列是预测的类别。对角线上是预测正确的数量；
# 对角线外最大的数，就是网络最容易混淆的一对类别。

# %%
print(LESSON.summary(metrics["test"]))
for artifact in LESSON.evaluation_artifacts:
    display(Image(run_dir / artifact))

# %% [markdown] lang="en"
# ## An exercise: one tower or two
#
# The paper split AlexNet over two GPUs of 3 GB: with `model.towers=2`, conv2, conv4 and conv5 are grouped
# convolutions, each filter seeing only its own tower's half of the maps below, so those layers have half the
# weights (the parameters in the table below). Whether the split costs accuracy is what the curves show. Fewer
# weights are not less time on a CPU: there the grouped convolutions are the slower ones (the wall time below), so
# each epoch here stops after 3 steps. On the command line:
# `python train.py compare model.towers=1,2 model.conv_filters=[48,128,192,192,128] model.dense_units=[1024,1024]`.

# %% [markdown] lang="zh"
# ## 练习：一个塔还是两个塔
#
# 论文把 AlexNet 分到两块 3 GB 的 GPU 上：`model.towers=2` 时，conv2、conv4 和 conv5 是分组卷积，每个卷积核只看
# 前一层中属于自己那个塔的一半特征图，所以这几层的权重只有原来的一半（见下表中的参数个数）。这样拆分是否
# 损失准确率，要看曲线。权重少并不等于在 CPU 上用时少：在 CPU 上，分组卷积反而更慢（见下表的耗时），所以这里每一轮
# 只训练 3 步。在命令行中：
# `python train.py compare model.towers=1,2 model.conv_filters=[48,128,192,192,128] model.dense_units=[1024,1024]`。

# %%
values = ["model.towers=1,2", "training.epochs=2", "training.steps_per_epoch=3", *SHORT[1:]]
folder, steps = comparison.start(LESSON, Path("config.yaml"), values, seeds=1)
for run in steps["runs"]:  # compare trains each run in a process of its own; here, one after the other in this one
    training.train(LESSON, LESSON.settings(folder / "config.yaml", run["overrides"]), folder / run["dir"])
comparison.summarize(LESSON, folder, steps)
display(Markdown((folder / "summary.md").read_text(encoding="utf-8")))
display(Image(folder / "curves.png"))
