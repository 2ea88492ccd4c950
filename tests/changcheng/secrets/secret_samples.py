"""Fake secrets built at test time (from parts and a seeded RNG), so the repository itself never
holds a string a secret scanner would flag."""

from __future__ import annotations

import base64
import json
import random
import string

ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "_-"


def rand(alphabet: str, n: int, seed: int = 7) -> str:
    rng = random.Random(f"{seed}:{alphabet}:{n}")
    while True:
        text = "".join(rng.choice(alphabet) for _ in range(n))
        if any(c.isdigit() for c in text) or not any(c.isdigit() for c in alphabet):
            return text


def b64url(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def uuid_like(seed: int = 3) -> str:
    h = rand("0123456789abcdef", 32, seed)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def private_key_block(kind: str = "RSA PRIVATE KEY") -> str:
    body = "\n".join(rand(B64, 64, seed) for seed in range(4))
    return f"-----BEGIN {kind}-----\n{body}\n-----END {kind}-----"


AWS_KEY_ID = "AK" + "IA" + "Q7XH2M4KZP5LRN3W"

#: rule id -> (a line the rule must find, a look-alike line it must not)
EXAMPLES: dict[str, tuple[str, str]] = {
    "aws-access-key-id": (f'aws_key = "{AWS_KEY_ID}"', 'aws_key = "' + "AK" + "IAIOSFODNN7EXAMPLE" + '"'),
    "aws-secret-access-key": (
        f'aws_secret_access_key = "{rand(B64, 40)}"',
        'aws_secret_access_key = os.environ["AWS_SECRET_ACCESS_KEY"]',
    ),
    "gcp-api-key": (f'key: "{"AI" + "za" + rand(URLSAFE, 35)}"', 'key: "' + "AI" + 'za-short"'),
    "gcp-service-account-key": (
        f'"private_key_id": "{rand("0123456789abcdef", 40)}",',
        '"private_key_id": "",',
    ),
    "azure-storage-account-key": (
        f"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={rand(B64, 86)}==;EndpointSuffix=x",
        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + "A" * 86 + "==;",
    ),
    "alibaba-cloud-accesskey-id": (f"id = {'LT' + 'AI' + rand(ALNUM, 16)}", "id = " + "LT" + "AI" + "a" * 16),
    "alibaba-cloud-accesskey-secret": (
        f'aliyun_access_key_secret = "{rand(ALNUM, 30)}"',
        'aliyun_region = "cn-hangzhou"',
    ),
    "tencent-cloud-secret-id": (
        f"SecretId={'AK' + 'ID' + rand(ALNUM, 32)}",
        "SecretId=" + "AK" + "ID" + "x" * 32,
    ),
    "github-token": (f"token {'gh' + 'p_' + rand(ALNUM, 36)}", "token " + "gh" + "p_" + "x" * 36),
    "github-fine-grained-pat": (
        "github" + "_pat_" + rand(ALNUM + "_", 82),
        "github" + "_pat_" + "a" * 82,
    ),
    "gitlab-pat": ("gl" + "pat-" + rand(URLSAFE, 20), "gl" + "pat-" + "x" * 20),
    "slack-token": ("xo" + "xb-" + "1234567890123-" + rand(ALNUM, 24), "xo" + "xb-not-a-token"),
    "slack-webhook": (
        "https://hooks.slack.com/services/T"
        + rand(string.ascii_uppercase + string.digits, 9)
        + "/B"
        + rand(string.ascii_uppercase + string.digits, 9, 2)
        + "/"
        + rand(ALNUM, 24),
        "https://hooks.slack.com/services/T000/B000/XXXX",
    ),
    "stripe-secret-key": ("sk" + "_live_" + rand(ALNUM, 24), "sk" + "_live_" + "0" * 24),
    "npm-token": (
        "//registry.npmjs.org/:_authToken=" + "np" + "m_" + rand(ALNUM, 36),
        "np" + "m_" + "a" * 36,
    ),
    "pypi-token": (
        "password = " + "py" + "pi-AgEIcHlwaS5vcmc" + rand(URLSAFE, 60),
        "py" + "pi-AgEIcHlwaS5vcmc-x",
    ),
    "dingtalk-webhook-token": (
        "https://oapi.dingtalk.com/robot/send?access_token=" + rand("0123456789abcdef", 64),
        "https://oapi.dingtalk.com/robot/send?access_token=${DINGTALK_TOKEN}",
    ),
    "wecom-webhook-key": (
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + uuid_like(),
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=YOUR_KEY",
    ),
    "feishu-webhook-token": (
        "https://open.feishu.cn/open-apis/bot/v2/hook/" + uuid_like(5),
        "https://open.feishu.cn/open-apis/bot/v2/hook/{token}",
    ),
    "private-key": (private_key_block(), private_key_block("PUBLIC KEY")),
    "jwt": (
        "Authorization: Bearer "
        + ".".join(
            [b64url({"alg": "HS256", "typ": "JWT"}), b64url({"sub": "1234567890"}), rand(URLSAFE, 43)]
        ),
        "prefix = 'eyJhbGciOi'",
    ),
    "database-url-password": (
        f"DATABASE_URL=postgresql://app:{rand(ALNUM, 16)}@db.internal:5432/app",
        "DATABASE_URL=postgresql://app:${DB_PASSWORD}@db.internal:5432/app",
    ),
    "generic-api-key": (f'api_key = "{rand(ALNUM, 32)}"', 'password = "hunter2hunter2hunter2"'),
}
