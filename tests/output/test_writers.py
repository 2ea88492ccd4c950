from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import pytest

from hucheng.output.junit import CaseResult, CaseStatus, SuiteResult, to_junit_xml, write_junit
from hucheng.output.table import Column, TableData, emit

GOLDEN = Path(__file__).parent / "golden"


class Colour(StrEnum):
    RED = "red"


def sample() -> TableData:
    return TableData(
        [Column("name"), Column("count", justify="right"), Column("state", styles={"bad": "red"})],
        [
            {"name": "alpha", "count": 3, "state": "ok"},
            {"name": "[b]eta", "count": 12, "state": "bad"},
        ],
        title="sample",
    )


def test_json_is_the_rows() -> None:
    out = io.StringIO()
    emit(sample(), "json", out)
    assert json.loads(out.getvalue()) == [
        {"name": "alpha", "count": 3, "state": "ok"},
        {"name": "[b]eta", "count": 12, "state": "bad"},
    ]


def test_json_with_meta_wraps_items() -> None:
    data = TableData(
        [Column("a")], [{"a": datetime(2026, 1, 2, tzinfo=UTC), "c": Colour.RED}], meta={"ok": True}
    )
    out = io.StringIO()
    emit(data, "json", out)
    assert json.loads(out.getvalue()) == {
        "ok": True,
        "items": [{"a": "2026-01-02T00:00:00+00:00", "c": "red"}],
    }


def test_table_matches_golden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    out = io.StringIO()
    emit(sample(), "table", out)
    # rich markup in cell values is shown literally, never interpreted
    assert out.getvalue() == (GOLDEN / "table.txt").read_text(encoding="utf-8")


def test_a_table_for_a_pipe_keeps_every_value_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a terminal (a pipe, a CI log): no 80-column edge to squeeze values into "20261125…"."""
    monkeypatch.delenv("COLUMNS", raising=False)
    long_id = "20261125-094424-9a38f0"
    where = "/a/rather/long/path/to/a/pipeline/in/some/monorepo/.lego.yml"
    data = TableData(
        [Column("run"), Column("status"), Column("started"), Column("pipeline"), Column("trigger")],
        [
            {
                "run": long_id,
                "status": "success",
                "started": "2026-11-25T09:44:24.897Z",
                "pipeline": where,
                "trigger": "run bc27aef2 main",
            }
        ],
    )
    out = io.StringIO()
    emit(data, "table", out)
    text = out.getvalue()
    assert long_id in text and where in text and "…" not in text
    assert max(len(line) for line in text.splitlines()) > 80  # wider than a terminal's default


def suites() -> list[SuiteResult]:
    return [
        SuiteResult(
            "doctor",
            [
                CaseResult("git", "hucheng.doctor", seconds=0.01),
                CaseResult(
                    "chromium",
                    "hucheng.doctor",
                    CaseStatus.FAILED,
                    0.5,
                    "missing",
                    "apt-get install chromium",
                ),
                CaseResult("redis", "hucheng.doctor", CaseStatus.SKIPPED, message="optional"),
                CaseResult("store", "hucheng.doctor", CaseStatus.ERROR, message="locked", stdout="log line"),
            ],
        )
    ]


def test_junit_matches_golden() -> None:
    assert to_junit_xml(suites()) == (GOLDEN / "junit.xml").read_text(encoding="utf-8")


def test_junit_counts(tmp_path: Path) -> None:
    path = tmp_path / "r.xml"
    write_junit(suites(), path)
    root = ET.parse(path).getroot()
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) == (
        "4",
        "1",
        "1",
        "1",
    )
    failure = root.find(".//testcase[@name='chromium']/failure")
    assert (
        failure is not None
        and failure.get("message") == "missing"
        and failure.text == "apt-get install chromium"
    )
