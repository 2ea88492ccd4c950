"""--history over real git repositories: added lines with commit, author, date; shallow and broken history."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import git
from secret_samples import AWS_KEY_ID, EXAMPLES

from changcheng.errors import GitHistoryError
from changcheng.secrets.run import scan_git_history
from changcheng.secrets.scanner import ScanOptions
from changcheng.secrets.source import RuleSource

MakeRepo = Callable[[list[dict[str, str | None]]], Path]


def test_a_secret_removed_later_is_still_found_in_history(make_repo: MakeRepo) -> None:
    repo = make_repo(
        [
            {"README.md": "hello\n"},
            {"app/settings.py": f'DEBUG = 1\nX = 2\nKEY = "{AWS_KEY_ID}"\n', "README.md": "hello\nworld\n"},
            {"app/settings.py": "DEBUG = 1\nX = 2\nKEY = os.environ['KEY']\n"},
        ]
    )
    report = scan_git_history(repo, RuleSource(), ScanOptions())
    [finding] = report.findings
    sha = git(repo, "rev-list", "-n1", "HEAD~1")
    assert finding.location.path == "app/settings.py" and finding.location.line == 3
    assert finding.location.commit == sha
    assert finding.location.author == "Dev <dev@example.com>"
    assert finding.location.date == "2024-05-02T10:00:00+00:00"
    assert finding.fingerprint == f"{sha}:app/settings.py:aws-access-key-id:3"
    assert report.stats["commits"] == 3 and report.warnings == ()


def test_line_numbers_follow_hunks_in_the_middle_of_a_file(make_repo: MakeRepo) -> None:
    body = "".join(f"line {i}\n" for i in range(1, 21))
    changed = body.replace("line 15\n", "line 15\n" + EXAMPLES["gitlab-pat"][0] + "\n")
    repo = make_repo([{"f.txt": body}, {"f.txt": changed}])
    [finding] = scan_git_history(repo, RuleSource(), ScanOptions()).findings
    assert finding.location.line == 16


def test_an_added_line_that_looks_like_a_diff_header_is_still_content(make_repo: MakeRepo) -> None:
    repo = make_repo([{"notes.txt": "++ " + EXAMPLES["github-token"][0] + "\n"}])
    [finding] = scan_git_history(repo, RuleSource(), ScanOptions()).findings
    assert finding.rule_id == "github-token"


def test_shallow_clone_warns_and_scans_what_is_there(make_repo: MakeRepo, tmp_path: Path) -> None:
    origin = make_repo([{"a.txt": EXAMPLES["npm-token"][0] + "\n"}, {"b.txt": "x\n"}, {"c.txt": AWS_KEY_ID}])
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", origin.as_uri(), str(clone)], check=True, capture_output=True
    )
    report = scan_git_history(clone, RuleSource(), ScanOptions())
    assert any("shallow clone" in w for w in report.warnings)
    assert report.stats["commits"] == 1
    # the grafted commit has no parent, so everything in its tree counts as added by it
    assert sorted(f.rule_id for f in report.findings) == ["aws-access-key-id", "npm-token"]
    assert {f.location.commit for f in report.findings} == {git(clone, "rev-parse", "HEAD")}


def test_broken_history_is_a_git_history_error_naming_the_repo(make_repo: MakeRepo) -> None:
    repo = make_repo([{"a.txt": "one\n"}, {"a.txt": "two\n"}])
    blob = git(repo, "rev-parse", "HEAD~1:a.txt")
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    with pytest.raises(GitHistoryError, match=rf"^{repo}: git log failed: .*git fsck"):
        scan_git_history(repo, RuleSource(), ScanOptions())


def test_not_a_repository_is_a_git_history_error(tmp_path: Path) -> None:
    with pytest.raises(GitHistoryError, match=r"not a git repository"):
        scan_git_history(tmp_path, RuleSource(), ScanOptions())
    with pytest.raises(GitHistoryError, match=r"no such directory"):
        scan_git_history(tmp_path / "missing", RuleSource(), ScanOptions())


def test_binary_files_in_history_are_skipped_and_counted(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo([{"readme": "x\n"}])
    (repo / "blob.bin").write_bytes(b"\x00\x01" + AWS_KEY_ID.encode() + b"\x00")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "binary")
    report = scan_git_history(repo, RuleSource(), ScanOptions())
    assert report.findings == () and report.stats["skipped_binary"] == 1


def test_a_revision_range_scans_only_those_commits(make_repo: MakeRepo) -> None:
    repo = make_repo(
        [{"a.txt": AWS_KEY_ID + "\n"}, {"b.txt": "x\n"}, {"c.txt": EXAMPLES["gitlab-pat"][0] + "\n"}]
    )
    report = scan_git_history(repo, RuleSource(), ScanOptions(), revisions="HEAD~1..HEAD")
    assert [f.rule_id for f in report.findings] == ["gitlab-pat"] and report.stats["commits"] == 1
    with pytest.raises(GitHistoryError, match="names a commit, branch or tag this clone does not have"):
        scan_git_history(repo, RuleSource(), ScanOptions(), revisions="nope..HEAD")
    with pytest.raises(GitHistoryError, match="not a revision range"):
        scan_git_history(repo, RuleSource(), ScanOptions(), revisions="--output=/tmp/x")
