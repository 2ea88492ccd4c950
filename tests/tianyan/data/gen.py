"""Regenerates subset_test.yml from tianyan's evaluator; promtool must then agree (see the test).

Run from this directory: ../../../.venv/bin/python gen.py > subset_test.yml
"""

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import promql_parser as pp
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from tianyan.rules.alerts import AlertStates
from tianyan.rules.engine import LocalSource, evaluate
from tianyan.rules.evaluator import Evaluator
from tianyan.rules.promtest import _load_series
from tianyan.rules.rulefile import load_rule_file

series_def = [
    {"series": 'requests_total{job="api", instance="a", code="200"}', "values": "0+60x20"},
    {"series": 'requests_total{job="api", instance="b", code="200"}', "values": "0+30x10 0+30x9"},
    {"series": 'requests_total{job="api", instance="a", code="500"}', "values": "0+15x20"},
    {"series": 'requests_total{job="web", instance="c", code="200"}', "values": "100 _ 130 _x3 200+15x13"},
    {"series": 'requests_total{job="web", instance="c", code="500"}', "values": "0x20"},
    {
        "series": 'temperature{room="a"}',
        "values": "20 21 22 25 24 23 30 28 27 26 25 24 23 22 21 20 19 18 17 16 15",
    },
    {"series": 'temperature{room="b"}', "values": "10+1x5 stale 10x13"},
    {"series": 'team{job="api", team="pay"}', "values": "1x20"},
    {"series": 'team{job="web", team="shop"}', "values": "1x20"},
    {"series": 'up{job="api", instance="a"}', "values": "1x20"},
    {"series": 'up{job="web", instance="c"}', "values": "1 1 0 0 1x16"},
]
exprs = [
    ("rate(requests_total[5m])", "10m"),
    ("irate(requests_total[5m])", "10m"),
    ("increase(requests_total[3m])", "12m"),
    ("delta(temperature[5m])", "10m"),
    ('rate(requests_total{job="api", instance="b"}[5m])', "12m"),
    ("sum by (job) (rate(requests_total[5m]))", "15m"),
    ("sum without (instance, code) (rate(requests_total[5m]))", "15m"),
    ("avg(temperature)", "3m"),
    ("min by (room) (temperature) + max(temperature)", "4m"),
    ("count by (job) (up)", "4m"),
    ("topk(2, requests_total)", "9m"),
    ("bottomk(1, temperature)", "4m"),
    ("avg_over_time(temperature[5m])", "8m"),
    ("max_over_time(temperature[10m])", "12m"),
    ("min_over_time(temperature[10m])", "12m"),
    ('predict_linear(temperature{room="a"}[10m], 3600)', "20m"),
    ('absent(nonexistent{job="x", env=~"p.*"})', "5m"),
    ("absent(up)", "5m"),
    ('absent_over_time(nonexistent{job="y"}[5m])', "5m"),
    ("time()", "7m"),
    ("up == 0", "3m"),
    ("up == bool 0", "3m"),
    ("temperature > 22 < 28", "6m"),
    ("temperature offset 2m", "6m"),
    ("rate(requests_total[5m] offset 5m)", "15m"),
    ('requests_total{code!="200", job=~"a.*"}', "5m"),
    ('requests_total{job!~"a.*", code="200"}', "5m"),
    ("up * on(job) group_left(team) team", "5m"),
    ("team * on(job) group_right(team) up", "5m"),
    ("up and on(job) team", "5m"),
    ("up unless up == 0", "3m"),
    ("up == 0 or temperature", "3m"),
    (
        'sum by (job) (rate(requests_total{code=~"5.."}[5m]))'
        " / ignoring(code) sum by (job) (rate(requests_total[5m]))",
        "10m",
    ),
    ("-temperature + 2 * 3 ^ 2 - 10 % 3", "1m"),
    ("temperature / 0", "1m"),
    ("job:requests:rate5m", "10m"),
    ("temperature", "7m"),
    ("temperature", "12m"),
    ("vector(1) + scalar(sum(up))", "5m"),
    ("abs(delta(temperature[2m]))", "8m"),
    ("clamp_max(temperature, 21)", "2m"),
    ("sum(rate(requests_total[5m])) by (code)", "10m"),
    ("avg by (job) (up) < 1", "3m"),
]
doc = {"rule_files": ["subset_rules.yml"], "evaluation_interval": "1m", "tests": []}
test = {"interval": "1m", "input_series": series_def, "promql_expr_test": []}
series = _load_series(test, 60.0, "gen")
# add recorded series as promtool would have them: evaluate the record rule each minute

groups = load_rule_file(Path("subset_rules.yml"))
src = LocalSource(series)
states = AlertStates()
snap = {}
for step in range(21):
    out = evaluate(groups, src, states, datetime(1970, 1, 1, tzinfo=UTC) + timedelta(minutes=step))
    states = out.states
    snap[step] = states
ev = Evaluator(series)


def secs(d):
    return pp.parse_duration(d).total_seconds()


for e, t in exprs:
    v = ev.vector(pp.parse(e), secs(t))
    samples = []
    for lbl, val in v:
        d = dict(lbl)
        name = d.pop("__name__", "")
        text = name + "{" + ", ".join(f'{k}="{x}"' for k, x in sorted(d.items())) + "}"
        samples.append({"labels": text, "value": val})
    test["promql_expr_test"].append({"expr": e, "eval_time": t, "exp_samples": samples})
test["alert_rule_test"] = []
for m in (1, 2, 3, 5, 11, 12, 20):
    firing = [a for a in snap[m].firing()]
    test["alert_rule_test"].append(
        {
            "eval_time": f"{m}m",
            "alertname": "JobErrorsHigh",
            "exp_alerts": [
                {"exp_labels": {k: v for k, v in a.labels.items() if k != "alertname"}} for a in firing
            ],
        }
    )
doc["tests"].append(test)
print(yaml.safe_dump(doc, sort_keys=False, width=200))
