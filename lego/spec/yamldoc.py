"""Read a pipeline or brick YAML file into plain data, remembering where every node stands.

Like ``hucheng.config.yamlfile`` (safe loader, duplicate keys are an error) but with lego's errors
and one more thing pipelines need: the scalar's text as written, so ``python: [3.10, 3.11]`` in a
matrix or ``VERSION: 1.10`` in ``env`` stays ``"3.10"``/``"1.10"`` instead of becoming a float
(GitHub Actions' best-known YAML trap), ``BUILD: 010`` stays ``"010"`` (not YAML 1.1's octal 8),
and booleans are YAML 1.2's, as in GitHub Actions: only ``true``/``false``, so ``COUNTRY: no`` is
``"no"``. ``<<`` merge keys and anchors work as usual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lego.errors import LegoError, PipelineError
from lego.model import SourcePos
from lego.pipecache import READS, text_digest

KeyPath = tuple[str | int, ...]

#: libyaml's parser when PyYAML was built with it (about 10x faster on big pipelines); marks are the same
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlInt(int):
    """An int written other than as plain decimal (``010``, ``1_000``, ``0x1F``, ``1:30``, which YAML
    1.1 reads as 8, 1000, 31 and 90): ``str()`` gives the text, arithmetic the number."""

    raw: str

    def __new__(cls, value: int, raw: str) -> YamlInt:
        obj = super().__new__(cls, value)
        obj.raw = raw
        return obj

    def __getnewargs__(self) -> tuple[int, str]:  # type: ignore[override]
        return int(self), self.raw

    def __str__(self) -> str:
        return self.raw


#: YAML 1.2's booleans (what GitHub Actions reads); YAML 1.1 also reads yes/no/on/off/y/n as
#: booleans, so ``COUNTRY: no`` would become "false" and ``FLAG: on`` "true"
_BOOL_WORDS = frozenset({"true", "True", "TRUE", "false", "False", "FALSE"})


class YamlFloat(float):
    """A float as written in the file: ``str()`` gives the text (``3.10``), arithmetic the number."""

    raw: str

    def __new__(cls, value: float, raw: str) -> YamlFloat:
        obj = super().__new__(cls, value)
        obj.raw = raw
        return obj

    def __str__(self) -> str:
        return self.raw


def scalar_text(value: Any) -> str | None:
    """A scalar as text, the way it was written where that matters; None for a list or mapping."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (YamlFloat, YamlInt)):
        return value.raw
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (int, str)):
        return str(value)
    return None


@dataclass(frozen=True)
class ValueAnchor:
    """Where a scalar value holding ``${{`` starts, so an offset inside it maps to a file position."""

    pos: SourcePos  # the value's first character (for ``|``/``>`` blocks: the indicator)
    style: str | None  # None (plain), "'", '"', "|" or ">"
    indent: int = 0  # a block's content indentation, in characters

    def locate(self, text: str, offset: int) -> SourcePos:
        """The file position of ``text[offset]``: exact for literal blocks (``|``) and one-line plain
        or quoted values; else the value's start."""
        line_in = text.count("\n", 0, offset)
        col_in = offset - (text.rfind("\n", 0, offset) + 1)
        p = self.pos
        if self.style == "|":
            return SourcePos(p.file, p.line + 1 + line_in, self.indent + col_in + 1)
        if line_in == 0 and self.style is None:
            return SourcePos(p.file, p.line, p.column + col_in)
        if (
            line_in == 0
            and self.style in ("'", '"')
            and "\\" not in text[:offset]
            and "''" not in text[:offset]
        ):
            return SourcePos(p.file, p.line, p.column + 1 + col_in)
        return p


@dataclass(frozen=True)
class Doc:
    """A loaded YAML file: its data, and the position of each key path."""

    file: str
    data: Any
    #: key path -> PyYAML's mark of the key (turned into a SourcePos only when asked: big files)
    positions: dict[KeyPath, yaml.Mark] = field(default_factory=dict)
    #: scalar values that hold ``${{`` and ``if:`` values, for exact expression positions
    anchors: dict[KeyPath, ValueAnchor] = field(default_factory=dict)

    def exact(self, path: KeyPath) -> SourcePos | None:
        """The position of ``path`` itself, or None."""
        mark = self.positions.get(path)
        return SourcePos(self.file, mark.line + 1, mark.column + 1) if mark is not None else None

    def pos(self, path: KeyPath) -> SourcePos:
        """The position of ``path``, or of its nearest ancestor that has one, or line 1."""
        for cut in range(len(path), -1, -1):
            found = self.exact(path[:cut])
            if found:
                return found
        return SourcePos(self.file, 1, 1)


def load_doc(path: Path, *, display: str | None = None, error: type[LegoError] = PipelineError) -> Doc:
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise error(f"{name}: file not found; give the pipeline file with -f FILE") from exc
    except IsADirectoryError as exc:
        raise error(f"{name}: is a directory, expected a YAML file") from exc
    except UnicodeDecodeError as exc:
        raise error(f"{name}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc
    except OSError as exc:
        raise error(f"{name}: cannot read: {exc.strerror}") from exc
    reads = READS.get()
    if reads is not None:
        reads.append((str(path.absolute()), text_digest(text)))
    return parse_doc(text, name, error=error)


def parse_doc(text: str, name: str, *, error: type[LegoError] = PipelineError) -> Doc:
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Doc(name, {})
        doc = Doc(name, None)
        data = _build(node, (), loader, doc)
        _anchor_blocks(doc, text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        problem = exc.problem or exc.context or "invalid YAML"
        if mark is not None and text[mark.index : mark.index + 1] == "\t":
            problem += " (a tab: YAML indents with spaces only)"
        raise error(f"{where}: YAML syntax error: {problem}") from exc
    except yaml.YAMLError as exc:
        raise error(f"{name}: YAML error: {exc}") from exc
    finally:
        loader.dispose()
    return Doc(name, data, doc.positions, doc.anchors)


def _pos(doc: Doc, mark: yaml.Mark) -> SourcePos:
    return SourcePos(doc.file, mark.line + 1, mark.column + 1)


def _build(node: yaml.Node, path: KeyPath, loader: yaml.SafeLoader, doc: Doc) -> Any:
    if isinstance(node, yaml.ScalarNode):
        if "${{" in node.value or (path and path[-1] == "if"):
            doc.anchors[path] = ValueAnchor(_pos(doc, node.start_mark), node.style or None)
        construct = loader.yaml_constructors.get(node.tag)
        value = construct(loader, node) if construct else loader.construct_object(node, deep=True)
        if isinstance(value, bool):
            return value if node.value in _BOOL_WORDS else node.value  # YAML 1.2: yes/on are text
        if isinstance(value, int):
            return value if str(value) == node.value else YamlInt(value, node.value)
        return YamlFloat(value, node.value) if isinstance(value, float) else value
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # resolves ``<<: *anchor``
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise PipelineError(f"{_pos(doc, key_node.start_mark)}: a key must be a plain scalar")
            text = str(key_node.value)
            key_path = (*path, text)
            if text in out:
                first = doc.positions[key_path]
                raise PipelineError(
                    f"{_pos(doc, key_node.start_mark)}: {'.'.join(str(p) for p in key_path)}: duplicate key "
                    f"(first set on line {first.line + 1}); keep one"
                )
            doc.positions[key_path] = key_node.start_mark
            out[text] = _build(value_node, key_path, loader, doc)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            doc.positions[(*path, index)] = item.start_mark
            items.append(_build(item, (*path, index), loader, doc))
        return items
    return loader.construct_object(node, deep=True)  # pragma: no cover - YAML has no other node kinds


def _anchor_blocks(doc: Doc, text: str) -> None:
    """Give literal blocks their content indentation (the first non-blank line after the indicator)."""
    lines: list[str] | None = None
    for path, anchor in list(doc.anchors.items()):
        if anchor.style != "|":
            continue
        lines = lines if lines is not None else text.splitlines()
        for line in lines[anchor.pos.line :]:
            if line.strip():
                doc.anchors[path] = ValueAnchor(anchor.pos, "|", len(line) - len(line.lstrip(" ")))
                break
