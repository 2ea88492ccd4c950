"""``${{ }}`` expressions: each operator and function, GitHub Actions' value rules, errors with positions."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path
from typing import Any

import pytest

from lego.errors import ExpressionError
from lego.spec.expressions import (
    ExprContext,
    GitInfo,
    NeedState,
    StepState,
    check_syntax,
    condition,
    evaluate,
    find_expressions,
    is_true,
    references,
    render,
    strip_braces,
)

CTX = ExprContext(
    env={"STAGE": "prod", "EMPTY": ""},
    matrix={"python": "3.10", "os": "linux"},
    needs={
        "build": NeedState("success", {"wheel": "dist/a.whl", "count": "3"}),
        "lint": NeedState("failure", {}),
    },
    steps={"setup": StepState("success", outputs={"path": "/venv"})},
    git=GitInfo(branch="main", sha="abc123", author="Ann", base_ref="origin/main"),
    secrets={"TOKEN": "s3cr3t-value"},
)


def ev(expr: str, ctx: ExprContext = CTX) -> Any:
    return evaluate(expr, ctx)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("'it''s'", "it's"),
        ("42", 42.0),
        ("-1.5", -1.5),
        ("0xff", 255.0),
        ("1e3", 1000.0),
        ("true", True),
        ("false", False),
        ("null", None),
        ("env.STAGE", "prod"),
        ("env['STAGE']", "prod"),
        ("env.MISSING", None),
        ("matrix.python", "3.10"),
        ("needs.build.outputs.wheel", "dist/a.whl"),
        ("needs.build.result", "success"),
        ("needs.nope.result", None),
        ("steps.setup.outputs.path", "/venv"),
        ("steps.setup.conclusion", "success"),
        ("git.branch", "main"),
        ("git.sha", "abc123"),
        ("needs.*.result", ["success", "failure"]),
        ("(1 == 1)", True),
    ],
)
def test_values_and_property_access(expr: str, expected: Any) -> None:
    assert ev(expr) == expected


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("1 == 1", True),
        ("1 != 1", False),
        ("'ABC' == 'abc'", True),  # strings compare ignoring case
        ("'a' < 'B'", True),
        ("2 < 10", True),
        ("'2' < '10'", False),  # two strings: compared as text
        ("2 <= 2", True),
        ("3 > 2", True),
        ("3 >= 4", False),
        ("null == 0", True),  # loose equality: null -> 0
        ("'' == false", True),  # '' -> 0, false -> 0
        ("'1' == true", True),
        ("'abc' == 0", False),  # NaN equals nothing
        ("matrix.python == 3.1", True),  # '3.10' -> 3.1 against a number
        ("matrix.python == '3.1'", False),  # two strings: text
        ("needs.build.outputs.count > 2", True),
        ("fromJSON('[1]') == fromJSON('[1]')", False),  # arrays equal only to themselves
    ],
)
def test_comparisons_follow_github_loose_rules(expr: str, expected: bool) -> None:
    assert ev(expr) is expected


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("true && 'yes'", "yes"),
        ("false && 'yes'", False),
        ("'' || 'fallback'", "fallback"),
        ("'first' || 'second'", "first"),
        ("!true", False),
        ("!''", True),
        ("!!env.STAGE", True),
        ("env.STAGE == 'prod' && matrix.os == 'linux' || false", True),
        ("false || true && false", False),  # && binds tighter than ||
        ("!(1 == 2) && (2 > 1)", True),
        ("1 < 2 == true", True),  # comparison binds tighter than equality
    ],
)
def test_logic_operators_and_precedence(expr: str, expected: Any) -> None:
    assert ev(expr) == expected


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("contains('Hello world', 'WORLD')", True),
        ("contains(fromJSON('[\"a\", \"b\"]'), 'B')", True),
        ("contains(needs.*.result, 'failure')", True),
        ("contains(needs.*.result, 'cancelled')", False),
        ("startsWith(git.branch, 'MA')", True),
        ("endsWith('release/1.2', '.2')", True),
        ("format('{0}-{1}-{0}', 'a', 2)", "a-2-a"),
        ("format('{{literal}} {0}', 'x')", "{literal} x"),
        ("join(fromJSON('[\"a\", 1, true]'), '+')", "a+1+true"),
        ('join(fromJSON(\'["a", "b"]\'))', "a,b"),
        ("join('solo', '+')", "solo"),
        ("toJSON(matrix)", '{\n  "python": "3.10",\n  "os": "linux"\n}'),
        ('fromJSON(\'{"a": {"b": 2}}\').a.b', 2),
        ("fromJSON('[10, 20]')[1]", 20),
        ("FORMAT('{0}', 1)", "1"),  # function names ignore case
    ],
)
def test_functions(expr: str, expected: Any) -> None:
    assert ev(expr) == expected


@pytest.mark.parametrize(
    ("status", "success", "failure", "cancelled"),
    [("success", True, False, False), ("failure", False, True, False), ("cancelled", False, False, True)],
)
def test_status_functions(status: str, success: bool, failure: bool, cancelled: bool) -> None:
    ctx = ExprContext(job_status=status)
    assert ev("success()", ctx) is success
    assert ev("failure()", ctx) is failure
    assert ev("cancelled()", ctx) is cancelled
    assert ev("always()", ctx) is True


def test_condition_without_status_function_implies_success() -> None:
    failed = ExprContext(job_status="failure", env={"A": "1"})
    assert condition(None, ExprContext()) is True
    assert condition(None, failed) is False
    assert condition("env.A == 1", failed) is False  # success() && (...)
    assert condition("always() && env.A == 1", failed) is True
    assert condition("${{ failure() }}", failed) is True


def test_truthiness() -> None:
    assert [is_true(v) for v in (None, False, 0, 0.0, float("nan"), "")] == [False] * 6
    assert [is_true(v) for v in (True, 1, -1, "0", "false", [], {})] == [True] * 7


def test_render_replaces_every_expression() -> None:
    text = "python${{ matrix.python }} on ${{ matrix.os }}: ${{ 1 == 1 }} ${{ null }}|"
    assert render(text, CTX) == "python3.10 on linux: true |"
    assert render("no expressions", CTX) == "no expressions"


def test_numbers_render_like_github() -> None:
    assert render("${{ 3 }} ${{ 0.5 }} ${{ fromJSON('2.50') }}", CTX) == "3 0.5 2.5"


def test_find_and_strip_braces() -> None:
    assert list(find_expressions("a ${{ x }} b ${{y}}")) == [(2, "x"), (13, "y")]
    assert strip_braces("  ${{ success() }} ") == "success()"
    assert strip_braces("success()") == "success()"


def test_references_lists_context_paths_and_calls() -> None:
    paths, calls = references("needs.build.outputs['wheel'] && success() && matrix.os")
    assert ("needs", "build", "outputs", "wheel") in paths
    assert ("matrix", "os") in paths
    assert calls == {"success"}


@pytest.mark.parametrize(
    ("expr", "column", "what"),
    [
        ("1 ==", 5, "unexpected end of expression"),
        ("a == = b", 6, "unexpected character '='"),
        ("env.A &&& env.B", 9, "unexpected"),
        ("contains('a', 'b'", 18, "unexpected end"),
        ("'unterminated", 1, "unexpected character"),
        ("a b", 3, "unexpected 'b'"),
        ('env.A == "x"', 10, "unexpected character '\"' (strings take single quotes, as in GitHub Actions"),
    ],
)
def test_syntax_errors_name_the_column(expr: str, column: int, what: str) -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate(expr, CTX, where="ci.yml:7")
    message = str(info.value)
    assert message.startswith(f"ci.yml:7: expression {expr!r}, column {column}: ")
    assert what in message


def test_empty_expression_is_an_error() -> None:
    with pytest.raises(ExpressionError, match="empty expression"):
        evaluate("${{  }}", CTX)


def test_unknown_function_and_wrong_arity_give_the_column() -> None:
    with pytest.raises(ExpressionError, match=r"column 15: unknown function nope\(\)"):
        evaluate("env.A == 1 || nope()", ExprContext(env={"A": "2"}))
    with pytest.raises(ExpressionError, match=r"column 1: contains\(\) takes 2 argument\(s\), got 1"):
        evaluate("contains('a')", CTX)
    with pytest.raises(ExpressionError, match="unknown function nope"):
        check_syntax("false && nope()")  # found statically, even where evaluation would short-circuit


def test_unknown_context_name_is_an_error() -> None:
    with pytest.raises(ExpressionError, match="unknown name 'github'"):
        evaluate("github.ref", CTX)


def test_secret_values_are_masked_in_error_messages() -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate("fromJSON(secrets.TOKEN)", CTX)
    assert "s3cr3t-value" not in str(info.value)
    with pytest.raises(ExpressionError) as info2:
        evaluate("format('{0} {5}', secrets.TOKEN)", CTX)
    assert "s3cr3t" not in str(info2.value)


def test_from_json_error() -> None:
    with pytest.raises(ExpressionError, match=r"fromJSON\(\): not JSON"):
        evaluate("fromJSON('{nope')", CTX)


def test_hash_files_hashes_matching_files_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "b.py").write_text("b")
    (tmp_path / "src" / "a.py").write_text("a")
    (tmp_path / "README").write_text("r")
    ctx = ExprContext(workspace=tmp_path)
    outer = hashlib.sha256(hashlib.sha256(b"a").digest() + hashlib.sha256(b"b").digest()).hexdigest()
    assert evaluate("hashFiles('src/**/*.py')", ctx) == outer
    assert evaluate("hashFiles('nothing/*')", ctx) == ""
    assert evaluate("hashFiles('**/*', '!README')", ctx) == outer
    (tmp_path / "src" / "a.py").write_text("changed")
    assert evaluate("hashFiles('src/**/*.py')", ctx) != outer


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def test_changes_compares_with_the_base_ref(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("a")
    (tmp_path / "app.py").write_text("x")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "one")
    _git(tmp_path, "tag", "base")
    (tmp_path / "app.py").write_text("y")  # changed, not committed
    ctx = ExprContext(workspace=tmp_path, git=GitInfo(base_ref="base"))
    assert evaluate("changes('*.py')", ctx) is True
    assert evaluate("changes('docs/**', 'docs')", ctx) is False
    (tmp_path / "docs" / "a.md").write_text("b")
    _git(tmp_path, "commit", "-q", "-am", "two")
    assert evaluate("changes('docs')", ctx) is True


def test_changes_counts_untracked_files(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "a.txt").write_text("a")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "one")
    ctx = ExprContext(workspace=tmp_path, git=GitInfo(base_ref="HEAD"))
    assert evaluate("changes('new/*')", ctx) is False
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "b.txt").write_text("b")
    assert evaluate("changes('new/*')", ctx) is True


def test_without_a_base_ref_a_branch_is_compared_with_where_it_forked(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "a.txt").write_text("a")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "one")
    ctx = ExprContext(workspace=tmp_path)
    assert evaluate("changes('a.txt')", ctx) is True  # one commit: everything is new
    (tmp_path / "b.txt").write_text("b")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "two")
    assert evaluate("changes('b.txt')", ctx) is True  # on main: the last commit
    assert evaluate("changes('a.txt')", ctx) is False
    _git(tmp_path, "checkout", "-q", "-b", "feature")
    (tmp_path / "c.txt").write_text("c")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "three")
    (tmp_path / "d.txt").write_text("d")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "four")
    assert evaluate("changes('c.txt')", ctx) is True  # since the fork from main
    assert evaluate("changes('b.txt')", ctx) is False


def test_changes_outside_git_or_with_a_bad_base_ref(tmp_path: Path) -> None:
    with pytest.raises(ExpressionError, match="is not a git repository with a commit"):
        evaluate("changes('*')", ExprContext(workspace=tmp_path))
    _git(tmp_path, "init", "-q")
    with pytest.raises(ExpressionError, match="changes\\(\\): git diff --name-only failed"):
        evaluate("changes('*')", ExprContext(workspace=tmp_path, git=GitInfo(base_ref="nope")))
