from __future__ import annotations

import io
import json
from pathlib import Path

from wijkwijs.budgeting.rules.cli import main

DATA = Path(__file__).parent / "data" / "small_cumulative.pb"


def test_json_output() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main([str(DATA), "--rule", "greedy", "--json"], out, err) == 0
    payload = json.loads(out.getvalue())
    assert list(payload) == ["rule", "selected", "total_cost", "seconds", "parse_seconds"]
    assert payload["rule"] == "greedy"
    assert payload["selected"] == ["p1", "p3"]  # points: p1 3, p3 5, p2 2 (p2 does not fit)
    assert payload["total_cost"] == 80


def test_table_output() -> None:
    out = io.StringIO()
    assert main([str(DATA), "--rule", "mes"], out, io.StringIO()) == 0
    assert "p1" in out.getvalue() and "Totaal" in out.getvalue()


def test_errors_exit_2(tmp_path: Path) -> None:
    err = io.StringIO()
    assert main([str(DATA), "--rule", "nope", "--json"], io.StringIO(), err) == 2
    assert "unknown rule" in err.getvalue()
    bad = tmp_path / "bad.pb"
    bad.write_text(DATA.read_text().replace("p3;30", "p3;x"), encoding="utf-8")
    err = io.StringIO()
    assert main([str(bad), "--rule", "greedy"], io.StringIO(), err) == 2
    assert "line 17" in err.getvalue()
