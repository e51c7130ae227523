"""`translate` from a saved run, in this process and in a fresh one, and the errors it gives."""

from __future__ import annotations

import json

from .conftest import main, run_project


def test_translate_sentences_and_a_file(finished_run, tmp_path, capsys):
    sentences = tmp_path / "sentences.txt"
    sentences.write_text("w1 w2 w3\n\nw4 w5 w6 w7\n", encoding="utf-8")
    assert main(["translate", str(finished_run), "w3 w2 w1", "--file", str(sentences), "--beam-width", "3"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["source"] for line in lines] == ["w3 w2 w1", "w1 w2 w3", "w4 w5 w6 w7"]
    assert all(isinstance(line["translation"], str) for line in lines)


def test_translate_in_a_fresh_process(finished_run):
    """A new process must find the project's own text function to load the model."""
    result = run_project("translate", str(finished_run), "w1 w2 w3")
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1])["source"] == "w1 w2 w3"


def test_translate_errors(finished_run, tmp_path, capsys):
    assert main(["translate", str(finished_run)]) == 2
    assert "expected at least one non-empty sentence" in capsys.readouterr().err
    assert main(["translate", str(finished_run), "w1", "--beam-width", "0"]) == 2
    assert "error: --beam-width: got 0; expected an integer from 1 to 100" in capsys.readouterr().err


def test_evaluate_writes_bleu_samples_and_attention(finished_run):
    metrics = json.loads((finished_run / "metrics.json").read_text())
    test = metrics["test"]
    assert 0.0 <= test["bleu"] <= 100.0 and "tok:13a" in test["bleu_signature"]
    assert (finished_run / "attention.png").is_file(), "the default config has attention"
    rows = (finished_run / "translations.tsv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "source\treference\ttranslation" and len(rows) == test["examples"] + 1
