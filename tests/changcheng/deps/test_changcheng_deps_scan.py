"""The scan over a small database: aliases merged, withdrawn skipped, fixed versions, ranges, ignore
file and the failure policy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from changcheng.advisories.database import open_database
from changcheng.deps.ignore import load_ignore_file
from changcheng.deps.levels import FailOn, UnknownPolicy
from changcheng.deps.policy import exit_code, failing, unknown_warning
from changcheng.deps.scan import collect, scan
from changcheng.errors import IgnoreFileError
from changcheng.findings import ScanReport, Severity
from hucheng.exitcodes import ExitCode

Write = Callable[[str, str], Path]


def run(tmp_path: Path, small_db: Path, requirements: str, ignore: Path | None = None) -> ScanReport:
    (tmp_path / "app").mkdir(exist_ok=True)
    (tmp_path / "app" / "requirements.txt").write_text(requirements, encoding="utf-8")
    db = open_database([small_db], tmp_path / "cache")
    collected = collect([tmp_path / "app"], root=tmp_path / "app")
    ignores = load_ignore_file(ignore) if ignore else None
    return scan(collected, db, tool_version="test", ignores=ignores, today=date(2025, 1, 15))


def test_aliases_merge_into_one_finding(tmp_path: Path, small_db: Path) -> None:
    report = run(tmp_path, small_db, "requests==2.25.0\n")
    assert len(report.findings) == 1
    finding = report.findings[0]
    assert finding.rule_id == "PYSEC-2023-74"  # the PYSEC record names the finding
    assert finding.aliases == ("CVE-2023-32681", "GHSA-j8r2-6x86-q33q")
    assert finding.severity is Severity.MEDIUM  # from the GHSA record's CVSS vector
    assert finding.score == 5.3
    assert finding.details["fixed"] == "2.31.0"
    assert finding.details["records"] == ["GHSA-j8r2-6x86-q33q", "PYSEC-2023-74"]
    assert (finding.location.path, finding.location.line) == ("requirements.txt", 1)
    assert finding.message == "requests 2.25.0 is affected by PYSEC-2023-74; fixed in 2.31.0"


def test_withdrawn_records_are_skipped(tmp_path: Path, small_db: Path) -> None:
    # PYSEC-2099-1 (withdrawn) would affect every version of requests
    report = run(tmp_path, small_db, "requests==2.31.0\n")
    assert report.findings == ()


def test_smallest_fixed_version_and_name_normalisation(tmp_path: Path, small_db: Path) -> None:
    report = run(tmp_path, small_db, "requests==2.19.0\npy_yaml==5.3.1\nPyYAML==5.3.1\n")
    ids = sorted((f.rule_id, f.location.line, f.details["fixed"]) for f in report.findings)
    assert ids == [
        ("PYSEC-2018-28", 1, "2.20.0"),
        ("PYSEC-2021-142", 3, "5.4"),  # py_yaml is another project; PyYAML == pyyaml
        ("PYSEC-2023-74", 1, "2.31.0"),
    ]
    assert report.findings[0].severity is Severity.CRITICAL  # worst first (the database's label)


def test_ranges_report_admitted_vulnerable_versions(tmp_path: Path, small_db: Path) -> None:
    report = run(tmp_path, small_db, "requests>=2.20,<2.32\npyyaml>=5.4\n")
    assert [f.rule_id for f in report.findings] == ["PYSEC-2023-74"]
    finding = report.findings[0]
    assert finding.details["pinned"] is False
    # the record names 2.3.0 (not admitted) and 2.31.0 (fixed); the range's lower bound 2.20 is affected
    assert finding.details["admitted_vulnerable"] == ["2.20"]
    assert finding.details["fixed"] == "2.31.0"
    assert "is not pinned and admits versions affected by PYSEC-2023-74" in finding.message
    assert "require >= 2.31.0" in finding.message


def test_url_requirements_are_reported_as_unchecked(tmp_path: Path, small_db: Path) -> None:
    report = run(tmp_path, small_db, "git+https://github.com/psf/requests#egg=requests\n")
    assert report.findings == ()
    assert report.stats["unchecked"] == 1
    assert report.warnings == (
        "1 URL/VCS dependencies have no version and were not checked: requests (requirements.txt:1)",
    )


def test_ignore_file_by_alias_and_expiry(tmp_path: Path, small_db: Path, write: Write) -> None:
    ignore = write(
        "ignore.yaml",
        "ignore:\n"
        "  - id: cve-2023-32681\n"
        "    reason: proxies are not used\n"
        "    ignore_until: 2025-06-30\n"
        "  - id: PYSEC-2018-28\n"
        "    reason: was fine last year\n"
        "    ignore_until: 2024-12-31\n",
    )
    report = run(tmp_path, small_db, "requests==2.19.0\n", ignore)
    assert [f.rule_id for f in report.findings] == ["PYSEC-2018-28"]  # expired: no longer honoured
    (finding, reason), *_ = report.suppressed
    assert finding.rule_id == "PYSEC-2023-74"
    assert reason == f"proxies are not used ({ignore}:2, until 2025-06-30)"
    assert report.warnings == (
        f"ignore entry PYSEC-2018-28 ({ignore}:5) expired on 2024-12-31 and is no longer honoured",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ignore:\n  - id: X\n", r"ignore\.yaml:2: `reason` is required for X"),
        ("ignore:\n  - reason: r\n", r"ignore\.yaml:2: `id` is required"),
        (
            "ignore:\n  - id: X\n    reason: r\n    until: 2020-01-01\n",
            r"ignore\.yaml:2: unknown key 'until'",
        ),
        ("ignore:\n  - id: X\n    reason: r\n    ignore_until: soon\n", r"must be a date"),
        ("ignore: [\n", r"ignore\.yaml:2:1: not valid YAML"),
        ("- id: X\n", r"ignore\.yaml:1: an ignore file is a mapping with one key"),
    ],
)
def test_malformed_ignore_file(write: Write, text: str, message: str) -> None:
    with pytest.raises(IgnoreFileError, match=message):
        load_ignore_file(write("ignore.yaml", text))


def test_failure_policy(tmp_path: Path, small_db: Path) -> None:
    report = run(tmp_path, small_db, "requests==2.19.0\npyyaml==5.3.1\n")
    severities = sorted(f.severity.value for f in report.findings)
    assert severities == ["critical", "medium", "unknown"]
    assert exit_code(report.findings, FailOn.CRITICAL, UnknownPolicy.IGNORE) is ExitCode.FINDINGS
    assert [f.rule_id for f in failing(report.findings, FailOn.HIGH, UnknownPolicy.FAIL)] == [
        "PYSEC-2021-142",
        "PYSEC-2018-28",
    ]
    only_medium = [f for f in report.findings if f.severity is Severity.MEDIUM]
    assert exit_code(only_medium, FailOn.HIGH, UnknownPolicy.FAIL) is ExitCode.OK
    assert exit_code(only_medium, FailOn.MEDIUM, UnknownPolicy.FAIL) is ExitCode.FINDINGS
    unknown = [f for f in report.findings if f.severity is Severity.UNKNOWN]
    assert exit_code(unknown, FailOn.CRITICAL, UnknownPolicy.FAIL) is ExitCode.FINDINGS
    assert exit_code(unknown, FailOn.LOW, UnknownPolicy.WARN) is ExitCode.OK
    assert unknown_warning(unknown, UnknownPolicy.WARN) == (
        "1 finding(s) have no severity in the database and do not fail the scan (--unknown warn)"
    )
    assert unknown_warning(unknown, UnknownPolicy.IGNORE) is None


def test_npm_lockfile_against_npm_records(tmp_path: Path, small_db: Path) -> None:
    app = tmp_path / "web"
    app.mkdir()
    (app / "package-lock.json").write_text(
        '{\n  "lockfileVersion": 3,\n  "packages": {\n    "": {"name": "web"},\n'
        '    "node_modules/lodash": {"version": "4.17.20"}\n  }\n}\n',
        encoding="utf-8",
    )
    db = open_database([small_db], tmp_path / "cache")
    report = scan(collect([app], root=app), db, tool_version="test")
    (finding,) = report.findings
    assert (finding.rule_id, finding.severity, finding.location.line) == ("GHSA-npm-0001", Severity.HIGH, 5)
    assert finding.details["fixed"] == "4.17.21"
