"""`translate`: sentences into the target language, from a saved run."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .runtime.i18n import N_, _

COMMAND = "translate"
HELP = N_("translate sentences with a saved run")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sentences", nargs="*", metavar="SENTENCE", help=_("sentences to translate (quote each one)"))
    parser.add_argument("--file", type=Path, help=_("a UTF-8 file with one sentence per line (blank lines skipped)"))
    parser.add_argument("--beam-width", type=int, help=_("translations kept per step (default: model.beam_width; "
                                                         "1 = greedy)"))


def run(args: argparse.Namespace, model, run_metrics: dict, cfg: dict) -> int:
    from .decoding import Translator
    from .runtime.data_sources import DataError
    from .runtime.errors import ConfigError
    from .runtime.text_files import read_utf8
    from .tokens import detokenize

    beam_width = cfg["model"]["beam_width"] if args.beam_width is None else args.beam_width
    if not 1 <= beam_width <= 100:
        raise ConfigError([_("--beam-width: got {value}; expected an integer from 1 to 100").format(value=beam_width)])
    sentences = list(args.sentences)
    if args.file is not None:
        if not args.file.is_file():
            raise DataError(_("--file={path!r}: no such file").format(path=str(args.file)))
        sentences += [line.strip() for line in read_utf8(args.file, "--file").splitlines() if line.strip()]
    if not sentences or not all(sentence.strip() for sentence in sentences):
        raise DataError(_("translate: expected at least one non-empty sentence, as an argument or with --file FILE"))
    translator = Translator(model, run_metrics["class_names"], cfg["model"]["max_target_length"])
    translations, _attention = translator.translate(sentences, beam_width)
    for sentence, words in zip(sentences, translations, strict=True):
        translation = detokenize(words, cfg["data"]["target_language"])
        print(json.dumps({"source": sentence, "translation": translation}, ensure_ascii=False))
    return 0
