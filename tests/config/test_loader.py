from __future__ import annotations

from pathlib import Path

import pytest

from hucheng.config import load_config
from hucheng.errors import ConfigError


def write(tmp_path: Path, text: str, name: str = "hucheng.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    loaded = load_config(None, environ={})
    assert loaded.file is None
    assert loaded.settings.tianyan.enabled is True
    assert loaded.settings.metrics.pushgateway is None
    assert loaded.settings.store_url.startswith("sqlite:///")
    assert loaded.settings.store_url.endswith("/hucheng.db")
    assert str(loaded.origin(("metrics", "job"))) == "default"


def test_layers_file_then_env_then_flags(tmp_path: Path) -> None:
    path = write(tmp_path, "home: /data/h\nstore: sqlite:///from-file.db\nmetrics:\n  job: filejob\n")
    env = {
        "HUCHENG_METRICS__JOB": "envjob",
        "HUCHENG_LEGO__ENABLED": "false",
        "HUCHENG_STORE": "sqlite:///e.db",
    }
    loaded = load_config(path, environ=env, flags={"store": "sqlite:///flag.db"})
    s = loaded.settings
    assert s.home == Path("/data/h")
    assert s.metrics.job == "envjob"
    assert s.lego.enabled is False
    assert s.store == "sqlite:///flag.db"
    assert str(loaded.origin(("home",))) == f"file {path}:1:7"
    assert str(loaded.origin(("metrics", "job"))) == "env HUCHENG_METRICS__JOB"
    assert str(loaded.origin(("lego", "enabled"))) == "env HUCHENG_LEGO__ENABLED"
    assert str(loaded.origin(("store",))) == "flag --store"


def test_settings_are_frozen(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path, "home: /x\n"), environ={})
    with pytest.raises(Exception, match="frozen"):
        loaded.settings.metrics.job = "other"  # type: ignore[misc]


def test_env_json_mapping(tmp_path: Path) -> None:
    env = {"HUCHENG_METRICS__GROUPING_KEY": '{"instance": "ci-3"}'}
    loaded = load_config(write(tmp_path, "home: /x\n"), environ=env)
    assert loaded.settings.metrics.grouping_key == {"instance": "ci-3"}


def test_interpolation_and_secret_marking(tmp_path: Path) -> None:
    path = write(tmp_path, "home: /x\nmetrics:\n  pushgateway: http://${GW_HOST}:${GW_PORT:-9091}\n")
    loaded = load_config(path, environ={"GW_HOST": "gw.internal"})
    assert loaded.settings.metrics.pushgateway == "http://gw.internal:9091"
    assert ("metrics", "pushgateway") in loaded.secret_paths


def test_dollar_escape(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path, "home: /x\nmetrics:\n  job: a$${b}\n"), environ={})
    assert loaded.settings.metrics.job == "a${b}"


def test_relative_home_is_relative_to_the_file(tmp_path: Path) -> None:
    sub = tmp_path / "configs"
    sub.mkdir()
    loaded = load_config(write(sub, "home: ../data\n"), environ={})
    assert loaded.settings.home == tmp_path / "data"


# --- mistakes: one line, file:line:col, key path, what was expected ---------------------------


def error_of(path: Path | None, environ: dict[str, str] | None = None) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(path, environ=environ or {})
    message = str(info.value)
    assert "\n" not in message
    return message


def test_missing_file(tmp_path: Path) -> None:
    assert error_of(tmp_path / "nope.yaml") == f"{tmp_path / 'nope.yaml'}: config file not found"


def test_yaml_syntax_error_has_position(tmp_path: Path) -> None:
    path = write(tmp_path, "home: /x\nmetrics:\n  job: [unclosed\n")
    message = error_of(path)
    assert message.startswith(f"{path}:4:1: YAML syntax error:")


def test_tab_indentation_error(tmp_path: Path) -> None:
    path = write(tmp_path, "metrics:\n\tjob: x\n")
    assert error_of(path).startswith(f"{path}:2:1: YAML syntax error")


def test_unknown_key_suggests_the_closest(tmp_path: Path) -> None:
    path = write(tmp_path, "home: /x\nmetrics:\n  pushgatway: http://x\n")
    assert error_of(path) == f"{path}:3:3: metrics.pushgatway: unknown key (did you mean 'pushgateway'?)"


def test_unknown_top_level_section(tmp_path: Path) -> None:
    path = write(tmp_path, "home: /x\ntianyen:\n  enabled: true\n")
    assert error_of(path) == f"{path}:2:1: tianyen: unknown key (did you mean 'tianyan'?)"


def test_unknown_key_without_a_close_match_lists_known_ones(tmp_path: Path) -> None:
    path = write(tmp_path, "home: /x\nmojing:\n  zzz: 1\n")  # a section with one key (lego has more now)
    assert error_of(path) == f"{path}:3:3: mojing.zzz: unknown key (known keys: enabled)"


def test_wrong_type_names_expected_and_got(tmp_path: Path) -> None:
    path = write(tmp_path, "home: /x\nmetrics:\n  timeout: soon\n")
    message = error_of(path)
    assert message.startswith(f"{path}:3:12: metrics.timeout: input should be a valid number")
    assert message.endswith("got 'soon'")


def test_wrong_type_for_a_section(tmp_path: Path) -> None:
    path = write(tmp_path, "home: /x\ntianyan: yes\n")
    message = error_of(path)
    assert message.startswith(f"{path}:2:10: tianyan: input should be")


def test_bad_enum_value(tmp_path: Path) -> None:
    path = write(tmp_path, "home: /x\nlog_level: loud\n")
    message = error_of(path)
    assert message.startswith(
        f"{path}:2:12: log_level: input should be 'debug', 'info', 'warning' or 'error'"
    )


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "- a\n- b\n")
    assert (
        error_of(path)
        == f"{path}:1:1: expected a mapping of sections (home:, store:, tianyan: ...), got a list"
    )


def test_duplicate_key(tmp_path: Path) -> None:
    path = write(tmp_path, "home: /x\nmetrics:\n  job: a\n  job: b\n")
    assert error_of(path) == f"{path}:4:3: metrics.job: duplicate key (first set on line 3); keep one"


def test_unset_variable(tmp_path: Path) -> None:
    path = write(tmp_path, "home: /x\nmetrics:\n  pushgateway: ${GATEWAY}\n")
    assert error_of(path) == (
        f"{path}:3:16: metrics.pushgateway: environment variable GATEWAY is not set "
        "(set it, or write ${GATEWAY:-default})"
    )


def test_bad_env_value_names_the_variable(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "home: /x\n"), {"HUCHENG_METRICS__TIMEOUT": "never"})
    assert message.startswith(
        "environment variable HUCHENG_METRICS__TIMEOUT: metrics.timeout: input should be"
    )


def test_unknown_env_key(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "home: /x\n"), {"HUCHENG_STOR": "sqlite:///x"})
    assert message == "environment variable HUCHENG_STOR: stor: unknown key (did you mean 'store'?)"


def test_reserved_env_names_are_not_keys(tmp_path: Path) -> None:
    env = {"HUCHENG_CONFIG": "x.yaml", "HUCHENG_DEBUG": "1", "HUCHENG_CHROMIUM": "/usr/bin/chromium"}
    assert load_config(write(tmp_path, "home: /x\n"), environ=env).settings.home == Path("/x")


def test_several_problems_are_counted(tmp_path: Path) -> None:
    path = write(tmp_path, "home: /x\nlego:\n  a: 1\n  b: 2\n")
    assert error_of(path).endswith("(and 1 more problem)")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "h.yaml"
    path.write_bytes(b"home: \xff\xfe\n")
    assert error_of(path).startswith(f"{path}: not UTF-8 text")


def test_empty_file_is_all_defaults(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, ""), environ={}).settings.lego.enabled is True


def test_shipped_config_is_valid() -> None:
    shipped = Path(__file__).resolve().parents[2] / "configs" / "hucheng.yaml"
    loaded = load_config(shipped, environ={})
    assert loaded.settings.home == shipped.parent.parent / ".hucheng"
