"""Turning detector matches into :class:`changcheng.findings.Finding` values, redacted by default."""

from __future__ import annotations

from dataclasses import dataclass

from changcheng.findings import Finding, FindingKind, Location
from changcheng.secrets.detect import Match
from changcheng.secrets.redact import redact_in, redact_secret
from changcheng.secrets.rules import RuleSet

MAX_SHOWN = 200


@dataclass(frozen=True)
class Commit:
    """Where a history finding was added."""

    sha: str
    author: str
    date: str


def fingerprint(rel: str, rule_id: str, line: int | None, commit: str | None = None) -> str:
    """gitleaks' fingerprints: ``file:rule:line``, and ``commit:file:rule:line`` in history."""
    base = f"{rel}:{rule_id}:{line or 0}"
    return f"{commit}:{base}" if commit else base


def printable(path: str) -> str:
    """A path as reports can carry it: bytes that are not UTF-8 (kept as surrogates so the file can
    still be opened) become U+FFFD, since JSON, SARIF and the store need valid text."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def to_finding(rules: RuleSet, rel: str, m: Match, *, redact: bool, commit: Commit | None = None) -> Finding:
    rule = rules.rule(m.rule_id)
    rel = printable(rel)
    shown_secret = redact_secret(m.secret) if redact else m.secret
    shown_match = (redact_in(m.match, m.secret) if redact else m.match)[:MAX_SHOWN]
    return Finding(
        kind=FindingKind.SECRET,
        rule_id=rule.id,
        title=rule.description,
        severity=rule.severity,
        location=Location(
            path=rel,
            line=m.line,
            column=m.column,
            end_column=m.end_column,
            commit=commit.sha if commit else None,
            author=commit.author if commit else None,
            date=commit.date if commit else None,
        ),
        fingerprint=fingerprint(rel, rule.id, m.line, commit.sha if commit else None),
        message=f"{rule.description}: {' '.join(shown_match.split())}",
        help_uri=rule.help_uri,
        details={"secret": shown_secret, "match": shown_match, "entropy": m.entropy, "tags": list(rule.tags)},
    )
