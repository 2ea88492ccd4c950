"""`hucheng store ...` through cli.main: output, exit codes, and one-line errors for bad stores."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import cli
from hucheng.exitcodes import ExitCode
from hucheng.store import Record, open_store

CYCLE = {"tools": {"tianyan": {"status": "ok", "detail": ""}}, "duration_seconds": 1.0, "config": None}


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HUCHENG_HOME", str(tmp_path / "home"))
    for var in ("HUCHENG_STORE", "HUCHENG_CONFIG", "HUCHENG_DEBUG"):
        monkeypatch.delenv(var, raising=False)


def _cycle(days_ago: float, **labels: str) -> Record:
    return Record(kind="cycle", time=datetime.now(UTC) - timedelta(days=days_ago), labels=labels, data=CYCLE)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "h.db"
    with open_store(str(path)) as store:
        store.put([_cycle(100, service="api"), _cycle(1, service="api"), _cycle(0.01, service="web")])
    return path


def run(db: Path, *args: str) -> int:
    return cli.main(["--store", f"sqlite:///{db}", "store", *args])


def test_info_json(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "info", "--format", "json") == ExitCode.OK
    info = json.loads(capsys.readouterr().out)
    assert (info["location"], info["schema_version"], info["counts"]) == (str(db), 1, {"cycle": 3})


def test_info_table(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "info") == ExitCode.OK
    out = capsys.readouterr().out
    assert "records: cycle" in out and "schema version" in out


def test_ls_filters(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "ls", "--since", "2d", "--label", "service=api", "--format", "json") == ExitCode.OK
    [record] = json.loads(capsys.readouterr().out)
    assert (record["kind"], record["labels"], record["data"]) == ("cycle", {"service": "api"}, CYCLE)
    assert run(db, "ls", "--kind", "cycle", "--limit", "1") == ExitCode.OK
    assert "service=web" in capsys.readouterr().out


def test_prune_dry_run_then_prune(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "prune", "--older-than", "90d", "--dry-run") == ExitCode.OK
    assert capsys.readouterr().out.startswith("would remove 1 record(s) older than ")
    assert run(db, "prune", "--older-than", "90d", "--kind", "cycle", "--format", "json") == ExitCode.OK
    assert json.loads(capsys.readouterr().out)["removed"] == 1
    with open_store(str(db)) as store:
        assert store.stats().total == 2


def test_export_import(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "all.jsonl"
    assert run(db, "export", "-o", str(out)) == ExitCode.OK
    assert capsys.readouterr().err == f"exported 3 record(s) to {out}\n"
    copy = tmp_path / "copy.db"
    assert run(copy, "import", str(out)) == ExitCode.OK
    assert capsys.readouterr().out == f"imported {out}: 3 written, 0 ignored (already stored)\n"
    assert run(copy, "import", str(out), "--format", "json") == ExitCode.OK
    assert json.loads(capsys.readouterr().out) == {"written": 0, "ignored": 3}
    assert run(db, "export", "--kind", "cycle", "--since", "2d") == ExitCode.OK
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_import_bad_line_writes_nothing(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    with open_store(str(tmp_path / "other.db")) as other:
        other.put([note_free_cycle(i) for i in range(4)])
    assert cli.main(["--store", str(tmp_path / "other.db"), "store", "export", "-o", str(src)]) == 0
    lines = src.read_text().splitlines()
    lines[2] = "{not json"
    src.write_text("\n".join(lines) + "\n")
    capsys.readouterr()
    assert run(db, "import", str(src)) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.startswith(f"hucheng: error: {src}:3: not valid JSON")
    with open_store(str(db)) as store:
        assert store.stats().total == 3


def note_free_cycle(i: int) -> Record:
    return Record(kind="cycle", time=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=i), data=CYCLE)


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


def test_newer_store_version(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA user_version = 7")
    assert run(db, "info") == ExitCode.USAGE
    assert _one_error_line(capsys) == (
        f"hucheng: error: {db}: store schema version 7 is newer than this hucheng understands (1); "
        "upgrade hucheng or use another --store [docs/errors.md#store-version]"
    )


def test_corrupt_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "h.db"
    path.write_bytes(b"this is not a database\n" * 100)
    assert run(path, "ls") == ExitCode.USAGE
    assert _one_error_line(capsys) == (
        f"hucheng: error: {path}: not a hucheng store (not an SQLite database); move it away or use "
        "another --store [docs/errors.md#store-corrupt]"
    )
    assert path.read_bytes() == b"this is not a database\n" * 100


def test_unreadable_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, "info") == ExitCode.USAGE
    assert _one_error_line(capsys) == (
        f"hucheng: error: {tmp_path}: is a directory, not a store file; use e.g. "
        f"sqlite:///{tmp_path}/hucheng.db [docs/errors.md#store]"
    )
    (tmp_path / "f").write_text("")
    assert run(tmp_path / "f" / "h.db", "info") == ExitCode.USAGE
    assert "cannot create the store's directory" in _one_error_line(capsys)


def test_foreign_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "app.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE t (x)")
    assert run(path, "info") == ExitCode.USAGE
    assert "an SQLite database that is not a hucheng store (tables: t)" in _one_error_line(capsys)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ls", "--since", "yesterday"], "--since 'yesterday' is neither a duration nor a time"),
        (["ls", "--label", "service"], "--label 'service' is not name=value"),
        (
            ["prune", "--older-than", "90d", "--kind", "alert"],
            "unknown record kind 'alert'; known kinds: cycle",
        ),
    ],
)
def test_bad_arguments(db: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert run(db, *args) == ExitCode.USAGE
    assert message in _one_error_line(capsys)


def test_elasticsearch_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--store", "es+https://es.example:9200", "store", "info"]) == ExitCode.USAGE
    assert "the Elasticsearch backend is not available in this version" in _one_error_line(capsys)


def test_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("info", "ls", "prune", "export", "import"):
        assert cli.main(["store", command, "--help"]) == ExitCode.OK
        assert f"Examples:\n    hucheng store {command}" in capsys.readouterr().out


def test_default_store_under_hucheng_home(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["store", "info", "--format", "json"]) == ExitCode.OK
    location = Path(json.loads(capsys.readouterr().out)["location"])
    assert location.is_relative_to(tmp_path / "home")
