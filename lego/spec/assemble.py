"""Put the pipeline file together: ``include:`` other files, then resolve each job's ``extends:``.

- ``include: [ci/lint.yml, ...]`` (paths relative to the including file, nested includes allowed):
  the included files' ``env``, ``templates``, ``jobs`` and ``secrets`` come first; the including file
  overrides ``env`` keys and replaces whole jobs or templates of the same name.
- ``extends: NAME`` (or a list, applied in order): the job starts from the template
  (``templates: NAME``) or job ``NAME``; mappings merge key by key (the job wins), anything else
  (``steps``, lists) is replaced.

Every job keeps where its keys were written (:class:`Located`), so a problem in a key the job got
from a template points into the template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lego.errors import LegoError
from lego.model import SourcePos
from lego.spec.problems import Problem, ProblemKind, did_you_mean, from_validation
from lego.spec.schema import PipelineSpec, as_list
from lego.spec.yamldoc import Doc, KeyPath, ValueAnchor, load_doc


@dataclass(frozen=True)
class Located:
    """A job's raw mapping and the places its keys came from (the job's own first)."""

    name: str
    data: dict[str, Any]
    sources: tuple[tuple[Doc, KeyPath], ...]

    def pos(self, loc: KeyPath = ()) -> SourcePos:
        for doc, prefix in self.sources:
            found = doc.exact((*prefix, *loc))
            if found:
                return found
        doc, prefix = self.sources[0]
        return doc.pos((*prefix, *loc))

    def anchor(self, loc: KeyPath) -> ValueAnchor | None:
        """Where the scalar at ``loc`` starts, if it holds ``${{``."""
        for doc, prefix in self.sources:
            found = doc.anchors.get((*prefix, *loc))
            if found:
                return found
        return None


@dataclass
class Assembled:
    root: Doc
    env: dict[str, Any] = field(default_factory=dict)
    env_sources: dict[str, SourcePos] = field(default_factory=dict)
    shell: str | None = None
    secrets: list[str] = field(default_factory=list)
    templates: dict[str, Located] = field(default_factory=dict)
    jobs: dict[str, Located] = field(default_factory=dict)  # before extends
    problems: list[Problem] = field(default_factory=list)


def assemble(path: Path) -> Assembled:
    """Read ``path`` and its includes; raises on an unreadable or syntactically broken root file."""
    root = load_doc(path)
    out = Assembled(root)
    _take(root, path, out, stack=(path.resolve(),))
    return out


def _take(doc: Doc, path: Path, out: Assembled, stack: tuple[Path, ...]) -> None:
    if not isinstance(doc.data, dict):
        out.problems.append(
            Problem(SourcePos(doc.file, 1), ProblemKind.SCHEMA, "a pipeline file is a mapping with 'jobs:'")
        )
        return
    try:
        spec = PipelineSpec.model_validate(doc.data)
    except ValidationError as exc:
        out.problems.extend(from_validation(exc, PipelineSpec, doc.pos, "pipeline"))
        return
    for index, name in enumerate(as_list(spec.include)):
        target = (path.parent / name).resolve()
        where = doc.pos(("include", index) if isinstance(spec.include, list) else ("include",))
        if target in stack:
            out.problems.append(Problem(where, ProblemKind.SCHEMA, f"include: {name} includes itself (loop)"))
            continue
        if not target.is_file():  # (load_doc's own words are for the pipeline file given with -f)
            why = "is a directory" if target.is_dir() else "no such file"
            out.problems.append(
                Problem(
                    where, ProblemKind.SCHEMA, f"include: {name}: {why} ({target}; relative to {path.name})"
                )
            )
            continue
        try:
            included = load_doc(target, display=str(path.parent / name))
        except LegoError as exc:
            out.problems.append(Problem(where, ProblemKind.YAML, f"include: {name}: {exc}"))
            continue
        _take(included, target, out, (*stack, target))
    for key, value in spec.env.items():
        out.env[key] = value
        out.env_sources[key] = doc.pos(("env", key))
    out.shell = spec.shell or out.shell
    out.secrets.extend(s for s in as_list(spec.secrets) if s not in out.secrets)
    for name, data in spec.templates.items():
        out.templates[name] = Located(name, data, ((doc, ("templates", name)),))
    for name, data in spec.jobs.items():
        out.jobs.pop(name, None)  # a later definition moves to the including file's order
        out.jobs[name] = Located(name, data, ((doc, ("jobs", name)),))
    if not spec.jobs and doc is out.root and not out.jobs:
        out.problems.append(Problem(SourcePos(doc.file, 1), ProblemKind.SCHEMA, "jobs: no jobs defined"))


def resolve_extends(job: Located, asm: Assembled, chain: tuple[str, ...] = ()) -> Located:
    """``job`` with its ``extends:`` applied (recursively); raises :class:`ExtendsError`."""
    parents = job.data.get("extends", [])
    names = [parents] if isinstance(parents, str) else parents
    if not names:
        return job
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ExtendsError(
            job.pos(("extends",)), "extends: expected a template or job name, or a list of them"
        )
    data: dict[str, Any] = {}
    sources: tuple[tuple[Doc, KeyPath], ...] = ()
    for name in names:
        if name in (*chain, job.name):
            loop = " -> ".join((*chain, job.name, name))
            raise ExtendsError(job.pos(("extends",)), f"extends: loop {loop}")
        parent = asm.templates.get(name) or asm.jobs.get(name)
        if parent is None:
            hint = did_you_mean(name, [*asm.templates, *asm.jobs])
            raise ExtendsError(job.pos(("extends",)), f"extends: no template or job named '{name}' ({hint})")
        resolved = resolve_extends(parent, asm, (*chain, job.name))
        data = deep_merge(data, {k: v for k, v in resolved.data.items() if k != "extends"})
        sources = resolved.sources + sources
    merged = deep_merge(data, {k: v for k, v in job.data.items() if k != "extends"})
    return Located(job.name, merged, job.sources + sources)


class ExtendsError(Exception):
    def __init__(self, pos: SourcePos, message: str) -> None:
        super().__init__(message)
        self.problem = Problem(pos, ProblemKind.SCHEMA, message)


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out
