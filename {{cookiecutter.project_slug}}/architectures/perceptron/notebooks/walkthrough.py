# %% [markdown] lang="en"
# # A perceptron separates points in the plane: the walkthrough
#
# The same steps as `python train.py`, one cell each, with the same code: the lesson in
# `src/{{ cookiecutter.package_name }}/lesson.py` and the runtime behind it. The run is short (a few epochs on the
# XOR points) so that the notebook runs in a minute; delete `SHORT` below to train with `config.yaml` as it is.
#
# **On Colab**: bring the whole project, not this file alone. Either push the project to your own repository and
# run `!git clone <your repository>` then `%cd <project>/notebooks`, or upload the project's folder as a zip,
# `!unzip` it and `%cd` into its `notebooks` folder. The first cell installs what the project needs there.

# %% [markdown] lang="zh"
# # 感知机分开平面上的点：逐步演示
#
# 与 `python train.py` 相同的步骤，每步一个单元格，用的也是同一份代码：`src/{{ cookiecutter.package_name }}/lesson.py`
# 中的课程代码和它背后的运行时。这里只做一次很短的训练（在异或的点上训练几轮），整个笔记本一分钟内就能跑完；
# 删除下面的 `SHORT`，就按 `config.yaml` 原样训练。
#
# **在 Colab 上**：要带上整个项目，而不只是这个文件。可以把项目推送到你自己的代码仓库，运行
# `!git clone <你的仓库>` 再 `%cd <项目>/notebooks`；也可以把项目文件夹打包成 zip 上传，`!unzip` 后 `%cd` 进入其中的
# `notebooks` 文件夹。第一个单元格会在那里安装项目需要的软件包。

# %%
import os
import shutil
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
from {{ cookiecutter.package_name }}.runtime import comparison, i18n, plots, shapes, training  # noqa: E402

# A short run: a few epochs, and XLA left off (measuring whether it pays takes longer than this run).
SHORT = ["training.epochs=5", "data.source=synthetic", "training.jit_compile=false"]
cfg = LESSON.settings("config.yaml", SHORT)
i18n.use(cfg["language"])

# %% [markdown] lang="en"
# ## The network on paper
#
# A point $(x_1, x_2)$ goes in. Each hidden unit computes $w_1 x_1 + w_2 x_2 + b$ and bends it with its activation:
# one line per unit, $(2 + 1) \cdot n$ parameters for $n$ units. The output unit's sigmoid combines them into the
# probability of class 1. `python train.py explain` prints the same table.

# %% [markdown] lang="zh"
# ## 纸面上的网络
#
# 输入一个点 $(x_1, x_2)$。每个隐藏单元计算 $w_1 x_1 + w_2 x_2 + b$，再用激活函数把它弯折：每个单元一条直线，
# $n$ 个单元有 $(2 + 1) \cdot n$ 个参数。输出单元的 sigmoid 把它们组合成属于类别 1 的概率。
# `python train.py explain` 打印的也是这张表。

# %%
print(shapes.format_table(LESSON.layer_plan(cfg)))
for line in LESSON.notes(cfg):
    print(line)

# %% [markdown] lang="en"
# ## A look at the data
#
# The training points of XOR, red for class 0 and blue for class 1: opposite corners of the square are in the same
# class, so no straight line puts the reds on one side and the blues on the other.

# %% [markdown] lang="zh"
# ## 看一看数据
#
# 异或的训练点，红色是类别 0，蓝色是类别 1：正方形相对的两个角属于同一类，所以没有一条直线能把红点和蓝点分在两侧。

# %%
datasets = LESSON.data(cfg, cfg["training"]["batch_size"])
batches = list(datasets.train)
points = tf.concat([batch_points for batch_points, _ in batches], axis=0).numpy()
labels = tf.concat([batch_labels for _, batch_labels in batches], axis=0).numpy()
figure, axis = plots.plt.subplots(figsize=(4, 4))
axis.scatter(points[:, 0], points[:, 1], c=labels, cmap="RdBu", vmin=0, vmax=1, s=8, edgecolors="black",
             linewidths=0.3)
axis.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
figure.tight_layout()
picture = Path(cfg["run"]["runs_dir"]) / "notebook-points.png"
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
# the training curves and the test scores in `metrics.json`. After every epoch it also keeps the network's
# probability of class 1 over a grid of the plane (`boundary.py`), for the pictures below.

# %% [markdown] lang="zh"
# ## 训练
#
# `training.train` 正是 `python train.py` 调用的函数：它建立运行目录，每轮打印一行进度，做备份，画出训练曲线，
# 并把测试成绩写进 `metrics.json`。每轮结束后，它还会在覆盖平面的网格上记下网络给出的类别 1 的概率
# （`boundary.py`），供下面的图使用。

# %%
run_dir = Path(cfg["run"]["runs_dir"]) / f"{datetime.now():%Y%m%d-%H%M%S}-notebook"
metrics = training.train(LESSON, cfg, run_dir)
display(Image(run_dir / "training_curves.png"))

# %% [markdown] lang="en"
# ## Evaluate
#
# The test accuracy, and the decision boundary: the black line where the probability of class 1 is 0.5, over the
# test points. Four hidden units draw four lines; their soft steps add up to a boundary that bends around the
# corners. The strip below it shows the boundary after each epoch: it moves most in the first ones.

# %% [markdown] lang="zh"
# ## 评估
#
# 测试准确率和决策边界：黑线是类别 1 的概率等于 0.5 的地方，背景上是测试点。四个隐藏单元画出四条直线，
# 它们的“软台阶”叠加起来，就成了绕过各个角弯折的边界。下面的条带是每轮之后的边界：前几轮移动得最多。

# %%
print(LESSON.summary(metrics["test"]))
display(Image(run_dir / "decision_boundary.png"))
display(Image(run_dir / "boundary_per_epoch.png"))

# %% [markdown] lang="en"
# ## An exercise: one layer cannot learn XOR; one hidden layer can
#
# The single-layer perceptron (`model.hidden_units=[]`) against the hidden layer of 4. The single layer's boundary
# is one straight line, which gets at most three of the four corners right: its accuracy stays far below the
# hidden layer's, and its loss stalls near $\ln 2 \approx 0.69$, the loss of answering 0.5 everywhere.
# On the command line: `python train.py compare "model.hidden_units=[],[4]" --seeds 5`.

# %% [markdown] lang="zh"
# ## 练习：单层学不会异或，加一个隐藏层就可以
#
# 单层感知机（`model.hidden_units=[]`）对比有 4 个单元的隐藏层。单层的决策边界是一条直线，四个角最多只能分对三个：
# 它的准确率远低于有隐藏层的网络，损失停在 $\ln 2 \approx 0.69$ 附近，也就是处处回答 0.5 的损失。
# 在命令行中：`python train.py compare "model.hidden_units=[],[4]" --seeds 5`。

# %%
values = ["model.hidden_units=[],[4]", *SHORT]
folder, steps = comparison.start(LESSON, Path("config.yaml"), values, seeds=1)
for run in steps["runs"]:  # compare trains each run in a process of its own; here, one after the other in this one
    settings = LESSON.settings(folder / "config.yaml", run["overrides"])
    if settings == cfg:  # the run trained above, with these very settings and seed: copied in, not trained again
        shutil.copytree(run_dir, folder / run["dir"])
    else:
        training.train(LESSON, settings, folder / run["dir"])
comparison.summarize(LESSON, folder, steps)
display(Image(folder / "curves.png"))
for run in steps["runs"]:
    display(Image(folder / run["dir"] / "decision_boundary.png", width=300))
