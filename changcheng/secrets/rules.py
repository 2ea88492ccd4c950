"""Secret rules in gitleaks' TOML format: the values, and the loader.

Supported (gitleaks v8 semantics): ``[[rules]]`` with ``id``, ``description``, ``regex``,
``secretGroup``, ``entropy``, ``keywords``, ``path``, ``tags`` and ``[[rules.allowlists]]``
(``condition``, ``commits``, ``paths``, ``regexTarget``, ``regexes``, ``stopwords``); the global
``[allowlist]`` and ``[[allowlists]]`` (with ``targetRules``); ``[extend]`` with ``path`` or
``useDefault`` (changcheng's built-in set). Two keys of our own, ignored by gitleaks: ``severity`` and
``helpUri`` on a rule. A rule whose regex cannot be compiled is left out and reported by id in
:attr:`RuleSet.warnings`; keys this loader does not know are reported there too.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from importlib.resources import files
from pathlib import Path
from typing import Any

from changcheng.errors import RuleFileError
from changcheng.findings import Severity
from changcheng.secrets.engine import Pattern, PatternError, RegexEngine, compile_pattern

BUILTIN = "builtin"
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_RULE_KEYS = {"id", "description", "regex", "secretGroup", "entropy", "keywords", "path", "tags",
              "allowlists", "allowlist", "severity", "helpUri"}  # fmt: skip
_ALLOWLIST_KEYS = {"description", "condition", "commits", "paths", "regexTarget", "regexes", "stopwords",
                   "targetRules"}  # fmt: skip
_TOP_KEYS = {"title", "minVersion", "description", "extend", "allowlist", "allowlists", "rules"}


class RegexTarget(StrEnum):
    SECRET = "secret"
    MATCH = "match"
    LINE = "line"


class Condition(StrEnum):
    OR = "OR"
    AND = "AND"


@dataclass(frozen=True)
class Allowlist:
    """Findings to accept. With ``OR`` any set criterion allows; with ``AND`` every set one must."""

    description: str = ""
    condition: Condition = Condition.OR
    commits: tuple[str, ...] = ()
    paths: tuple[Pattern, ...] = ()
    regex_target: RegexTarget = RegexTarget.SECRET
    regexes: tuple[Pattern, ...] = ()
    #: lower-cased; a secret containing one is allowed
    stopwords: tuple[bytes, ...] = ()
    #: global ``[[allowlists]]`` only: the rules it applies to (empty: all)
    target_rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    regex: Pattern | None
    secret_group: int = 0
    entropy: float = 0.0
    #: lower-cased; the rule runs on a file only if one occurs in it (none: always)
    keywords: tuple[bytes, ...] = ()
    path: Pattern | None = None
    tags: tuple[str, ...] = ()
    allowlists: tuple[Allowlist, ...] = ()
    severity: Severity = Severity.HIGH
    help_uri: str = ""


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    allowlists: tuple[Allowlist, ...] = ()
    #: rules not compiled, unknown keys: one line each, shown to the user
    warnings: tuple[str, ...] = ()
    #: where the rules came from, for messages ("builtin", a path, or both joined by " + ")
    source: str = BUILTIN

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)


@dataclass
class _Loader:
    source: str
    engine: RegexEngine
    default_severity: Severity
    warnings: list[str] = field(default_factory=list)

    def fail(self, where: str, message: str) -> RuleFileError:
        return RuleFileError(f"{self.source}: {where}: {message}; fix the rule file")

    def strings(self, value: Any, where: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(where, "must be a list of strings")
        return tuple(value)

    def text(self, value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise self.fail(where, f"must be a string, not {type(value).__name__}")
        return value

    def unknown_keys(self, table: Mapping[str, Any], known: set[str], where: str) -> None:
        for key in sorted(set(table) - known):
            self.warnings.append(f"{self.source}: {where}: key {key!r} is not supported and was ignored")

    def patterns(self, values: tuple[str, ...], where: str) -> tuple[Pattern, ...]:
        out = []
        for i, value in enumerate(values):
            try:
                out.append(compile_pattern(value, self.engine))
            except PatternError as exc:
                self.warnings.append(f"{self.source}: {where}[{i}] not compiled, left out: {exc}")
        return tuple(out)

    def allowlist(self, table: Any, where: str, *, is_global: bool) -> Allowlist:
        if not isinstance(table, Mapping):
            raise self.fail(where, "must be a table")
        self.unknown_keys(table, _ALLOWLIST_KEYS if is_global else _ALLOWLIST_KEYS - {"targetRules"}, where)
        try:
            condition = Condition(str(table.get("condition", "OR")).upper())
            target = RegexTarget(str(table.get("regexTarget", "secret")).lower())
        except ValueError as exc:
            raise self.fail(where, f"{exc} (condition: OR/AND, regexTarget: secret/match/line)") from None
        return Allowlist(
            description=self.text(table.get("description", ""), f"{where}.description"),
            condition=condition,
            commits=self.strings(table.get("commits", []), f"{where}.commits"),
            paths=self.patterns(self.strings(table.get("paths", []), f"{where}.paths"), f"{where}.paths"),
            regex_target=target,
            regexes=self.patterns(
                self.strings(table.get("regexes", []), f"{where}.regexes"), f"{where}.regexes"
            ),
            stopwords=tuple(
                s.lower().encode() for s in self.strings(table.get("stopwords", []), f"{where}.stopwords")
            ),
            target_rules=self.strings(table.get("targetRules", []), f"{where}.targetRules"),
        )

    def rule(self, table: Any, index: int) -> Rule | None:
        if not isinstance(table, Mapping) or not isinstance(table.get("id"), str) or not table["id"]:
            raise self.fail(f"rules[{index}]", "every rule needs a table with a string 'id'")
        rule_id = table["id"]
        where = f"rule {rule_id!r}"
        self.unknown_keys(table, _RULE_KEYS, where)
        if "regex" not in table and "path" not in table:
            raise self.fail(where, "a rule needs a 'regex', a 'path' or both")
        try:
            regex = (
                None
                if "regex" not in table
                else compile_pattern(self.text(table["regex"], where), self.engine)
            )
            path = (
                None if "path" not in table else compile_pattern(self.text(table["path"], where), self.engine)
            )
        except PatternError as exc:
            self.warnings.append(f"{self.source}: {where} not compiled, left out: {exc}")
            return None
        group, entropy = table.get("secretGroup", 0), table.get("entropy", 0.0)
        if not isinstance(group, int) or isinstance(group, bool) or group < 0:
            raise self.fail(f"{where}.secretGroup", "must be a whole number, 0 or more")
        if not isinstance(entropy, (int, float)) or isinstance(entropy, bool) or entropy < 0:
            raise self.fail(f"{where}.entropy", "must be a number, 0 or more")
        try:
            severity = Severity(str(table.get("severity", self.default_severity)).lower())
        except ValueError:
            raise self.fail(f"{where}.severity", "must be low, medium, high or critical") from None
        lists = table.get("allowlists", [])
        if "allowlist" in table:  # the pre-v8.21 spelling: one table
            lists = [table["allowlist"], *lists]
        if not isinstance(lists, list):
            raise self.fail(f"{where}.allowlists", "must be an array of tables ([[rules.allowlists]])")
        return Rule(
            id=rule_id,
            description=self.text(table.get("description", rule_id), f"{where}.description"),
            regex=regex,
            secret_group=group,
            entropy=float(entropy),
            keywords=tuple(k.lower().encode() for k in self.strings(table.get("keywords", []), where)),
            path=path,
            tags=self.strings(table.get("tags", []), f"{where}.tags"),
            allowlists=tuple(
                self.allowlist(a, f"{where}.allowlists[{i}]", is_global=False) for i, a in enumerate(lists)
            ),
            severity=severity,
            help_uri=self.text(table.get("helpUri", ""), f"{where}.helpUri"),
        )


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """TOML text as a dict; a syntax error is a :class:`RuleFileError` naming ``source:line:col``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        pos = _TOML_POSITION.search(message)
        where = f"{source}:{pos.group(1)}:{pos.group(2)}" if pos else source
        reason = _TOML_POSITION.sub("", message).strip()
        raise RuleFileError(f"{where}: TOML syntax error: {reason}; fix the rule file") from exc


def builtin_text() -> str:
    return files("changcheng.secrets").joinpath("builtin.toml").read_text(encoding="utf-8")


def rules_from_toml(
    doc: Mapping[str, Any],
    source: str,
    *,
    engine: RegexEngine = RegexEngine.RE2,
    default_severity: Severity = Severity.HIGH,
    base_dir: Path | None = None,
    depth: int = 0,
) -> RuleSet:
    """A :class:`RuleSet` from a parsed gitleaks-format document."""
    loader = _Loader(source, engine, default_severity)
    loader.unknown_keys(doc, _TOP_KEYS, "top level")
    base = _extended(doc.get("extend"), loader, engine, default_severity, base_dir, depth)
    raw_rules = doc.get("rules", [])
    if not isinstance(raw_rules, list):
        raise loader.fail("rules", "must be an array of tables ([[rules]])")
    own = [r for i, table in enumerate(raw_rules) if (r := loader.rule(table, i)) is not None]
    lists = doc.get("allowlists", [])
    if "allowlist" in doc:
        lists = [doc["allowlist"], *lists]
    if not isinstance(lists, list):
        raise loader.fail("allowlists", "must be an array of tables ([[allowlists]])")
    allowlists = [loader.allowlist(a, f"allowlists[{i}]", is_global=True) for i, a in enumerate(lists)]
    ids = {r.id for r in own}
    merged = [r for r in (base.rules if base else ()) if r.id not in ids] + own
    return RuleSet(
        rules=tuple(merged),
        allowlists=tuple([*(base.allowlists if base else ()), *allowlists]),
        warnings=tuple([*(base.warnings if base else ()), *loader.warnings]),
        source=f"{base.source} + {source}" if base else source,
    )


def _extended(
    extend: Any,
    loader: _Loader,
    engine: RegexEngine,
    default_severity: Severity,
    base_dir: Path | None,
    depth: int,
) -> RuleSet | None:
    if extend is None:
        return None
    if not isinstance(extend, Mapping):
        raise loader.fail("extend", "must be a table")
    if depth >= 3:
        raise loader.fail("extend", "extends more than 3 files deep; is there a cycle?")
    if extend.get("useDefault"):
        return load_builtin(engine=engine)
    if "path" in extend:
        path = Path(loader.text(extend["path"], "extend.path"))
        return load_rules_file((base_dir or Path()) / path, engine, default_severity, depth + 1)
    return None


def load_builtin(*, engine: RegexEngine = RegexEngine.RE2) -> RuleSet:
    """changcheng's own rule set (``changcheng/secrets/builtin.toml``)."""
    return rules_from_toml(parse_toml(builtin_text(), BUILTIN), BUILTIN, engine=engine)


def load_rules_file(
    path: Path,
    engine: RegexEngine = RegexEngine.RE2,
    default_severity: Severity = Severity.HIGH,
    depth: int = 0,
) -> RuleSet:
    """Rules from a gitleaks-format TOML file; :class:`RuleFileError` when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuleFileError(f"{path}: rule file not found; check --rules") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"{path}: cannot read the rule file: {exc}") from exc
    doc = parse_toml(text, str(path))
    return rules_from_toml(
        doc, str(path), engine=engine, default_severity=default_severity, base_dir=path.parent, depth=depth
    )
