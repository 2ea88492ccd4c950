"""``tianyan rules lint``: what would stop a rule file from working — YAML and rule-file structure,
PromQL syntax (with position), functions and constructs outside the local evaluator's subset, and
annotation or label templates outside the Go-template subset tianyan renders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tianyan.errors import RuleFileError, TemplateError
from tianyan.rules.evaluator import Unsupported, check_supported
from tianyan.rules.rulefile import load_rule_file
from tianyan.rules.templates import check_template


@dataclass(frozen=True)
class LintProblem:
    where: str  # file:line:col
    rule: str
    message: str


@dataclass(frozen=True)
class LintReport:
    files: int
    rules: int
    problems: tuple[LintProblem, ...]


def lint_files(paths: Sequence[Path], *, local: bool = True) -> LintReport:
    """Every problem in ``paths``. ``local=False`` skips the local-subset check (for rules that only
    ever run on a Prometheus server)."""
    problems: list[LintProblem] = []
    rules = 0
    for path in paths:
        try:
            groups = load_rule_file(path)
        except RuleFileError as exc:
            text = str(exc)
            where, _, message = text.partition(": ")
            problems.append(LintProblem(where, "", message))
            continue
        for group in groups:
            for rule in group.rules:
                rules += 1
                if local:
                    try:
                        check_supported(rule.expr)
                    except Unsupported as exc:
                        problems.append(
                            LintProblem(rule.where, rule.name, f"{exc} (evaluate it on Prometheus)")
                        )
                for kind, templates in (("label", rule.labels), ("annotation", rule.annotations)):
                    for key, template in templates.items():
                        try:
                            check_template(template)
                        except TemplateError as exc:
                            problems.append(LintProblem(rule.where, rule.name, f"{kind} {key!r}: {exc}"))
    return LintReport(len(paths), rules, tuple(problems))
