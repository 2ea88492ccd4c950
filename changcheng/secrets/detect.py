"""Detection on one piece of text (a file, or the lines a commit added to a file), gitleaks' way:

1. the global allowlists' paths skip the whole piece;
2. keyword prefilter: one pass finds which rule keywords occur (case-insensitive) and only rules with
   a keyword present (or with none) run their regex;
3. each match's secret is ``secretGroup`` (else the first non-empty group, else the whole match);
4. a rule with ``entropy`` drops secrets at or below it (and ``generic*`` rules drop secrets with no
   digit, as gitleaks does);
5. rule and global allowlists drop what they allow; a ``gitleaks:allow``/``hucheng:allow`` pragma on
   the line keeps the match but marks it suppressed, so reports can show it as accepted.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from changcheng.secrets.entropy import shannon_entropy
from changcheng.secrets.pragmas import pragma_on
from changcheng.secrets.rules import Allowlist, Condition, RegexTarget, Rule, RuleSet


@dataclass(frozen=True)
class Match:
    """One secret found. ``line`` and ``column`` are 1-based (column in characters) within the piece
    scanned; ``line_map`` turns them into the file's lines for history hunks."""

    rule_id: str
    secret: str
    match: str
    line: int | None
    column: int | None
    end_column: int | None
    line_text: str
    entropy: float
    pragma: str | None = None


class KeywordIndex:
    """Which keywords occur in a text, in one pass (an RE2 set), or by ``in`` without RE2."""

    def __init__(self, keywords: Sequence[bytes], use_re2: bool) -> None:
        self.keywords = list(dict.fromkeys(keywords))
        self._set: Any = None
        if use_re2 and self.keywords:
            import re2

            options = re2.Options()
            options.log_errors = False
            self._set = re2.Set.SearchSet(options)
            for keyword in self.keywords:
                self._set.Add(re2.escape(keyword))
            self._set.Compile()

    def present(self, lowered: bytes) -> set[bytes]:
        if self._set is not None:
            return {self.keywords[i] for i in self._set.Match(lowered) or ()}
        return {k for k in self.keywords if k in lowered}


def _allowed(
    allowlist: Allowlist, secret: bytes, match: bytes, line: bytes, path: bytes, commit: str
) -> bool:
    checks: list[bool] = []
    if allowlist.commits:
        checks.append(commit in allowlist.commits)
    if allowlist.paths:
        checks.append(any(p.search(path) for p in allowlist.paths))
    if allowlist.regexes:
        target = {RegexTarget.SECRET: secret, RegexTarget.MATCH: match, RegexTarget.LINE: line}
        text = target[allowlist.regex_target]
        checks.append(any(r.search(text) for r in allowlist.regexes))
    if allowlist.stopwords:
        lowered = secret.lower()
        checks.append(any(word in lowered for word in allowlist.stopwords))
    if not checks:
        return False
    return all(checks) if allowlist.condition is Condition.AND else any(checks)


def _path_only_allowlist(allowlist: Allowlist) -> bool:
    """A global allowlist whose paths alone allow a file (so the file need not be read)."""
    return bool(allowlist.paths) and not allowlist.target_rules and allowlist.condition is Condition.OR


class Detector:
    """Runs a :class:`RuleSet` over pieces of text. Build once, use for many files (not thread-bound:
    compiled patterns are immutable)."""

    def __init__(self, rules: RuleSet, use_re2: bool) -> None:
        self.rules = rules
        keywords = [k for rule in rules.rules for k in rule.keywords]
        self.keywords = KeywordIndex(keywords, use_re2)
        self._skip_paths = [p for a in rules.allowlists if _path_only_allowlist(a) for p in a.paths]

    def path_allowed(self, path: str) -> bool:
        """True when a global allowlist skips ``path`` entirely."""
        encoded = path.encode("utf-8", "surrogateescape")
        return any(p.search(encoded) for p in self._skip_paths)

    def detect(self, content: bytes, path: str, commit: str = "") -> list[Match]:
        if self.path_allowed(path):
            return []
        encoded_path = path.encode("utf-8", "surrogateescape")
        present = self.keywords.present(content.lower())
        lines = _Lines(content)
        out: list[Match] = []
        for rule in self.rules.rules:
            if rule.path is not None and not rule.path.search(encoded_path):
                continue
            if rule.regex is None:
                out.append(Match(rule.id, path, path, None, None, None, "", 0.0))
                continue
            if rule.keywords and not any(k in present for k in rule.keywords):
                continue
            out.extend(self._rule_matches(rule, content, encoded_path, commit, lines))
        return out

    def _rule_matches(
        self, rule: Rule, content: bytes, path: bytes, commit: str, lines: _Lines
    ) -> Iterator[Match]:
        assert rule.regex is not None
        for m in rule.regex.finditer(content):
            group = _secret_group(m, rule.secret_group)
            if group is None:
                continue
            start, end = m.span(group)
            secret = content[start:end]
            entropy = shannon_entropy(secret)
            if rule.entropy and (
                entropy <= rule.entropy
                or (rule.id.startswith("generic") and not any(48 <= b <= 57 for b in secret))
            ):
                continue
            match = m.group(0)
            line_no, line_start, line_end = lines.locate(start)
            line = content[line_start:line_end]
            if any(_allowed(a, secret, match, line, path, commit) for a in rule.allowlists):
                continue
            if any(
                _allowed(a, secret, match, line, path, commit)
                for a in self.rules.allowlists
                if not a.target_rules or rule.id in a.target_rules
            ):
                continue
            column = len(content[line_start:start].decode("utf-8", "replace")) + 1
            text = secret.decode("utf-8", "replace")
            single_line = b"\n" not in secret
            yield Match(
                rule_id=rule.id,
                secret=text,
                match=match.decode("utf-8", "replace"),
                line=line_no,
                column=column,
                end_column=column + len(text) if single_line else None,
                line_text=line.decode("utf-8", "replace"),
                entropy=round(entropy, 3),
                pragma=pragma_on(line),
            )


def _secret_group(m: Any, wanted: int) -> int | None:
    """Which group is the secret: ``secretGroup`` if set, else the first non-empty group, else 0."""
    groups = m.groups()
    if wanted:
        if wanted > len(groups) or not groups[wanted - 1]:
            return None
        return wanted
    for i, value in enumerate(groups, 1):
        if value:
            return i
    return 0 if m.group(0) else None


class _Lines:
    """Line numbers for byte offsets, computed on first use (most files have no match)."""

    def __init__(self, content: bytes) -> None:
        self.content = content
        self._starts: list[int] | None = None

    def locate(self, offset: int) -> tuple[int, int, int]:
        """(1-based line, start offset of the line, end offset before its newline)."""
        if self._starts is None:
            starts, pos = [0], self.content.find(b"\n")
            while pos >= 0:
                starts.append(pos + 1)
                pos = self.content.find(b"\n", pos + 1)
            self._starts = starts
        index = bisect_right(self._starts, offset) - 1
        line_start = self._starts[index]
        line_end = self.content.find(b"\n", line_start)
        return index + 1, line_start, len(self.content) if line_end < 0 else line_end
