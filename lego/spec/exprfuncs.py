"""The functions an expression may call, registered in one dict: name (lower case) -> implementation.

Status functions (``success()``...) read the job status from the context; ``hashFiles`` and
``changes`` read the workspace and git. Names are matched ignoring case, as in GitHub Actions.
"""

from __future__ import annotations

import glob
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lego.spec.exprvalues import Value, loose_equal, to_str

if TYPE_CHECKING:
    from lego.spec.expressions import ExprContext


class FunctionError(Exception):
    """A function was called wrongly; the evaluator adds the expression and its position."""


@dataclass(frozen=True)
class Function:
    fn: Callable[[ExprContext, Sequence[Value]], Value]
    min_args: int
    max_args: int | None  # None: any number


def _contains(ctx: ExprContext, args: Sequence[Value]) -> Value:
    search, item = args
    if isinstance(search, list):
        return any(loose_equal(element, item) for element in search)
    return to_str(item).casefold() in to_str(search).casefold()


def _starts_with(ctx: ExprContext, args: Sequence[Value]) -> Value:
    return to_str(args[0]).casefold().startswith(to_str(args[1]).casefold())


def _ends_with(ctx: ExprContext, args: Sequence[Value]) -> Value:
    return to_str(args[0]).casefold().endswith(to_str(args[1]).casefold())


def _format(ctx: ExprContext, args: Sequence[Value]) -> Value:
    template, values = to_str(args[0]), args[1:]
    out: list[str] = []
    i = 0
    while i < len(template):
        ch = template[i]
        if template.startswith("{{", i) or template.startswith("}}", i):
            out.append(ch)
            i += 2
        elif ch == "{":
            end = template.find("}", i)
            index_text = template[i + 1 : end] if end > 0 else ""
            if not index_text.isdigit() or int(index_text) >= len(values):
                raise FunctionError(f"format(): '{{{index_text}}}' has no matching argument")
            out.append(to_str(values[int(index_text)]))
            i = end + 1
        elif ch == "}":
            raise FunctionError("format(): unmatched '}'; write '}}' for a literal brace")
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _join(ctx: ExprContext, args: Sequence[Value]) -> Value:
    separator = to_str(args[1]) if len(args) > 1 else ","
    if isinstance(args[0], list):
        return separator.join(to_str(v) for v in args[0])
    return to_str(args[0])


def _to_json(ctx: ExprContext, args: Sequence[Value]) -> Value:
    return json.dumps(args[0], indent=2, ensure_ascii=False)


def _from_json(ctx: ExprContext, args: Sequence[Value]) -> Value:
    try:
        return json.loads(to_str(args[0]))
    except json.JSONDecodeError as exc:
        raise FunctionError(f"fromJSON(): not JSON ({exc.msg} at character {exc.pos})") from exc


def _hash_files(ctx: ExprContext, args: Sequence[Value]) -> Value:
    """sha256 over the sha256 of every matching regular file, in sorted path order; '' if none."""
    root = ctx.workspace
    paths: set[Path] = set()
    excluded: set[Path] = set()
    for pattern in (to_str(a) for a in args):
        negate = pattern.startswith("!")
        matches = glob.glob(pattern.lstrip("!"), root_dir=root, recursive=True)
        target = excluded if negate else paths
        target.update(root / m for m in matches if (root / m).is_file())
    files = sorted(paths - excluded)
    if not files:
        return ""
    outer = hashlib.sha256()
    for file in files:
        outer.update(hashlib.sha256(file.read_bytes()).digest())
    return outer.hexdigest()


def _changes(ctx: ExprContext, args: Sequence[Value]) -> Value:
    """True when a file changed since the base ref (committed, staged, unstaged or untracked)
    matches a glob; see :mod:`lego.spec.gitchanges` for the base when none is set."""
    from lego.spec.gitchanges import GitError, changed_files

    try:
        changed = changed_files(ctx.workspace, ctx.git.base_ref)
    except GitError as exc:
        raise FunctionError(f"changes(): {exc}") from exc
    patterns = [to_str(a) for a in args]
    return any(fnmatch(path, p) or fnmatch(path, p.rstrip("/") + "/*") for path in changed for p in patterns)


def _status(name: str) -> Callable[[ExprContext, Sequence[Value]], Value]:
    def check(ctx: ExprContext, args: Sequence[Value]) -> Value:
        status = ctx.job_status
        if name == "always":
            return True
        if name == "success":
            return status == "success"
        if name == "failure":
            return status == "failure"
        return status == "cancelled"

    return check


FUNCTIONS: dict[str, Function] = {
    "contains": Function(_contains, 2, 2),
    "startswith": Function(_starts_with, 2, 2),
    "endswith": Function(_ends_with, 2, 2),
    "format": Function(_format, 1, None),
    "join": Function(_join, 1, 2),
    "tojson": Function(_to_json, 1, 1),
    "fromjson": Function(_from_json, 1, 1),
    "hashfiles": Function(_hash_files, 1, None),
    "changes": Function(_changes, 1, None),
    "success": Function(_status("success"), 0, 0),
    "failure": Function(_status("failure"), 0, 0),
    "always": Function(_status("always"), 0, 0),
    "cancelled": Function(_status("cancelled"), 0, 0),
}

#: the names as documented, for messages
NAMES = (
    "always",
    "cancelled",
    "changes",
    "contains",
    "endsWith",
    "failure",
    "format",
    "fromJSON",
    "hashFiles",
    "join",
    "startsWith",
    "success",
    "toJSON",
)


def known_list() -> str:
    return ", ".join(f"{n}()" for n in NAMES)


#: functions whose value depends on how the run is going, so ``lego plan`` cannot decide them
STATUS_FUNCTIONS = frozenset({"success", "failure", "always", "cancelled"})


def call(name: str, ctx: ExprContext, args: Sequence[Any]) -> Value:
    function = FUNCTIONS.get(name.lower())
    if function is None:
        raise FunctionError(f"unknown function {name}(); known: {known_list()}")
    count = len(args)
    if count < function.min_args or (function.max_args is not None and count > function.max_args):
        want = (
            str(function.min_args)
            if function.min_args == function.max_args
            else f"at least {function.min_args}"
            if function.max_args is None
            else f"{function.min_args} to {function.max_args}"
        )
        raise FunctionError(f"{name}() takes {want} argument(s), got {count}")
    return function.fn(ctx, args)
