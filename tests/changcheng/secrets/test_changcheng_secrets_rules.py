"""Loading gitleaks-format rule files: the real gitleaks.toml, syntax errors, rules that cannot compile."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from changcheng.errors import RuleFileError
from changcheng.findings import Severity
from changcheng.secrets.engine import RegexEngine
from changcheng.secrets.rules import Condition, RegexTarget, load_rules_file

GITLEAKS = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "gitleaks" / "gitleaks.toml"


@pytest.mark.parametrize("engine", list(RegexEngine))
def test_real_gitleaks_config_loads_every_rule_or_reports_it(engine: RegexEngine) -> None:
    if not GITLEAKS.is_file():
        pytest.skip(f"{GITLEAKS} is not there (shared data is optional)")
    with GITLEAKS.open("rb") as fh:
        ids = [rule["id"] for rule in tomllib.load(fh)["rules"]]
    rules = load_rules_file(GITLEAKS, engine)
    loaded = {r.id for r in rules.rules}
    reported = {i for i in ids if any(f"rule {i!r} not compiled" in w for w in rules.warnings)}
    assert len(ids) == 222
    assert loaded | reported == set(ids) and not loaded & reported
    assert len(loaded) == 222  # both engines manage all of today's rules
    aws = rules.rule("aws-access-token")
    assert aws.keywords and aws.allowlists and aws.allowlists[0].regexes
    assert rules.allowlists[0].paths and rules.allowlists[0].stopwords
    pkcs = rules.rule("pkcs12-file")
    assert pkcs.regex is None and pkcs.path is not None
    assert rules.rule("sonar-api-token").secret_group == 2


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_toml_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "[[rules]]\nid = \"a\"\nregex = '''x'''\nentropy = = 3\n")
    with pytest.raises(RuleFileError, match=rf"^{path}:4:\d+: TOML syntax error"):
        load_rules_file(path)


def test_missing_rule_file_is_a_rule_file_error(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="rule file not found"):
        load_rules_file(tmp_path / "nope.toml")


def test_rule_that_cannot_be_compiled_is_reported_by_id_not_dropped_silently(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "[[rules]]\nid = 'letters'\nregex = '''\\pL{40}'''\n"
        "[[rules]]\nid = 'broken'\nregex = '''key=(x'''\n"
        "[[rules]]\nid = 'fine'\nregex = '''fine-[0-9]+'''\n",
    )
    on_re2 = load_rules_file(path, RegexEngine.RE2)
    assert [r.id for r in on_re2.rules] == ["letters", "fine"]
    assert any("rule 'broken' not compiled" in w for w in on_re2.warnings)
    on_re = load_rules_file(path, RegexEngine.RE)
    assert [r.id for r in on_re.rules] == ["fine"]
    assert any("rule 'letters' not compiled" in w and "Unicode class" in w for w in on_re.warnings)


def test_all_supported_keys_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[allowlist]
paths = ['''^vendor/''']
[[allowlists]]
targetRules = ["tok"]
regexTarget = "line"
regexes = ['''#\\s*test''']

[[rules]]
id = "tok"
description = "A token"
regex = '''tok_([a-z0-9]{8})'''
secretGroup = 1
entropy = 2.5
keywords = ["TOK_"]
path = '''\\.py$'''
tags = ["demo"]
severity = "critical"
helpUri = "https://example.org/tok"
unknownKey = 1
[[rules.allowlists]]
condition = "and"
paths = ['''^tests/''']
stopwords = ["DUMMY"]
""",
    )
    rules = load_rules_file(path)
    rule = rules.rule("tok")
    assert (rule.secret_group, rule.entropy, rule.keywords, rule.tags) == (1, 2.5, (b"tok_",), ("demo",))
    assert rule.severity is Severity.CRITICAL and rule.help_uri == "https://example.org/tok"
    assert rule.allowlists[0].condition is Condition.AND and rule.allowlists[0].stopwords == (b"dummy",)
    assert rules.allowlists[1].target_rules == ("tok",)
    assert rules.allowlists[1].regex_target is RegexTarget.LINE
    assert any("'unknownKey' is not supported" in w for w in rules.warnings)


def test_bad_values_name_the_rule_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, "[[rules]]\nid = 'x'\nregex = 'a'\nentropy = 'high'\n")
    with pytest.raises(RuleFileError, match=r"rule 'x'\.entropy: must be a number"):
        load_rules_file(path)


def test_extend_use_default_adds_the_builtin_rules(tmp_path: Path) -> None:
    path = write(tmp_path, "[extend]\nuseDefault = true\n[[rules]]\nid = 'jwt'\nregex = 'mine'\n")
    rules = load_rules_file(path)
    assert "aws-access-key-id" in {r.id for r in rules.rules}
    assert rules.rule("jwt").description == "jwt"  # the file's own rule wins over the built-in one


def test_without_re2_the_translated_re_engine_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    from changcheng.secrets import engine, source
    from changcheng.secrets.scanfiles import new_detector

    monkeypatch.setattr(engine, "re2_available", lambda: False)
    assert engine.resolve_engine(RegexEngine.RE2) is RegexEngine.RE
    detector = new_detector(source.RuleSource(engine=RegexEngine.RE2))
    [match] = detector.detect(b"key = " + b"gh" + b"p_" + b"a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "a.py")
    assert match.rule_id == "github-token"


def test_real_gitleaks_rules_match_the_same_on_both_engines() -> None:
    """The translation for re, checked on real rules: RE2 and re find the very same secrets."""
    if not GITLEAKS.is_file():
        pytest.skip(f"{GITLEAKS} is not there (shared data is optional)")
    from secret_samples import EXAMPLES

    from changcheng.secrets.detect import Detector

    corpus = "\n".join(f"{tp}\n{fp}" for tp, fp in EXAMPLES.values()).encode()
    found = {}
    for engine in RegexEngine:
        detector = Detector(load_rules_file(GITLEAKS, engine), use_re2=engine is RegexEngine.RE2)
        found[engine] = {
            (m.rule_id, m.line, m.column, m.secret) for m in detector.detect(corpus, "app/config.py")
        }
    assert found[RegexEngine.RE2] == found[RegexEngine.RE]
    rules = {rule_id for rule_id, *_ in found[RegexEngine.RE2]}
    assert {
        "aws-access-token",
        "github-pat",
        "gitlab-pat",
        "private-key",
        "jwt",
        "stripe-access-token",
    } <= rules
