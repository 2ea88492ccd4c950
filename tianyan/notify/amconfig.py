"""Load routing config in Alertmanager's own format (alertmanager.yml) into typed values.

A user's existing alertmanager.yml loads: ``webhook_configs``, ``email_configs`` and ``slack_configs``
keep their meaning; ``dingtalk_configs``, ``wecom_configs``, ``feishu_configs`` and
``alertmanager_configs`` are tianyan's additions. Receivers tianyan cannot deliver to
(``pagerduty_configs``, ...), channel keys it does not use (``http_config``, ...), Go templates
(``templates:``, ``{{ template "slack.default.text" . }}``) are accepted and listed in
:attr:`RoutingConfig.notes` ("not supported by tianyan, ignored"). Anything else that is wrong (an
unknown key, an unknown receiver or time interval, a bad matcher, duration or template) is a
:class:`RoutingConfigError` or :class:`TemplateError` naming file:line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hucheng.config.interpolate import MissingVariable, interpolate
from hucheng.config.yamlfile import KeyPath, Located, read_yaml
from hucheng.durations import parse_duration
from hucheng.errors import ConfigError
from tianyan.errors import RoutingConfigError
from tianyan.notify.channels import CHANNELS, UNSUPPORTED_KEYS, Channel, ChannelConfig
from tianyan.notify.matchers import Matcher, MatcherSyntaxError, MatchOp, parse_matchers
from tianyan.notify.route import Route, child_key
from tianyan.notify.templates import Renderer, TemplateSource
from tianyan.notify.timeintervals import TimeInterval, TimeIntervalError, parse_interval

TOP_KEYS = {
    "global",
    "route",
    "receivers",
    "inhibit_rules",
    "templates",
    "time_intervals",
    "mute_time_intervals",
    "tracing",
}
ROUTE_KEYS = {
    "receiver",
    "group_by",
    "continue",
    "matchers",
    "match",
    "match_re",
    "group_wait",
    "group_interval",
    "repeat_interval",
    "mute_time_intervals",
    "active_time_intervals",
    "routes",
}
INHIBIT_KEYS = {
    "source_matchers",
    "target_matchers",
    "source_match",
    "source_match_re",
    "target_match",
    "target_match_re",
    "equal",
}
DEFAULT_TIMERS = {"group_wait": "30s", "group_interval": "5m", "repeat_interval": "4h"}
_GO_TEMPLATE = re.compile(r"\{\{-?\s*(template\s|\.|range\s|if\s|with\s|end\b|define\s|\$)")
_TEMPLATE_FIELDS = ("message", "title", "text", "html")


@dataclass(frozen=True)
class Integration:
    """One entry of a receiver's ``*_configs`` list."""

    receiver: str
    config_key: str
    index: int
    config: ChannelConfig

    @property
    def channel(self) -> Channel:
        return CHANNELS[self.config_key]

    @property
    def id(self) -> str:
        return f"{self.receiver}/{self.channel.name}/{self.index}"


@dataclass(frozen=True)
class Receiver:
    name: str
    integrations: tuple[Integration, ...]


@dataclass(frozen=True)
class InhibitRule:
    source: tuple[Matcher, ...]
    target: tuple[Matcher, ...]
    equal: tuple[str, ...]


@dataclass(frozen=True)
class RoutingConfig:
    route: Route
    receivers: Mapping[str, Receiver]
    inhibit_rules: tuple[InhibitRule, ...] = ()
    time_intervals: Mapping[str, TimeInterval] = field(default_factory=dict)
    resolve_timeout: timedelta = timedelta(minutes=5)
    path: Path | None = None
    #: what was accepted but is not used, one line each
    notes: tuple[str, ...] = ()

    def integration(self, integration_id: str) -> Integration | None:
        receiver = self.receivers.get(integration_id.split("/", 1)[0])
        if receiver is None:
            return None
        return next((i for i in receiver.integrations if i.id == integration_id), None)


def load_routing(path: Path, environ: Mapping[str, str] | None = None) -> RoutingConfig:
    """Load ``path``; ``${VAR}`` and ``${VAR:-default}`` are taken from ``environ`` (os.environ)."""
    import os

    try:
        data, positions = read_yaml(path)
    except ConfigError as exc:
        raise RoutingConfigError(exc.message.replace("config file", "routing config file")) from exc
    parser = _Parser(path, positions)
    try:
        data = interpolate(data, os.environ if environ is None else environ, lambda _: None)
    except MissingVariable as exc:
        raise parser.fail(
            exc.path,
            f"environment variable {exc.name} is not set (set it, or write ${{{exc.name}:-default}})",
        ) from exc
    return parser.parse(data)


class _Parser:
    def __init__(self, path: Path | None, positions: Mapping[KeyPath, Located]) -> None:
        self.path = path
        self.positions = positions
        self.notes: list[str] = []
        self.renderer = Renderer()

    def where(self, key_path: KeyPath) -> str:
        dotted = ""
        for part in key_path:
            dotted += f"[{part}]" if isinstance(part, int) else (f".{part}" if dotted else str(part))
        loc = self.positions.get(key_path)
        name = str(self.path) if self.path else "routing config"
        return f"{name}:{loc.key.line}:{loc.key.column}: {dotted}" if loc else f"{name}: {dotted}"

    def fail(self, key_path: KeyPath, message: str) -> RoutingConfigError:
        return RoutingConfigError(f"{self.where(key_path)}: {message}")

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def mapping(self, value: Any, key_path: KeyPath) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(key_path, f"expected a mapping, got {type(value).__name__}")
        return value

    def check_keys(self, data: Mapping[str, Any], known: set[str], key_path: KeyPath) -> None:
        import difflib

        for key in data:
            if key not in known:
                close = difflib.get_close_matches(str(key), sorted(known), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(sorted(known))}"
                raise self.fail((*key_path, key), f"unknown key{hint}")

    def parse(self, data: Any) -> RoutingConfig:
        top = self.mapping(data, ())
        self.check_keys(top, TOP_KEYS, ())
        if "route" not in top:
            raise RoutingConfigError(
                f"{self.path or 'routing config'}: no `route:`; add a root route with a receiver"
            )
        globals_ = self.mapping(top.get("global"), ("global",))
        if top.get("templates"):
            self.note(
                "templates: Go template files are not supported by tianyan, ignored "
                "(write Jinja2 in a receiver's message: or template:)"
            )
        if "tracing" in top:
            self.note("tracing: not supported by tianyan, ignored")
        intervals = self.time_intervals(top)
        receivers = self.receivers(top.get("receivers"), globals_)
        route = self.route(self.mapping(top["route"], ("route",)), ("route",), None, receivers, intervals)
        if route.matchers:
            raise self.fail(("route", "matchers"), "the root route must not have matchers")
        resolve = self.duration(globals_.get("resolve_timeout", "5m"), ("global", "resolve_timeout"))
        rules = tuple(
            self.inhibit(r, ("inhibit_rules", i)) for i, r in enumerate(top.get("inhibit_rules") or [])
        )
        return RoutingConfig(route, receivers, rules, intervals, resolve, self.path, tuple(self.notes))

    def duration(self, value: Any, key_path: KeyPath) -> timedelta:
        try:
            return parse_duration(str(value))
        except ValueError as exc:
            raise self.fail(key_path, str(exc)) from exc

    def matchers(self, raw: Mapping[str, Any], key_path: KeyPath, prefix: str = "") -> tuple[Matcher, ...]:
        out: list[Matcher] = []
        listed = raw.get(f"{prefix}matchers") or []
        if not isinstance(listed, list):
            raise self.fail(
                (*key_path, f"{prefix}matchers"), "expected a list of matchers like 'service=\"pay\"'"
            )
        try:
            for i, text in enumerate(listed):
                try:
                    out.extend(parse_matchers(str(text)))
                except MatcherSyntaxError as exc:
                    raise self.fail((*key_path, f"{prefix}matchers", i), f"bad matcher: {exc}") from exc
            for op, key in ((MatchOp.EQ, f"{prefix}match"), (MatchOp.RE, f"{prefix}match_re")):
                for name, value in self.mapping(raw.get(key), (*key_path, key)).items():
                    try:
                        out.append(Matcher(str(name), op, str(value)))
                    except MatcherSyntaxError as exc:
                        raise self.fail((*key_path, key, name), f"bad matcher: {exc}") from exc
        except RoutingConfigError:
            raise
        return tuple(out)

    def time_intervals(self, top: Mapping[str, Any]) -> dict[str, TimeInterval]:
        out: dict[str, TimeInterval] = {}
        for section in ("time_intervals", "mute_time_intervals"):
            for i, item in enumerate(top.get(section) or []):
                kp: KeyPath = (section, i)
                item = self.mapping(item, kp)
                self.check_keys(item, {"name", "time_intervals"}, kp)
                name = str(item.get("name") or "")
                if not name:
                    raise self.fail(kp, "a time interval needs a name")
                parsed = []
                for j, raw in enumerate(item.get("time_intervals") or []):
                    try:
                        parsed.append(parse_interval(self.mapping(raw, (*kp, "time_intervals", j))))
                    except TimeIntervalError as exc:
                        raise self.fail((*kp, "time_intervals", j), str(exc)) from exc
                out[name] = TimeInterval(name, tuple(parsed))
        return out

    def route(
        self,
        raw: dict[str, Any],
        kp: KeyPath,
        parent: Route | None,
        receivers: Mapping[str, Receiver],
        intervals: Mapping[str, TimeInterval],
    ) -> Route:
        self.check_keys(raw, ROUTE_KEYS, kp)
        receiver = raw.get("receiver", parent.receiver if parent else None)
        if not receiver:
            raise self.fail(kp, "the root route needs a receiver")
        if receiver not in receivers:
            known = ", ".join(sorted(receivers)) or "(none)"
            raise self.fail(
                (*kp, "receiver") if "receiver" in raw else kp,
                f"unknown receiver {receiver!r}; known: {known}",
            )
        group_by: tuple[str, ...] | None
        if "group_by" in raw:
            by = [str(n) for n in raw["group_by"] or []]
            group_by = None if "..." in by else tuple(by)
        else:
            group_by = parent.group_by if parent else ()
        timers = {
            name: self.duration(raw[name], (*kp, name))
            if name in raw
            else (getattr(parent, name) if parent else parse_duration(default))
            for name, default in DEFAULT_TIMERS.items()
        }
        names: dict[str, tuple[str, ...]] = {}
        for key in ("mute_time_intervals", "active_time_intervals"):
            listed = tuple(str(n) for n in raw.get(key) or [])
            for i, name in enumerate(listed):
                if name not in intervals:
                    raise self.fail(
                        (*kp, key, i), f"unknown time interval {name!r}; define it under time_intervals:"
                    )
            names[key] = listed if key in raw else (getattr(parent, key) if parent else ())
        matchers = self.matchers(raw, kp)
        key = child_key(parent.key, matchers) if parent else "{}"
        loc = self.positions.get(kp)
        node = Route(
            receiver=str(receiver),
            matchers=matchers,
            group_by=group_by,
            group_wait=timers["group_wait"],
            group_interval=timers["group_interval"],
            repeat_interval=timers["repeat_interval"],
            continue_=bool(raw.get("continue", False)),
            mute_time_intervals=names["mute_time_intervals"],
            active_time_intervals=names["active_time_intervals"],
            routes=(),
            key=key,
            where=f"{self.path}:{loc.key.line}" if loc and self.path else "",
        )
        children = tuple(
            self.route(self.mapping(c, (*kp, "routes", i)), (*kp, "routes", i), node, receivers, intervals)
            for i, c in enumerate(raw.get("routes") or [])
        )
        from dataclasses import replace

        return replace(node, routes=children)

    def receivers(self, raw: Any, globals_: Mapping[str, Any]) -> dict[str, Receiver]:
        out: dict[str, Receiver] = {}
        if raw is not None and not isinstance(raw, list):
            raise self.fail(("receivers",), "expected a list of receivers")
        for i, item in enumerate(raw or []):
            kp: KeyPath = ("receivers", i)
            item = self.mapping(item, kp)
            name = str(item.get("name") or "")
            if not name:
                raise self.fail(kp, "a receiver needs a name")
            if name in out:
                raise self.fail((*kp, "name"), f"receiver {name!r} is defined twice")
            integrations: list[Integration] = []
            for key, entries in item.items():
                if key == "name":
                    continue
                if key in UNSUPPORTED_KEYS:
                    self.note(f"receivers: {key} not supported by tianyan, ignored (receiver {name!r})")
                    continue
                if key not in CHANNELS:
                    self.check_keys({key: None}, {"name", *CHANNELS, *UNSUPPORTED_KEYS}, kp)
                if not isinstance(entries, list):
                    raise self.fail((*kp, key), "expected a list")
                for j, entry in enumerate(entries):
                    config = self.channel_config(
                        CHANNELS[key], self.mapping(entry, (*kp, key, j)), (*kp, key, j), globals_
                    )
                    integrations.append(Integration(name, key, j, config))
            out[name] = Receiver(name, tuple(integrations))
        return out

    def channel_config(
        self, channel: Channel, raw: dict[str, Any], kp: KeyPath, globals_: Mapping[str, Any]
    ) -> ChannelConfig:
        data = channel.apply_globals(dict(raw), globals_)
        for key in list(data):
            if key in channel.ignored_keys:
                self.note(f"{channel.config_key}: {key} not supported by tianyan, ignored")
                data.pop(key)
            elif key in _TEMPLATE_FIELDS and isinstance(data[key], str) and _GO_TEMPLATE.search(data[key]):
                self.note(
                    f"{channel.config_key}: Go template in {key} not supported by tianyan, "
                    "ignored (the default message is used; write Jinja2 in message:)"
                )
                data.pop(key)
        headers = data.get("headers")
        if isinstance(headers, dict):
            data["headers"] = {k: v for k, v in headers.items() if not _GO_TEMPLATE.search(str(v))}
        if isinstance(data.get("template"), str) and self.path is not None:
            data["template"] = str((self.path.parent / data["template"]).resolve())
        try:
            config = channel.config_model.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = tuple(first["loc"])
            bad: str | int | None = "from" if loc and loc[0] == "from_" else (loc[0] if loc else None)
            where = (*kp, bad) if bad is not None and (*kp, bad) in self.positions else kp
            raise self.fail(where, f"{first['msg']}") from exc
        self.check_templates(config, kp)
        return config

    def check_templates(self, config: ChannelConfig, kp: KeyPath) -> None:
        from tianyan.notify.templates import override_source

        for key in _TEMPLATE_FIELDS:
            text = getattr(config, key, None)
            if isinstance(text, str):
                self.renderer.compile(TemplateSource(f"{self.where((*kp, key))}", text), html=key == "html")
        own = override_source(None, config.template, "", None)
        if own is not None:
            self.renderer.compile(own)

    def inhibit(self, raw: Any, kp: KeyPath) -> InhibitRule:
        rule = self.mapping(raw, kp)
        self.check_keys(rule, INHIBIT_KEYS, kp)
        equal = tuple(str(n) for n in rule.get("equal") or [])
        return InhibitRule(self.matchers(rule, kp, "source_"), self.matchers(rule, kp, "target_"), equal)
