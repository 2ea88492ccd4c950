"""alertmanager.yml loading: a realistic file loads, the tree matches as Alertmanager's does, and
wrong files get one line naming file:line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tianyan.errors import RoutingConfigError, TemplateError
from tianyan.notify.amconfig import load_routing

REPO = Path(__file__).resolve().parents[3]

#: an alertmanager.yml as people write them, with keys tianyan does not deliver to
REALISTIC = """\
global:
  resolve_timeout: 5m
  smtp_smarthost: 'smtp.example.org:587'
  smtp_from: 'alertmanager@example.org'
  smtp_auth_username: 'alertmanager'
  smtp_auth_password: 'password'
  slack_api_url: 'https://hooks.slack.com/services/T000/B000/XXXX'
  pagerduty_url: 'https://events.pagerduty.com/v2/enqueue'
  http_config:
    follow_redirects: true

templates:
  - '/etc/alertmanager/template/*.tmpl'

route:
  receiver: 'team-X-mails'
  group_by: ['alertname', 'cluster', 'service']
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 3h
  routes:
    - matchers:
        - service=~"foo1|foo2|baz"
      receiver: team-X-mails
      routes:
        - matchers:
            - severity="critical"
          receiver: team-X-pager
    - matchers:
        - service="files"
      receiver: team-Y-mails
      routes:
        - matchers:
            - severity="critical"
          receiver: team-Y-pager
    - match_re:
        service: ^(database|db)$
      receiver: team-DB-pager
      group_by: [alertname, cluster, database]
      continue: true
    - match:
        owner: team-Z
      receiver: team-Z-slack
      group_by: ['...']
      mute_time_intervals: [offhours]

inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [alertname, cluster, service]
  - source_match:
      alertname: NodeDown
    target_match_re:
      alertname: 'Node.+'
    equal: [instance]

time_intervals:
  - name: offhours
    time_intervals:
      - times:
          - start_time: '18:00'
            end_time: '24:00'
        weekdays: ['monday:friday']
        location: 'Asia/Shanghai'

receivers:
  - name: 'team-X-mails'
    email_configs:
      - to: 'team-X+alerts@example.org'
        headers:
          Subject: '{{ template "email.default.subject" . }}'
  - name: 'team-X-pager'
    email_configs:
      - to: 'team-X+alerts-critical@example.org'
    pagerduty_configs:
      - routing_key: <team-X-key>
  - name: 'team-Y-mails'
    email_configs:
      - to: 'team-Y+alerts@example.org'
  - name: 'team-Y-pager'
    pagerduty_configs:
      - routing_key: <team-Y-key>
  - name: 'team-DB-pager'
    webhook_configs:
      - url: 'http://127.0.0.1:5001/'
        send_resolved: true
        http_config:
          basic_auth: {username: u, password: p}
  - name: 'team-Z-slack'
    slack_configs:
      - channel: '#alerts'
        title: '{{ template "slack.default.title" . }}'
        text: '{{ range .Alerts }}{{ .Annotations.summary }}{{ end }}'
"""


def write(tmp_path: Path, text: str, name: str = "alertmanager.yml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_realistic_alertmanager_yml_loads_and_notes_what_is_ignored(tmp_path: Path) -> None:
    cfg = load_routing(write(tmp_path, REALISTIC))
    assert set(cfg.receivers) == {
        "team-X-mails", "team-X-pager", "team-Y-mails", "team-Y-pager", "team-DB-pager", "team-Z-slack"
    }  # fmt: skip
    notes = "\n".join(cfg.notes)
    assert "pagerduty_configs not supported by tianyan, ignored" in notes
    assert "templates: Go template files are not supported by tianyan, ignored" in notes
    assert "webhook_configs: http_config not supported by tianyan, ignored" in notes
    assert "Go template in title not supported by tianyan" in notes
    # a receiver with only unsupported channels is kept (routing still works) with no integrations
    assert cfg.receivers["team-Y-pager"].integrations == ()
    email = cfg.receivers["team-X-mails"].integrations[0].config
    assert email.smarthost == "smtp.example.org:587"  # type: ignore[attr-defined]
    assert email.from_ == "alertmanager@example.org"  # type: ignore[attr-defined]
    assert email.headers == {}  # type: ignore[attr-defined]  # the Go-template Subject was dropped
    slack = cfg.receivers["team-Z-slack"].integrations[0].config
    assert slack.api_url.startswith("https://hooks.slack.com/")  # type: ignore[attr-defined]


def test_the_route_tree_matches_like_alertmanager(tmp_path: Path) -> None:
    route = load_routing(write(tmp_path, REALISTIC)).route

    def receivers(**labels: str) -> list[str]:
        return [r.receiver for r in route.match(labels)]

    assert receivers(service="foo1", severity="critical") == ["team-X-pager"]
    assert receivers(service="foo2", severity="warning") == ["team-X-mails"]
    assert receivers(service="files", severity="critical") == ["team-Y-pager"]
    # continue: true on the database route lets the next sibling match too
    assert receivers(service="db", owner="team-Z") == ["team-DB-pager", "team-Z-slack"]
    assert receivers(service="database") == ["team-DB-pager"]
    assert receivers(service="other") == ["team-X-mails"]  # the root


def test_children_inherit_and_group_keys_look_like_alertmanagers(tmp_path: Path) -> None:
    route = load_routing(write(tmp_path, REALISTIC)).route
    labels = {"alertname": "HighLatency", "service": "foo1", "severity": "critical", "cluster": "c1"}
    (pager,) = route.match(labels)
    assert pager.group_wait == timedelta(seconds=30)
    assert pager.repeat_interval == timedelta(hours=3)
    assert pager.group_by == ("alertname", "cluster", "service")
    assert pager.key == '{}/{service=~"foo1|foo2|baz"}/{severity="critical"}'
    assert pager.group_key(labels) == (
        '{}/{service=~"foo1|foo2|baz"}/{severity="critical"}:'
        '{alertname="HighLatency", cluster="c1", service="foo1"}'
    )
    (z,) = route.match({"owner": "team-Z", "x": "1"})
    assert z.group_by is None  # '...': every label
    assert z.group_labels({"owner": "team-Z", "x": "1"}) == {"owner": "team-Z", "x": "1"}


def test_time_intervals_and_inhibit_rules_are_read(tmp_path: Path) -> None:
    cfg = load_routing(write(tmp_path, REALISTIC))
    off = cfg.time_intervals["offhours"]
    assert off.contains(datetime(2026, 11, 25, 11, 0, tzinfo=UTC))  # Wed 19:00 in Shanghai
    assert not off.contains(datetime(2026, 11, 25, 3, 0, tzinfo=UTC))  # Wed 11:00 in Shanghai
    assert not off.contains(datetime(2026, 11, 28, 11, 0, tzinfo=UTC))  # Saturday
    legacy = cfg.inhibit_rules[1]
    assert [str(m) for m in legacy.source] == ['alertname="NodeDown"']
    assert [str(m) for m in legacy.target] == ['alertname=~"Node.+"']


def test_the_shipped_example_loads(tmp_path: Path) -> None:
    cfg = load_routing(REPO / "configs" / "tianyan" / "alertmanager.yml", environ={})
    assert {"ops-dingtalk", "pay-oncall", "web-wecom", "ops-email"} <= set(cfg.receivers)
    assert cfg.notes == ()


def test_an_unknown_receiver_names_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "route:\n  receiver: a\n  routes:\n    - matchers: ['x=\"1\"']\n      receiver: nobody\n"
        "receivers:\n  - name: a\n",
    )
    with pytest.raises(RoutingConfigError) as err:
        load_routing(path)
    assert str(err.value) == (f"{path}:5:7: route.routes[0].receiver: unknown receiver 'nobody'; known: a")


def test_a_bad_matcher_names_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "route:\n  receiver: a\n  routes:\n    - matchers: ['service']\n"
        "      receiver: a\nreceivers:\n  - name: a\n",
    )
    with pytest.raises(
        RoutingConfigError, match=r"alertmanager.yml:4:\d+: route.routes\[0\].matchers\[0\]: bad matcher"
    ):
        load_routing(path)


def test_an_unknown_key_suggests_the_close_one(tmp_path: Path) -> None:
    path = write(tmp_path, "route:\n  receiver: a\n  group_wiat: 10s\nreceivers:\n  - name: a\n")
    with pytest.raises(
        RoutingConfigError, match=r":3:3: route.group_wiat: unknown key; did you mean 'group_wait'\?"
    ):
        load_routing(path)


def test_a_bad_duration_and_an_unknown_time_interval(tmp_path: Path) -> None:
    path = write(tmp_path, "route:\n  receiver: a\n  group_wait: soon\nreceivers:\n  - name: a\n")
    with pytest.raises(RoutingConfigError, match=r"route\.group_wait: 'soon' is not a duration"):
        load_routing(path)
    path = write(
        tmp_path, "route:\n  receiver: a\n  mute_time_intervals: [nights]\nreceivers:\n  - name: a\n"
    )
    with pytest.raises(RoutingConfigError, match="unknown time interval 'nights'"):
        load_routing(path)


def test_a_bad_template_names_the_template_and_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "route:\n  receiver: a\nreceivers:\n  - name: a\n    dingtalk_configs:\n"
        "      - url: http://127.0.0.1:1/robot/send?access_token=x\n"
        "        message: |\n          line one\n          {{ alerts | length }\n",
    )
    with pytest.raises(TemplateError) as err:
        load_routing(path)
    message = str(err.value)
    assert "receivers[0].dingtalk_configs[0].message" in message
    assert ":2:" in message  # the template's own line 2


def test_a_template_file_that_is_broken(tmp_path: Path) -> None:
    (tmp_path / "ding.j2").write_text("ok\n{% for a in alerts %}\n{{ a.labels }}\n")
    path = write(
        tmp_path,
        "route:\n  receiver: a\nreceivers:\n  - name: a\n    dingtalk_configs:\n"
        "      - url: http://127.0.0.1:1/robot/send?access_token=x\n        template: ding.j2\n",
    )
    with pytest.raises(TemplateError, match=r"ding.j2:\d+: .*endfor"):
        load_routing(path)


def test_broken_yaml_and_missing_env_vars(tmp_path: Path) -> None:
    with pytest.raises(RoutingConfigError, match=r"alertmanager.yml:\d+:\d+: YAML syntax error"):
        load_routing(write(tmp_path, "route:\n  receiver: [a\n"))
    path = write(
        tmp_path,
        "route:\n  receiver: a\nreceivers:\n  - name: a\n    webhook_configs:\n      - url: ${HOOK_URL}\n",
    )
    with pytest.raises(RoutingConfigError, match="environment variable HOOK_URL is not set"):
        load_routing(path, environ={})
    cfg = load_routing(path, environ={"HOOK_URL": "http://127.0.0.1:9/x"})
    assert cfg.receivers["a"].integrations[0].config.url == "http://127.0.0.1:9/x"  # type: ignore[attr-defined]


def test_a_channel_config_missing_its_url(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "route:\n  receiver: a\nreceivers:\n  - name: a\n    wecom_configs:\n      - msg_type: text\n",
    )
    with pytest.raises(RoutingConfigError, match=r"receivers\[0\].wecom_configs\[0\]: Field required"):
        load_routing(path)


def test_route_keys_sort_matchers_as_alertmanager_does(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "route:\n  receiver: a\n  routes:\n    - matchers: ['team=\"web\"', 'env=~\"prod|stage\"']\n"
        "      match: {app: shop}\n      receiver: a\nreceivers:\n  - name: a\n",
    )
    (child,) = load_routing(path).route.routes
    assert child.key == '{}/{app="shop",env=~"prod|stage",team="web"}'
