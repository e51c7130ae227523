# %% [markdown] lang="en"
# # A Deep Belief Net learns MNIST digits: the walkthrough
#
# The same steps as `python train.py`, one cell each, with the same code: the lesson in
# `src/{{ cookiecutter.package_name }}/lesson.py` and the runtime behind it. The run is short (one pre-training
# epoch per RBM and a few epochs of fine-tuning, on stand-in digits) so that the notebook runs in a minute; make
# `SHORT` below an empty list to train with `config.yaml` as it is.
#
# **On Colab**: bring the whole project, not this file alone. Either push the project to your own repository and
# run `!git clone <your repository>` then `%cd <project>/notebooks`, or upload the project's folder as a zip,
# `!unzip` it and `%cd` into its `notebooks` folder. The first cell installs what the project needs there.

# %% [markdown] lang="zh"
# # 深度信念网络识别 MNIST 手写数字：逐步演示
#
# 与 `python train.py` 相同的步骤，每步一个单元格，用的也是同一份代码：`src/{{ cookiecutter.package_name }}/lesson.py`
# 中的课程代码和它背后的运行时。这里只做一次很短的训练（在替代数字上，每个受限玻尔兹曼机预训练一轮，再微调几轮），
# 整个笔记本一分钟内就能跑完；把下面的 `SHORT` 改成空列表，就按 `config.yaml` 原样训练。
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
SHORT = ["training.epochs=3", "training.jit_compile=false", "pretraining.epochs=1", "data.source=synthetic",
         "data.synthetic_examples=1024", "run.log_gradients=true"]
cfg = LESSON.settings("config.yaml", SHORT)
i18n.use(cfg["language"])

# %% [markdown] lang="en"
# ## The network on paper
#
# The classifier that fine-tuning trains: sigmoid layers of `model.hidden_units` (Hinton's 500-500-2000) and a
# softmax. Under the table, the restricted Boltzmann machines that pre-train it, one per hidden layer: RBM 1 sees
# the 784 pixels, each later one the hidden units of the one below. An RBM has a weight for every visible-hidden
# pair and a bias for every unit; its visible biases serve only to rebuild what it sees, so they are not copied
# into the classifier. `python train.py explain` prints the same.

# %% [markdown] lang="zh"
# ## 纸面上的网络
#
# 微调时训练的分类器：由 `model.hidden_units` 决定的几个 sigmoid 层（Hinton 的 500-500-2000），再加一个 softmax
# 层。表下面是为它做预训练的受限玻尔兹曼机（RBM），每个隐藏层一个：RBM 1 看 784 个像素，之后每个 RBM 看它下面
# 那个 RBM 的隐藏单元。RBM 的每一对可见单元和隐藏单元之间都有一个权重，每个单元有一个偏置；可见单元的偏置只用来
# 重构它看到的输入，所以不会复制到分类器中。`python train.py explain` 打印的也是这些内容。

# %%
print(shapes.format_table(LESSON.layer_plan(cfg)))
for line in LESSON.notes(cfg):
    print(line)

# %% [markdown] lang="en"
# ## A look at the data
#
# One batch of training digits with their labels, as the network receives them: 28x28 grey levels from 0 to 255.
# These are the synthetic source's stand-ins, a fixed random pattern of dots per class plus noise, so that the
# notebook needs no download; with `data.source=tfds` you see real handwritten digits. The model scales them to
# 0-1, and RBM 1 reads each as the probability that its visible unit is on. Pre-training uses the images alone;
# only fine-tuning uses the labels.

# %% [markdown] lang="zh"
# ## 看一看数据
#
# 一批训练数字和它们的标签，也就是网络实际收到的输入：28x28 的灰度值，从 0 到 255。这里是合成数据源生成的替代数字：
# 每个类别一个固定的随机点阵图案，再加上噪声，这样笔记本不用下载任何数据；`data.source=tfds` 时看到的是真实的手写数字。
# 模型把它们缩放到 0-1，RBM 1 把每个值当作对应可见单元取 1 的概率。预训练只用图像，只有微调才用到标签。

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
# `model.py` builds the classifier from the settings; `count_params()` agrees with the table's total. Its weights
# are random for now: the next step replaces them with the RBMs' before fine-tuning starts.

# %% [markdown] lang="zh"
# ## 模型
#
# `model.py` 按设置搭建分类器；`count_params()` 与上表的总数一致。它的权重现在还是随机的：下一步会在微调开始之前
# 换成各个 RBM 的权重。

# %%
network = LESSON.model(cfg, **datasets.adapted)
print(f"{network.count_params():,}")

# %% [markdown] lang="en"
# ## Train
#
# `training.train` is what `python train.py` calls. Here it first hands the network to the lesson's `pretrain`:
# one RBM after the other, each trained by contrastive divergence (CD-k: k steps of Gibbs sampling
# v -> h -> v give what the machine itself produces, and the update lowers the free energy of the data and raises
# that of those samples), then copied into its sigmoid layer. Then it fine-tunes the whole net with
# back-propagation on the labels, as for any classifier: a run directory, the progress line of each epoch,
# backups, the training curves of fine-tuning and the test scores in `metrics.json`.

# %% [markdown] lang="zh"
# ## 训练
#
# `training.train` 正是 `python train.py` 调用的函数。在这里它先把网络交给课程代码的 `pretrain`：一个接一个地训练
# RBM，每个都用对比散度训练（CD-k：k 步吉布斯采样 v -> h -> v 得到机器自己生成的样本，更新让数据的自由能降低、
# 让这些样本的自由能升高），然后把它复制到对应的 sigmoid 层中。之后它像训练任何分类器一样，用标签通过反向传播
# 微调整个网络：建立运行目录，每轮打印一行进度，做备份，画出微调的训练曲线，并把测试成绩写进 `metrics.json`。

# %%
run_dir = Path(cfg["run"]["runs_dir"]) / f"{datetime.now():%Y%m%d-%H%M%S}-notebook"
metrics = training.train(LESSON, cfg, run_dir)
display(Image(run_dir / "training_curves.png"))

# %% [markdown] lang="en"
# ## What pre-training learned
#
# RBM 1's weights drawn as 28x28 images, one per hidden unit: the pattern of pixels each unit looks for (light =
# positive weight). After a few epochs on real digits they become pieces of strokes; after one epoch on the
# stand-in dot patterns they are still mostly the noise they started from.
# `pretraining.csv` has, per RBM and epoch, the reconstruction error and the free energy on the training and the
# validation images: the gap between the two grows when an RBM starts to prefer the images it was trained on,
# that is, when it over-fits.

# %% [markdown] lang="zh"
# ## 预训练学到了什么
#
# 把 RBM 1 的权重画成 28x28 的图像，每个隐藏单元一张：每个单元要找的像素图案（亮 = 正的权重）。在真实数字上训练
# 几轮之后，它们会变成一段段笔画；在替代点阵图案上只训练一轮时，它们大多还是开始时的噪声。`pretraining.csv` 记录了
# 每个 RBM 每一轮的重构误差，以及训练图像和验证图像上的自由能：当 RBM 开始偏爱它训练过的图像，也就是过拟合时，
# 两者之间的差距会变大。

# %%
display(Image(run_dir / "rbm_1_filters.png"))
print((run_dir / "pretraining.csv").read_text(encoding="utf-8"))

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
# ## An exercise: pre-training against random initialization
#
# The same fine-tuning from the RBMs' weights and from random ones, each run logging how large every layer's
# gradient is. Back-propagation multiplies the gradient by a sigmoid's slope, at most 1/4, at every layer, so
# from random weights the layers near the pixels learn slowly; pre-training starts them with features already.
# Measured on 5,000 real digits over the full run: 93.6 % against 90.5 %, the difference largest with few labelled
# digits; three epochs on stand-in digits here show the gradients, not that difference. On the command line:
# `python train.py compare model.pretrain=true,false --seeds 2 run.log_gradients=true`.

# %% [markdown] lang="zh"
# ## 练习：预训练对比随机初始化
#
# 同样的微调，分别从各个 RBM 的权重和从随机权重开始，每次运行都记录每一层梯度的大小。反向传播每经过一层，就把梯度
# 乘上 sigmoid 的斜率（最大只有 1/4），所以从随机权重开始时，靠近像素的层学得很慢；预训练让它们一开始就有了特征。
# 在 5,000 个真实数字上完整训练的测量结果：93.6 % 对 90.5 %，带标签的数字越少，差别越大；这里在替代数字上只训练
# 三轮，看的是梯度，而不是这个差别。
# 在命令行中：`python train.py compare model.pretrain=true,false --seeds 2 run.log_gradients=true`。

# %%
values = ["model.pretrain=true,false", *SHORT]
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
