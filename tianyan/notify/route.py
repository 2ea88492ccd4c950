"""The routing tree, matched as Alertmanager matches it.

An alert enters at the root (which matches everything); it goes down to the first child that matches,
and on to later siblings only while the matching child has ``continue: true``. The deepest matching
routes are the result; when no child matches, the route itself is. Children inherit the receiver,
``group_by``, the three timers and the time intervals from their parent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from tianyan.notify.matchers import Matcher, MatchOp, matchers_text, matches_all


@dataclass(frozen=True)
class Route:
    receiver: str
    matchers: tuple[Matcher, ...]
    #: None: group by all labels (``group_by: ['...']``)
    group_by: tuple[str, ...] | None
    group_wait: timedelta
    group_interval: timedelta
    repeat_interval: timedelta
    continue_: bool
    mute_time_intervals: tuple[str, ...]
    active_time_intervals: tuple[str, ...]
    routes: tuple[Route, ...]
    #: Alertmanager's route key: ``{}`` for the root, ``{}/{service="pay"}`` for a child
    key: str
    #: where it was declared, for messages (``file:line``)
    where: str = ""

    def match(self, labels: Mapping[str, str]) -> list[Route]:
        if not matches_all(self.matchers, labels):
            return []
        found: list[Route] = []
        for child in self.routes:
            matched = child.match(labels)
            found.extend(matched)
            if matched and not child.continue_:
                break
        return found or [self]

    def group_labels(self, labels: Mapping[str, str]) -> dict[str, str]:
        if self.group_by is None:
            return dict(labels)
        return {name: labels[name] for name in self.group_by if name in labels}

    def group_key(self, labels: Mapping[str, str]) -> str:
        """Alertmanager's group key: route key and group labels, ``{}:{alertname="X"}``."""
        grouped = self.group_labels(labels)
        inner = ", ".join(f'{k}="{v}"' for k, v in sorted(grouped.items()))
        return f"{self.key}:{{{inner}}}"

    def walk(self) -> list[Route]:
        out = [self]
        for child in self.routes:
            out.extend(child.walk())
        return out


_OP_ORDER = {MatchOp.EQ: 0, MatchOp.NE: 1, MatchOp.RE: 2, MatchOp.NRE: 3}


def child_key(parent_key: str, matchers: tuple[Matcher, ...]) -> str:
    """Alertmanager's route key: its matchers sorted by name, value, then type."""
    ordered = sorted(matchers, key=lambda m: (m.name, m.value, _OP_ORDER[m.op]))
    return f"{parent_key}/{matchers_text(ordered)}"
