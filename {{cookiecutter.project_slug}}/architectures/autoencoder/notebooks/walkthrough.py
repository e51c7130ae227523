# %% [markdown] lang="en"
# # A stacked autoencoder learns to compress digits: the walkthrough
#
# The same steps as `python train.py`, one cell each, with the same code: the lesson in
# `src/{{ cookiecutter.package_name }}/lesson.py` and the runtime behind it. The run is short (one pre-training
# epoch per layer and a few epochs of fine-tuning, on stand-in digits) so that the notebook runs in a minute; make
# `SHORT` below an empty list to train with `config.yaml` as it is.
#
# **On Colab**: bring the whole project, not this file alone. Either push the project to your own repository and
# run `!git clone <your repository>` then `%cd <project>/notebooks`, or upload the project's folder as a zip,
# `!unzip` it and `%cd` into its `notebooks` folder. The first cell installs what the project needs there.

# %% [markdown] lang="zh"
# # 堆叠自编码器学习压缩手写数字：逐步演示
#
# 与 `python train.py` 相同的步骤，每步一个单元格，用的也是同一份代码：`src/{{ cookiecutter.package_name }}/lesson.py`
# 中的课程代码和它背后的运行时。这里只做一次很短的训练（在替代数字上，每一层预训练一轮，再微调几轮），整个笔记本
# 一分钟内就能跑完；把下面的 `SHORT` 改成空列表，就按 `config.yaml` 原样训练。
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
SHORT = ["training.epochs=3", "training.jit_compile=false", "pretraining.epochs=1", "data.source=synthetic",
         "data.synthetic_examples=1024"]
cfg = LESSON.settings("config.yaml", SHORT)
i18n.use(cfg["language"])

# %% [markdown] lang="en"
# ## The network on paper
#
# The encoder narrows the 784 pixels down to a code of `model.code_size` numbers; the decoder is its mirror image
# and rebuilds the pixels from the code. The code layer is linear by default (`model.code_activation: tanh` bounds
# it), so codes can spread over the whole plane; the last layer is a sigmoid, because it rebuilds grey levels
# scaled to 0-1. Under the table, the shallow
# autoencoders of greedy pre-training: each layer pair is first trained alone to reproduce what reaches it, then
# the stack is unrolled into encoder and decoder. `python train.py explain` prints the same.

# %% [markdown] lang="zh"
# ## 纸面上的网络
#
# 编码器把 784 个像素逐层变窄，压缩成由 `model.code_size` 个数组成的编码；解码器是它的镜像，从编码重构出像素。
# 编码层默认是线性的（`model.code_activation: tanh` 会给它加上界限），所以编码可以分布在整个平面上；最后一层是 sigmoid，因为它要重构的是缩放到 0-1 的灰度值。
# 表下面是逐层贪心预训练用的浅层自编码器：每一对层先单独训练，重现到达它的输入，然后把这一叠展开成编码器和解码器。
# `python train.py explain` 打印的也是这些内容。

# %%
print(shapes.format_table(LESSON.layer_plan(cfg)))
for line in LESSON.notes(cfg):
    print(line)

# %% [markdown] lang="en"
# ## A look at the data
#
# One batch of training digits as the network receives them (top), and the target its output is compared with
# (bottom): the same digits, as one row of 784 grey levels scaled to 0-1, drawn here as 28x28 again. An
# autoencoder needs no labels: its target is its own input. These are the synthetic source's stand-in digits, a
# fixed random pattern of dots per class plus noise, so that the notebook needs no download; with
# `data.source=tfds` you see real handwritten digits.

# %% [markdown] lang="zh"
# ## 看一看数据
#
# 上面一行是一批训练数字，也就是网络实际收到的输入；下面一行是网络的输出要与之比较的目标：同样的数字，变成一行
# 784 个缩放到 0-1 的灰度值，这里重新画成 28x28。自编码器不需要标签：它的目标就是它自己的输入。这里是合成数据源
# 生成的替代数字：每个类别一个固定的随机点阵图案，再加上噪声，这样笔记本不用下载任何数据；`data.source=tfds` 时
# 看到的是真实的手写数字。

# %%
datasets = LESSON.data(cfg, cfg["training"]["batch_size"])
images, targets = next(iter(datasets.train))
figure, axes = plots.plt.subplots(2, 8, figsize=(8, 2.2))
for column in range(8):
    axes[0, column].imshow(images[column].numpy().squeeze(), cmap="gray")
    axes[1, column].imshow(targets["reconstruction"][column].numpy().reshape(28, 28), cmap="gray", vmin=0, vmax=1)
for axis in axes.flat:
    axis.axis("off")
picture = Path(cfg["run"]["runs_dir"]) / "notebook-batch.png"
picture.parent.mkdir(exist_ok=True)
plots.save_figure(figure, picture)
display(Image(picture))

# %% [markdown] lang="en"
# ## The model
#
# `model.py` builds the encoder-decoder from the settings; `count_params()` agrees with the table's total. Its
# weights are random for now: the next step replaces them with the shallow autoencoders' before fine-tuning.

# %% [markdown] lang="zh"
# ## 模型
#
# `model.py` 按设置搭建编码器-解码器；`count_params()` 与上表的总数一致。它的权重现在还是随机的：下一步会在微调
# 之前换成各个浅层自编码器的权重。

# %%
network = LESSON.model(cfg, **datasets.adapted)
print(f"{network.count_params():,}")

# %% [markdown] lang="en"
# ## Train
#
# `training.train` is what `python train.py` calls. Here it first hands the network to the lesson's `pretrain`:
# 784-500-784 learns to reproduce the images, 500-250-500 the codes of the first, then 250-2-250; each one's
# hidden layer joins the encoder and its output layer the decoder, at the mirror position. Then it fine-tunes the
# whole encoder-decoder by back-propagation on the mean squared error of the reconstruction: a run directory, the
# progress line of each epoch, backups, the training curves of fine-tuning and the test scores in
# `metrics.json`.

# %% [markdown] lang="zh"
# ## 训练
#
# `training.train` 正是 `python train.py` 调用的函数。在这里它先把网络交给课程代码的 `pretrain`：784-500-784 学习
# 重现图像，500-250-500 学习重现第一个的编码，然后是 250-2-250；每个浅层自编码器的隐藏层加入编码器，输出层加入
# 解码器中的镜像位置。之后它以重构的均方误差为损失，用反向传播微调整个编码器-解码器：建立运行目录，每轮打印一行
# 进度，做备份，画出微调的训练曲线，并把测试成绩写进 `metrics.json`。

# %%
run_dir = Path(cfg["run"]["runs_dir"]) / f"{datetime.now():%Y%m%d-%H%M%S}-notebook"
metrics = training.train(LESSON, cfg, run_dir)
display(Image(run_dir / "training_curves.png"))

# %% [markdown] lang="en"
# ## Evaluate
#
# Against principal component analysis (PCA) with as many components as the code has units: PCA is the best
# *linear* encoder-decoder with a code that short, so the autoencoder earns its nonlinearity only by beating it.
# The line below gives both reconstruction errors on the test digits, and the 5-nearest-neighbour accuracy of both
# codes (do digits of a class lie together?). `reconstructions.png`: a test digit of each class above the
# autoencoder's reconstruction and PCA's. `codes.png`: the codes beside PCA's first two components, coloured by
# class, as in Hinton and Salakhutdinov's figure 3. After a few epochs on stand-in dot patterns, which a straight
# line already tells apart, PCA may well be ahead; on real digits over the full run the autoencoder wins (measured
# on 5,000 digits: an error of 0.0448 against PCA's 0.0546, 5-NN accuracy 59.2 % against 42.3 %).

# %% [markdown] lang="zh"
# ## 评估
#
# 与主成分分析（PCA）比较，PCA 取的主成分个数与编码的单元数相同：编码这么短时，PCA 是最好的*线性*编码器-解码器，
# 自编码器只有胜过它，它的非线性才算物有所值。下面一行给出两者在测试数字上的重构误差，以及两种编码的 5 近邻
# 准确率（同一类的数字是否聚在一起？）。`reconstructions.png`：每个类别一个测试数字，下面是自编码器和 PCA 的重构。
# `codes.png`：编码与 PCA 的前两个主成分并排画出，按类别着色，就像 Hinton 和 Salakhutdinov 的图 3。替代点阵图案
# 用一条直线就能分开，在它们上面只训练几轮，PCA 很可能领先；在真实数字上完整训练，自编码器胜出（在 5,000 个数字上
# 测得：重构误差 0.0448 对 PCA 的 0.0546，5 近邻准确率 59.2 % 对 42.3 %）。

# %%
print(LESSON.summary(metrics["test"]))
for artifact in LESSON.evaluation_artifacts:
    display(Image(run_dir / artifact))

# %% [markdown] lang="en"
# ## An exercise: nonlinear against linear
#
# A code of 2 numbers against one of 30, each against PCA with as many components. Measured on 5,000 real digits
# over the full run: at 2-D the codes separate the digits far better than PCA (5-NN accuracy 59 % against 42 %);
# at 30-D PCA's projection is already as good for neighbours, while the autoencoder still rebuilds the digits with
# about half of PCA's error. On the command line: `python train.py compare model.code_size=2,30`; then open both
# `codes.png` (a 30-number code is drawn by its own first two principal components). To keep this run short its
# nets start from random weights (`model.pretrain=false`), which with ReLU changes little.

# %% [markdown] lang="zh"
# ## 练习：非线性对比线性
#
# 由 2 个数组成的编码对比由 30 个数组成的编码，各自与主成分个数相同的 PCA 比较。在 5,000 个真实数字上完整训练的
# 测量结果：二维时，编码把各个数字分开的效果远好于 PCA（5 近邻准确率 59 % 对 42 %）；30 维时，就近邻而言 PCA 的
# 投影已经一样好，而自编码器重构数字的误差仍然只有 PCA 的一半左右。在命令行中：
# `python train.py compare model.code_size=2,30`，然后打开两个 `codes.png`（30 个数的编码按它自己的前两个主成分画出）。
# 为了让这次运行短一些，这里的网络从随机权重开始（`model.pretrain=false`），用 ReLU 时这样做差别不大。

# %%
values = ["model.code_size=2,30", "model.pretrain=false", "training.epochs=2", *SHORT[1:]]
folder, steps = comparison.start(LESSON, Path("config.yaml"), values, seeds=1)
scores = {}
for run in steps["runs"]:  # compare trains each run in a process of its own; here, one after the other in this one
    scores[run["dir"]] = training.train(LESSON, LESSON.settings(folder / "config.yaml", run["overrides"]),
                                        folder / run["dir"])["test"]
comparison.summarize(LESSON, folder, steps)
display(Markdown((folder / "summary.md").read_text(encoding="utf-8")))
for name, test in scores.items():
    print(f"{name}: {LESSON.summary(test)}")
display(Image(folder / "curves.png"))
for run in steps["runs"]:
    display(Image(folder / run["dir"] / "codes.png"))
