"""Where a scan's rules come from, as plain data: a worker process rebuilds the same
:class:`RuleSet` from it (compiled patterns do not cross process boundaries)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from changcheng.secrets.engine import RegexEngine, resolve_engine
from changcheng.secrets.rules import RuleSet, load_builtin, load_rules_file


@dataclass(frozen=True)
class RuleSource:
    """``rules_file`` (gitleaks TOML) and/or the built-in rules; with both, the file's ids win."""

    rules_file: Path | None = None
    builtin: bool = True
    engine: RegexEngine = RegexEngine.RE2

    def load(self) -> RuleSet:
        engine = resolve_engine(self.engine)
        if self.rules_file is None:
            return load_builtin(engine=engine)
        own = load_rules_file(self.rules_file, engine)
        if not self.builtin:
            return own
        base = load_builtin(engine=engine)
        ids = {r.id for r in own.rules}
        return RuleSet(
            rules=tuple(r for r in base.rules if r.id not in ids) + own.rules,
            allowlists=base.allowlists + own.allowlists,
            warnings=base.warnings + own.warnings,
            source=f"{base.source} + {own.source}",
        )

    def to_args(self) -> dict[str, Any]:
        return {
            "rules_file": None if self.rules_file is None else str(self.rules_file),
            "builtin": self.builtin,
            "engine": self.engine.value,
        }

    @classmethod
    def from_args(cls, args: dict[str, Any]) -> RuleSource:
        rules_file = args.get("rules_file")
        return cls(
            rules_file=None if rules_file is None else Path(rules_file),
            builtin=bool(args.get("builtin", True)),
            engine=RegexEngine(args.get("engine", "re2")),
        )
