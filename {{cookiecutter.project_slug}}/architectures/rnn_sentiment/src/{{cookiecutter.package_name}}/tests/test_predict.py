"""`predict` on texts as a learner has them: on the command line or one per line of a file."""

from __future__ import annotations

import json

from .conftest import main


def test_predict_texts_and_a_file(finished_run, tmp_path, capsys):
    reviews = tmp_path / "reviews.txt"
    reviews.write_text("a wonderful, moving film\n\nthe plot was dull and tedious\n", encoding="utf-8")
    assert main(["predict", str(finished_run), "Très bon film", "--file", str(reviews)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["text"] for line in lines] == ["Très bon film", "a wonderful, moving film",
                                                "the plot was dull and tedious"]
    for line in lines:
        assert line["label"] in ("negative", "positive") and 0 <= line["p_positive"] <= 1
        assert (line["label"] == "positive") == (line["p_positive"] >= 0.5)


def test_predict_needs_a_text(finished_run, tmp_path, capsys):
    assert main(["predict", str(finished_run)]) == 2
    assert "expected at least one non-empty text, as an argument or with --file FILE" in capsys.readouterr().err
    latin = tmp_path / "latin.txt"
    latin.write_bytes("très ennuyeux".encode("latin-1"))
    assert main(["predict", str(finished_run), "--file", str(latin)]) == 2
    assert "--file=" in capsys.readouterr().err
    assert main(["predict", str(finished_run), "--file", str(tmp_path / "missing.txt")]) == 2
    assert "no such file" in capsys.readouterr().err
