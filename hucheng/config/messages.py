"""Turn a pydantic validation error into one line: where, which key, what was expected."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from hucheng.config.layers import Layered, Origin
from hucheng.config.yamlfile import KeyPath, Located


def describe(
    err: ValidationError,
    model: type[BaseModel],
    layered: Layered,
    positions: dict[KeyPath, Located],
) -> str:
    errors = err.errors()
    first = _line(errors[0], model, layered, positions)
    if len(errors) > 1:
        first += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return first


def _line(error: Any, model: type[BaseModel], layered: Layered, positions: dict[KeyPath, Located]) -> str:
    full: KeyPath = tuple(error["loc"])
    loc = _without_tags(full, positions)
    dotted = ".".join(str(p) for p in loc) or "(top level)"
    origin = layered.origin(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        known = _known_keys(model, full[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}"
        what = f"unknown key ({hint})"
        where = _where(origin, loc, positions, key=True)
    elif kind == "union_tag_invalid":
        # a tagged union (e.g. tianyan.checks[].kind) given a tag it does not have
        ctx = error.get("ctx") or {}
        field = str(ctx.get("discriminator", "")).strip("'\"")
        tag = str(ctx.get("tag", ""))
        expected = [t.strip().strip("'\"") for t in str(ctx.get("expected_tags", "")).split(",") if t.strip()]
        close = difflib.get_close_matches(tag, expected, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(expected)}"
        loc = (*loc, field) if field else loc
        dotted = ".".join(str(p) for p in loc)
        what = f"unknown {field or 'type'} {tag!r} ({hint})"
        where = _where(layered.origin(loc), loc, positions, key=False)
    elif kind == "missing":
        what = "required key is missing"
        where = _where(layered.origin(loc[:-1]), loc[:-1], positions, key=True)
    else:
        msg = str(error["msg"])
        msg = msg[0].lower() + msg[1:]
        got = error.get("input")
        secret = any(loc[: len(p)] == p for p in layered.secret_paths)
        shown = "(a ${VAR} value)" if secret else repr(got)
        what = f"{msg}, got {shown}"
        where = _where(origin, loc, positions, key=False)
    return f"{where}: {dotted}: {what}"


def _without_tags(loc: KeyPath, positions: dict[KeyPath, Located]) -> KeyPath:
    """``loc`` without the tag pydantic inserts after a tagged union's list index
    (``tianyan.checks.0.http.timeout`` -> ``tianyan.checks.0.timeout``), which is not a key in the file."""
    out: list[Any] = []
    for i, part in enumerate(loc):
        tag_like = i > 0 and isinstance(loc[i - 1], int) and isinstance(part, str)
        if tag_like and (*out, part) not in positions and i + 1 < len(loc):
            continue
        out.append(part)
    return tuple(out)


def _where(origin: Origin, loc: KeyPath, positions: dict[KeyPath, Located], *, key: bool) -> str:
    if origin.layer == "file":
        file = origin.detail.rsplit(":", 2)[0] if origin.detail.count(":") >= 2 else origin.detail
        for cut in range(len(loc), 0, -1):
            located = positions.get(loc[:cut])
            if located:
                pos = located.key if key and cut == len(loc) else located.value
                return f"{file}:{pos.line}:{pos.column}"
        return file
    if origin.layer == "env":
        return f"environment variable {origin.detail}"
    if origin.layer == "flag":
        return f"option {origin.detail}"
    return "default config"


def _known_keys(model: type[BaseModel], loc: KeyPath) -> list[str]:
    import typing

    current: Any = model
    for part in loc:
        while typing.get_origin(current) is typing.Annotated:
            current = typing.get_args(current)[0]
        if typing.get_origin(current) is list and isinstance(part, int):
            current = typing.get_args(current)[0]
            continue
        member = _tagged_member(current, part)
        if member is not None:  # pydantic puts a tagged union's tag in the location: checks.0.http.x
            current = member
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = field.annotation
    fields = getattr(current, "model_fields", None)
    return sorted(fields) if fields else []


def _tagged_member(annotation: Any, tag: Any) -> Any:
    """The member of a tagged union whose Literal field has the value ``tag``, or None."""
    import typing

    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if not isinstance(tag, str) or getattr(annotation, "model_fields", None) is not None:
        return None
    for member in typing.get_args(annotation):
        for field in getattr(member, "model_fields", {}).values():
            if typing.get_origin(field.annotation) is typing.Literal and tag in typing.get_args(
                field.annotation
            ):
                return member
    return None
