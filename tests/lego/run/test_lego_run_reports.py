"""JUnit reports (real files from ../shared/data/junit), deployments, artifacts on a full disk, dir caches."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from lego_run_helpers import job, pipeline, run

from hucheng.store import Query, Store
from lego.errors import ArtifactError
from lego.model import CacheSpec
from lego.run.artifacts import collect_artifacts
from lego.run.reports import parse_report
from lego.run.state import JobStatus, RunStatus

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "junit"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"shared JUnit data not present at {DATA}")


@needs_data
def test_pytest_report_from_the_shared_data() -> None:
    cases = parse_report(DATA / "python-xunit-pytest.xml", "r.xml")
    assert len(cases) == 10  # the file's tests="15" counts subtests
    by_status = {s: sum(1 for c in cases if c.status == s) for s in ("passed", "failed", "skipped", "error")}
    assert by_status["failed"] == 2 and by_status["skipped"] == 2
    assert cases[0].classname == "tests.test_lib" and cases[0].name == "test_always_pass"


@needs_data
@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.xml")) if DATA.is_dir() else [])
def test_every_shared_report_parses_or_is_named_as_unreadable(name: str) -> None:
    from lego.run.reports import parse_reports

    cases, problems = parse_reports([name], DATA)
    if problems:  # e.g. NUnit's own format is not JUnit
        assert len(problems) == 1 and problems[0].startswith(f"JUnit report {name} cannot be read")
    else:
        assert all(c.status in {"passed", "failed", "error", "skipped"} for c in cases)
        assert all(c.duration_seconds >= 0 and c.report == name for c in cases)


@needs_data
def test_job_junit_reports_become_test_case_records(workspace: Path, store: Store, home: Path) -> None:
    shutil.copy(DATA / "python-xunit-pytest.xml", workspace / "report.xml")
    p = pipeline(workspace, job("test", "exit 1", junit=("*.xml",)))
    result = run(p, store, home)
    assert result.jobs["test"].status is JobStatus.FAILED  # reports are read from failed jobs too
    records = list(store.query(Query(kinds=("test_case",), labels={"run": result.run_id})))
    assert len(records) == 10
    assert {r.data["status"] for r in records} >= {"passed", "failed", "skipped"}


def test_a_broken_report_is_noted_not_fatal(workspace: Path, store: Store, home: Path) -> None:
    (workspace / "bad.xml").write_text("<testsuite><testcase")
    result = run(pipeline(workspace, job("t", "true", junit=("bad.xml",))), store, home)
    assert result.status is RunStatus.SUCCESS
    assert "JUnit report bad.xml cannot be read" in (Path(result.run_dir) / "logs" / "t.log").read_text()


GOOD = (
    '<testsuite name="s"><testcase classname="c" name="ok"/>'
    '<testcase classname="c" name="bad"><failure message="x"/></testcase>'
    '<testcase classname="c" name="later"><skipped/></testcase></testsuite>'
)


def test_reports_read_are_counted_and_globs_that_match_nothing_are_warned(
    workspace: Path, store: Store, home: Path
) -> None:
    (workspace / "r").mkdir()
    (workspace / "r" / "a.xml").write_text(GOOD)
    script = "mkdir -p dist && echo x > dist/app.bin"
    p = pipeline(
        workspace,
        job(
            "t",
            script,
            junit=("r/*.xml", "nowhere/*.xml"),
            artifacts=("dist/**", "missing.txt", "dist/app.bin"),
        ),
    )
    result = run(p, store, home)
    assert result.status is RunStatus.SUCCESS and result.jobs["t"].artifacts == ("dist/app.bin",)
    log = (Path(result.run_dir) / "logs" / "t.log").read_text()
    assert "lego: warning: junit: nowhere/*.xml matched no file" in log
    assert "lego: JUnit: 3 tests in 1 report (1 failed, 1 skipped)" in log
    assert "lego: warning: artifacts: missing.txt matched no file" in log
    # a pattern whose files an earlier pattern already took is not "unmatched"
    assert "dist/app.bin matched no file" not in log and "dist/** matched no file" not in log


def test_environment_job_records_a_deployment(workspace: Path, store: Store, home: Path) -> None:
    p = pipeline(
        workspace,
        job("deploy", 'echo "version=3.1.4" >> "$LEGO_OUTPUT"', environment="production"),
        env={"SERVICE": "payments"},
    )
    result = run(p, store, home)
    [record] = store.query(Query(kinds=("deployment",)))
    assert record.data["service"] == "payments" and record.data["environment"] == "production"
    assert record.data["version"] == "3.1.4" and record.data["status"] == "success"
    assert record.data["run_id"] == result.run_id


def test_enospc_during_artifact_copy_through_the_copy_seam(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    for name in "abc":
        (tmp_path / "src" / f"{name}.bin").write_bytes(b"x" * 10)
    calls = []

    def full_disk(src: Path, dst: Path) -> None:
        calls.append(src.name)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        shutil.copy2(src, dst)

    dest = tmp_path / "dest"
    with pytest.raises(ArtifactError, match=r"cannot copy artifact 'src/b.bin' .*: disk full"):
        collect_artifacts(["src/*"], tmp_path, dest, copy=full_disk)
    assert not any(p.is_file() for p in dest.rglob("*"))  # the partial copy was removed


@pytest.fixture
def tiny_home(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs as the hucheng home (needs root and mount; else skipped: the seam test covers it)."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_disk_full_on_a_real_tiny_tmpfs_fails_the_job_and_loses_nothing_else(
    workspace: Path, tiny_home: Path
) -> None:
    from hucheng.store import open_store

    db = workspace.parent / "db" / "hucheng.db"
    p = pipeline(
        workspace,
        job("big", "head -c 3000000 /dev/zero > big.bin", artifacts=("big.bin",)),
        job("small", "echo fine"),
    )
    with open_store(f"sqlite:///{db}") as store:
        result = run(p, store, tiny_home, parallel=1)
        big = result.jobs["big"]
        assert big.status is JobStatus.FAILED and "disk full" in big.message
        assert result.jobs["small"].status is JobStatus.SUCCESS
        assert not (Path(result.run_dir) / "artifacts" / "big" / "big.bin").exists()
        states = list(store.query(Query(kinds=("lego_job",), labels={"run": result.run_id})))
        assert {r.data["job"]: r.data["status"] for r in states} == {"big": "failed", "small": "success"}
    assert "disk full" in (Path(result.run_dir) / "logs" / "big.log").read_text()


def test_cache_directories_are_saved_and_restored_by_key(workspace: Path, store: Store, home: Path) -> None:
    (workspace / "lock.txt").write_text("deps v1")
    spec = CacheSpec(key="deps-${{ hashFiles('lock.txt') }}", paths=("deps",), restore_keys=("deps-",))
    script = (
        "test -f deps/installed || { mkdir -p deps; echo x > deps/installed; echo fresh >> installs.log; }"
    )
    p = pipeline(workspace, job("install", script, cache=(spec,)))
    run(p, store, home)
    shutil.rmtree(workspace / "deps")
    run(p, store, home)  # exact key: restored, no install
    assert (workspace / "installs.log").read_text() == "fresh\n"
    (workspace / "lock.txt").write_text("deps v2")
    shutil.rmtree(workspace / "deps")
    result = run(p, store, home)  # new key: restored from the restore key, then saved under the new key
    assert (workspace / "installs.log").read_text() == "fresh\n"
    log_text = (Path(result.run_dir) / "logs" / "install.log").read_text()
    assert "from a restore key" in log_text and "saved" in log_text
