# %% [markdown] lang="en"
# # A dense net learns MNIST digits: the walkthrough
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
# # 全连接网络识别 MNIST 手写数字：逐步演示
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
SHORT = ["training.epochs=3", "training.jit_compile=false", "data.source=synthetic", "data.synthetic_examples=2048"]
cfg = LESSON.settings("config.yaml", SHORT)
i18n.use(cfg["language"])

# %% [markdown] lang="en"
# ## The network on paper
#
# Every layer with its output shape and its parameters: a dense layer of $n$ units on $m$ inputs has $m \cdot n$
# weights and $n$ biases. `python train.py explain` prints the same table.

# %% [markdown] lang="zh"
# ## 纸面上的网络
#
# 每一层的输出形状和参数个数：$m$ 个输入、$n$ 个单元的全连接层有 $m \cdot n$ 个权重和 $n$ 个偏置。
# `python train.py explain` 打印的也是这张表。

# %%
print(shapes.format_table(LESSON.layer_plan(cfg)))
for line in LESSON.notes(cfg):
    print(line)

# %% [markdown] lang="en"
# ## A look at the data
#
# One batch of training images with their labels, as the network receives them.

# %% [markdown] lang="zh"
# ## 看一看数据
#
# 一批训练图像和它们的标签，也就是网络实际收到的输入。

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
# `model.py` builds it from the settings; `count_params()` agrees with the table above.

# %% [markdown] lang="zh"
# ## 模型
#
# `model.py` 按设置搭建网络；`count_params()` 与上面的表一致。

# %%
network = LESSON.model(cfg, **datasets.adapted)
print(f"{network.count_params():,}")

# %% [markdown] lang="en"
# ## Train
#
# `training.train` is what `python train.py` calls: a run directory, the progress line of each epoch, backups,
# the training curves and the test scores in `metrics.json`.

# %% [markdown] lang="zh"
# ## 训练
#
# `training.train` 正是 `python train.py` 调用的函数：它建立运行目录，每轮打印一行进度，做备份，画出训练曲线，
# 并把测试成绩写进 `metrics.json`。

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
display(Image(run_dir / "confusion_matrix.png"))

# %% [markdown] lang="en"
# ## An exercise: why sigmoid's gradient vanishes in a deep net
#
# Six hidden layers, once with sigmoid and once with ReLU, each run logging how large every layer's gradient is.
# With sigmoid the layers near the input get gradients orders of magnitude smaller than those near the output
# (sigmoid's slope is at most 1/4, and back-propagation multiplies one slope per layer); with ReLU they stay alike.
# On the command line: `python train.py compare model.activation=sigmoid,relu "model.hidden_units=[128,128,128,128,128,128]" run.log_gradients=true`.

# %% [markdown] lang="zh"
# ## 练习：为什么深层网络中 sigmoid 的梯度会消失
#
# 六个隐藏层，分别用 sigmoid 和 ReLU 训练一次，每次都记录每一层梯度的大小。用 sigmoid 时，靠近输入的层的梯度比
# 靠近输出的层小好几个数量级（sigmoid 的斜率最大只有 1/4，反向传播每经过一层就乘上一个斜率）；用 ReLU 时各层的
# 梯度大小相近。在命令行中：`python train.py compare model.activation=sigmoid,relu "model.hidden_units=[128,128,128,128,128,128]" run.log_gradients=true`。

# %%
values = ["model.activation=sigmoid,relu", "model.hidden_units=[128,128,128,128,128,128]", "run.log_gradients=true",
          "training.epochs=2", *SHORT[1:]]
folder, steps = comparison.start(LESSON, Path("config.yaml"), values, seeds=1)
for run in steps["runs"]:  # compare trains each run in a process of its own; here, one after the other in this one
    training.train(LESSON, LESSON.settings(folder / "config.yaml", run["overrides"]), folder / run["dir"])
comparison.summarize(LESSON, folder, steps)
display(Markdown((folder / "summary.md").read_text(encoding="utf-8")))
display(Image(folder / "gradients.png"))
