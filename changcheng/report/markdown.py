"""A Markdown summary for a pull-request comment: a headline, a table worst first (capped, so a
comment stays under the forge's size limit), and warnings folded away."""

from __future__ import annotations

from typing import IO

from changcheng.findings import Finding, ScanReport
from changcheng.report.ordering import location_text, summary_line, worst_first

#: rows shown before "... and N more"; a PR comment is for humans, the full list is in SARIF/JSON
MAX_ROWS = 50
ICONS = {"critical": "🔴", "high": "🟠", "medium": "🟡", "unknown": "⚪", "low": "🔵"}


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: no pipes, no newlines, no HTML, code spans closed."""
    text = " ".join(text.split())
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def _inline(text: str) -> str:
    """Text for a list item: one line, no HTML. Pipes stay as they are: only a table cell needs
    them escaped, and elsewhere GitHub would show the backslash (`--from URL\\|PATH`)."""
    return " ".join(text.split()).replace("<", "&lt;").replace(">", "&gt;")


def _row(f: Finding) -> str:
    sev = f.severity.value
    cells = [f"{ICONS[sev]} {sev}", f"`{_cell(f.rule_id)}`", f"`{_cell(location_text(f))}`"]
    cells.append(_cell(f.message or f.title))
    return "| " + " | ".join(cells) + " |"


def render_markdown(report: ScanReport, stream: IO[str]) -> None:
    findings = worst_first(report.findings)
    headline = summary_line(report.scan, findings, len(report.suppressed))
    mark = "❌" if findings else "✅"
    lines = [f"### {mark} {headline}", ""]
    if findings:
        lines += ["| severity | rule | location | detail |", "|---|---|---|---|"]
        lines += [_row(f) for f in findings[:MAX_ROWS]]
        if len(findings) > MAX_ROWS:
            lines.append(f"\n… and {len(findings) - MAX_ROWS} more (see the SARIF or JSON report)")
        lines.append("")
    if report.warnings:
        lines += [f"<details><summary>{len(report.warnings)} warning(s)</summary>", ""]
        lines += [f"- {_inline(w)}" for w in report.warnings]
        lines += ["", "</details>", ""]
    stats = ", ".join(f"{k}: {v}" for k, v in report.stats.items())
    if stats:
        lines.append(f"<sub>{_cell(stats)} · changcheng {report.tool_version}</sub>")
    stream.write("\n".join(lines).rstrip("\n") + "\n")
