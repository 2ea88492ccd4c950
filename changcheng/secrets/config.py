"""The ``changcheng.secrets:`` section of hucheng.yaml."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from changcheng.secrets.engine import RegexEngine
from changcheng.secrets.failon import SecretsFailOn
from hucheng.config.section import Section


class SecretsConfig(Section):
    """Settings for the secrets scan."""

    paths: list[Path] = Field(
        default_factory=list,
        description="what `hucheng run` scans; none: the secrets scan is not part of the cycle",
    )
    rules: Path | None = Field(
        default=None,
        description="a gitleaks-format TOML rule file; default: changcheng's built-in rules",
    )
    builtin_rules: bool = Field(
        default=True, description="with `rules:` set, also run the built-in rules (rules: ids win)"
    )
    baseline: Path | None = Field(
        default=None, description="JSON baseline of accepted findings (`secrets --write-baseline`)"
    )
    history: bool = Field(default=False, description="`hucheng run` also scans the git history")
    fail_on: SecretsFailOn = Field(
        default=SecretsFailOn.LOW, description="lowest severity that fails the scan; low = any secret"
    )
    max_file_size: int = Field(
        default=2_000_000, gt=0, description="files larger than this many bytes are skipped (and counted)"
    )
    gitignore: bool = Field(default=True, description="skip what .gitignore files ignore")
    redact: bool = Field(default=True, description="show secrets redacted in every output format")
    engine: RegexEngine = Field(
        default=RegexEngine.RE2, description="re2 (google-re2, the default) or re (Python, translated)"
    )
    workers: int = Field(
        default=0, ge=0, description="worker processes for large trees; 0 = one per CPU (at most 8)"
    )
