"""The project's commands: train | evaluate | predict (translate, sample) | explain.

    python train.py [key=value ...]              train with config.yaml, overriding any key
    python train.py --resume runs/<run>          continue an interrupted run where it stopped
    python train.py --run-dir DIR [key=value]    train into DIR instead of a new runs/<time>-<name>/
    python train.py evaluate runs/<run>          score the saved model on the test split
    python train.py predict runs/<run> ...       use the saved model on files or texts (see --help; a
                                                 translator calls this command translate, a GAN sample)
    python train.py explain [key=value ...]      the layer table: shapes, parameters and why
    python train.py compare KEY=V1,V2 [...]      one run per setting (and seed), then a summary and
                                                 curves side by side (comparison.py)
    python train.py launch --workers N [...]     train on N Ray workers, here or on a Ray cluster
                                                 (cluster.py; pip install -e '.[cluster]')

A mistake in a setting, a file or a flag ends the command with one line per problem on stderr
and exit status 2; nothing written earlier is touched.
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from pathlib import Path

from .config import flatten
from .errors import ConfigError, UserError
from .i18n import N_, _
from .lesson import Lesson
from .run_files import check_can_make, check_unfinished
from .run_lock import busy, holder
from .wide_text import HelpFormatter

# The --help of the parser itself: the module docstring's first paragraph, as a message of its own.
DESCRIPTION = N_("The project's commands: train | evaluate | predict (translate, sample) | explain.")


def build_parser(lesson: Lesson) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="train.py", description=_(DESCRIPTION), formatter_class=HelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    def add_command(name: str, help: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help, formatter_class=HelpFormatter)

    train = add_command("train", _("train a model (the default command)"))
    train.add_argument("overrides", nargs="*", metavar="key=value", help=_("config values to change for this run"))
    train.add_argument("--config", default="config.yaml", help=_("config file (default: config.yaml)"))
    train.add_argument("--resume", metavar="RUN_DIR", type=Path, help=_("continue this interrupted run"))
    train.add_argument("--run-dir", type=Path, help=_("write the run here instead of a new runs/<time>-<name>/ "
                                                      "(every worker of a multi_worker run gets the same one)"))

    evaluate = add_command("evaluate", _("score a saved run on the test split"))
    evaluate.add_argument("run_dir", type=Path)
    evaluate.add_argument("overrides", nargs="*", metavar="key=value",
                          help=_("e.g. data.source=npz data.npz_path=..."))

    if lesson.command is not None:
        use = add_command(lesson.command.COMMAND, _(lesson.command.HELP))
        use.add_argument("run_dir", type=Path)
        lesson.command.add_arguments(use)

    explain = add_command("explain", _("print the layer table for a config"))
    explain.add_argument("overrides", nargs="*", metavar="key=value")
    explain.add_argument("--config", default="config.yaml")

    compare = add_command("compare", _("train one run per setting and seed, then compare them"))
    compare.add_argument("values", nargs="*", metavar="key=v1,v2",
                         help=_("the values to compare; a key with one value is set for every run"))
    compare.add_argument("--seeds", type=at_least_one, default=1,
                         help=_("runs per setting, from the config's seed up"))
    compare.add_argument("--parallel", type=at_least_one, default=1,
                         help=_("runs at once (one per GPU on a GPU machine)"))
    compare.add_argument("--config", default="config.yaml")
    compare.add_argument("--resume", metavar="DIR", type=Path, help=_("finish this interrupted comparison"))

    launch = add_command("launch", _("train on several Ray workers (pip install -e '.[cluster]')"))
    launch.add_argument("overrides", nargs="*", metavar="key=value", help=_("config values to change for this run"))
    launch.add_argument("--workers", type=at_least_one, required=True,
                        help=_("worker processes (one replica each)"))
    launch.add_argument("--address", help=_("a running Ray cluster to join (host:port, or auto); default: start one "
                                            "on this machine for the run"))
    launch.add_argument("--use-gpu", action="store_true", help=_("give each worker one GPU"))
    launch.add_argument("--config", default="config.yaml", help=_("config file (default: config.yaml)"))
    launch.add_argument("--resume", metavar="RUN_DIR", type=Path, help=_("continue this interrupted launched run"))
    return parser


def at_least_one(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(_("got {value!r}; expected a whole number of at least 1").format(value=text))
    return int(text)


def main(lesson: Lesson, argv: list[str] | None = None) -> int:
    """Run the command that `argv` (default: the command line) names for `lesson`; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    own = [lesson.command.COMMAND] if lesson.command else []
    if not argv or argv[0] not in ("train", "evaluate", "explain", "compare", "launch", *own, "-h", "--help"):
        argv.insert(0, "train")
    parser = build_parser(lesson)
    args, extra = parser.parse_known_args(argv)
    # argparse stops taking key=value words at the first flag; the words after it belong with the ones before.
    given = getattr(args, "values" if args.command == "compare" else "overrides", None)
    if extra and given is not None and all("=" in word and not word.startswith("-") for word in extra):
        given += extra
    elif extra:
        parser.error(_("unrecognized arguments: {words}").format(words=" ".join(extra)))
    try:
        commands = {"train": _train, "evaluate": _evaluate, "explain": _explain, "compare": _compare,
                    "launch": _launch}
        return commands.get(args.command, _use)(lesson, args)
    except UserError as error:
        for line in str(error).splitlines():
            print(_("error: {message}").format(message=line), file=sys.stderr)
        return 2


# What `--resume` may change: it continues the run as it was set up, for more epochs if asked.
RESUMABLE = {"training.epochs", "language"}


def _run_setup(lesson: Lesson, args) -> tuple[dict, Path | None]:
    """The checked config of a run and its directory: the one to resume, the one asked for, or None (a new one)."""
    if args.resume:
        run_dir = args.resume
        cfg = lesson.settings(_run_config(run_dir), args.overrides)
        changed = [key for key in _changed_settings(lesson, run_dir, cfg) if key not in RESUMABLE]
        if changed:
            raise UserError(_("--resume {run_dir}: cannot change {settings}; a resumed run continues as it was "
                              "trained (only training.epochs may change, to train further): start a new run "
                              "instead").format(run_dir=run_dir, settings=", ".join(changed)))
    else:
        cfg, run_dir = lesson.settings(Path(args.config), args.overrides), getattr(args, "run_dir", None)
        if run_dir is not None and run_dir.exists() and not run_dir.is_dir():
            raise UserError(_("--run-dir {run_dir}: is a file; expected a folder for the run (new, or "
                              "unfinished)").format(run_dir=run_dir))
        runs = Path(cfg["run"]["runs_dir"])
        if run_dir is None and runs.exists() and not runs.is_dir():
            raise UserError(_("run.runs_dir={runs_dir!r}: is a file; expected a folder to make run directories "
                              "in").format(runs_dir=str(runs)))
        check_can_make(run_dir or runs, f"--run-dir {run_dir}" if run_dir else f"run.runs_dir={str(runs)!r}")
    if run_dir is not None:
        check_unfinished(run_dir)
        who = holder(run_dir)
        if who:
            raise busy(run_dir, who)
    return cfg, run_dir


def _train(lesson: Lesson, args) -> int:
    cfg, run_dir = _run_setup(lesson, args)
    from . import training

    _print_summary(lesson, training.train(lesson, cfg, run_dir))
    return 0


def _print_summary(lesson: Lesson, metrics: dict) -> None:
    if metrics:  # a multi-worker run's chief has them; the other workers print nothing
        print(_("{summary} on {source} data   (all metrics: metrics.json in the run directory above)").format(
            summary=lesson.summary(metrics["test"]), source=metrics["data"]["source"]))


def _launch(lesson: Lesson, args) -> int:
    asked = [word.partition("=")[2] for word in args.overrides if word.startswith("distribute.strategy=")]
    if any(strategy not in ("auto", "multi_worker") for strategy in asked):
        raise UserError(_("distribute.strategy={value!r}: launch trains on several workers, which is "
                          "multi_worker; leave the key out, or give auto or multi_worker").format(value=asked[-1]))
    cfg, run_dir = _run_setup(lesson, args)
    cfg["distribute"]["strategy"] = "multi_worker"
    from . import cluster

    try:
        run_dir = cluster.launch(lesson, cfg, run_dir, args.workers, args.address, args.use_gpu)
    except cluster.LaunchFailed as error:
        print(_("error: {message}").format(message=error), file=sys.stderr)
        return 1
    _print_summary(lesson, json.loads((run_dir / "metrics.json").read_text(encoding="utf-8")))
    return 0


# What the trained model is: `evaluate` scores it as it was trained, on the data its overrides name.
TRAINED = ("model.", "training.")


def _evaluate(lesson: Lesson, args) -> int:
    cfg = lesson.settings(_run_config(args.run_dir), args.overrides)
    changed = [key for key in _changed_settings(lesson, args.run_dir, cfg) if key.startswith(TRAINED)]
    if changed:
        raise UserError(_("evaluate {run_dir}: cannot change {settings}; the saved model is scored as it was "
                          "trained (data.* may change: score it on other data)").format(
                              run_dir=args.run_dir, settings=", ".join(changed)))
    _run_metrics(args.run_dir)  # a run that has not finished, or whose files are damaged, is refused first
    model = _load_model(args.run_dir)
    from .run_files import write_metrics

    datasets = lesson.data(cfg, cfg["training"]["batch_size"])
    results = lesson.evaluate(model, datasets, args.run_dir, cfg)
    write_metrics(args.run_dir, {"test": results, "evaluated_on": datasets.describe()})
    written = ", ".join(str(args.run_dir / name) for name in lesson.evaluation_artifacts)
    print(_("{summary} on {examples} examples ({source}); wrote {written}").format(
        summary=lesson.summary(results), examples=results["examples"], source=datasets.source, written=written))
    return 0


def _use(lesson: Lesson, args) -> int:
    """The project's own command for a saved model (predict, translate, sample): lesson.command."""
    cfg = lesson.settings(_run_config(args.run_dir))
    run_metrics = _run_metrics(args.run_dir)
    return lesson.command.run(args, _load_model(args.run_dir), run_metrics, cfg)


def _explain(lesson: Lesson, args) -> int:
    cfg = lesson.settings(args.config, args.overrides)
    from .shapes import format_table, total_params

    rows = lesson.layer_plan(cfg)
    print(format_table(rows))
    for line in lesson.notes(cfg):
        print(line)
    counted = lesson.model(cfg).count_params()
    if counted == total_params(rows):
        print(_("keras model.count_params(): {counted:,} (agrees with the table)").format(counted=counted))
    else:
        print(_("keras model.count_params(): {counted:,} (DISAGREES with the table)").format(counted=counted))
    return 0 if counted == total_params(rows) else 1


def _compare(lesson: Lesson, args) -> int:
    from . import comparison, comparison_runs

    slots = comparison_runs.available_slots(args.parallel)
    if args.resume:
        if args.values or args.seeds != 1:
            raise UserError(_("compare --resume {folder}: give no values or --seeds; the comparison continues as "
                              "it was planned (its comparison.json)").format(folder=args.resume))
        folder, steps = args.resume, comparison.read_plan(args.resume)
        comparison_runs.check_none_running(folder, steps)
    else:
        folder, steps = comparison.start(lesson, Path(args.config), args.values, args.seeds)
    comparison_runs.run_all(folder, steps, slots, new=not args.resume)
    comparison.summarize(lesson, folder, steps)
    print((folder / "summary.md").read_text(encoding="utf-8"))
    print(_("compare: wrote summary.csv, summary.md and curves.png in {folder} (tensorboard --logdir {folder}: "
            "HPARAMS)").format(folder=folder))
    return 0


def _changed_settings(lesson: Lesson, run_dir: Path, cfg: dict) -> list[str]:
    """The keys whose values in `cfg` differ from the run's own config.yaml."""
    saved, asked = flatten(lesson.settings(_run_config(run_dir))), flatten(cfg)
    return [key for key in asked if asked[key] != saved[key]]


def _run_config(run_dir: Path) -> Path:
    path = run_dir / "config.yaml"
    if not path.is_file():
        raise ConfigError([_("{run_dir}: not a run directory (no config.yaml in it)").format(run_dir=run_dir)])
    return path


def _run_metrics(run_dir: Path) -> dict:
    path = run_dir / "metrics.json"
    if not path.is_file():
        raise UserError(_("{run_dir}: this run has not finished (no metrics.json); finish it with "
                          "python train.py --resume {run_dir}").format(run_dir=run_dir))
    try:
        metrics = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(metrics, dict) and "test" in metrics:
            return metrics
    except (ValueError, OSError):
        pass
    raise UserError(_("{path}: damaged (not the metrics of a finished run); retrain, or restore the file from a "
                      "copy").format(path=path))


def _load_model(run_dir: Path):
    path = run_dir / "model.keras"
    if not path.is_file():
        raise UserError(_("{run_dir}: has no model.keras; the run has not finished (finish it with "
                          "python train.py --resume {run_dir})").format(run_dir=run_dir))
    import keras

    # The lesson's modules, imported with it, have registered the project's own layers with Keras, which needs them
    # by name to rebuild the saved model.
    try:
        return keras.models.load_model(path)
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile) as error:
        raise UserError(_("{path}: damaged, Keras cannot read it ({error}); retrain, or use {best} (the best "
                          "epoch's model)").format(path=path, error=type(error).__name__,
                                                   best=run_dir / "checkpoints" / "best.keras")) from None
