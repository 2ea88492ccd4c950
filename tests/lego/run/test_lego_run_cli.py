"""``hucheng lego run/runs/show/logs/retry/approve`` through cli.main, with real .lego.yml files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cli
from hucheng.exitcodes import ExitCode

PIPELINE = """\
jobs:
  build:
    outputs:
      version: ${{ steps.v.outputs.version }}
    steps:
      - id: v
        run: echo "version=2.0" >> "$LEGO_OUTPUT"; echo building
  test:
    needs: [build]
    steps:
      - run: test -f fixed.txt
  deploy:
    needs: [build, test]
    steps:
      - run: echo deploying ${{ needs.build.outputs.version }}
"""


@pytest.fixture
def project(workspace: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(workspace)
    monkeypatch.setenv("HUCHENG_HOME", str(home))
    monkeypatch.setenv("CI", "true")
    (workspace / ".lego.yml").write_text(PIPELINE)
    return workspace


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    code = cli.main(["lego", *args, "--format", "json"])
    captured = capsys.readouterr()
    assert captured.out.startswith("{") or captured.out.startswith("["), captured.err
    return code, json.loads(captured.out)


def test_failed_run_then_retry_failed_reuses_the_successful_job(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, first = run_json(capsys, "run", "--jobs", "2")
    assert code == ExitCode.FINDINGS and first["status"] == "failed"
    jobs = {j["job"]: j["status"] for j in first["jobs"]}  # type: ignore[union-attr]
    assert jobs == {"build": "success", "test": "failed", "deploy": "skipped"}

    (project / "fixed.txt").write_text("ok")
    code, second = run_json(capsys, "retry", str(first["run_id"]), "--failed")
    assert code == ExitCode.OK and second["status"] == "success"
    by_job = {j["job"]: j for j in second["jobs"]}  # type: ignore[union-attr]
    assert by_job["build"]["reused_from"] == first["run_id"]
    assert by_job["test"]["status"] == "success" and by_job["test"]["reused_from"] is None

    code, listed = run_json(capsys, "runs")
    assert code == 0 and [r["run_id"] for r in listed][:2] == [second["run_id"], first["run_id"]]  # type: ignore[index]

    code, shown = run_json(capsys, "show", str(second["run_id"]))
    assert shown["parent_run"] == first["run_id"] and shown["trigger"]["how"] == "retry"  # type: ignore[index]

    assert cli.main(["lego", "logs", str(second["run_id"]), "deploy"]) == 0
    assert "deploying 2.0" in capsys.readouterr().out

    # nothing failed in the retry: retrying it again with --failed makes no empty run
    assert cli.main(["lego", "retry", str(second["run_id"]), "--failed"]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert f"every job of run {second['run_id']} succeeded: nothing to retry with --failed" in err
    code, listed = run_json(capsys, "runs")
    assert len(listed) == 2  # type: ignore[arg-type]


def test_plain_output_prefixes_every_line_with_its_job(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "fixed.txt").write_text("ok")
    assert cli.main(["lego", "run"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "[build] building" in out and "[deploy] deploying 2.0" in out
    assert "success" in out


def test_invalid_pipeline_is_exit_2_with_one_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / ".lego.yml").write_text(
        "jobs:\n  a:\n    needs: [b]\n    steps: [{run: 'true'}]\n"
        "  b:\n    needs: [a]\n    steps: [{run: 'true'}]\n"
    )
    assert cli.main(["lego", "run"]) == ExitCode.USAGE
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and ".lego.yml:" in err[0]


def test_unknown_run_and_missing_secret_are_exit_2(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["lego", "show", "nope"]) == ExitCode.USAGE
    assert "no lego run 'nope'" in capsys.readouterr().err
    assert cli.main(["lego", "run", "--secret", "SURELY_UNSET_SECRET"]) == ExitCode.USAGE
    assert "SURELY_UNSET_SECRET not set" in capsys.readouterr().err


def test_approve_unknown_job_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "fixed.txt").write_text("ok")
    code, done = run_json(capsys, "run")
    assert code == 0
    assert cli.main(["lego", "approve", str(done["run_id"]), "nope"]) == ExitCode.USAGE
    assert "has no job 'nope'" in capsys.readouterr().err
    # a real job of a run that has ended: nothing waits for approval, so it is not "approved"
    assert cli.main(["lego", "approve", str(done["run_id"]), "build"]) == ExitCode.USAGE
    assert "already ended (success); nothing waits for approval" in capsys.readouterr().err
    assert cli.main(["lego", "cancel", str(done["run_id"])]) == ExitCode.USAGE
    assert "already ended" in capsys.readouterr().err


def test_job_option_runs_the_job_and_what_it_needs(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "fixed.txt").write_text("ok")
    code, result = run_json(capsys, "run", "--job", "test")
    assert code == ExitCode.OK
    assert [j["job"] for j in result["jobs"]] == ["build", "test"]  # type: ignore[union-attr]
    assert cli.main(["lego", "run", "--job", "nope"]) == ExitCode.USAGE
    assert "--job nope: no such job" in capsys.readouterr().err


def test_a_quiet_successful_job_keeps_no_log_file_and_logs_says_so(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "fixed.txt").write_text("ok")
    code, result = run_json(capsys, "run")
    assert code == ExitCode.OK
    logs = Path(str(result["run_dir"])) / "logs"
    assert sorted(p.name for p in logs.iterdir()) == ["build.log", "deploy.log"]  # test printed nothing
    assert "lego: step" in (logs / "build.log").read_text()  # routine lines kept once a file exists
    assert cli.main(["lego", "logs", str(result["run_id"]), "test"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "job 'test'" in captured.err and "printed nothing" in captured.err


def test_logs_of_a_big_job_come_out_whole_in_text_and_json(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # written 512 lines at a time (not a write per line), so every line must still come out, in order
    (project / ".lego.yml").write_text("jobs:\n  big:\n    steps:\n      - run: seq 1 3000\n")
    code, result = run_json(capsys, "run")
    assert code == ExitCode.OK
    assert cli.main(["lego", "logs", str(result["run_id"])]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if not line.startswith("[big] lego:")] == [
        f"[big] {i}" for i in range(1, 3001)
    ]
    assert cli.main(["lego", "logs", str(result["run_id"]), "big", "--format", "json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["line"] for r in rows if not r["line"].startswith("lego:")] == [str(i) for i in range(1, 3001)]
    assert all(r["job"] == "big" and r["time"].endswith("Z") for r in rows)
