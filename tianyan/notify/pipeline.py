"""The notify pipeline: alerts in; routing, grouping, silences, inhibition, time intervals,
de-duplication, the outbox and the channels; notifications out.

Eval (and the other tools, through :func:`tianyan.notify.send_alerts`) call :meth:`process` with
every alert whose state matters; :meth:`tick` sends what is due (group timers, retries);
:meth:`flush` sends every group now (``check --once``). Nothing is notified twice: the notification
log in the store remembers what each channel was told, across restarts.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from hucheng.config import Settings
from hucheng.store import Record, Store
from tianyan.errors import TemplateError
from tianyan.model import Alert
from tianyan.notify import nflog, outbox
from tianyan.notify.amconfig import Integration, RoutingConfig, load_routing
from tianyan.notify.channels import Payload
from tianyan.notify.config import NotifyConfig
from tianyan.notify.delivery import Deliverer, DeliverySummary
from tianyan.notify.groups import Group
from tianyan.notify.inhibit import inhibited
from tianyan.notify.notification import Notification
from tianyan.notify.outbox import Entry
from tianyan.notify.silences import Silence, active_silences
from tianyan.notify.templates import Renderer

log = logging.getLogger(__name__)

__all__ = ["DeliverySummary", "NotifyPipeline", "build_pipeline"]

#: how often a long-running pipeline re-reads the outbox for entries other processes left
RELOAD_EVERY = timedelta(minutes=1)


class NotifyPipeline:
    def __init__(
        self,
        routing: RoutingConfig | None,
        store: Store,
        config: NotifyConfig | None = None,
        *,
        rng: random.Random | None = None,
    ) -> None:
        self.routing = routing
        self.store = store
        self.config = config or NotifyConfig()
        self.renderer = Renderer()
        self.groups: dict[str, Group] = {}
        #: the notification log, newest entry per group and channel (read from the store, kept current)
        self.notified: dict[str, nflog.NflogEntry] = {}
        self.deliverer = Deliverer(store, routing, self.config, rng or random.Random())

    # -- ingest -------------------------------------------------------------------------------
    def process(self, alerts: Sequence[Alert], now: datetime) -> None:
        if self.routing is None:
            return
        for alert in alerts:
            for route in self.routing.route.match(alert.labels):
                key = route.group_key(alert.labels)
                group = self.groups.get(key)
                if group is None:
                    group = Group(route, key, route.group_labels(alert.labels), now + route.group_wait)
                    self.groups[key] = group
                group.add(alert, now)

    # -- timers -------------------------------------------------------------------------------
    def next_due(self) -> datetime | None:
        times = [g.next_flush for g in self.groups.values()]
        retry = self.deliverer.next_due()
        if retry is not None:
            times.append(retry)
        return min(times) if times else None

    def tick(self, now: datetime) -> DeliverySummary:
        """Flush the groups whose timer is due, then send what the outbox has due."""
        return self._run([g for g in self.groups.values() if g.next_flush <= now], now)

    def flush(self, now: datetime) -> DeliverySummary:
        """Flush every group now (whatever its timer), then send what the outbox has due."""
        return self._run(list(self.groups.values()), now)

    def _run(self, groups: list[Group], now: datetime) -> DeliverySummary:
        loaded = self.deliverer.loaded_at
        if loaded is None or not loaded <= now < loaded + RELOAD_EVERY:
            # retries and crashed sends left by earlier runs, what other processes queued
            # (send_alerts from another tool) and could not send, and what they notified
            self.deliverer.reload(now)
            self.notified = nflog.load_latest(self.store, now - nflog.RETENTION)
        entries: list[Entry] = []
        logs: list[Record] = []
        if groups and self.routing is not None:
            silences = active_silences(self.store, now)
            firing_now = [
                a for g in self.groups.values() for a in g.snapshot(now, self.routing.resolve_timeout)[0]
            ]
            for group in groups:
                self._flush_group(group, now, silences, firing_now, entries, logs)
        if entries or logs:
            self.deliverer.enqueue(entries, logs)  # one transaction: a crash writes all or nothing
        return DeliverySummary(len(entries)) + self.deliverer.deliver(now)

    # -- one group ----------------------------------------------------------------------------
    def _muted_by_time(self, group: Group, now: datetime) -> bool:
        assert self.routing is not None
        intervals = self.routing.time_intervals
        route = group.route
        if any(intervals[n].contains(now) for n in route.mute_time_intervals):
            return True
        return bool(route.active_time_intervals) and not any(
            intervals[n].contains(now) for n in route.active_time_intervals
        )

    def _flush_group(
        self,
        group: Group,
        now: datetime,
        silences: list[Silence],
        firing_now: list[Alert],
        entries: list[Entry],
        logs: list[Record],
    ) -> None:
        assert self.routing is not None
        firing, resolved = group.snapshot(now, self.routing.resolve_timeout)
        rules = self.routing.inhibit_rules
        firing = [
            a
            for a in firing
            if not any(s.mutes(a.labels, now) for s in silences) and not inhibited(a, rules, firing_now)
        ]
        group.flushed = True
        group.next_flush = now + group.route.group_interval
        if not self._muted_by_time(group, now):
            receiver = self.routing.receivers[group.route.receiver]
            for integration in receiver.integrations:
                made = self._notification(group, integration, firing, resolved, now)
                if made is not None:
                    entry, record = made
                    logs.append(record)
                    if entry is not None:
                        entries.append(entry)
        group.drop_resolved({a.fingerprint for a in resolved})
        if not group.alerts:
            del self.groups[group.key]

    def _notification(
        self,
        group: Group,
        integration: Integration,
        firing: list[Alert],
        resolved: list[Alert],
        now: datetime,
    ) -> tuple[Entry | None, Record] | None:
        firing_fps = {a.fingerprint for a in firing}
        resolved_fps = {a.fingerprint for a in resolved}
        send_resolved = integration.config.send_resolved
        key = nflog.log_key(group.key, integration.id)
        entry = self.notified.get(key)
        if not nflog.needs_update(
            entry,
            firing_fps,
            resolved_fps,
            send_resolved=send_resolved,
            repeat=group.route.repeat_interval,
            now=now,
        ):
            return None
        record = nflog.entry_record(group.key, integration.id, firing_fps, resolved_fps, now)
        self.notified[key] = nflog.NflogEntry(now, frozenset(firing_fps), frozenset(resolved_fps))
        shown_resolved = tuple(resolved) if send_resolved else ()
        if not firing and not shown_resolved:
            return None, record  # all resolved, and this channel does not want to hear it
        note = Notification(
            receiver=integration.receiver,
            group_key=group.key,
            group_labels=group.labels,
            firing=tuple(firing),
            resolved=shown_resolved,
            external_url=self.config.external_url,
            language=self.config.language.value,
            now=now,
        )
        payload = self._build(integration, note)
        out = Entry(
            id=outbox.notification_id(integration.id, group.key, firing_fps, resolved_fps, now),
            integration=integration.id,
            receiver=integration.receiver,
            target=integration.channel.target(integration.config),
            group_key=group.key,
            status=note.status,
            firing=len(note.firing),
            resolved=len(note.resolved),
            queued_at=now,
            payload=payload,
        )
        return out, record

    def _build(self, integration: Integration, note: Notification) -> Payload:
        channel, config = integration.channel, integration.config
        try:
            return channel.build(note, config, self.renderer)
        except TemplateError as exc:
            # a receiver's own template failed at render time: deliver with the default one, loudly
            log.error("%s; %s uses the default template for this message", exc, integration.id)
            plain = config.model_copy(update=dict.fromkeys(("message", "template", "title", "text", "html")))
            return channel.build(note, plain, self.renderer)


def routing_path(config: NotifyConfig) -> Path | None:
    return Path(config.alertmanager_config).expanduser() if config.alertmanager_config else None


def build_pipeline(settings: Settings, store: Store, *, rng: random.Random | None = None) -> NotifyPipeline:
    """The pipeline ``settings.tianyan.notify`` describes. Without ``alertmanager_config`` alerts are
    accepted and nothing is delivered (a warning says so)."""
    config = settings.tianyan.notify
    path = routing_path(config)
    routing = load_routing(path) if path is not None else None
    if routing is None:
        log.warning("tianyan.notify.alertmanager_config is not set: alerts are not delivered")
    else:
        for note in routing.notes:
            log.warning("%s: %s", path, note)
    return NotifyPipeline(routing, store, config, rng=rng)
