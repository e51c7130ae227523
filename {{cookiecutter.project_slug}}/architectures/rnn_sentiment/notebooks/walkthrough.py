# %% [markdown] lang="en"
# # A recurrent net reads reviews and tells their sentiment: the walkthrough
#
# The same steps as `python train.py`, one cell each, with the same code: the lesson in
# `src/{{ cookiecutter.package_name }}/lesson.py` and the runtime behind it. The run is short (a few epochs on
# made-up reviews) so that the notebook runs in a minute; delete `SHORT` below to train with `config.yaml` as it is.
#
# **On Colab**: bring the whole project, not this file alone. Either push the project to your own repository and
# run `!git clone <your repository>` then `%cd <project>/notebooks`, or upload the project's folder as a zip,
# `!unzip` it and `%cd` into its `notebooks` folder. The first cell installs what the project needs there.

# %% [markdown] lang="zh"
# # 循环神经网络读影评、判断情感：逐步演示
#
# 与 `python train.py` 相同的步骤，每步一个单元格，用的也是同一份代码：`src/{{ cookiecutter.package_name }}/lesson.py`
# 中的课程代码和它背后的运行时。这里只做一次很短的训练（在编造的影评上训练几轮），整个笔记本一分钟内就能跑完；
# 删除下面的 `SHORT`，就按 `config.yaml` 原样训练。
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
from {{ cookiecutter.package_name }}.runtime import cli, comparison, i18n, shapes, training  # noqa: E402

# A short run: made-up reviews (at most 27 words, so 32 word ids each), a few epochs, and XLA left off (measuring
# whether it pays takes longer than this run).
SHORT = ["training.epochs=3", "data.source=synthetic", "data.synthetic_examples=1024", "model.sequence_length=32",
         "training.jit_compile=false"]
cfg = LESSON.settings("config.yaml", SHORT)
i18n.use(cfg["language"])

# %% [markdown] lang="en"
# ## The network on paper
#
# Text in, word ids, a learned vector per id, recurrent layers that read the vectors in order carrying a state, and
# one sigmoid unit: the probability that the text is positive. Under the table, the cell's equations: every gate is
# a small dense layer over the word vector $x_t$ (size $d$) and the previous state $h_{t-1}$ (size $u$), so it adds
# $u(d + u + 1)$ parameters. `python train.py explain` prints the same.

# %% [markdown] lang="zh"
# ## 纸面上的网络
#
# 输入文本，变成词的编号，每个编号换成一个学到的词向量，循环层按顺序读这些向量并携带一个状态，最后一个 sigmoid
# 单元给出文本是正面的概率。表下面是这个单元的公式：每个门都是一个小的全连接层，读入词向量 $x_t$（大小为 $d$）和
# 上一步的隐藏状态 $h_{t-1}$（大小为 $u$），所以每个门增加 $u(d + u + 1)$ 个参数。`python train.py explain`
# 打印的也是这些。

# %%
print(shapes.format_table(LESSON.layer_plan(cfg)))
for line in LESSON.notes(cfg):
    print(line)

# %% [markdown] lang="en"
# ## A look at the data
#
# A few test reviews with their labels and their lengths in words: filler words around one to three words that
# carry the sentiment. Then the start of the vocabulary learned from the training texts alone: id 0 is the padding,
# id 1 (`[UNK]`) every word it does not know, and the rest by frequency.

# %% [markdown] lang="zh"
# ## 看一看数据
#
# 几条测试影评，以及它们的标签和词数：一到三个带有情感的词，周围是无关的填充词。然后是只从训练文本学到的词表的开头：
# 编号 0 是填充，编号 1（`[UNK]`）是所有不认识的词，其余的按出现次数排列。

# %%
datasets = LESSON.data(cfg, cfg["training"]["batch_size"])
texts, labels = next(iter(datasets.test))
for text, label in list(zip(texts.numpy(), labels.numpy(), strict=True))[:6]:
    text = text.decode()
    print(f"{datasets.class_names[label]:>8}  {len(text.split()):2d}  {text}")
print([str(word) for word in datasets.adapted["vocabulary"][:16]])

# %% [markdown] lang="en"
# ## The model
#
# `model.py` builds it from the settings; `count_params()` agrees with the table above. Most of the parameters are
# the word vectors: one row of the embedding per word of the vocabulary.

# %% [markdown] lang="zh"
# ## 模型
#
# `model.py` 按设置搭建网络；`count_params()` 与上面的表一致。大部分参数是词向量：词表中的每个词占词嵌入的一行。

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
# Accuracy, precision, recall and F1 of the positive class, and the confusion matrix: row = the true label, column
# = the predicted one. Then the saved `model.keras` on two sentences it has never seen, exactly as
# `python train.py predict RUN "..."` does: the word lookup is saved in front of the network, so it reads raw text.

# %% [markdown] lang="zh"
# ## 评估
#
# 正面类别的准确率、精确率、召回率和 F1，以及混淆矩阵：行是真实的标签，列是预测的标签。然后用保存的 `model.keras`
# 判断两句它从没见过的话，与 `python train.py predict RUN "..."` 完全相同：词表查找保存在网络前面，所以模型直接读原始文本。

# %%
print(LESSON.summary(metrics["test"]))
display(Image(run_dir / "confusion_matrix.png"))
reviews = ["a wonderful story and a moving ending", "the plot was dull and the acting awful"]
exit_status = cli.main(LESSON, ["predict", str(run_dir), *reviews])  # python train.py predict RUN TEXT TEXT

# %% [markdown] lang="en"
# ## An exercise: the vanishing gradient, word by word
#
# The simple cell against the LSTM, read one way, each run measuring the gradient of the loss at every word vector,
# counted back from the last word. In the simple cell, $h_t = \tanh(W x_t + U h_{t-1} + b)$, each step back
# multiplies it by $U^\top$ and by tanh's slope (at most 1); the LSTM's cell, $c_t = f_t \odot c_{t-1} + i_t \odot
# g_t$, passes it back scaled only by the forget gates. On a log scale a gradient that shrinks by the same factor at
# every step is a straight line down. Where each starts is Keras's choice: $U$ orthogonal (it turns the gradient
# without shrinking it), the LSTM's forget gates near $\sigma(1) \approx 0.73$.
# On the command line: `python train.py compare model.rnn_cell=simple,lstm,gru model.bidirectional=false run.log_gradients=true`.

# %% [markdown] lang="zh"
# ## 练习：梯度消失，一个词一个词地看
#
# 简单循环单元对比 LSTM，都只单向阅读，每次运行都测量损失在每个词向量处的梯度，从最后一个词往回数。简单单元
# $h_t = \tanh(W x_t + U h_{t-1} + b)$ 每往回一步，梯度就乘上 $U^\top$ 和 tanh 的斜率（最大为 1）；LSTM 的细胞状态
# $c_t = f_t \odot c_{t-1} + i_t \odot g_t$ 往回传梯度时只乘上遗忘门。在对数坐标上，每步按同一比例缩小的梯度是一条
# 向下的直线。起点由 Keras 的初始化决定：$U$ 是正交矩阵（只旋转梯度，不缩小它），LSTM 的遗忘门从
# $\sigma(1) \approx 0.73$ 附近开始。在命令行中：
# `python train.py compare model.rnn_cell=simple,lstm,gru model.bidirectional=false run.log_gradients=true`。

# %%
values = ["model.rnn_cell=simple,lstm", "model.bidirectional=false", "run.log_gradients=true", "training.epochs=1",
          "data.synthetic_examples=512", *SHORT[1:2], *SHORT[3:]]
folder, steps = comparison.start(LESSON, Path("config.yaml"), values, seeds=1)
for run in steps["runs"]:  # compare trains each run in a process of its own; here, one after the other in this one
    training.train(LESSON, LESSON.settings(folder / "config.yaml", run["overrides"]), folder / run["dir"])
comparison.summarize(LESSON, folder, steps)
display(Image(folder / "step_gradients.png"))
