"""changcheng's secrets scan: leaked credentials in a tree or in git history.

run.py          run_secrets_scan(request, config): the one call the command and the cycle make
scanner.py      scan_tree: walk, detect (worker processes for large trees), pragmas, baseline
history.py      git log -p as a stream; scan_history over every added line
detect.py       Detector: gitleaks' semantics on one piece of text (keywords, groups, entropy,
                allowlists, pragmas)
rules.py        gitleaks-format TOML -> RuleSet; builtin.toml is our own rule set
engine.py       RE2 (google-re2) or Python re; goregex.py translates Go syntax for re
files.py        the walk (.gitignore via pathspec, binary and size limits)
scanfiles.py    scanning a list of files, in-process or as a hucheng.dispatch work unit
source.py       RuleSource: rules as plain data, rebuilt in worker processes
to_findings.py  matches -> changcheng.findings.Finding (redacted); fingerprints
baseline.py     baseline files; redact.py, pragmas.py, entropy.py, failon.py, config.py
"""
