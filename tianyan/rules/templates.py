"""Prometheus' Go-template annotations, rendered by a small interpreter of the subset rule files use.

Supported inside ``{{ ... }}``: ``$labels.NAME``, ``$labels``, ``$value``, ``$externalLabels.NAME``,
``.Labels.NAME`` / ``.Value``, string and number literals, pipelines with ``|``, and the functions
``humanize``, ``humanize1024``, ``humanizePercentage``, ``humanizeDuration``, ``humanizeTimestamp``,
``printf``, ``toUpper``, ``toLower``, ``title``, ``reReplaceAll``. ``{{/* comments */}}`` are dropped;
the ``{{- ... -}}`` trim markers work. Anything else (``if``, ``range``, ``with``, ``query``...) is a
:class:`TemplateError` naming it, which ``rules lint`` reports.
"""

from __future__ import annotations

import math
import re
import shlex
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from tianyan.errors import TemplateError

_ACTION = re.compile(r"\{\{(-?)(.*?)(-?)\}\}", re.DOTALL)
_SI_BIG = ["", "k", "M", "G", "T", "P", "E", "Z", "Y"]
_SI_SMALL = ["", "m", "u", "n", "p", "f", "a", "z", "y"]


def go_float(v: float) -> str:
    """A float as Go's ``%v`` prints it (``100``, ``0.5``, ``1e+06``)."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    if v == int(v) and abs(v) < 1e21:
        text = f"{int(v)}"
        return text if len(text.lstrip("-")) <= 21 else f"{v:g}"
    text = repr(v)
    if "e" in text:
        mantissa, exp = text.split("e")
        sign = "-" if exp.startswith("-") else "+"
        return f"{mantissa}e{sign}{exp.lstrip('+-').rjust(2, '0')}"
    return text


def _g4(v: float) -> str:
    text = f"{v:.4g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        sign = "-" if exp.startswith("-") else "+"
        text = f"{mantissa}e{sign}{exp.lstrip('+-').rjust(2, '0')}"
    return text


def humanize(v: float) -> str:
    if v == 0 or math.isnan(v) or math.isinf(v):
        return _g4(v)
    if abs(v) >= 1:
        prefix = ""
        for p in _SI_BIG:
            prefix = p
            if abs(v) < 1000 or p == _SI_BIG[-1]:
                break
            v /= 1000
        return f"{_g4(v)}{prefix}"
    prefix = ""
    for p in _SI_SMALL[1:]:
        if abs(v) >= 1:
            break
        prefix = p
        v *= 1000
    return f"{_g4(v)}{prefix}"


def humanize1024(v: float) -> str:
    if abs(v) <= 1 or math.isnan(v) or math.isinf(v):
        return _g4(v)
    prefix = ""
    for p in ["", "ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"]:
        prefix = p
        if abs(v) < 1024 or p == "Yi":
            break
        v /= 1024
    return f"{_g4(v)}{prefix}"


def humanize_duration(v: float) -> str:
    if math.isnan(v) or math.isinf(v):
        return _g4(v)
    if v == 0:
        return "0s"
    if abs(v) >= 1:
        sign = "-" if v < 0 else ""
        v = abs(v)
        total = int(v)
        seconds, minutes, hours, days = total % 60, (total // 60) % 60, (total // 3600) % 24, total // 86400
        if days:
            return f"{sign}{days}d {hours}h {minutes}m {seconds}s"
        if hours:
            return f"{sign}{hours}h {minutes}m {seconds}s"
        if minutes:
            return f"{sign}{minutes}m {seconds}s"
        return f"{sign}{_g4(v)}s"
    prefix = ""
    for p in ["m", "u", "n", "p", "f", "a", "z", "y"]:
        if abs(v) >= 1:
            break
        prefix = p
        v *= 1000
    return f"{_g4(v)}{prefix}s"


def humanize_percentage(v: float) -> str:
    return f"{_g4(v * 100)}%"


def humanize_timestamp(v: float) -> str:
    if math.isnan(v) or math.isinf(v):
        return _g4(v)
    when = datetime.fromtimestamp(v, UTC)
    return when.strftime("%Y-%m-%d %H:%M:%S.%f").rstrip("0").rstrip(".") + " +0000 UTC"


def _num(x: Any) -> float:
    if isinstance(x, (int, float)):
        return float(x)
    try:
        return float(str(x))
    except ValueError:
        raise TemplateError(f"{x!r} is not a number") from None


def _printf(fmt: Any, *args: Any) -> str:
    text = str(fmt).replace("%v", "%s")
    try:
        return text % tuple(args)
    except (TypeError, ValueError) as exc:
        raise TemplateError(f"printf {fmt!r}: {exc}") from None


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "humanize": lambda x: humanize(_num(x)),
    "humanize1024": lambda x: humanize1024(_num(x)),
    "humanizePercentage": lambda x: humanize_percentage(_num(x)),
    "humanizeDuration": lambda x: humanize_duration(_num(x)),
    "humanizeTimestamp": lambda x: humanize_timestamp(_num(x)),
    "printf": _printf,
    "toUpper": lambda s: str(s).upper(),
    "toLower": lambda s: str(s).lower(),
    "title": lambda s: str(s).title(),
    "reReplaceAll": lambda pattern, repl, s: re.sub(pattern, re.sub(r"\$(\d+)", r"\\\1", repl), str(s)),
}


def _to_text(value: Any) -> str:
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, Mapping):
        return "map[" + " ".join(f"{k}:{v}" for k, v in sorted(value.items())) + "]"
    return str(value)


class _Context:
    def __init__(self, labels: Mapping[str, str], value: float, external: Mapping[str, str]) -> None:
        self.labels = labels
        self.value = value
        self.external = external

    def operand(self, token: str) -> Any:
        if token.startswith(("$labels", ".Labels")):
            rest = token.split(".", 2)[-1] if token.count(".") >= (2 if token.startswith(".") else 1) else ""
            if token in ("$labels", ".Labels"):
                return dict(self.labels)
            return self.labels.get(rest, "")
        if token in ("$value", ".Value"):
            return self.value
        if token.startswith("$externalLabels"):
            return self.external.get(token.partition(".")[2], "") if "." in token else dict(self.external)
        if token.startswith(("'", '"', "`")):
            return token[1:-1]
        if re.fullmatch(r"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?", token):
            return float(token) if any(c in token for c in ".eE") else int(token)
        raise TemplateError(f"{token!r} is not supported in tianyan's Go-template subset")


def _tokens(action: str) -> list[str]:
    lexer = shlex.shlex(action, posix=False)
    lexer.whitespace_split = True
    lexer.quotes = "\"'`"
    try:
        return list(lexer)
    except ValueError as exc:
        raise TemplateError(f"{{{{{action}}}}}: {exc}") from None


def _run_action(action: str, ctx: _Context) -> str:
    parts = [p.strip() for p in action.split("|")]
    result: Any = None
    for i, part in enumerate(parts):
        tokens = _tokens(part)
        if not tokens:
            raise TemplateError(f"{{{{{action}}}}}: empty command in a pipeline")
        head = tokens[0]
        if head in FUNCTIONS:
            args = [ctx.operand(t) for t in tokens[1:]]
            if i > 0:
                args.append(result)
            try:
                result = FUNCTIONS[head](*args)
            except TypeError:
                raise TemplateError(f"{{{{{action}}}}}: wrong number of arguments to {head}") from None
        elif len(tokens) == 1 and i == 0:
            result = ctx.operand(head)
        else:
            raise TemplateError(
                f"{{{{{action}}}}}: {head!r} is not supported in tianyan's Go-template subset"
            )
    return _to_text(result)


def render(
    template: str, labels: Mapping[str, str], value: float, external: Mapping[str, str] | None = None
) -> str:
    """Render one annotation or label template; raise :class:`TemplateError` naming what failed."""
    ctx = _Context(labels, value, external or {})
    out: list[str] = []
    pos = 0
    for match in _ACTION.finditer(template):
        text = template[pos : match.start()]
        if match.group(1):
            text = text.rstrip()
        out.append(text)
        action = match.group(2).strip()
        if not (action.startswith("/*") and action.endswith("*/")):
            out.append(_run_action(action, ctx))
        pos = match.end()
        if match.group(3):
            rest = template[pos:]
            pos += len(rest) - len(rest.lstrip())
    out.append(template[pos:])
    if "{{" in _ACTION.sub("", template):
        raise TemplateError(f"unclosed '{{{{' in template {template!r}")
    result = "".join(out)
    return result


def check_template(template: str) -> None:
    """Raise :class:`TemplateError` if ``template`` uses anything outside the subset."""
    render(template, {"instance": "x"}, 1.0, {})
