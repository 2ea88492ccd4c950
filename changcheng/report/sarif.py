"""SARIF 2.1.0, as GitHub code scanning reads it.

One run; ``tool.driver.rules`` holds each rule once (advisory id for deps, rule id for secrets) with
``properties.security-severity`` (a number as a string, the highest CVSS score or a per-severity
default; GitHub maps >= 9.0 critical, >= 7.0 high, >= 4.0 medium, else low) and tags; each result
points at its rule by ``ruleId`` and ``ruleIndex``, has a ``level``, a message, one physical location
relative to ``%SRCROOT%`` with ``region.startLine`` >= 1, and ``partialFingerprints`` carrying the
finding's stable fingerprint. Suppressed findings (baseline, ignore file, pragma) are written with a
``suppressions`` entry, so the upload records them as dismissed instead of forgetting them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from changcheng.findings import Finding, FindingKind, ScanReport, Severity
from changcheng.report.ordering import worst_first

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "changcheng"
FINGERPRINT_KEY = "changcheng/v1"
SRCROOT = "%SRCROOT%"

#: security-severity when a finding has no CVSS score; ``unknown`` gets none (GitHub then goes by level)
DEFAULT_SECURITY_SEVERITY: dict[Severity, float] = {
    Severity.CRITICAL: 9.5,
    Severity.HIGH: 8.0,
    Severity.MEDIUM: 5.5,
    Severity.LOW: 2.0,
}
LEVELS: dict[Severity, str] = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.UNKNOWN: "warning",
    Severity.LOW: "note",
}
HELP: dict[FindingKind, str] = {
    FindingKind.SECRET: (
        "A credential is in the code. Revoke and rotate it first (it is already exposed to everyone "
        "with read access), then remove it and load it from the environment or a secret store."
    ),
    FindingKind.VULNERABILITY: (
        "A dependency has a known vulnerability. Upgrade it to a fixed version (see the result), "
        "or record an ignore entry with a reason and an expiry if it does not affect you."
    ),
}


def security_severity(findings: list[Finding]) -> str | None:
    """The highest of the findings' CVSS scores, a finding without one counting by its severity."""
    scores = [f.score if f.score is not None else DEFAULT_SECURITY_SEVERITY.get(f.severity) for f in findings]
    known = [s for s in scores if s is not None]
    return f"{max(known):.1f}" if known else None


def _rule(rule_id: str, findings: list[Finding]) -> dict[str, Any]:
    first = findings[0]
    description = str(first.details.get("description") or first.title)
    tags = ["security", "secret" if first.kind is FindingKind.SECRET else "dependency"]
    properties: dict[str, Any] = {"tags": tags}
    severity = security_severity(findings)
    if severity is not None:
        properties["security-severity"] = severity
    rule: dict[str, Any] = {
        "id": rule_id,
        "name": _rule_name(rule_id),
        "shortDescription": {"text": first.title[:1024]},
        "fullDescription": {"text": description},
        "help": {"text": HELP[first.kind]},
        "defaultConfiguration": {"level": LEVELS[first.severity]},
        "properties": properties,
    }
    if first.help_uri:
        rule["helpUri"] = first.help_uri
    return rule


def _rule_name(rule_id: str) -> str:
    """A PascalCase name from the id (SARIF's ``name`` is an identifier, ``aws-access-key`` ->
    ``AwsAccessKey``)."""
    parts = [p for p in "".join(c if c.isalnum() else " " for c in rule_id).split() if p]
    return "".join(p[:1].upper() + p[1:] for p in parts) or "Rule"


def _location(finding: Finding) -> dict[str, Any]:
    loc = finding.location
    region: dict[str, Any] = {"startLine": max(1, loc.line or 1)}
    if loc.column is not None:
        region["startColumn"] = max(1, loc.column)
    if loc.end_column is not None:
        region["endColumn"] = max(region.get("startColumn", 1), loc.end_column)
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": quote(loc.path, safe="/"), "uriBaseId": SRCROOT},
            "region": region,
        }
    }


def _result(finding: Finding, index: int, suppression: str | None) -> dict[str, Any]:
    loc = finding.location
    properties: dict[str, Any] = {"severity": finding.severity.value}
    if finding.aliases:
        properties["aliases"] = list(finding.aliases)
    if loc.commit:
        properties.update(commit=loc.commit, author=loc.author, date=loc.date)
    if finding.details:
        properties["details"] = dict(finding.details)
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message or finding.title},
        "locations": [_location(finding)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": properties,
    }
    if suppression is not None:
        kind = "inSource" if "pragma" in suppression else "external"
        result["suppressions"] = [{"kind": kind, "justification": suppression}]
    return result


def report_sarif(report: ScanReport) -> dict[str, Any]:
    shown = worst_first(report.findings)
    hidden = sorted(report.suppressed, key=lambda item: item[0].fingerprint)
    by_rule: dict[str, list[Finding]] = {}
    for finding in [*shown, *(f for f, _ in hidden)]:
        by_rule.setdefault(finding.rule_id, []).append(finding)
    rule_ids = sorted(by_rule)
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    results = [_result(f, index[f.rule_id], None) for f in shown]
    results += [_result(f, index[f.rule_id], reason) for f, reason in hidden]
    notifications = [{"level": "warning", "message": {"text": w}} for w in report.warnings]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "fullName": f"hucheng changcheng {report.scan}",
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "rules": [_rule(r, by_rule[r]) for r in rule_ids],
            }
        },
        "automationDetails": {"id": f"changcheng/{report.scan}/"},
        "originalUriBaseIds": {SRCROOT: {"uri": Path(report.root).resolve().as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "results": results,
        "properties": {"stats": dict(report.stats)},
    }
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(report: ScanReport, stream: IO[str]) -> None:
    json.dump(report_sarif(report), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
