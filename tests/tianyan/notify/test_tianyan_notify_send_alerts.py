"""`tianyan.notify.send_alerts`: the one call other tools use, with the same de-duplication."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tianyan_notify_testkit import T0, alert, resolved, s

from hucheng.config import Settings
from hucheng.store import Store
from tianyan.notify import send_alerts


def test_send_alerts_routes_dedups_and_resolves(tmp_path: Path, store: Store, vendor: Any) -> None:
    hook = vendor("webhook")
    (tmp_path / "am.yml").write_text(
        f'route:\n  receiver: ci\nreceivers:\n  - name: ci\n    webhook_configs: [{{url: "{hook.url()}"}}]\n'
    )
    settings = Settings.model_validate(
        {"home": str(tmp_path), "tianyan": {"notify": {"alertmanager_config": str(tmp_path / "am.yml")}}}
    )
    failed = alert("PipelineFailed", pipeline="deploy", step="test")
    assert send_alerts([failed], settings=settings, store=store, now=T0).sent == 1
    # lego reports the same failure again on its next run: not notified twice
    assert send_alerts([failed], settings=settings, store=store, now=T0 + s(60)).results == ()
    summary = send_alerts([resolved(failed, T0 + s(120))], settings=settings, store=store, now=T0 + s(120))
    assert summary.sent == 1
    assert [b.body["status"] for b in hook.received] == ["firing", "resolved"]


def test_without_routing_nothing_is_sent(tmp_path: Path, store: Store) -> None:
    settings = Settings.model_validate({"home": str(tmp_path)})
    summary = send_alerts([alert("X")], settings=settings, store=store, now=T0)
    assert (summary.queued, summary.results) == (0, ())
