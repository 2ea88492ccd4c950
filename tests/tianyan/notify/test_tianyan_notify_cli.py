"""`hucheng tianyan silence|notify|deliveries` through cli.main: output, exit codes, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import cli
from hucheng.exitcodes import ExitCode


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HUCHENG_HOME", str(tmp_path / "home"))
    for var in ("HUCHENG_STORE", "HUCHENG_CONFIG", "HUCHENG_DEBUG"):
        monkeypatch.delenv(var, raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def config(tmp_path: Path, receivers: str) -> Path:
    (tmp_path / "alertmanager.yml").write_text(
        f"route:\n  receiver: ops\n  group_by: [alertname]\n  routes:\n"
        f"    - matchers: ['service=\"pay\"']\n      receiver: ops\nreceivers:\n{receivers}"
    )
    path = tmp_path / "hucheng.yaml"
    path.write_text("tianyan:\n  notify:\n    alertmanager_config: alertmanager.yml\n    language: en\n")
    return path


def test_silence_add_ls_expire(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "tianyan", "silence", "add", "--matcher", 'service="pay"', "--matcher", "env=~prod|staging",
        "--duration", "2h", "--comment", "db migration", "--author", "alice", "--format", "json",
    )  # fmt: skip
    assert (code, err) == (ExitCode.OK, "")
    added = json.loads(out)
    assert added["state"] == "active"
    assert added["matchers"] == 'service="pay", env=~"prod|staging"'
    code, out, _ = run(capsys, "tianyan", "silence", "ls", "--format", "json")
    assert [s["id"] for s in json.loads(out)] == [added["id"]]
    code, out, _ = run(capsys, "tianyan", "silence", "expire", added["id"][:6])
    assert (code, out) == (ExitCode.OK, f"silence {added['id']} expired\n")
    code, out, _ = run(capsys, "tianyan", "silence", "ls", "--format", "json")
    assert json.loads(out) == []
    code, out, _ = run(capsys, "tianyan", "silence", "ls", "--all", "--format", "json")
    assert [s["state"] for s in json.loads(out)] == ["expired"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--matcher", 'service="pay"', "--duration", "2 hours"], "--duration: '2 hours' is not a duration"),
        (
            ["--matcher", "service", "--duration", "2h"],
            "--matcher 'service': 'service': cannot parse a matcher",
        ),
        (["--matcher", 'service=~".*"', "--duration", "2h"], "these matchers match every alert"),
    ],
)
def test_silence_bad_input_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, "tianyan", "silence", "add", *args, "--comment", "x")
    assert code == ExitCode.USAGE and out == ""
    assert err.count("\n") == 1 and message in err and "[docs/errors.md#tianyan-silence]" in err


def test_silence_expire_unknown_id(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "tianyan", "silence", "expire", "nope")
    assert code == ExitCode.USAGE
    assert err == (
        "hucheng: error: no silence 'nope'; see `hucheng tianyan silence ls` "
        "[docs/errors.md#tianyan-silence]\n"
    )


def test_notify_test_sends_and_deliveries_lists_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], vendor: Any
) -> None:
    robot = vendor("dingtalk", secret="sec")
    url = robot.url("/robot/send?access_token=t")
    cfg = config(tmp_path, f'  - name: ops\n    dingtalk_configs: [{{url: "{url}", secret: sec}}]\n')
    code, out, err = run(capsys, "--config", str(cfg), "tianyan", "notify", "test", "ops", "--format", "json")
    assert (code, err) == (ExitCode.OK, "")
    result = json.loads(out)
    assert (result["sent"], result["items"][0]["outcome"]) == (1, "sent")
    assert robot.received[0].verdict == "ok"
    assert "TianyanTestAlert" in robot.received[0].body["markdown"]["text"]
    code, out, _ = run(capsys, "--config", str(cfg), "tianyan", "deliveries", "--format", "json")
    listed = json.loads(out)
    assert code == ExitCode.OK
    assert [(d["receiver"], d["channel"], d["state"], d["attempts"]) for d in listed["items"]] == [
        ("ops", "dingtalk", "sent", 1)
    ]


def test_notify_test_a_failing_channel_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], vendor: Any
) -> None:
    dead = vendor("webhook", mode="500")
    cfg = config(tmp_path, f'  - name: ops\n    webhook_configs: [{{url: "{dead.url()}"}}]\n')
    code, out, _ = run(capsys, "--config", str(cfg), "tianyan", "notify", "test", "ops", "--format", "json")
    assert code == ExitCode.FINDINGS
    assert json.loads(out)["items"][0]["error"].endswith('HTTP 500: {"error": "internal"}')
    code, out, _ = run(
        capsys, "--config", str(cfg), "tianyan", "deliveries", "--state", "retrying", "--format", "json"
    )
    assert [d["state"] for d in json.loads(out)["items"]] == ["retrying"]


def test_notify_test_unknown_receiver(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = config(tmp_path, "  - name: ops\n    webhook_configs: [{url: 'http://127.0.0.1:9/'}]\n")
    code, out, err = run(capsys, "--config", str(cfg), "tianyan", "notify", "test", "payments")
    assert code == ExitCode.USAGE and out == ""
    assert "no receiver 'payments'; known: ops [docs/errors.md#tianyan-routing]" in err


def test_an_unknown_receiver_in_the_routing_file_is_reported_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = config(tmp_path, "  - name: other\n")
    code, _, err = run(capsys, "--config", str(cfg), "tianyan", "notify", "test", "other")
    assert code == ExitCode.USAGE
    assert f"{Path('alertmanager.yml')}:2:3: route.receiver: unknown receiver 'ops'; known: other" in err
    assert err.count("\n") == 1


def test_notify_routes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = config(tmp_path, "  - name: ops\n")
    code, out, _ = run(
        capsys,
        "--config",
        str(cfg),
        "tianyan",
        "notify",
        "routes",
        "alertname=Slow",
        "service=pay",
        "--format",
        "json",
    )
    assert code == ExitCode.OK
    (row,) = json.loads(out)
    assert row["route"] == '{}/{service="pay"}'
    assert row["group_key"] == '{}/{service="pay"}:{alertname="Slow"}'


def test_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["silence", "add"], ["notify", "test"], ["deliveries"]):
        code, out, _ = run(capsys, "tianyan", *args, "--help")
        assert code == ExitCode.OK and "Examples:" in out


def test_deliveries_exits_1_when_something_was_given_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import UTC, datetime

    from hucheng.store import open_store
    from tianyan.notify import outbox

    entry = outbox.Entry(
        id="n1", integration="ops/webhook/0", receiver="ops", target="webhook:http://127.0.0.1:9/",
        group_key='{}:{alertname="X"}', status="firing", firing=1, resolved=0,
        queued_at=datetime.now(UTC), payload={"body": {}},
    )  # fmt: skip
    with open_store(f"sqlite:///{tmp_path / 'home' / 'hucheng.db'}") as store:
        store.put([outbox.queued_record(entry)])
        store.put(
            [outbox.event(entry, "gave_up", datetime.now(UTC), error="older than give_up_after (HTTP 500)")]
        )
    code, out, _ = run(capsys, "tianyan", "deliveries", "--format", "json")
    assert code == ExitCode.FINDINGS
    listed = json.loads(out)
    assert listed["gave_up"] == 1
    assert listed["items"][0]["error"] == "older than give_up_after (HTTP 500)"
