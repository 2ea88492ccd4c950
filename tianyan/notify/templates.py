"""Message templates (Jinja2): defaults in Chinese and English, overrides per receiver, size limits.

A template sees ``receiver``, ``status``, ``alerts`` (the ones that fit), ``firing``, ``resolved``,
``total_firing``, ``total_resolved``, ``group_labels``, ``common_labels``, ``common_annotations``,
``external_url`` and ``language``; each alert has ``status``, ``labels``, ``annotations``,
``starts_at``, ``ends_at``, ``fingerprint``, ``generator_url``. Filters: ``ts`` (a time as
``2024-05-01 12:00:00 UTC``) and ``kv`` (a mapping as ``a=b, c=d``).

A message over a channel's limit keeps as many alerts as fit and ends with
"… and N more alerts" ("…… 另有 N 条告警未显示"), N being what was left out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2

from tianyan.errors import TemplateError
from tianyan.model import Alert
from tianyan.notify.notification import Notification

_TITLE = {
    "en": "[{{ status|upper }}{% if total_firing %}:{{ total_firing }}{% endif %}] "
    "{{ group_labels.values()|join(' ') or receiver }}",
    "zh": "{% if status == 'firing' %}[告警 {{ total_firing }} 条]{% else %}[已恢复]{% endif %} "
    "{{ group_labels.values()|join(' ') or receiver }}",
}

_MARKDOWN = {
    "en": """### {{ title }}
{% for a in alerts %}
**{{ '🔥 FIRING' if a.status == 'firing' else '✅ RESOLVED' }}: {{ a.labels.get('alertname', '') }}**
{%- if a.labels.get('severity') %} ({{ a.labels.severity }}){% endif %}

{% if a.annotations.get('summary') %}> {{ a.annotations.summary }}

{% endif %}{% if a.annotations.get('description') %}> {{ a.annotations.description }}

{% endif %}- labels: {{ a.labels|kv }}
- started: {{ a.starts_at|ts }}{% if a.status == 'resolved' %}, resolved: {{ a.ends_at|ts }}{% endif %}

{% endfor %}""",
    "zh": """### {{ title }}
{% for a in alerts %}
**{{ '🔥 告警' if a.status == 'firing' else '✅ 恢复' }}：{{ a.labels.get('alertname', '') }}**
{%- if a.labels.get('severity') %}（{{ a.labels.severity }}）{% endif %}

{% if a.annotations.get('summary') %}> {{ a.annotations.summary }}

{% endif %}{% if a.annotations.get('description') %}> {{ a.annotations.description }}

{% endif %}- 标签：{{ a.labels|kv }}
- 开始时间：{{ a.starts_at|ts }}{% if a.status == 'resolved' %}，恢复时间：{{ a.ends_at|ts }}{% endif %}

{% endfor %}""",
}

_TEXT = {
    "en": """{{ title }}
{% for a in alerts %}
[{{ a.status|upper }}] {{ a.labels.get('alertname', '') }} {{ a.annotations.get('summary', '') }}
  labels: {{ a.labels|kv }}
  started: {{ a.starts_at|ts }}{% if a.status == 'resolved' %}, resolved: {{ a.ends_at|ts }}{% endif %}
{% endfor %}""",
    "zh": """{{ title }}
{% for a in alerts %}
[{{ '告警' if a.status == 'firing' else '恢复' }}] {{ a.labels.get('alertname', '') }}
{{- ' ' }}{{ a.annotations.get('summary', '') }}
  标签：{{ a.labels|kv }}
  开始时间：{{ a.starts_at|ts }}{% if a.status == 'resolved' %}，恢复时间：{{ a.ends_at|ts }}{% endif %}
{% endfor %}""",
}

_HTML = {
    "en": """<h2>{{ title }}</h2>
{% for a in alerts %}<h3>{{ a.status|upper }}: {{ a.labels.get('alertname', '') }}</h3>
<p>{{ a.annotations.get('summary', '') }}</p>
<p>{{ a.annotations.get('description', '') }}</p>
<table>{% for k, v in a.labels.items() %}<tr><td>{{ k }}</td><td>{{ v }}</td></tr>{% endfor %}</table>
<p>started: {{ a.starts_at|ts }}{% if a.status == 'resolved' %}, resolved: {{ a.ends_at|ts }}{% endif %}</p>
{% endfor %}""",
    "zh": """<h2>{{ title }}</h2>
{% for a in alerts %}
<h3>{{ '告警' if a.status == 'firing' else '恢复' }}：{{ a.labels.get('alertname', '') }}</h3>
<p>{{ a.annotations.get('summary', '') }}</p>
<p>{{ a.annotations.get('description', '') }}</p>
<table>{% for k, v in a.labels.items() %}<tr><td>{{ k }}</td><td>{{ v }}</td></tr>{% endfor %}</table>
<p>开始时间：{{ a.starts_at|ts }}{% if a.status == 'resolved' %}，恢复时间：{{ a.ends_at|ts }}{% endif %}</p>
{% endfor %}""",
}

DEFAULTS: dict[str, dict[str, str]] = {"title": _TITLE, "markdown": _MARKDOWN, "text": _TEXT, "html": _HTML}

_MORE = {"en": "… and {n} more alerts", "zh": "…… 另有 {n} 条告警未显示"}
_MORE_HTML = {"en": "<p>… and {n} more alerts</p>", "zh": "<p>…… 另有 {n} 条告警未显示</p>"}


def _ts(value: datetime | None) -> str:
    if value is None:
        return "-"
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _kv(value: Mapping[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(value.items()))


def _error_line(exc: BaseException, name: str) -> int | None:
    """The template line of a runtime error: Jinja2 rewrites tracebacks to point into the template."""
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


@dataclass(frozen=True)
class TemplateSource:
    """A template's text and the name used in messages (a file path or ``receiver.key``)."""

    name: str
    text: str


class Renderer:
    """Compiles and renders templates; one per pipeline (it caches compiled templates)."""

    def __init__(self) -> None:
        self._text_env = self._env(autoescape=False)
        self._html_env = self._env(autoescape=True)
        self._cache: dict[tuple[str, str, bool], jinja2.Template] = {}

    @staticmethod
    def _env(*, autoescape: bool) -> jinja2.Environment:
        env = jinja2.Environment(autoescape=autoescape, keep_trailing_newline=False)
        env.filters["ts"] = _ts
        env.filters["kv"] = _kv
        return env

    def compile(self, source: TemplateSource, *, html: bool = False) -> jinja2.Template:
        key = (source.name, source.text, html)
        if key not in self._cache:
            env = self._html_env if html else self._text_env
            try:
                self._cache[key] = env.from_string(source.text)
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(
                    f"template {source.name}:{exc.lineno}: {exc.message}; fix the Jinja2 syntax"
                ) from exc
            self._cache[key].name = source.name
        return self._cache[key]

    def render(self, source: TemplateSource, context: Mapping[str, Any], *, html: bool = False) -> str:
        template = self.compile(source, html=html)
        try:
            return template.render(**context).strip() + "\n"
        except Exception as exc:  # a template may raise anything (a filter on a wrong type, ...)
            line = _error_line(exc, "<template>") or _error_line(exc, source.name)
            where = f"{source.name}:{line}" if line else source.name
            raise TemplateError(f"template {where}: {type(exc).__name__}: {exc}") from exc

    def fit(
        self,
        source: TemplateSource,
        notification: Notification,
        limit: int | None,
        *,
        html: bool = False,
        extra: Mapping[str, Any] | None = None,
        measure: Callable[[str], int] | None = None,
    ) -> str:
        """Render with as many alerts as fit in ``limit`` (UTF-8 bytes, or ``measure``), saying how
        many were left out."""
        size = measure or (lambda text: len(text.encode()))
        alerts = notification.alerts
        lang = notification.language

        def attempt(k: int) -> str:
            text = self.render(source, context(notification, alerts[:k], extra), html=html)
            omitted = len(alerts) - k
            if omitted:
                more = (_MORE_HTML if html else _MORE).get(lang, _MORE["en"]).format(n=omitted)
                text += ("\n" if not html else "") + more + "\n"
            return text

        full = attempt(len(alerts))
        if limit is None or size(full) <= limit:
            return full
        lo, hi = 0, len(alerts) - 1  # the largest k that fits, by bisection
        best = None
        while lo <= hi:
            mid = (lo + hi) // 2
            text = attempt(mid)
            if size(text) <= limit:
                best, lo = text, mid + 1
            else:
                hi = mid - 1
        if best is not None:
            return best
        text = attempt(0)
        while text and size(text) > limit - 3:  # even the header is too long: cut it
            text = text[: max(0, len(text) - max(1, (size(text) - limit) // 2 + 1))]
        return text + "…"


def alert_context(alert: Alert, resolved: bool) -> dict[str, Any]:
    return {
        "status": "resolved" if resolved else "firing",
        "labels": dict(alert.labels),
        "annotations": dict(alert.annotations),
        "starts_at": alert.starts_at,
        "ends_at": alert.ends_at,
        "fingerprint": alert.fingerprint,
        "generator_url": alert.generator_url,
        "value": alert.value,
    }


def context(
    notification: Notification, shown: tuple[Alert, ...], extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    resolved = {a.fingerprint for a in notification.resolved}
    alerts = [alert_context(a, a.fingerprint in resolved) for a in shown]
    ctx: dict[str, Any] = {
        "receiver": notification.receiver,
        "status": notification.status,
        "alerts": alerts,
        "firing": [a for a in alerts if a["status"] == "firing"],
        "resolved": [a for a in alerts if a["status"] == "resolved"],
        "total_firing": len(notification.firing),
        "total_resolved": len(notification.resolved),
        "group_labels": dict(notification.group_labels),
        "common_labels": notification.common_labels(),
        "common_annotations": notification.common_annotations(),
        "external_url": notification.external_url,
        "language": notification.language,
    }
    ctx.update(extra or {})
    return ctx


def default_source(kind: str, language: str) -> TemplateSource:
    texts = DEFAULTS[kind]
    lang = language if language in texts else "en"
    return TemplateSource(f"default-{kind}-{lang}", texts[lang])


def override_source(
    message: str | None, template: str | None, name: str, base_dir: Path | None
) -> TemplateSource | None:
    """A receiver's own template: inline ``message`` text, or a ``template`` file."""
    if message is not None:
        return TemplateSource(name, message)
    if template is not None:
        path = Path(template)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        try:
            return TemplateSource(str(path), path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise TemplateError(f"template {path}: cannot read: {exc.strerror}") from exc
    return None


def title_for(renderer: Renderer, notification: Notification, title: str | None = None) -> str:
    source = TemplateSource("title", title) if title else default_source("title", notification.language)
    return renderer.render(source, context(notification, notification.alerts)).strip()
