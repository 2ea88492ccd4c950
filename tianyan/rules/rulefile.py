"""Load Prometheus rule files as they are (``groups``/``rules``/``alert``/``record``/``expr``/``for``...)
into typed values, every PromQL expression parsed by promql-parser, errors with file:line:col.

Rule files stay pure Prometheus (promtool and Prometheus load them unchanged); tianyan's hysteresis
extension lives in the tianyan config instead (``tianyan.rules.keep_firing_while``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import promql_parser as pp
import yaml

from hucheng.durations import parse_duration
from tianyan.errors import RuleFileError

_GROUP_KEYS = {"name", "interval", "rules", "limit", "query_offset"}
_RULE_KEYS = {"record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"}
_METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")


@dataclass(frozen=True)
class Rule:
    group: str
    name: str  # the alert name, or the recorded series name
    is_alert: bool
    expr_text: str
    expr: pp.Expr = field(compare=False, repr=False)
    for_seconds: float = 0.0
    keep_firing_for_seconds: float = 0.0
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    where: str = ""  # file:line:col of the rule


@dataclass(frozen=True)
class RuleGroup:
    name: str
    file: Path
    interval_seconds: float | None
    rules: tuple[Rule, ...]


def _where(path: Path, node: yaml.Node) -> str:
    return f"{path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


def _mapping(node: yaml.Node, path: Path, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        raise RuleFileError(f"{_where(path, node)}: {what} must be a mapping")
    return {str(k.value): (k, v) for k, v in node.value}


def _scalar(node: yaml.Node, path: Path, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise RuleFileError(f"{_where(path, node)}: {what} must be a string")
    return str(node.value)


def _str_map(node: yaml.Node, path: Path, what: str) -> dict[str, str]:
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "null", "~"):
        return {}
    return {key: _scalar(v, path, f"{what}.{key}") for key, (_, v) in _mapping(node, path, what).items()}


def _duration(node: yaml.Node, path: Path, what: str) -> float:
    text = _scalar(node, path, what)
    try:
        return parse_duration(text).total_seconds()
    except ValueError as exc:
        raise RuleFileError(f"{_where(path, node)}: {what}: {exc}") from None


def promql_position(text: str, message: str) -> int:
    """Best offset in ``text`` for a promql-parser error (it reports none): the unknown name, the
    unclosed parenthesis or brace; else 0."""
    unknown = re.search(r"unknown function with name '([^']+)'", message)
    if unknown:
        found = re.search(rf"\b{re.escape(unknown.group(1))}\s*\(", text)
        return found.start() if found else 0
    opener = {"parenthesis": "(", "braces": "{", "bracket": "["}
    for word, open_ch in opener.items():
        if word in message:
            close_ch = {"(": ")", "{": "}", "[": "]"}[open_ch]
            stack = []
            for i, ch in enumerate(text):
                if ch == open_ch:
                    stack.append(i)
                elif ch == close_ch and stack:
                    stack.pop()
            if stack:
                return stack[-1]
    return 0


def _indent(path: Path | str, line: int) -> int:
    try:
        text = Path(path).read_text(encoding="utf-8").splitlines()[line - 1]
    except (OSError, IndexError):
        return 0
    return len(text) - len(text.lstrip())


def parse_expr(text: str, path: Path | str, node: yaml.Node | None, what: str) -> pp.Expr:
    """Parse PromQL; a syntax error names file:line:col (best effort column) and the parser's message."""
    try:
        return pp.parse(text)
    except (ValueError, RuntimeError) as exc:
        message = str(exc)
        where = str(path)
        if node is not None:
            offset = promql_position(text, message)
            before = text[:offset]
            line = node.start_mark.line + 1
            col = node.start_mark.column + 1
            block = isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")
            if block:  # content starts on the next line, indented as that line is
                line += 1 + before.count("\n")
                col = _indent(path, line) + 1 + len(before.rsplit("\n", 1)[-1])
            else:
                quoted = 1 if isinstance(node, yaml.ScalarNode) and node.style in ("'", '"') else 0
                line += before.count("\n")
                col = (col + quoted + offset) if "\n" not in before else len(before.rsplit("\n", 1)[-1]) + 1
            where = f"{path}:{line}:{col}"
        raise RuleFileError(f"{where}: {what}: PromQL error: {message}; fix the expression") from exc


def _rule(node: yaml.Node, path: Path, group: str, index: int) -> Rule:
    where = _where(path, node)
    keys = _mapping(node, path, f"group {group!r} rule {index + 1}")
    for key, (knode, _) in keys.items():
        if key not in _RULE_KEYS:
            raise RuleFileError(
                f"{_where(path, knode)}: group {group!r} rule {index + 1}: unknown key {key!r} "
                f"(Prometheus allows: {', '.join(sorted(_RULE_KEYS))})"
            )
    alert = _scalar(keys["alert"][1], path, "alert") if "alert" in keys else None
    record = _scalar(keys["record"][1], path, "record") if "record" in keys else None
    if (alert is None) == (record is None):
        raise RuleFileError(
            f"{where}: group {group!r} rule {index + 1}: needs exactly one of 'alert' or 'record'"
        )
    name = alert or record or ""
    label = f"group {group!r} {'alert' if alert else 'record'} {name!r}"
    if record is not None and not _METRIC_NAME.fullmatch(record):
        raise RuleFileError(f"{where}: {label}: {record!r} is not a valid metric name")
    if "expr" not in keys:
        raise RuleFileError(f"{where}: {label}: 'expr' is missing")
    expr_node = keys["expr"][1]
    expr_text = _scalar(expr_node, path, "expr").strip()
    expr = parse_expr(expr_text, path, expr_node, label)
    if record is not None and ({"for", "keep_firing_for", "annotations"} & set(keys)):
        raise RuleFileError(f"{where}: {label}: recording rules take no for/keep_firing_for/annotations")
    annotations = _str_map(keys["annotations"][1], path, "annotations") if "annotations" in keys else {}
    return Rule(
        group=group,
        name=name,
        is_alert=alert is not None,
        expr_text=expr_text,
        expr=expr,
        for_seconds=_duration(keys["for"][1], path, "for") if "for" in keys else 0.0,
        keep_firing_for_seconds=(
            _duration(keys["keep_firing_for"][1], path, "keep_firing_for")
            if "keep_firing_for" in keys
            else 0.0
        ),
        labels=_str_map(keys["labels"][1], path, "labels") if "labels" in keys else {},
        annotations=annotations,
        where=where,
    )


def load_rule_file(path: Path) -> list[RuleGroup]:
    """Every group of one Prometheus rule file. Raises :class:`RuleFileError` with file:line:col."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleFileError(f"{path}: cannot read the rule file: {exc.strerror or exc}") from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise RuleFileError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    if root is None:
        return []
    top = _mapping(root, path, "a rule file")
    if "groups" not in top:
        raise RuleFileError(f"{path}:1:1: a rule file needs a top-level 'groups' list")
    groups_node = top["groups"][1]
    if not isinstance(groups_node, yaml.SequenceNode):
        raise RuleFileError(f"{_where(path, groups_node)}: 'groups' must be a list")
    groups: list[RuleGroup] = []
    seen: set[str] = set()
    for gnode in groups_node.value:
        gkeys = _mapping(gnode, path, "a group")
        for key, (knode, _) in gkeys.items():
            if key not in _GROUP_KEYS:
                raise RuleFileError(f"{_where(path, knode)}: unknown group key {key!r}")
        if "name" not in gkeys:
            raise RuleFileError(f"{_where(path, gnode)}: a group needs a 'name'")
        name = _scalar(gkeys["name"][1], path, "name")
        if name in seen:
            raise RuleFileError(f"{_where(path, gnode)}: group name {name!r} is used twice")
        seen.add(name)
        interval = _duration(gkeys["interval"][1], path, "interval") if "interval" in gkeys else None
        rules_node = gkeys["rules"][1] if "rules" in gkeys else None
        rule_nodes: list[Any] = list(rules_node.value) if isinstance(rules_node, yaml.SequenceNode) else []
        rules = tuple(_rule(rnode, path, name, i) for i, rnode in enumerate(rule_nodes))
        groups.append(RuleGroup(name, path, interval, rules))
    return groups


def load_rule_files(paths: list[Path]) -> list[RuleGroup]:
    groups: list[RuleGroup] = []
    for path in paths:
        groups.extend(load_rule_file(path))
    return groups
