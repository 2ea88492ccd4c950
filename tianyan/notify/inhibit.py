"""Inhibition as Alertmanager does it: a firing source alert mutes target alerts that agree on
``equal`` labels (a label missing on both counts as equal); an alert never inhibits itself."""

from __future__ import annotations

from collections.abc import Sequence

from tianyan.model import Alert
from tianyan.notify.amconfig import InhibitRule
from tianyan.notify.matchers import matches_all


def inhibited(alert: Alert, rules: Sequence[InhibitRule], firing: Sequence[Alert]) -> bool:
    for rule in rules:
        if not matches_all(rule.target, alert.labels):
            continue
        for source in firing:
            if source.fingerprint == alert.fingerprint:
                continue
            if not matches_all(rule.source, source.labels):
                continue
            if all(source.labels.get(n, "") == alert.labels.get(n, "") for n in rule.equal):
                return True
    return False
