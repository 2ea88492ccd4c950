"""``hucheng doctor``: what this machine has for each tool, and what to install when it lacks it."""

from __future__ import annotations

from hucheng.doctor.checks import CheckResult, CheckStatus, run_checks

__all__ = ["CheckResult", "CheckStatus", "run_checks"]
