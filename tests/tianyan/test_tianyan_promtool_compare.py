"""tianyan's local evaluator and `rules test` against the real `promtool test rules` on the same files.

data/subset_test.yml holds 43 PromQL expressions over the local subset plus alert tests (generated
by data/gen.py from tianyan's answers); promtool (Prometheus' own engine) must agree with every one.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from realservers.binaries import require_binary

import cli
from tianyan.rules.promtest import run_test_file

DATA = Path(__file__).resolve().parent / "data"
CONFIGS = Path(__file__).resolve().parents[2] / "configs" / "tianyan"


def promtool(path: Path) -> subprocess.CompletedProcess[str]:
    binary = require_binary("promtool")
    return subprocess.run([binary, "test", "rules", str(path)], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    "path", [DATA / "subset_test.yml", CONFIGS / "rules_test.yml"], ids=["subset", "shipped"]
)
def test_promtool_and_tianyan_both_pass(path: Path) -> None:
    real = promtool(path)
    assert real.returncode == 0, real.stdout + real.stderr
    ours = run_test_file(path)
    assert ours.passed, [f.diff() for f in ours.failures]
    assert ours.checks >= 3


def test_a_wrong_expectation_fails_in_both_with_a_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(CONFIGS / "rules.yml", tmp_path / "rules.yml")
    text = (CONFIGS / "rules_test.yml").read_text()
    broken = tmp_path / "rules_test.yml"
    broken.write_text(
        text.replace('summary: "shop: 9.091% of requests fail"', 'summary: "shop: 9% of requests fail"')
    )
    assert promtool(broken).returncode == 1
    code = cli.main(["tianyan", "rules", "test", str(broken)])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAILED" in out
    assert "alertname: HighErrorRate, time: 10m" in out
    assert (
        '  - {alertname="HighErrorRate", job="shop", severity="page"} {summary="shop: 9% of requests fail"}'
        in out
    )
    assert (
        '  + {alertname="HighErrorRate", job="shop", severity="page"} '
        '{summary="shop: 9.091% of requests fail"}' in out
    )


def test_a_wrong_sample_value_fails_in_both(tmp_path: Path) -> None:
    shutil.copy(DATA / "subset_rules.yml", tmp_path / "subset_rules.yml")
    text = (DATA / "subset_test.yml").read_text()
    broken = tmp_path / "subset_test.yml"
    marker = "  - expr: time()\n    eval_time: 7m\n    exp_samples:\n    - labels: '{}'\n      value: 420.0\n"
    assert marker in text
    broken.write_text(text.replace(marker, marker.replace("420.0", "421.0")))
    assert promtool(broken).returncode == 1
    result = run_test_file(broken)
    assert not result.passed
    assert [f.what for f in result.failures] == ["expr: 'time()', time: 7m"]
    assert result.failures[0].diff() == ["expr: 'time()', time: 7m:", "  - {} 421", "  + {} 420"]
