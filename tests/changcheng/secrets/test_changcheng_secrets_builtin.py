"""Every built-in rule finds its true positive and leaves its look-alike alone."""

from __future__ import annotations

import pytest
from secret_samples import EXAMPLES

from changcheng.secrets.detect import Detector
from changcheng.secrets.engine import RegexEngine
from changcheng.secrets.rules import load_builtin


@pytest.fixture(scope="module", params=[RegexEngine.RE2, RegexEngine.RE])
def detector(request: pytest.FixtureRequest) -> Detector:
    rules = load_builtin(engine=request.param)
    assert not rules.warnings
    return Detector(rules, use_re2=request.param is RegexEngine.RE2)


def test_every_builtin_rule_has_examples() -> None:
    assert {r.id for r in load_builtin().rules} == set(EXAMPLES)


@pytest.mark.parametrize("rule_id", sorted(EXAMPLES))
def test_true_positive(detector: Detector, rule_id: str) -> None:
    text = f"# config\n{EXAMPLES[rule_id][0]}\n"
    found = [m for m in detector.detect(text.encode(), "app/settings.py")]
    assert rule_id in {m.rule_id for m in found}
    assert next(m for m in found if m.rule_id == rule_id).line == 2


@pytest.mark.parametrize("rule_id", sorted(EXAMPLES))
def test_false_positive(detector: Detector, rule_id: str) -> None:
    text = f"# config\n{EXAMPLES[rule_id][1]}\n"
    assert [m.rule_id for m in detector.detect(text.encode(), "app/settings.py")] == []


@pytest.mark.parametrize("rule_id", ["database-url-password", "generic-api-key", "aws-secret-access-key"])
def test_redacted_secrets_quoted_in_docs_are_not_findings(detector: Detector, rule_id: str) -> None:
    from changcheng.secrets.redact import redact_in

    [match] = [m for m in detector.detect(EXAMPLES[rule_id][0].encode(), "a.py") if m.rule_id == rule_id]
    quoted = redact_in(EXAMPLES[rule_id][0], match.secret)
    assert [m.rule_id for m in detector.detect(quoted.encode(), "docs/guide.md")] == []
