"""Changcheng's errors, under :class:`hucheng.errors.HuchengError` (exit codes mapped in cli.py).

ChangchengError              exit 2
├── LockfileError            a dependency file cannot be parsed (file:line)
├── AdvisoryDatabaseError    the advisory database is missing, empty or not a database
├── RuleFileError            a gitleaks-format rule file cannot be loaded
├── IgnoreFileError          an ignore file or baseline is malformed
├── GitHistoryError          git history cannot be read (not a repository, broken objects)
├── ScanPathError            a path to scan does not exist
└── IgnoreFileError
    └── BaselineError        a secrets baseline file is missing or malformed
"""

from __future__ import annotations

from hucheng.errors import HuchengError


class ChangchengError(HuchengError):
    slug = "changcheng"


class LockfileError(ChangchengError):
    slug = "changcheng-lockfile"


class AdvisoryDatabaseError(ChangchengError):
    slug = "changcheng-database"


class RuleFileError(ChangchengError):
    slug = "changcheng-rules"


class IgnoreFileError(ChangchengError):
    slug = "changcheng-ignore"


class GitHistoryError(ChangchengError):
    slug = "changcheng-git"


class ScanPathError(ChangchengError):
    slug = "changcheng-path"


class BaselineError(IgnoreFileError):
    slug = "changcheng-baseline"
