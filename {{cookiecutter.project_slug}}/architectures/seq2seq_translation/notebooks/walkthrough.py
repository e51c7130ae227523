# %% [markdown] lang="en"
# # An encoder-decoder learns to translate: the walkthrough
#
# The same steps as `python train.py`, one cell each, with the same code: the lesson in
# `src/{{ cookiecutter.package_name }}/lesson.py` and the runtime behind it. The run is short (a small network, a few
# epochs on the toy task: reverse a sequence of made-up words) so that the notebook runs in a minute; delete
# `SHORT` below to train with `config.yaml` as it is.
#
# **On Colab**: bring the whole project, not this file alone. Either push the project to your own repository and
# run `!git clone <your repository>` then `%cd <project>/notebooks`, or upload the project's folder as a zip,
# `!unzip` it and `%cd` into its `notebooks` folder. The first cell installs what the project needs there.

# %% [markdown] lang="zh"
# # 编码器-解码器学翻译：逐步演示
#
# 与 `python train.py` 相同的步骤，每步一个单元格，用的也是同一份代码：`src/{{ cookiecutter.package_name }}/lesson.py`
# 中的课程代码和它背后的运行时。这里只做一次很短的训练（一个小网络，在玩具任务上训练几轮：把一串编造的词倒过来），
# 整个笔记本一分钟内就能跑完；删除下面的 `SHORT`，就按 `config.yaml` 原样训练。
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
from {{ cookiecutter.package_name }}.runtime import comparison, i18n, shapes, training  # noqa: E402

# A short run: the toy task, a network small enough for it (and a larger learning rate), a few epochs, float32 and
# XLA left off (measuring whether they pay takes longer than this run).
SHORT = ["training.epochs=4", "data.source=synthetic", "data.synthetic_examples=2048", "training.jit_compile=false",
         "training.mixed_precision=false",
         "model.source_vocabulary_size=40", "model.target_vocabulary_size=40", "model.max_source_length=10",
         "model.max_target_length=10", "model.embedding_dim=32", "model.units=64", "model.beam_width=2",
         "training.learning_rate=0.01"]
cfg = LESSON.settings("config.yaml", SHORT)
i18n.use(cfg["language"])

# %% [markdown] lang="en"
# ## The network on paper
#
# The encoder reads the source words and keeps a state after each; its last state starts the decoder, which writes
# the target one word at a time. In training the decoder is shown the true previous word (teacher forcing), so one
# pass scores a whole sentence. With attention, each target word also looks back at every encoder state. Under the
# table, the cell's gate equations, for the encoder and the decoder. `python train.py explain` prints the same.

# %% [markdown] lang="zh"
# ## 纸面上的网络
#
# 编码器读入源句的词，每读一个词保留一个状态；它的最后一个状态作为解码器的初始状态，解码器一次写出一个目标词。
# 训练时解码器看到的是真实的上一个词（教师强制），所以一次前向传播就能给整句打分。有注意力时，每个目标词还会回看
# 编码器的每一个状态。表下面是编码器和解码器所用单元的门的公式。`python train.py explain` 打印的也是这些。

# %%
print(shapes.format_table(LESSON.layer_plan(cfg)))
for line in LESSON.notes(cfg):
    print(line)

# %% [markdown] lang="en"
# ## A look at the data
#
# A few test pairs of the toy task: 3 to 8 made-up words, and the same words reversed. The first target word is the
# last source word: without attention the encoder's last state must carry the whole sentence to the decoder.

# %% [markdown] lang="zh"
# ## 看一看数据
#
# 玩具任务的几个测试句对：3 到 8 个编造的词，以及把它们倒过来的词序列。目标的第一个词是源句的最后一个词：没有注意力时，
# 编码器的最后一个状态必须把整句话带给解码器。

# %%
datasets = LESSON.data(cfg, cfg["training"]["batch_size"])
sources, targets = next(iter(datasets.test))
for source, target in list(zip(sources.numpy(), targets.numpy(), strict=True))[:5]:
    print(f"{source.decode():<28} -> {target.decode()}")

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
# the training curves and the test scores in `metrics.json`. `accuracy` is the share of target words predicted
# right given the true words before them (teacher forcing), not yet a translation.

# %% [markdown] lang="zh"
# ## 训练
#
# `training.train` 正是 `python train.py` 调用的函数：它建立运行目录，每轮打印一行进度，做备份，画出训练曲线，
# 并把测试成绩写进 `metrics.json`。`accuracy` 是在给出真实的前文时（教师强制）预测对的目标词所占的比例，还不是翻译。

# %%
run_dir = Path(cfg["run"]["runs_dir"]) / f"{datetime.now():%Y%m%d-%H%M%S}-notebook"
metrics = training.train(LESSON, cfg, run_dir)
display(Image(run_dir / "training_curves.png"))

# %% [markdown] lang="en"
# ## Evaluate
#
# Translating has no true words to show: the decoder feeds back its own choices, keeping the `model.beam_width`
# best partial translations at every step, and BLEU compares the translations with the references. A few of them
# (all are in `translations.tsv`), then `attention.png`: which source word each translated word looked at. For a
# reversal the bright cells run along the anti-diagonal.

# %% [markdown] lang="zh"
# ## 评估
#
# 翻译时没有真实的词可看：解码器把自己选出的词再送回输入，每一步保留 `model.beam_width` 个最好的部分译文（束搜索），
# 然后用 BLEU 把译文和参考译文作比较。下面是其中几句（全部译文在 `translations.tsv` 中），然后是 `attention.png`：
# 每个译出的词注意的是哪个源词。对倒序任务来说，亮格沿着反对角线排列。

# %%
print(LESSON.summary(metrics["test"]))
for sample in metrics["test"]["samples"]:
    print(f"{sample['source']:<28} -> {sample['translation']:<28} ({sample['reference']})")
display(Image(run_dir / "attention.png"))

# %% [markdown] lang="en"
# ## An exercise: attention against none
#
# Without attention everything the decoder knows of the source passes through the encoder's last state; with it,
# every source word has a direct path to every target word. Same data, same epochs, `model.attention=none` against
# `luong` (the run above): compare the loss curves (solid: training, dashed: validation) and the test BLEU of each run.
# On the command line: `python train.py compare model.attention=none,luong,bahdanau`.

# %% [markdown] lang="zh"
# ## 练习：有注意力与没有注意力
#
# 没有注意力时，解码器对源句的全部了解都要经过编码器的最后一个状态；有注意力时，每个源词都有一条直达每个目标词的路径。
# 同样的数据、同样的轮数，`model.attention=none` 对比 `luong`（也就是上面那次运行）：比较两次运行的损失曲线（实线：训练，虚线：验证）和测试 BLEU。
# 在命令行中：`python train.py compare model.attention=none,luong,bahdanau`。

# %%
values = ["model.attention=none,luong", *SHORT]
folder, steps = comparison.start(LESSON, Path("config.yaml"), values, seeds=1)
for run in steps["runs"]:  # compare trains each run in a process of its own; here, one after the other in this one
    settings = LESSON.settings(folder / "config.yaml", run["overrides"])
    if settings == cfg:  # the run trained above, with these very settings and seed: copied in, not trained again
        shutil.copytree(run_dir, folder / run["dir"])
    else:
        training.train(LESSON, settings, folder / run["dir"])
comparison.summarize(LESSON, folder, steps)
print((folder / "summary.md").read_text(encoding="utf-8"))
display(Image(folder / "curves.png"))
