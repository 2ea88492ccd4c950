"""A run's files per job: one name per job id, and runs written before keep the names they had."""

from __future__ import annotations

from pathlib import Path

from lego_run_helpers import job, pipeline, run

from hucheng.store import Store
from lego.run.layout import RunDir
from lego.run.logs import log_paths, read_logs
from lego.run.state import JobStatus, job_slug, legacy_job_slug


def test_job_slugs_are_one_per_job_id_and_safe_as_file_names() -> None:
    assert job_slug("build") == "build" and job_slug("构建") == "构建"  # safe ids are kept as they are
    ids = ["a b", "a/b", "a-b", "α", "β", "test (v=x y)", "test (v=x/y)", ".", "..", "x" * 400, "语" * 200]
    slugs = [job_slug(i) for i in ids]
    assert len(set(slugs)) == len(ids), slugs
    for slug in slugs:
        assert "/" not in slug and slug not in (".", "..") and not slug.startswith(".")
        assert 0 < len(slug.encode()) <= 200
    # what the old names merged
    assert legacy_job_slug("a b") == legacy_job_slug("a/b") == legacy_job_slug("a-b")
    assert legacy_job_slug("α") == legacy_job_slug("β") == "job"


OUT = 'echo "who=$(pwd)-{0}" >> "$LEGO_OUTPUT"; echo "I am {0}"; sleep 0.2'


def test_jobs_whose_ids_differ_only_in_unsafe_characters_keep_apart(
    workspace: Path, home: Path, store: Store
) -> None:
    p = pipeline(
        workspace,
        job("a b", OUT.format("space"), outputs={"who": "${{ steps.step-1.outputs.who }}"}),
        job("a/b", OUT.format("slash"), outputs={"who": "${{ steps.step-1.outputs.who }}"}),
        job("测试", OUT.format("cjk")),
        job("试验", OUT.format("cjk2")),
    )
    result = run(p, store, home, parallel=4)
    assert {r.status for r in result.jobs.values()} == {JobStatus.SUCCESS}
    # they ran side by side and wrote $LEGO_OUTPUT files of their own
    assert result.jobs["a b"].outputs["who"].endswith("-space")
    assert result.jobs["a/b"].outputs["who"].endswith("-slash")
    rdir = RunDir(Path(result.run_dir))
    for jid, me in (("a b", "space"), ("a/b", "slash"), ("测试", "cjk"), ("试验", "cjk2")):
        texts = [line.text for line in read_logs(log_paths(rdir, list(result.jobs), jid))]
        assert f"I am {me}" in texts and [t for t in texts if t.startswith("I am")] == [f"I am {me}"]


def test_a_run_written_before_keeps_its_file_names(tmp_path: Path) -> None:
    old = RunDir(tmp_path / "old")
    (old.root / "logs").mkdir(parents=True)  # created by an older hucheng: no layout file
    (old.root / "logs" / "test-v=x-y.log").write_text("2026-01-01T00:00:00.000Z\tfrom before\n")
    assert old.log_file("test (v=x y)").name == "test-v=x-y.log"
    assert [line.text for line in read_logs(log_paths(old, ["test (v=x y)"], None))] == ["from before"]
    old.create()  # resume of that run: it goes on with the names it has
    assert old.log_file("test (v=x y)").name == "test-v=x-y.log"
    new = RunDir(tmp_path / "new")
    new.create()
    assert (new.root / RunDir.LAYOUT).read_text() == "2\n"
    assert RunDir(new.root).log_file("test (v=x y)").name == job_slug("test (v=x y)") + ".log"
