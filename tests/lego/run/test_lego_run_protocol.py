"""The $LEGO_OUTPUT / $LEGO_ENV file protocol and secrets files."""

from __future__ import annotations

from pathlib import Path

import pytest

from lego.errors import SecretError, StepProtocolError
from lego.run.protocol import parse_protocol_file, parse_protocol_text
from lego.run.secrets import load_secrets


def test_key_value_and_heredoc() -> None:
    text = "a=1\nb=x=y\n\nnotes<<EOF\nline one\nline two\nEOF\na=2\n"
    assert parse_protocol_text(text, "out") == {"a": "2", "b": "x=y", "notes": "line one\nline two"}


def test_unclosed_heredoc_names_file_and_line() -> None:
    with pytest.raises(StepProtocolError, match=r"^out:2: no closing 'END'"):
        parse_protocol_text("a=1\nbody<<END\nx\n", "out")


def test_line_without_equals_is_an_error() -> None:
    with pytest.raises(StepProtocolError, match=r"^out:1: expected key=value"):
        parse_protocol_text("just words\n", "out")


def test_missing_file_is_empty(tmp_path: Path) -> None:
    assert parse_protocol_file(tmp_path / "none") == {}


def test_secrets_from_file_and_environment(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text('# comment\nexport A="quoted value"\nKEY<<EOF\nl1\nl2\nEOF\n')
    values = load_secrets(["B", "A"], {"B": "from-env", "A": "ignored"}, env_file)
    assert values == {"A": "quoted value", "KEY": "l1\nl2", "B": "from-env"}


def test_missing_secret_is_named(tmp_path: Path) -> None:
    with pytest.raises(SecretError, match="secret\\(s\\) NOPE not set"):
        load_secrets(["NOPE"], {}, None)


def test_bad_secrets_file_line_does_not_echo_its_content(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("supersecretvalue-without-equals\n")
    with pytest.raises(SecretError) as info:
        load_secrets([], {}, env_file)
    assert "supersecret" not in str(info.value) and ":1" in str(info.value)
