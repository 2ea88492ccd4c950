"""Each channel against a local endpoint that checks what the vendor documents (signature, body
shape, size limit) and rejects what is wrong, so these tests fail when tianyan gets it wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tianyan_notify_testkit import T0, alert, pipeline, routing

from hucheng.store import Store


def one_receiver(tmp_path: Path, key: str, body: str) -> Any:
    text = (
        f"route:\n  receiver: r\n  group_by: [alertname]\n"
        f"receivers:\n  - name: r\n    {key}:\n      - {body}\n"
    )
    return routing(tmp_path, text)


def many(n: int, name: str = "DiskFull") -> list[Any]:
    return [alert(name, instance=f"host-{i:04d}.example.org", severity="critical") for i in range(n)]


def send(tmp_path: Path, store: Store, key: str, body: str, alerts: list[Any], **config: Any) -> Any:
    p = pipeline(one_receiver(tmp_path, key, body), store, **config)
    p.process(alerts, T0)
    return p.flush(T0)


def test_dingtalk_signed_markdown_with_mentions(tmp_path: Path, store: Store, vendor: Any) -> None:
    robot = vendor("dingtalk", secret="SECabc123")
    url = robot.url("/robot/send?access_token=tok")
    summary = send(
        tmp_path,
        store,
        "dingtalk_configs",
        f'{{url: "{url}", secret: SECabc123, at_mobiles: ["13800000000"]}}',
        many(2),
    )
    assert summary.sent == 1, summary
    (got,) = robot.received
    assert got.verdict == "ok"
    assert set(got.query) == {"access_token", "timestamp", "sign"}
    assert got.body["msgtype"] == "markdown"
    assert got.body["at"] == {"atMobiles": ["13800000000"], "atUserIds": [], "isAtAll": False}
    assert "@13800000000" in got.body["markdown"]["text"]
    assert "DiskFull" in got.body["markdown"]["title"]


def test_dingtalk_wrong_secret_is_a_failure_kept_for_retry(tmp_path: Path, store: Store, vendor: Any) -> None:
    robot = vendor("dingtalk", secret="the-right-one")
    url = robot.url("/robot/send?access_token=tok")
    summary = send(tmp_path, store, "dingtalk_configs", f'{{url: "{url}", secret: wrong}}', many(1))
    assert (summary.sent, summary.failed) == (0, 1)
    assert "errcode 310000: sign not match" in summary.results[0].error
    assert "tok" not in summary.results[0].error  # the token is not written anywhere


def test_dingtalk_body_is_cut_to_20000_bytes_saying_how_many_were_left_out(
    tmp_path: Path, store: Store, vendor: Any
) -> None:
    robot = vendor("dingtalk")
    url = robot.url("/robot/send?access_token=tok")
    summary = send(tmp_path, store, "dingtalk_configs", f'{{url: "{url}"}}', many(300), language="zh")
    assert summary.sent == 1
    (got,) = robot.received
    assert got.verdict == "ok" and len(got.raw) <= 20_000
    text = got.body["markdown"]["text"]
    shown = text.count("告警：DiskFull")
    assert 0 < shown < 300
    assert f"…… 另有 {300 - shown} 条告警未显示" in text


@pytest.mark.parametrize(("msg_type", "limit"), [("markdown", 4096), ("text", 2048)])
def test_wecom_content_limits(tmp_path: Path, store: Store, vendor: Any, msg_type: str, limit: int) -> None:
    robot = vendor("wecom")
    url = robot.url("/cgi-bin/webhook/send?key=k")
    body = f'{{url: "{url}", msg_type: {msg_type}, mentioned_list: [zhangsan]}}'
    assert send(tmp_path, store, "wecom_configs", body, many(80)).sent == 1
    (got,) = robot.received
    assert got.verdict == "ok"
    content = got.body[msg_type]["content"]
    assert len(content.encode()) <= limit
    shown = content.count("started: ")  # one line per alert shown
    assert f"… and {80 - shown} more alerts" in content
    if msg_type == "text":
        assert got.body["text"]["mentioned_list"] == ["zhangsan"]
    else:
        assert "<@zhangsan>" in content


def test_the_wecom_fake_rejects_an_oversized_message() -> None:
    from tianyan_vendor_fakes import VendorState, wecom_check

    verdict, answer = wecom_check(
        VendorState("wecom"), {"key": "k"}, {"msgtype": "text", "text": {"content": "x" * 2049}}, b""
    )
    assert (verdict, answer["errcode"]) == ("too long", 40058)


@pytest.mark.parametrize("msg_type", ["interactive", "text"])
def test_feishu_signed_in_the_body(tmp_path: Path, store: Store, vendor: Any, msg_type: str) -> None:
    bot = vendor("feishu", secret="fs-secret")
    url = bot.url("/open-apis/bot/v2/hook/abcdef")
    summary = send(
        tmp_path,
        store,
        "feishu_configs",
        f'{{url: "{url}", secret: fs-secret, msg_type: {msg_type}}}',
        many(3),
    )
    assert summary.sent == 1, summary
    (got,) = bot.received
    assert got.verdict == "ok"
    assert got.body["msg_type"] == msg_type
    assert str(got.body["timestamp"]).isdigit() and len(str(got.body["timestamp"])) == 10  # seconds


def test_feishu_wrong_secret_fails(tmp_path: Path, store: Store, vendor: Any) -> None:
    bot = vendor("feishu", secret="fs-secret")
    url = bot.url("/open-apis/bot/v2/hook/abcdef")
    summary = send(tmp_path, store, "feishu_configs", f'{{url: "{url}", secret: nope}}', many(1))
    assert summary.failed == 1
    assert "code 19021" in summary.results[0].error


def test_slack_incoming_webhook(tmp_path: Path, store: Store, vendor: Any) -> None:
    hook = vendor("slack")
    summary = send(
        tmp_path,
        store,
        "slack_configs",
        f'{{api_url: "{hook.url("/services/T/B/X")}", channel: "#ops"}}',
        many(2),
    )
    assert summary.sent == 1
    (got,) = hook.received
    assert got.body["channel"] == "#ops"
    assert got.body["attachments"][0]["color"] == "danger"
    assert "host-0001.example.org" in got.body["attachments"][0]["text"]


def test_a_receivers_own_template_in_english_and_chinese_defaults(
    tmp_path: Path, store: Store, vendor: Any
) -> None:
    robot = vendor("wecom")
    url = robot.url("/send?key=k")
    body = (
        f'{{url: "{url}", msg_type: text, message: "{{{{ alerts|length }}}} alerts for {{{{ receiver }}}}"}}'
    )
    assert send(tmp_path, store, "wecom_configs", body, many(4)).sent == 1
    assert robot.received[0].body["text"]["content"].strip() == "4 alerts for r"


def test_webhook_max_alerts_counts_truncated(tmp_path: Path, store: Store, vendor: Any) -> None:
    hook = vendor("webhook")
    assert (
        send(tmp_path, store, "webhook_configs", f'{{url: "{hook.url()}", max_alerts: 2}}', many(5)).sent == 1
    )
    body = hook.received[0].body
    assert (len(body["alerts"]), body["truncatedAlerts"]) == (2, 3)


def test_a_template_that_fails_while_rendering_falls_back_to_the_default(
    tmp_path: Path, store: Store, vendor: Any, caplog: pytest.LogCaptureFixture
) -> None:
    robot = vendor("wecom")
    url = robot.url("/send?key=k")
    body = f'{{url: "{url}", msg_type: text, message: "{{{{ alerts | map(attribute=\'labels\') | sum }}}}"}}'
    assert send(tmp_path, store, "wecom_configs", body, many(1)).sent == 1
    assert "DiskFull" in robot.received[0].body["text"]["content"]  # the default template's text
    (record,) = [r for r in caplog.records if r.levelname == "ERROR"]
    assert "r/wecom/0 uses the default template" in record.getMessage()
    assert "TypeError" in record.getMessage()


def test_slack_over_one_a_second_batches_attachments(tmp_path: Path, store: Store, vendor: Any) -> None:
    hook = vendor("slack")
    cfg = routing(
        tmp_path,
        "route:\n  receiver: r\n  group_by: [instance]\nreceivers:\n  - name: r\n"
        f'    slack_configs: [{{api_url: "{hook.url("/services/T/B/X")}"}}]\n',
    )
    p = pipeline(cfg, store)
    p.process(many(70), T0)
    summary = p.flush(T0)
    assert (summary.sent, summary.deferred) == (70, 0)
    assert len(hook.received) == 60
    (batch,) = [r.body for r in hook.received if "(+" in r.body["text"]]
    assert batch["text"].endswith("(+10)") and len(batch["attachments"]) == 11  # 59 single + 11
