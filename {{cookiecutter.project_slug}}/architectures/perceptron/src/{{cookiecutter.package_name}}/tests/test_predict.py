"""`predict` on points as a learner has them: on the command line or in a CSV file."""

from __future__ import annotations

import json

from .conftest import main


def test_predict_points_and_a_file(finished_run, tmp_path, capsys):
    points = tmp_path / "points.csv"
    points.write_text("x1,x2\n1,1\n-1,1\n", encoding="utf-8")
    assert main(["predict", str(finished_run), "--point", "1", "-1", "--point", "-1", "-1", "--file", str(points)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["point"] for line in lines] == [[1, -1], [-1, -1], [1, 1], [-1, 1]]
    for line in lines:
        assert line["class"] in ("0", "1") and 0 <= line["p_class_1"] <= 1
        assert (line["class"] == "1") == (line["p_class_1"] >= 0.5)


def test_predict_refuses_what_is_not_a_point(finished_run, tmp_path, capsys):
    assert main(["predict", str(finished_run)]) == 2
    assert "expected at least one point, with --point X1 X2 or --file FILE" in capsys.readouterr().err
    assert main(["predict", str(finished_run), "--point", "1", "nan"]) == 2
    assert "--point: expected two finite numbers X1 X2" in capsys.readouterr().err
    assert main(["predict", str(finished_run), "--file", str(tmp_path / "missing.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
