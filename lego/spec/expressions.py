"""Evaluate ``${{ }}`` expressions against a run's context; the public face of the expression engine.

    evaluate("needs.build.result == 'success'", ctx)    -> True
    render("python${{ matrix.python }} -m pytest", ctx)  -> "python3.12 -m pytest"
    is_true(value)                                       -> GitHub Actions truthiness

Contexts: ``env``, ``matrix``, ``needs.<job>.result|outputs``, ``steps.<id>.outcome|outputs``,
``git.branch|sha|author|base_ref``, ``inputs`` (a brick's inputs), ``secrets``. A missing property is
``null``, as in GitHub Actions. Errors are :class:`ExpressionError` with the column inside the
expression and, when given, the file:line it was written at; secret values never appear in them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lark import Token, Tree

from lego.errors import ExpressionError
from lego.model import GitInfo as GitInfo  # defined there: a run knows its commit without lark
from lego.spec import exprfuncs
from lego.spec.exprcontext import CONTEXTS as CONTEXTS
from lego.spec.exprcontext import ExprContext as ExprContext
from lego.spec.exprcontext import NeedState as NeedState
from lego.spec.exprcontext import StepState as StepState
from lego.spec.exprparse import parse, parse_cached
from lego.spec.exprvalues import Value, compare, to_str, truthy

#: ``${{ ... }}`` in a string; the expression is group 1 (no nested ``}}`` inside string literals)
EXPR_RE = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)


def evaluate(expr: str, ctx: ExprContext, *, where: str = "") -> Value:
    """The value of ``expr`` (without ``${{ }}``; surrounding braces are tolerated)."""
    text = strip_braces(expr)
    try:
        tree = parse_cached(text)
    except ExpressionError:
        if not where:
            raise
        tree = parse(text, where=where)  # raises again, now naming where the expression is written
    return _Evaluator(text, ctx, where).eval(tree)


def is_true(value: Value) -> bool:
    return truthy(value)


def condition(expr: str | None, ctx: ExprContext, *, where: str = "") -> bool:
    """An ``if:``: ``None`` means ``success()``; a condition without a status function gets
    ``success() && (...)`` as in GitHub Actions, so a failed job does not run steps by accident."""
    if expr is None or not expr.strip():
        return ctx.job_status == "success"
    text = strip_braces(expr)
    value = evaluate(text, ctx, where=where)
    if not uses_status_function(text):
        return ctx.job_status == "success" and truthy(value)
    return truthy(value)


def render(text: str, ctx: ExprContext, *, where: str = "") -> str:
    """Replace every ``${{ expr }}`` in ``text`` with the expression's value as a string."""
    if "${{" not in text:
        return text
    return EXPR_RE.sub(lambda m: to_str(evaluate(m.group(1), ctx, where=where)), text)


def strip_braces(expr: str) -> str:
    """``${{ x }}`` -> ``x``; text that is not exactly one ``${{ }}`` comes back as it is."""
    text = expr.strip()
    matches = list(EXPR_RE.finditer(text))
    if len(matches) == 1 and matches[0].span() == (0, len(text)):
        return matches[0].group(1).strip()
    return text


def unclosed(text: str) -> str | None:
    """The start of a ``${{`` that has no closing ``}}``, or None."""
    rest = EXPR_RE.sub("", text)
    at = rest.find("${{")
    return rest[at : at + 40] if at >= 0 else None


def find_expressions(text: str) -> Iterator[tuple[int, str]]:
    """Every ``${{ }}`` in ``text``: (offset of ``$``, the expression inside)."""
    for match in EXPR_RE.finditer(text):
        yield match.start(), match.group(1).strip()


def check_syntax(expr: str, *, where: str = "") -> None:
    """Raise :class:`ExpressionError` unless ``expr`` parses and calls only known functions."""
    tree = parse(strip_braces(expr), where=where)
    for node in tree.iter_subtrees():
        if node.data == "call":
            name = str(node.children[0])
            if name.lower() not in exprfuncs.FUNCTIONS:
                known = exprfuncs.known_list()
                raise ExpressionError(
                    f"{where + ': ' if where else ''}expression {strip_braces(expr)!r}, column "
                    f"{_column(node)}: unknown function {name}(); known: {known}"
                )


def references(expr: str) -> tuple[set[tuple[str, ...]], set[str]]:
    """Context paths the expression reads (``('needs', 'build', 'result')``, as far as they are plain
    names) and the functions it calls (lower case)."""
    tree = parse_cached(strip_braces(expr))
    paths: set[tuple[str, ...]] = set()
    calls: set[str] = set()
    for node in tree.iter_subtrees():
        if node.data == "call":
            calls.add(str(node.children[0]).lower())
        elif node.data == "var":
            paths.add((str(node.children[0]),))
    # extend each root with the plain property names that follow it
    for node in tree.iter_subtrees():
        if node.data in ("prop", "index"):
            chain = _chain(node)
            if chain:
                paths.add(chain)
    return paths, calls


def uses_status_function(expr: str) -> bool:
    return bool(references(expr)[1] & exprfuncs.STATUS_FUNCTIONS)


def _chain(node: Tree[Token] | Token) -> tuple[str, ...] | None:
    if isinstance(node, Token):
        return None
    if node.data == "var":
        return (str(node.children[0]),)
    if node.data == "prop":
        head = _chain(node.children[0])
        return (*head, str(node.children[1])) if head else None
    if node.data == "index":
        head = _chain(node.children[0])
        key = node.children[1]
        if head and isinstance(key, Tree) and key.data == "string":
            return (*head, _string(key.children[0]))
        return head
    return None


def _string(token: Tree[Token] | Token) -> str:
    return str(token)[1:-1].replace("''", "'")


def _column(node: Tree[Token]) -> int:
    return int(getattr(node.meta, "column", 1) or 1)


class _Evaluator:
    def __init__(self, text: str, ctx: ExprContext, where: str) -> None:
        self.text = text
        self.ctx = ctx
        self.where = where

    def fail(self, node: Tree[Token], what: str) -> ExpressionError:
        prefix = f"{self.where}: " if self.where else ""
        message = f"{prefix}expression {self.text!r}, column {_column(node)}: {what}"
        for secret in self.ctx.secrets.values():
            if secret:
                message = message.replace(secret, "***")
        return ExpressionError(message)

    def eval(self, node: Tree[Token] | Token) -> Value:
        if isinstance(node, Token):  # pragma: no cover - every token sits under a named rule
            return str(node)
        kind = node.data
        kids = node.children
        if kind == "string":
            return _string(kids[0])
        if kind == "number":
            raw = str(kids[0])
            return float(int(raw, 16)) if "x" in raw.lower() else float(raw)
        if kind == "true":
            return True
        if kind == "false":
            return False
        if kind == "null":
            return None
        if kind == "var":
            name = str(kids[0])
            try:
                return self.ctx.root(name)
            except KeyError:
                raise self.fail(node, f"unknown name {name!r}; contexts are {', '.join(CONTEXTS)}") from None
        if kind == "prop":
            return _member(self.eval(kids[0]), str(kids[1]))
        if kind == "index":
            return _index(self.eval(kids[0]), self.eval(kids[1]))
        if kind == "star":
            return _star(self.eval(kids[0]))
        if kind == "not_op":
            return not truthy(self.eval(kids[0]))
        if kind == "and_op":
            left = self.eval(kids[0])
            return self.eval(kids[1]) if truthy(left) else left
        if kind == "or_op":
            left = self.eval(kids[0])
            return left if truthy(left) else self.eval(kids[1])
        if kind == "compare":
            return compare(str(kids[1]), self.eval(kids[0]), self.eval(kids[2]))
        if kind == "call":
            args = [self.eval(k) for k in kids[1:]]
            try:
                return exprfuncs.call(str(kids[0]), self.ctx, args)
            except exprfuncs.FunctionError as exc:
                raise self.fail(node, str(exc)) from exc
        raise self.fail(node, f"unsupported syntax {kind}")  # pragma: no cover


def _member(value: Value, name: str) -> Value:
    if isinstance(value, dict):
        if name in value:
            return value[name]
        lowered = {str(k).lower(): v for k, v in value.items()}
        return lowered.get(name.lower())
    if isinstance(value, list):  # the result of a filter: apply to each element
        return [_member(v, name) for v in value if isinstance(v, dict)]
    return None


def _index(value: Value, key: Value) -> Value:
    if isinstance(value, list):
        if isinstance(key, (int, float)) and not isinstance(key, bool):
            i = int(key)
            return value[i] if 0 <= i < len(value) else None
        return None
    if isinstance(value, dict):
        return _member(value, to_str(key))
    return None


def _star(value: Value) -> Value:
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list):
        return list(value)
    return []
