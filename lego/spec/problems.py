"""Problems found in a pipeline: each one line with file:line:col, gathered so ``lego validate`` can
show them all, and turned into the first one's error by ``load_pipeline``."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ValidationError

from lego.errors import BrickError, ExpressionError, LegoError, PipelineError
from lego.model import SourcePos


class ProblemKind(StrEnum):
    YAML = "yaml"
    SCHEMA = "schema"
    NEEDS = "needs"
    CYCLE = "cycle"
    BRICK = "brick"
    EXPRESSION = "expression"
    MATRIX = "matrix"


_ERRORS: dict[ProblemKind, type[LegoError]] = {
    ProblemKind.BRICK: BrickError,
    ProblemKind.EXPRESSION: ExpressionError,
}


@dataclass(frozen=True)
class Problem:
    pos: SourcePos
    kind: ProblemKind
    message: str  # without the position

    @property
    def where(self) -> str:
        return self.pos.file if self.pos.line == 0 else str(self.pos)  # line 0: the file as a whole

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def error(self, more: int = 0) -> LegoError:
        tail = (
            f" (and {more} more problem{'s' if more > 1 else ''}: run `hucheng lego validate`)"
            if more
            else ""
        )
        return _ERRORS.get(self.kind, PipelineError)(f"{self}{tail}")


class ProblemsError(Exception):
    """Raised inside the loader with the problems found so far; never leaves ``lego.spec``."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(str(problems[0]))
        self.problems = problems


def did_you_mean(word: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"known: {', '.join(sorted(known))}" if known else ""


def from_validation(
    err: ValidationError,
    model: type[BaseModel],
    where: Callable[[tuple[str | int, ...]], SourcePos],
    label: str,
) -> list[Problem]:
    """One problem per pydantic error; ``where`` maps a key path (relative to the model) to a position,
    ``label`` names the thing (``jobs.test``) at the start of the dotted key."""
    problems = []
    errors = _prefer_deepest_union_member(err.errors())
    for error in errors:
        loc = tuple(p for p in error["loc"] if not _is_union_tag(p))
        dotted = ".".join(str(p) for p in (label, *loc) if p != "")
        kind = error["type"]
        if kind == "extra_forbidden":
            known = known_keys(model, loc[:-1])
            what = f"unknown key ({did_you_mean(str(loc[-1]), known)})"
        elif kind == "missing":
            what = "required key is missing"
            loc = loc[:-1]
        elif kind == "value_error":
            what = str(error["msg"]).removeprefix("Value error, ")
        elif kind == "string_type" and isinstance(error.get("input"), (bool, int, float)):
            # ``run: false`` or ``name: yes``: YAML read the bare word as a boolean (numbers keep
            # their text, see lego.spec.yamldoc; a boolean's spelling is gone by now)
            seen = "a boolean" if isinstance(error["input"], bool) else "a number"
            what = f"expected text, but YAML reads this unquoted value as {seen}; put it in quotes"
        else:
            msg = str(error["msg"])
            what = f"{msg[0].lower()}{msg[1:]}, got {error.get('input')!r}"
        problems.append(Problem(where(loc), ProblemKind.SCHEMA, f"{dotted}: {what}"))
    return problems


def _prefer_deepest_union_member(errors: list[Any]) -> list[Any]:
    """``retry: {max: -1}`` fails both union members (a mapping, a number); keep the member's error that
    went deeper (``retry.max``), not "input should be a valid integer" for the whole value."""
    stripped = [tuple(p for p in e["loc"] if not _is_union_tag(p)) for e in errors]
    keep = []
    for i, error in enumerate(errors):
        tagged = any(_is_union_tag(p) for p in error["loc"])
        deeper = any(
            len(other) > len(stripped[i]) and other[: len(stripped[i])] == stripped[i]
            for j, other in enumerate(stripped)
            if j != i
        )
        if not (tagged and deeper):
            keep.append(error)
    return keep


def _is_union_tag(part: Any) -> bool:
    # pydantic adds the union member's name to the location ("str", "list[str]", "RetrySpec")
    return isinstance(part, str) and ("[" in part or part.endswith("Spec") or part in _SCALAR_TAGS)


_SCALAR_TAGS = frozenset({"str", "int", "bool", "float", "constrained-int"})


def known_keys(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        current = _model_in(current)
        if current is None:
            return []
        field = next((f for n, f in current.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            return []
        current = field.annotation
    final = _model_in(current)
    return [f.alias or n for n, f in final.model_fields.items()] if final else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
