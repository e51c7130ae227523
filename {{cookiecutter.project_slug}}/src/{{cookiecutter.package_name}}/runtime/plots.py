"""Pictures a learner looks at, as PNG files (never a window): the training curves, and how every other
picture of the project is saved."""

from __future__ import annotations

import csv
import functools
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # write files; never try to open a window
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from . import i18n  # noqa: E402
from .i18n import _  # noqa: E402
from .storage import write_atomically  # noqa: E402

# Fonts with Chinese characters that students' systems have; matplotlib's own DejaVu Sans has none. Debian's
# fonts-noto-cjk is read by matplotlib as Noto Sans CJK JP (the first face of its collection), which has them too.
CHINESE_FONTS = ("Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC",
                 "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei")
CHINESE_FONT_FILES = ("msyh", "pingfang", "notosanscjk", "sourcehansans", "wqy-", "simhei")
ENGLISH_FAMILY = list(matplotlib.rcParams["font.family"])


@functools.cache
def chinese_fonts() -> tuple[str, ...]:
    """The fonts of CHINESE_FONTS installed here; a font installed after matplotlib listed the system's fonts (it
    keeps that list in its cache) is found and added once."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    if not installed.intersection(CHINESE_FONTS):
        for path in font_manager.findSystemFonts():
            if any(part in Path(path).name.lower() for part in CHINESE_FONT_FILES):
                font_manager.fontManager.addfont(path)
        installed = {font.name for font in font_manager.fontManager.ttflist}
    return tuple(name for name in CHINESE_FONTS if name in installed)


def use_language_fonts() -> None:
    """Fonts for the current language (i18n.py): in Chinese, DejaVu Sans for Latin letters and digits, and the
    first Chinese font installed for every character DejaVu Sans lacks (matplotlib falls back per character)."""
    family = ["DejaVu Sans", *chinese_fonts()] if i18n.current == "zh" else ENGLISH_FAMILY
    matplotlib.rcParams["font.family"] = family


use_language_fonts()
i18n.when_changed.append(use_language_fonts)


def read_history(path: Path) -> dict[str, list[float]]:
    """history.csv as columns; a resumed run's rows are all in the one file."""
    if not path.exists():
        return {}
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = {key: [float(row[key]) for row in rows if row.get(key) not in (None, "", "NA")]
               for key in (rows[0] if rows else {})}
    # Keras's CSVLogger adds val_ columns even to a run without validation; they hold only NA.
    return {key: values for key, values in columns.items() if values}


def plot_history(history: dict[str, list[float]], path: Path) -> None:
    """One panel per metric (loss, accuracy, ...), training and validation on the same axes."""
    names = [k for k in history if k not in ("epoch", "epoch_seconds") and not k.startswith("val_")]
    if not names:
        return
    figure, axes = plt.subplots(1, len(names), figsize=(5 * len(names), 3.5), squeeze=False)
    epochs = [int(e) + 1 for e in history.get("epoch", range(len(history[names[0]])))]
    for axis, name in zip(axes[0], names, strict=True):
        axis.plot(epochs, history[name], marker="o", label=_("training"))
        if f"val_{name}" in history:
            axis.plot(epochs, history[f"val_{name}"], marker="o", label=_("validation"))
        axis.set(title=name, xlabel=_("epoch"))
        axis.grid(alpha=0.3)
        axis.legend()
    figure.tight_layout()
    save_figure(figure, path)


def save_figure(figure, path: Path) -> None:
    """Write the figure as a PNG in one rename (storage.py), and free it."""
    write_atomically(path, lambda partial: figure.savefig(partial, dpi=100))
    plt.close(figure)
