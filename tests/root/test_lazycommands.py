"""LazyCommands imports a subcommand only when it runs, and lists short help without importing."""

from __future__ import annotations

import sys

import click
from click.testing import CliRunner

from hucheng.lazycommands import LazyCommands


def _group() -> click.Group:
    @click.group(
        cls=LazyCommands,
        lazy={
            "hello": ("lazy_cmd_target:hello", "Say hello."),
            "bye": ("lazy_cmd_never_imported:bye", "Never imported by --help."),
        },
    )
    def grp() -> None:
        """A test group."""

    return grp


def test_help_lists_short_help_without_importing(tmp_path, monkeypatch) -> None:
    result = CliRunner().invoke(_group(), ["--help"])
    assert result.exit_code == 0
    assert "Say hello." in result.output and "Never imported by --help." in result.output
    assert "lazy_cmd_never_imported" not in sys.modules


def test_runs_the_named_command(tmp_path, monkeypatch) -> None:
    (tmp_path / "lazy_cmd_target.py").write_text(
        "import click\n@click.command()\ndef hello():\n    click.echo('hi there')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    result = CliRunner().invoke(_group(), ["hello"])
    assert result.exit_code == 0, result.output
    assert result.output == "hi there\n"


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(_group(), ["nope"])
    assert result.exit_code == 2
    assert "No such command 'nope'" in result.output
