"""`python train.py compare KEY=V1,V2 ...`: one experiment with a setting changed, side by side.

Every combination of the values given (a grid) is trained once per seed (`--seeds N`: the config's
seed and the N - 1 after it). Each run is `python train.py --run-dir` in a process of its own
(comparison_runs.py): an
ordinary run directory that `evaluate` and `predict` accept, and nothing carried from one run into
the next (TensorFlow's XLA, float16 and determinism settings hold for a whole process). The values
are YAML, like any override, so `model.hidden_units=[512,512],[100]` compares two lists.

Everything is checked before the first run starts. The comparison's folder holds comparison.json
(the plan, written first), config.yaml (the settings every run shares) and one folder per run;
when every run has finished it gets summary.csv, summary.md, curves.png (one colour per setting,
the band spans the seeds), gradients.png when the runs logged them, and TensorBoard HParams records
(`tensorboard --logdir runs`, tab HPARAMS). `compare --resume DIR` continues an interrupted
comparison: finished runs are kept, an interrupted one resumes, the rest start.
"""

from __future__ import annotations

import itertools
import json
import re
import statistics
from datetime import datetime
from pathlib import Path

import yaml

from . import config as config_module
from . import gradients, plots, storage
from .errors import ConfigError, UserError
from .i18n import N_, _
from .lesson import Lesson

PLAN = "comparison.json"
# Keys that take one value in a comparison: the first seed (--seeds N adds the N - 1 after it), and where it
# makes its one folder.
NOT_COMPARED = {"seed": N_("give one, the first, and --seeds N"),
                "run.runs_dir": N_("give it one value: the comparison makes one folder")}


def parse_values(text: str) -> tuple[str, list]:
    """`key=v1,v2` -> (key, [v1, v2]): the values are read as one YAML list, so brackets keep a list together."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key or not raw.strip():
        raise ConfigError([_("compare {text!r}: expected key=value1,value2,..., for example "
                             "model.activation=relu,sigmoid").format(text=text)])
    try:
        values = config_module.read_yaml(f"[{raw}]")
    except yaml.YAMLError:
        raise ConfigError([_("compare {text!r}: cannot read the values as a comma-separated list (put a list in "
                             "brackets, a text with a comma in quotes)").format(text=text)]) from None
    return key, values


def shown(value) -> str:
    """A value as an override writes it: relu, 0.001, [512, 512]."""
    text = yaml.dump(value, Dumper=config_module.NumberDumper, default_flow_style=True, width=10**6).strip()
    return text.removesuffix("...").strip()


def as_override(key: str, value) -> str:
    return f"{key}={shown(value)}"


def plan(lesson: Lesson, config_path: Path, texts: list[str], seeds: int) -> tuple[dict, dict]:
    """The runs to make and the config they share; every problem in `texts` is raised at once."""
    problems, grid = [], {}
    for text in texts:
        try:
            key, values = parse_values(text)
        except ConfigError as error:
            problems += error.problems
            continue
        if key in NOT_COMPARED and len(values) > 1:
            problems.append(_("compare {text!r}: {key} cannot be compared here; {instead}").format(
                text=text, key=key, instead=_(NOT_COMPARED[key])))
        elif key in grid:
            problems.append(_("compare {text!r}: {key} is given twice; list all its values once").format(
                text=text, key=key))
        elif len({shown(value) for value in values}) < len(values):
            twice = next(shown(value) for value in values if [shown(v) for v in values].count(shown(value)) > 1)
            problems.append(_("compare {text!r}: {value} is given twice; give each value once (--seeds N trains a "
                              "setting with N seeds)").format(text=text, value=twice))
        else:
            grid[key] = values
    compared = [key for key, values in grid.items() if len(values) > 1]
    if not problems and not compared and seeds < 2:
        problems.append(_("compare: nothing to compare; give a key two or more values "
                          "(model.activation=relu,sigmoid) or --seeds 2 or more"))
    fixed = [as_override(key, values[0]) for key, values in grid.items() if len(values) == 1]
    try:
        base = lesson.settings(config_path, fixed)
    except ConfigError as error:  # the runs are still checked below, so that every problem is told at once
        problems, base = problems + error.problems, {"seed": 0}
    settings = [dict(zip(compared, combination, strict=True))
                for combination in itertools.product(*(grid[key] for key in compared))]
    runs = []
    seed_range = range(base["seed"], base["seed"] + seeds)
    for number, (setting, seed) in enumerate(itertools.product(settings, seed_range)):
        overrides = [as_override(key, value) for key, value in setting.items()] + [f"seed={seed}"]
        try:
            lesson.settings(config_path, [*fixed, *overrides])
        except ConfigError as error:
            problems += [problem for problem in error.problems if problem not in problems]
            continue
        words = [f"{key.rsplit('.', 1)[-1]}={re.sub(r'[^A-Za-z0-9.+-]+', '_', shown(value)).strip('_')}"
                 for key, value in setting.items()]
        runs.append({"dir": f"{number + 1:02d}-" + "_".join([*words, f"seed={seed}"]),
                     "setting": {key: value for key, value in setting.items()}, "seed": seed, "overrides": overrides})
    if problems:
        raise ConfigError(problems)
    return {"compared": compared, "fixed": fixed, "seeds": seeds, "runs": runs}, base


def start(lesson: Lesson, config_path: Path, texts: list[str], seeds: int) -> tuple[Path, dict]:
    """Check everything, then make the comparison's folder with its plan and shared config."""
    steps, base = plan(lesson, config_path, texts, seeds)
    runs_dir = Path(base["run"]["runs_dir"])
    if runs_dir.exists() and not runs_dir.is_dir():
        raise UserError(_("run.runs_dir={runs_dir!r}: is a file; expected a folder to make the comparison "
                          "in").format(runs_dir=str(runs_dir)))
    name = "-".join(key.rsplit(".", 1)[-1] for key in steps["compared"]) or "seeds"
    folder = runs_dir / f"{datetime.now():%Y%m%d-%H%M%S}-compare-{name}"
    for attempt in itertools.count(1):
        try:
            folder.mkdir(parents=True)
            break
        except FileExistsError:
            folder = folder.with_name(f"{folder.name.rsplit('~', 1)[0]}~{attempt}")
        except OSError as error:
            raise UserError(_("run.runs_dir={runs_dir!r}: cannot make the comparison's folder in it "
                              "({reason})").format(runs_dir=str(runs_dir), reason=error.strerror or error)) from None
    storage.write_atomically(folder / "config.yaml", lambda path: config_module.dump(base, path))
    storage.write_json(folder / PLAN, steps)
    return folder, steps


def read_plan(folder: Path) -> dict:
    try:
        steps = json.loads((folder / PLAN).read_text(encoding="utf-8"))
        if isinstance(steps, dict) and isinstance(steps.get("runs"), list) and (folder / "config.yaml").is_file():
            return steps
    except (OSError, ValueError):
        pass
    raise UserError(_("--resume {folder}: not a comparison folder (no readable {plan} and config.yaml); "
                      "start one with python train.py compare KEY=V1,V2").format(folder=folder, plan=PLAN))


def summarize(lesson: Lesson, folder: Path, steps: dict) -> list[dict]:
    """summary.csv, summary.md, curves.png, gradients.png and the HParams records, from the finished runs."""
    headline = lesson.headline
    logged = all((folder / run["dir"] / "gradients.csv").exists() for run in steps["runs"])
    groups: dict[str, list[dict]] = {}
    for run in steps["runs"]:
        run_dir = folder / run["dir"]
        label = ", ".join(f"{key}={shown(value)}" for key, value in run["setting"].items()) or _("seeds")
        metrics = json.loads((run_dir / "metrics.json").read_text(encoding="utf-8"))
        groups.setdefault(label, []).append({"run": run, "metrics": metrics,
                                             "history": plots.read_history(run_dir / "history.csv"),
                                             "gradients": gradients.read(run_dir / "gradients.csv") if logged else []})
    rows = []
    for label, runs in groups.items():
        scores = [entry["metrics"]["test"][headline] for entry in runs]
        rows.append({"setting": label, **{key: shown(value) for key, value in runs[0]["run"]["setting"].items()},
                     "seeds": len(runs), f"test_{headline}_mean": statistics.fmean(scores),
                     f"test_{headline}_std": statistics.stdev(scores) if len(scores) > 1 else 0.0,
                     "epochs": statistics.fmean(entry["metrics"]["epochs_completed"] for entry in runs),
                     "wall_time_seconds": statistics.fmean(entry["metrics"]["wall_time_seconds"] for entry in runs),
                     "parameters": runs[0]["metrics"].get("parameters")})
    storage.write_csv(folder / "summary.csv", rows)
    storage.write_text(folder / "summary.md", markdown(rows, headline))
    plot_curves(groups, folder / "curves.png", headline)
    if logged:
        plot_gradients(groups, folder / "gradients.png")
    lesson.comparison_pictures(folder, {label: [folder / entry["run"]["dir"] for entry in runs]
                                        for label, runs in groups.items()})
    write_hparams(folder, groups, headline)
    return rows


def markdown(rows: list[dict], headline: str) -> str:
    lines = [_("| setting | seeds | test {metric} (mean ± std) | epochs | wall time (s) | parameters |").format(
        metric=headline),
             "|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row['setting']} | {row['seeds']} | {row[f'test_{headline}_mean']:.4f} ± "
                     f"{row[f'test_{headline}_std']:.4f} | {row['epochs']:g} | {row['wall_time_seconds']:.1f} | "
                     f"{row['parameters'] or 0:,} |")
    return "\n".join(lines) + "\n"


def plot_curves(groups: dict[str, list[dict]], path: Path, headline: str) -> None:
    """Loss and the headline metric per epoch, training solid and validation dashed; the band spans the seeds."""
    names = next(iter(groups.values()))[0]["history"].keys()
    panels = [name for name in ("loss", headline) if name in names] or \
        [name for name in names if name not in ("epoch", "epoch_seconds") and not name.startswith("val_")][:3]
    figure, axes = plots.plt.subplots(1, len(panels), figsize=(5.5 * len(panels), 4), squeeze=False)
    colours = plots.plt.cm.tab10.colors
    for axis, name in zip(axes[0], panels, strict=True):
        for (label, runs), colour in zip(groups.items(), itertools.cycle(colours)):
            for column, style in ((name, "-"), (f"val_{name}", "--")):
                curves = [entry["history"][column] for entry in runs if column in entry["history"]]
                if not curves:
                    continue
                epochs = range(1, max(map(len, curves)) + 1)
                at = [[curve[i] for curve in curves if i < len(curve)] for i in range(len(epochs))]
                axis.plot(epochs, [statistics.fmean(values) for values in at], style, color=colour, marker="o",
                          markersize=3, label=label if style == "-" else None)  # a one-epoch run is a point
                if len(curves) > 1:
                    axis.fill_between(epochs, [min(v) for v in at], [max(v) for v in at], color=colour, alpha=0.15)
        axis.set(title=_("{metric} (solid: training, dashed: validation)").format(metric=name), xlabel=_("epoch"))
        axis.xaxis.get_major_locator().set_params(integer=True)
        axis.grid(alpha=0.3)
    axes[0][0].legend(fontsize="small")
    figure.tight_layout()
    plots.save_figure(figure, path)


def plot_gradients(groups: dict[str, list[dict]], path: Path) -> None:
    """Each setting's gradient size per layer before training and after its last epoch (means over seeds)."""
    figure, axis = plots.plt.subplots(figsize=(7.5, 4.2))
    for (label, runs), colour in zip(groups.items(), itertools.cycle(plots.plt.cm.tab10.colors)):
        for row_index, style in ((0, "-"), (-1, "--")):
            rows = [entry["gradients"][row_index] for entry in runs]
            layers = [key for key in rows[0] if key != "epoch"]
            axis.plot(layers, [statistics.fmean(row[layer] for row in rows) for layer in layers], style, marker="o",
                      color=colour, label=label if style == "-" else None)
    axis.set(yscale="log", ylabel=_("gradient root mean square"),
             title=_("gradient size per layer: before training (solid), after the last epoch (dashed)"))
    axis.tick_params(axis="x", rotation=30)
    axis.grid(alpha=0.3)
    axis.legend(fontsize="small")
    figure.tight_layout()
    plots.save_figure(figure, path)


def write_hparams(folder: Path, groups: dict[str, list[dict]], headline: str) -> None:
    """One HParams record per run, in the run's TensorBoard folder, with its test score."""
    import tensorflow as tf
    from tensorboard.plugins.hparams import api as hp

    for runs in groups.values():
        for entry in runs:
            run = entry["run"]
            values = {key: value if isinstance(value, (bool, int, float, str)) else shown(value)
                      for key, value in run["setting"].items()}
            with tf.summary.create_file_writer(str(folder / run["dir"] / "logs")).as_default():
                hp.hparams({**values, "seed": run["seed"]}, trial_id=run["dir"])
                tf.summary.scalar(f"test_{headline}", entry["metrics"]["test"][headline], step=0)
