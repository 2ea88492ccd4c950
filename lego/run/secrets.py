"""Secret values for a run: named environment variables and/or a dotenv-style file.

The values go into the steps' environment and into the :class:`~lego.run.masking.Masker`; only the
names are ever recorded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from lego.errors import SecretError, StepProtocolError
from lego.model import Pipeline
from lego.run.protocol import parse_protocol_text


def load_secrets(
    names: Iterable[str], environ: Mapping[str, str], secrets_file: Path | None = None
) -> dict[str, str]:
    """``name -> value``: the file's entries (``NAME=value`` or ``NAME<<EOF`` heredocs, ``#`` comments,
    optional ``export``), then each of ``names`` from ``environ`` unless the file already set it."""
    values: dict[str, str] = {}
    if secrets_file is not None:
        values.update(read_secrets_file(secrets_file))
    missing = []
    for name in names:
        if name in values:
            continue
        if name in environ:
            values[name] = environ[name]
        else:
            missing.append(name)
    if missing:
        where = f" or in {secrets_file}" if secrets_file else ""
        raise SecretError(
            f"secret(s) {', '.join(missing)} not set in the environment{where}; "
            "export them or pass --secrets-file FILE"
        )
    return values


def read_secrets_file(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SecretError(f"cannot read secrets file {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise SecretError(f"secrets file {path} is not UTF-8 text (byte {exc.start})") from exc
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#") and "<<" not in stripped:
            lines.append("")
            continue
        if stripped.startswith("export "):
            line = stripped[len("export ") :]
        lines.append(line)
    try:
        values = parse_protocol_text("\n".join(lines), str(path))
    except StepProtocolError as exc:
        # the parser quotes the bad line; a secrets file's lines must not reach a message
        where = str(exc).split(": ", 1)[0]
        raise SecretError(f"{where}: not NAME=value or NAME<<DELIMITER; fix that line") from None
    # dotenv quoting: KEY="value" or KEY='value'
    for key, value in values.items():
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            values[key] = value[1:-1]
    return values


_SECRET_REF = re.compile(r"\bsecrets\.([A-Za-z_][A-Za-z0-9_-]*)")


def undeclared_references(pipeline: Pipeline, names: Iterable[str]) -> dict[str, list[str]]:
    """``secrets.X`` read in a job's expressions for an X that is not a secret of the run (not under
    ``secrets:``, not given with ``--secret`` or the secrets file): X -> the jobs that read it. Such a
    reference reads as empty, as in GitHub Actions; the run warns about each."""
    known = set(names)
    found: dict[str, list[str]] = {}
    for job in pipeline.jobs.values():
        texts = [job.if_ or "", *job.env.values(), *job.outputs.values()]
        for step in job.steps:
            texts += [step.run, step.name, step.if_ or "", *step.env.values()]
        for text in texts:
            if "secrets." not in text:
                continue
            for name in _SECRET_REF.findall(text):
                if name not in known and job.base not in found.setdefault(name, []):
                    found[name].append(job.base)
    return found
