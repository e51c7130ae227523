"""`predict` on points given on the command line."""

from __future__ import annotations

import json

from .conftest import main


def test_predict_points(finished_run, capsys):
    points = [[1, -1], [-1, -1], [1, 1], [-1, 1]]
    flags = [text for point in points for text in ("--point", *map(str, point))]
    assert main(["predict", str(finished_run), *flags]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["point"] for line in lines] == points
    for line in lines:
        assert line["class"] in ("0", "1") and 0 <= line["p_class_1"] <= 1
        assert (line["class"] == "1") == (line["p_class_1"] >= 0.5)


def test_predict_refuses_what_is_not_a_point(finished_run, capsys):
    assert main(["predict", str(finished_run)]) == 2
    assert "expected at least one point: --point X1 X2" in capsys.readouterr().err
    assert main(["predict", str(finished_run), "--point", "1", "nan"]) == 2
    assert "--point: expected two finite numbers X1 X2" in capsys.readouterr().err
