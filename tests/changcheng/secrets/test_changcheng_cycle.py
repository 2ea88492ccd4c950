"""changcheng's `hucheng run` runner: configured secrets scans, findings to the store, metrics."""

from __future__ import annotations

from pathlib import Path

from secret_samples import AWS_KEY_ID

from changcheng.cycle import run_cycle
from hucheng.config import load_config
from hucheng.cycle import ToolStatus
from hucheng.metrics import new_registry
from hucheng.store import Query, open_store


def settings_for(tmp_path: Path, extra: str = "") -> object:
    cfg = tmp_path / "h.yaml"
    cfg.write_text(f"home: {tmp_path / 'home'}\nchangcheng:\n  secrets:\n{extra}")
    return load_config(cfg, environ={}).settings


def test_configured_paths_are_scanned_recorded_and_counted(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.py").write_text(f'K = "{AWS_KEY_ID}"\n')
    settings = settings_for(tmp_path, f"    paths: [{tmp_path / 'src'}]\n")
    registry = new_registry()
    with open_store(f"sqlite:///{tmp_path / 'h.db'}") as store:
        outcome = run_cycle(settings, store, registry)  # type: ignore[arg-type]
        assert store.count(Query(kinds=("finding",))) == 1
    assert outcome.status is ToolStatus.FINDINGS
    assert "1 finding(s) (1 critical)" in outcome.detail
    assert "deps: not run: no advisory database" in outcome.detail
    value = registry.get_sample_value(
        "hucheng_changcheng_findings", {"scan": "secrets", "severity": "critical"}
    )
    assert value == 1.0


def test_nothing_configured_is_ok_and_says_what_did_not_run(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, "    redact: true\n")
    with open_store(f"sqlite:///{tmp_path / 'h.db'}") as store:
        outcome = run_cycle(settings, store, new_registry())  # type: ignore[arg-type]
    assert outcome.status is ToolStatus.OK
    assert outcome.detail.startswith("secrets: not run: no paths configured")
