"""Scanning a tree: .gitignore, binary and large files, redaction in every format, baselines, workers."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from secret_samples import AWS_KEY_ID, EXAMPLES

from changcheng.errors import ChangchengError, IgnoreFileError
from changcheng.report import REPORT_FORMATS, render
from changcheng.secrets import scanner
from changcheng.secrets.baseline import read_baseline, write_baseline
from changcheng.secrets.scanner import ScanOptions, scan_tree
from changcheng.secrets.source import RuleSource


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    (root / "src" / "settings.py").write_text(f'DEBUG = True\nAWS_KEY = "{AWS_KEY_ID}"\n', encoding="utf-8")
    (root / "src" / "ok.py").write_text(f'KEY = "{AWS_KEY_ID}"  # hucheng:allow\n', encoding="utf-8")
    (root / "build").mkdir()
    (root / "build" / "out.txt").write_text(EXAMPLES["github-token"][0], encoding="utf-8")
    (root / ".gitignore").write_text("build/\n*.log\n", encoding="utf-8")
    (root / "debug.log").write_text(EXAMPLES["stripe-secret-key"][0], encoding="utf-8")
    (root / "blob.bin").write_bytes(b"\x00\x01" + EXAMPLES["github-token"][0].encode() + b"\x00")
    (root / "big.txt").write_text("x" * 5000 + EXAMPLES["npm-token"][0], encoding="utf-8")
    return root


def test_tree_scan_finds_skips_and_counts(tree: Path) -> None:
    report = scan_tree(tree, RuleSource(), ScanOptions(max_file_size=4000))
    assert [(f.rule_id, f.location.path, f.location.line) for f in report.findings] == [
        ("aws-access-key-id", "src/settings.py", 2)
    ]
    assert report.findings[0].fingerprint == "src/settings.py:aws-access-key-id:2"
    [(accepted, reason)] = report.suppressed
    assert accepted.location.path == "src/ok.py" and reason == "pragma hucheng:allow"
    assert report.stats["skipped_binary"] == 1  # blob.bin holds a token, but is binary
    assert report.stats["skipped_large"] == 1
    assert report.stats["ignored_by_gitignore"] == 2  # build/ and debug.log
    assert report.stats["files"] == 3  # settings.py, ok.py, .gitignore


def test_gitignore_can_be_turned_off(tree: Path) -> None:
    report = scan_tree(tree, RuleSource(), ScanOptions(gitignore=False))
    assert {f.rule_id for f in report.findings} >= {"github-token", "stripe-secret-key", "npm-token"}


def test_nested_gitignore_applies_below_its_directory(tmp_path: Path) -> None:
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / "a" / ".gitignore").write_text("deep/\n")
    (tmp_path / "a" / "deep" / "k.txt").write_text(AWS_KEY_ID)
    (tmp_path / "deep").mkdir()
    (tmp_path / "deep" / "k.txt").write_text(AWS_KEY_ID)
    report = scan_tree(tmp_path, RuleSource())
    assert [f.location.path for f in report.findings] == ["deep/k.txt"]


def test_a_single_file_can_be_scanned(tree: Path) -> None:
    report = scan_tree(tree / "src" / "settings.py", RuleSource())
    assert [f.location.path for f in report.findings] == ["settings.py"]


def test_a_path_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ChangchengError, match=r"nope: no such file or directory"):
        scan_tree(tmp_path / "nope", RuleSource())


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_redaction_is_on_in_every_format(tree: Path, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    out = io.StringIO()
    render(scan_tree(tree, RuleSource()), fmt, out)
    assert AWS_KEY_ID[:4] + "*" in out.getvalue()
    assert AWS_KEY_ID not in out.getvalue()
    shown = io.StringIO()
    render(scan_tree(tree, RuleSource(), ScanOptions(redact=False)), fmt, shown)
    assert AWS_KEY_ID in shown.getvalue()


def test_baseline_accepts_known_findings_and_only_new_ones_count(tree: Path, tmp_path: Path) -> None:
    first = scan_tree(tree, RuleSource())
    baseline = tmp_path / "baseline.json"
    assert write_baseline(baseline, first.findings) == 2  # the AWS key and the npm token in big.txt
    assert AWS_KEY_ID not in baseline.read_text()
    (tree / "src" / "new.py").write_text(EXAMPLES["gitlab-pat"][0])
    second = scan_tree(tree, RuleSource(), baseline=read_baseline(baseline), baseline_name="baseline.json")
    assert [f.rule_id for f in second.findings] == ["gitlab-pat"]
    assert ("baseline baseline.json") in [reason for _, reason in second.suppressed]


@pytest.mark.parametrize(
    ("content", "message"),
    [("{", r"baseline\.json:1:2: baseline is not JSON"), ('{"findings": [{"x": 1}]}', "no 'fingerprint'")],
)
def test_malformed_baseline_is_an_ignore_file_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(content)
    with pytest.raises(IgnoreFileError, match=message):
        read_baseline(path)


def test_worker_processes_find_the_same_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(6):
        (tmp_path / f"f{i}.py").write_text(f"x = {i}\n" + EXAMPLES["github-token"][0] + "\n")
    serial = scan_tree(tmp_path, RuleSource(), ScanOptions(workers=1))
    monkeypatch.setattr(scanner, "PARALLEL_MIN_BYTES", 0)
    parallel = scan_tree(tmp_path, RuleSource(), ScanOptions(workers=2))
    assert sorted(f.fingerprint for f in parallel.findings) == sorted(f.fingerprint for f in serial.findings)
    assert len(serial.findings) == 6 and parallel.stats == serial.stats


def test_json_report_of_a_scan_has_stats_and_findings(tree: Path) -> None:
    out = io.StringIO()
    render(scan_tree(tree, RuleSource()), "json", out)
    doc = json.loads(out.getvalue())
    assert doc["summary"]["by_severity"]["critical"] == 1
    assert doc["findings"][0]["details"]["secret"].startswith("AKIA")


def test_a_file_name_that_is_not_utf8_is_read_and_reported(tmp_path: Path) -> None:
    import os

    (tmp_path / os.fsdecode(b"bad\xff.py")).write_text(f'K = "{AWS_KEY_ID}"\n')
    report = scan_tree(tmp_path, RuleSource())
    assert [f.location.path for f in report.findings] == ["bad\ufffd.py"]
    out = io.StringIO()
    render(report, "sarif", out)
    assert "bad%EF%BF%BD.py" in out.getvalue()
