"""Rule files: Prometheus' format as is, errors with file:line:col, lint of PromQL and templates."""

from __future__ import annotations

from pathlib import Path

import pytest

import cli
from tianyan.errors import RuleFileError, TemplateError
from tianyan.rules.lint import lint_files
from tianyan.rules.rulefile import load_rule_file
from tianyan.rules.templates import humanize, humanize_duration, humanize_percentage, render

CONFIGS = Path(__file__).resolve().parents[2] / "configs" / "tianyan"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yml"
    path.write_text(text)
    return path


def test_shipped_rule_file_loads_and_lints_clean() -> None:
    groups = load_rule_file(CONFIGS / "rules.yml")
    assert [g.name for g in groups] == ["availability", "host"]
    down = groups[0].rules[0]
    assert (down.name, down.for_seconds, down.labels) == ("EndpointDown", 30.0, {"severity": "critical"})
    assert groups[0].interval_seconds == 15.0
    assert groups[0].rules[2].keep_firing_for_seconds == 60.0
    assert not lint_files([CONFIGS / "rules.yml"]).problems


def test_promql_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path, "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: rate(x[5m] > 1\n"
    )
    with pytest.raises(RuleFileError) as err:
        load_rule_file(path)
    assert str(err.value) == (
        f"{path}:5:19: group 'g' alert 'A': PromQL error: unclosed left parenthesis; fix the expression"
    )


def test_unknown_function_is_named_with_its_position(tmp_path: Path) -> None:
    path = write(tmp_path, "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: 'sum(foo_bar(x)) > 1'\n")
    with pytest.raises(RuleFileError, match=r"rules.yml:5:16: .*unknown function with name 'foo_bar'"):
        load_rule_file(path)


def test_block_scalar_position_points_into_the_block(tmp_path: Path) -> None:
    path = write(
        tmp_path, "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: |\n      up == 1\n      and (x\n"
    )
    with pytest.raises(RuleFileError, match=r"rules.yml:7:11: "):
        load_rule_file(path)


def test_unknown_rule_key_is_rejected_like_prometheus(tmp_path: Path) -> None:
    path = write(tmp_path, "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    resolve_expr: up\n")
    with pytest.raises(RuleFileError, match=r"rules.yml:6:5: .*unknown key 'resolve_expr'"):
        load_rule_file(path)


def test_lint_reports_unsupported_functions_and_bad_templates(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "groups:\n- name: g\n  rules:\n"
        "  - alert: Quantile\n    expr: histogram_quantile(0.9, rate(h_bucket[5m])) > 1\n"
        "  - alert: Sub\n    expr: max_over_time(rate(x[1m])[5m:1m]) > 1\n"
        "  - alert: Tmpl\n    expr: up == 0\n    annotations:\n      summary: '{{ if $value }}x{{ end }}'\n"
        "  - alert: Fine\n    expr: up == 0\n    annotations:\n"
        "      summary: '{{ $labels.job }} {{ $value | humanize }}'\n",
    )
    report = lint_files([path])
    messages = [(p.rule, p.message) for p in report.problems]
    assert messages == [
        ("Quantile", "function histogram_quantile() is not in the local subset (evaluate it on Prometheus)"),
        (
            "Sub",
            "max_over_time() over a subquery or expression is not in the local subset"
            " (evaluate it on Prometheus)",
        ),
        (
            "Tmpl",
            "annotation 'summary': {{if $value}}: 'if' is not supported in tianyan's Go-template subset",
        ),
    ]
    assert report.problems[0].where == f"{path}:4:5"
    assert len(lint_files([path], local=False).problems) == 1


def test_rules_lint_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["tianyan", "rules", "lint", str(CONFIGS / "rules.yml")]) == 0
    assert "1 file(s), 5 rule(s): OK" in capsys.readouterr().out
    bad = write(tmp_path, "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up ==\n")
    assert cli.main(["tianyan", "rules", "lint", str(bad), "--format", "json"]) == 1
    out = capsys.readouterr().out
    assert '"where": "' + str(bad) + ':5:11"' in out
    # a file that is not there is a usage error (2), like `rules test`, not a lint finding (1)
    assert cli.main(["tianyan", "rules", "lint", str(tmp_path / "nope.yml")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_go_template_subset_renders_like_prometheus() -> None:
    labels = {"instance": "web:80", "job": "shop"}
    assert render("{{ $labels.instance }} down ({{ $value }})", labels, 0.0) == "web:80 down (0)"
    assert render("{{ $value | humanizePercentage }}", {}, 0.0909) == "9.09%"
    assert render("{{ humanize $value }}", {}, 1234567.0) == "1.235M"
    assert render('{{ printf "%.1f" $value }} {{ .Labels.job }}', labels, 2.25) == "2.2 shop"
    assert render("{{ $externalLabels.dc }}", {}, 1.0, {"dc": "bj"}) == "bj"
    assert humanize(0.012) == "12m"
    assert humanize_duration(90061) == "1d 1h 1m 1s"
    assert humanize_duration(0.25) == "250ms"
    assert humanize_percentage(0.5) == "50%"


@pytest.mark.parametrize("template", ["{{ range $labels }}x{{ end }}", '{{ query "up" }}', "{{ $labels.x "])
def test_templates_outside_the_subset_fail(template: str) -> None:
    with pytest.raises(TemplateError):
        render(template, {}, 1.0)
