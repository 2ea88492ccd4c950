"""Bricks: reusable step templates with declared, typed inputs, found by name in brick directories.

A brick is one YAML file, ``<name>.yml`` (or ``<name>@<version>.yml`` to keep several versions side
by side), holding :class:`~lego.spec.schema.BrickSpec`: ``name``, ``version``, ``inputs``
(``type``: string/number/boolean/choice, ``required``, ``default``), ``outputs``, ``steps``, and
``job:`` keys that apply when the brick is a whole job. ``uses: name`` takes the file ``name.yml``;
``uses: name@1`` takes the version that equals ``1`` or starts with ``1.``.

Inputs are bound when the pipeline loads: every ``inputs.X`` inside a brick's ``${{ }}`` is replaced
by the caller's value, and an expression that then reads nothing run-time (no ``env``, ``matrix``,
``needs``, ``steps``, status or file functions) is evaluated at once. A ``with:`` value that itself
holds ``${{ }}`` (``python: ${{ matrix.python }}``) is spliced in as an expression and evaluated
when the step runs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lego.errors import BrickError, ExpressionError
from lego.spec.expressions import EXPR_RE, ExprContext, evaluate, find_expressions, references
from lego.spec.exprvalues import to_str
from lego.spec.problems import did_you_mean, from_validation
from lego.spec.schema import BrickInputSpec, BrickSpec
from lego.spec.yamldoc import Doc, load_doc, scalar_text

#: roots and functions whose value is only known at run time
RUNTIME_ROOTS = frozenset({"env", "matrix", "needs", "steps", "git", "secrets"})
RUNTIME_FUNCTIONS = frozenset({"success", "failure", "always", "cancelled", "hashfiles", "changes"})
_INPUT_REF = re.compile(r"(?<![\w.-])inputs\.([A-Za-z_][A-Za-z0-9_-]*)|(?<![\w.-])inputs\['([^']+)'\]")


@dataclass(frozen=True)
class Brick:
    spec: BrickSpec
    doc: Doc

    @property
    def ref(self) -> str:
        return f"{self.spec.name}@{self.spec.version}"


def find_brick(ref: str, dirs: Sequence[Path]) -> Brick:
    """The brick ``name`` or ``name@version`` from the first directory that has it."""
    name, _, want = ref.partition("@")
    if not name or not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise BrickError(f"'{ref}' is not a brick name; write NAME or NAME@VERSION")
    seen: list[str] = []
    for folder in dirs:
        candidates = [folder / f"{name}.yml", folder / f"{name}.yaml", *sorted(folder.glob(f"{name}@*.y*ml"))]
        for path in candidates:
            if not path.is_file():
                continue
            brick = load_brick(path)
            seen.append(brick.spec.version)
            if not want or brick.spec.version == want or brick.spec.version.startswith(want + "."):
                return brick
    where = ", ".join(str(d) for d in dirs) or "(no brick directories)"
    if seen:
        raise BrickError(f"brick '{name}' has no version {want} (found {', '.join(seen)}) in {where}")
    names = {f.stem.split("@", 1)[0] for d in dirs for f in [*d.glob("*.yml"), *d.glob("*.yaml")]}
    hint = did_you_mean(name, sorted(names))
    raise BrickError(
        f"brick '{name}' not found in {where}" + (f" ({hint})" if hint else "") + f"; put {name}.yml in "
        "configs/lego/bricks/ beside the pipeline, add --bricks DIR, or fix the name"
    )


def list_bricks(dirs: Sequence[Path]) -> list[Brick]:
    """Every brick file in ``dirs`` (all versions), the first directory's first for a name and version.
    A broken brick file raises :class:`BrickError` naming it."""
    seen: set[tuple[str, str]] = set()
    out = []
    for folder in dirs:
        for path in sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]):
            brick = load_brick(path)
            ident = (brick.spec.name, brick.spec.version)
            if ident not in seen:
                seen.add(ident)
                out.append(brick)
    return sorted(out, key=lambda b: (b.spec.name, b.spec.version))


def describe_inputs(brick: Brick) -> str:
    """``who* (string), times (number, 1)``: ``*`` marks a required input; the default follows the type."""
    parts = []
    for name, spec in brick.spec.inputs.items():
        default = scalar_text(spec.default) if not spec.required else ""
        shown = f", {default}" if default else ""
        parts.append(f"{name}{'*' if spec.required else ''} ({spec.type}{shown})")
    return ", ".join(parts)


def load_brick(path: Path) -> Brick:
    doc = load_doc(path, error=BrickError)
    if not isinstance(doc.data, dict):
        raise BrickError(f"{doc.file}:1:1: a brick file is a mapping with name, version, inputs and steps")
    try:
        spec = BrickSpec.model_validate(doc.data)
    except ValidationError as exc:
        problems = from_validation(exc, BrickSpec, doc.pos, "brick")
        raise BrickError(str(problems[0])) from exc
    return Brick(spec, doc)


class BoundInputs(dict[str, str]):
    """Input name -> expression text; ``texts`` keeps a ``with:`` value that holds ``${{ }}`` as written,
    so ``${{ inputs.python }}`` alone becomes ``python${{ matrix.python }}`` again, not a format()."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: dict[str, str] = {}


def bind_inputs(brick: Brick, given: dict[str, Any], where: str) -> BoundInputs:
    """The caller's ``with:`` checked against the brick's inputs: each value as expression text
    (a literal, or the caller's own expression). ``where`` is the caller's file:line."""
    declared = brick.spec.inputs
    for key in given:
        if key not in declared:
            hint = did_you_mean(key, list(declared)) or "it declares no inputs"
            raise BrickError(f"{where}: with.{key}: brick {brick.ref} has no input '{key}' ({hint})")
    bound = BoundInputs()
    for key, spec in declared.items():
        if key in given:
            bound[key] = _as_expression(key, spec, given[key], brick, where)
            text = scalar_text(given[key])
            if text is not None and "${{" in text:
                bound.texts[key] = text
        elif spec.required:
            raise BrickError(
                f"{where}: with.{key}: brick {brick.ref} requires input '{key}'; add it under with:"
            )
        else:
            bound[key] = _as_expression(key, spec, spec.default, brick, f"{brick.doc.file} (default)")
    return bound


def _as_expression(key: str, spec: BrickInputSpec, value: Any, brick: Brick, where: str) -> str:
    text = scalar_text(value)
    if text is None:
        raise BrickError(
            f"{where}: with.{key}: brick {brick.ref} input '{key}' takes a scalar, got {value!r}"
        )
    if "${{" in text:
        return _text_to_expression(text)
    if spec.type == "number":
        try:
            float(text)
        except ValueError:
            raise BrickError(
                f"{where}: with.{key}: brick {brick.ref} input '{key}' is a number, got {text!r}"
            ) from None
        return text
    if spec.type == "boolean":
        if text.lower() not in ("true", "false"):
            raise BrickError(
                f"{where}: with.{key}: brick {brick.ref} input '{key}' is true or false, got {text!r}"
            ) from None
        return text.lower()
    if spec.type == "choice" and text not in spec.options:
        options = ", ".join(spec.options)
        raise BrickError(
            f"{where}: with.{key}: brick {brick.ref} input '{key}' is one of {options}, got {text!r}"
        )
    return _literal(text)


def bound_globs(values: list[str] | str, bound: BoundInputs, brick: Brick) -> list[str]:
    """A brick's ``job:`` glob list (junit, artifacts, inputs) with inputs bound; an entry that still
    needs run-time values (``${{ matrix.x }}``) is left out, as globs are matched as written."""
    out = []
    for value in [values] if isinstance(values, str) else values:
        text = substitute(value, bound, brick, brick.doc.file)
        if "${{" not in text and text:
            out.append(text)
    return out


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _text_to_expression(text: str) -> str:
    """``py${{ matrix.v }}`` -> ``format('py{0}', (matrix.v))``; ``${{ e }}`` alone -> ``(e)``."""
    parts = list(find_expressions(text))
    whole = EXPR_RE.fullmatch(text.strip())
    if whole and len(parts) == 1:
        return f"({parts[0][1]})"
    template = EXPR_RE.sub(lambda m: "\0", text).replace("{", "{{").replace("}", "}}")
    for index in range(len(parts)):
        template = template.replace("\0", f"{{{index}}}", 1)
    args = ", ".join(f"({expr})" for _, expr in parts)
    return f"format({_literal(template)}, {args})"


def substitute(text: str, bound: BoundInputs, brick: Brick, where: str) -> str:
    """``text`` from the brick with every ``inputs.X`` bound; static expressions evaluated now."""
    if "${{" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        expr = match.group(1).strip()
        whole = _INPUT_REF.fullmatch(expr)
        if whole and (whole.group(1) or whole.group(2)) in bound.texts:
            return bound.texts[whole.group(1) or whole.group(2)]

        def swap(ref: re.Match[str]) -> str:
            name = ref.group(1) or ref.group(2)
            if name not in bound:
                raise BrickError(f"{where}: brick {brick.ref} reads inputs.{name}, which it does not declare")
            return bound[name]

        rewritten = _INPUT_REF.sub(swap, expr)
        if rewritten == expr:
            return match.group(0)
        try:
            paths, calls = references(rewritten)
        except ExpressionError as exc:
            raise BrickError(f"{where}: brick {brick.ref}: {exc}") from exc
        if any(p[0] in RUNTIME_ROOTS for p in paths) or calls & RUNTIME_FUNCTIONS:
            return "${{ " + rewritten + " }}"
        return to_str(evaluate(rewritten, ExprContext()))

    return EXPR_RE.sub(one, text)
