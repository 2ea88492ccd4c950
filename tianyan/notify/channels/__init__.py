"""Channels, one module each, registered in one explicit dict by their alertmanager.yml key."""

from __future__ import annotations

from tianyan.notify.channels.alertmanager import Alertmanager
from tianyan.notify.channels.dingtalk import DingTalk
from tianyan.notify.channels.email import Email
from tianyan.notify.channels.feishu import Feishu
from tianyan.notify.channels.interface import Channel, ChannelConfig, Payload, SendContext
from tianyan.notify.channels.slack import Slack
from tianyan.notify.channels.webhook import Webhook
from tianyan.notify.channels.wecom import WeCom

__all__ = ["CHANNELS", "UNSUPPORTED_KEYS", "Channel", "ChannelConfig", "Payload", "SendContext"]

#: receiver key in alertmanager.yml -> the channel that delivers it
CHANNELS: dict[str, Channel] = {
    "webhook_configs": Webhook(),
    "email_configs": Email(),
    "slack_configs": Slack(),
    "dingtalk_configs": DingTalk(),
    "wecom_configs": WeCom(),
    "feishu_configs": Feishu(),
    "alertmanager_configs": Alertmanager(),
}

#: Alertmanager receiver keys tianyan accepts in a file but does not deliver to (reported once)
UNSUPPORTED_KEYS = frozenset(
    {
        "pagerduty_configs",
        "opsgenie_configs",
        "victorops_configs",
        "pushover_configs",
        "wechat_configs",
        "telegram_configs",
        "sns_configs",
        "webex_configs",
        "discord_configs",
        "msteams_configs",
        "msteamsv2_configs",
        "jira_configs",
        "rocketchat_configs",
    }
)
