"""gitleaks' detection semantics: keywords, secretGroup, entropy, allowlists, pragmas."""

from __future__ import annotations

from pathlib import Path

import pytest

from changcheng.secrets.detect import Detector
from changcheng.secrets.engine import RegexEngine
from changcheng.secrets.rules import load_rules_file


def detector(tmp_path: Path, toml: str, engine: RegexEngine = RegexEngine.RE2) -> Detector:
    path = tmp_path / "rules.toml"
    path.write_text(toml, encoding="utf-8")
    rules = load_rules_file(path, engine)
    assert not rules.warnings, rules.warnings
    return Detector(rules, use_re2=engine is RegexEngine.RE2)


TOKEN_RULE = """
[[rules]]
id = "tok"
regex = '''(tok|TOK)_([A-Za-z0-9]{12})'''
secretGroup = 2
keywords = ["tok_"]
entropy = 3.0
"""


@pytest.mark.parametrize("engine", list(RegexEngine))
def test_secret_group_line_and_column(tmp_path: Path, engine: RegexEngine) -> None:
    d = detector(tmp_path, TOKEN_RULE, engine)
    [m] = d.detect("é = 1\n  x = TOK_a1B2c3D4e5F6\n".encode(), "a.py")
    assert (m.secret, m.match, m.line, m.column, m.end_column) == (
        "a1B2c3D4e5F6",
        "TOK_a1B2c3D4e5F6",
        2,
        11,
        23,
    )


def test_keyword_prefilter_is_case_insensitive_and_required(tmp_path: Path) -> None:
    d = detector(tmp_path, TOKEN_RULE.replace('keywords = ["tok_"]', 'keywords = ["TOKEN"]'))
    assert d.detect(b"tok_a1B2c3D4e5F6", "a") == []
    assert len(d.detect(b"token: tok_a1B2c3D4e5F6", "a")) == 1


def test_entropy_threshold_drops_low_entropy_secrets(tmp_path: Path) -> None:
    d = detector(tmp_path, TOKEN_RULE)
    assert d.detect(b"tok_aaaaaaaaaaab", "a") == []


def test_generic_rules_need_a_digit(tmp_path: Path) -> None:
    d = detector(tmp_path, "[[rules]]\nid = 'generic-x'\nregex = '''k=([a-zA-Z0-9]{16})'''\nentropy = 2\n")
    assert d.detect(b"k=abcdefghijklmnop", "a") == []
    assert len(d.detect(b"k=abcdefgh1jklmnop", "a")) == 1


@pytest.mark.parametrize(
    ("allowlist", "text", "path", "allowed"),
    [
        ("regexes = ['''^a1''']", "tok_a1B2c3D4e5F6", "x.py", True),
        ("regexTarget = 'match'\nregexes = ['''^tok_''']", "tok_a1B2c3D4e5F6", "x.py", True),
        ("regexTarget = 'line'\nregexes = ['''# fake''']", "tok_a1B2c3D4e5F6 # fake", "x.py", True),
        ("stopwords = ['C3D']", "tok_a1B2c3D4e5F6", "x.py", True),
        ("paths = ['''^tests/''']", "tok_a1B2c3D4e5F6", "tests/x.py", True),
        (
            "condition = 'AND'\npaths = ['''^tests/''']\nstopwords = ['zzz']",
            "tok_a1B2c3D4e5F6",
            "tests/x",
            False,
        ),
        (
            "condition = 'AND'\npaths = ['''^tests/''']\nstopwords = ['c3d']",
            "tok_a1B2c3D4e5F6",
            "tests/x",
            True,
        ),
        ("regexes = ['''^zz''']", "tok_a1B2c3D4e5F6", "x.py", False),
    ],
)
def test_rule_allowlists(tmp_path: Path, allowlist: str, text: str, path: str, allowed: bool) -> None:
    d = detector(tmp_path, TOKEN_RULE + "[[rules.allowlists]]\n" + allowlist + "\n")
    assert (d.detect(text.encode(), path) == []) is allowed


def test_global_allowlists_paths_skip_and_target_rules(tmp_path: Path) -> None:
    toml = (
        "[allowlist]\npaths = ['''^vendor/''']\n"
        "[[allowlists]]\ntargetRules = ['other']\nstopwords = ['a1b']\n" + TOKEN_RULE
    )
    d = detector(tmp_path, toml)
    assert d.path_allowed("vendor/lib.py")
    assert d.detect(b"tok_a1B2c3D4e5F6", "vendor/lib.py") == []
    assert len(d.detect(b"tok_a1B2c3D4e5F6", "src/lib.py")) == 1  # targets another rule only


def test_pragmas_mark_the_match_suppressed(tmp_path: Path) -> None:
    d = detector(tmp_path, TOKEN_RULE)
    found = d.detect(
        b"tok_a1B2c3D4e5F6 # gitleaks:allow\ntok_a1B2c3D4e5F7 # hucheng:allow\ntok_Z1B2c3D4e5F6\n", "a"
    )
    assert [m.pragma for m in found] == ["gitleaks:allow", "hucheng:allow", None]


def test_path_only_rule_reports_the_file(tmp_path: Path) -> None:
    d = detector(tmp_path, "[[rules]]\nid = 'p12'\npath = '''\\.p12$'''\n")
    [m] = d.detect(b"anything", "certs/server.p12")
    assert m.rule_id == "p12" and m.line is None
    assert d.detect(b"anything", "certs/server.pem") == []
