"""Read a YAML config file into plain data, remembering where every key and value stands.

PyYAML's safe loader builds the values; its node tree gives the positions, so an error about
``metrics.pushgateway`` can say ``hucheng.yaml:12:5``. Duplicate keys, which PyYAML accepts
silently (last one wins), are an error here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from hucheng.errors import ConfigError

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclass(frozen=True)
class Located:
    """Where a key and its value stand in the file."""

    key: Position
    value: Position


def _pos(mark: yaml.Mark) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def read_yaml(path: Path) -> tuple[Any, dict[KeyPath, Located]]:
    """Return the document's data and the position of every key path in it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: config file not found", slug="config-missing") from exc
    except IsADirectoryError as exc:
        raise ConfigError(f"{path}: is a directory, expected a YAML file", slug="config-missing") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror}") from exc
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        positions: dict[KeyPath, Located] = {}
        _walk(node, (), path, positions)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = exc.problem or exc.context or "invalid YAML"
        raise ConfigError(f"{where}: YAML syntax error: {problem}", slug="config-syntax") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: YAML error: {exc}", slug="config-syntax") from exc
    finally:
        loader.dispose()
    return data, positions


def _walk(node: yaml.Node, prefix: KeyPath, path: Path, out: dict[KeyPath, Located]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, Position] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
                continue
            key = str(key_node.value)
            here = _pos(key_node.start_mark)
            if key in seen:
                first = seen[key]
                dotted = ".".join(str(p) for p in (*prefix, key))
                raise ConfigError(
                    f"{path}:{here.line}:{here.column}: {dotted}: duplicate key "
                    f"(first set on line {first.line}); keep one",
                    slug="config-duplicate",
                )
            seen[key] = here
            out[(*prefix, key)] = Located(here, _pos(value_node.start_mark))
            _walk(value_node, (*prefix, key), path, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            item_pos = _pos(item.start_mark)
            out[(*prefix, index)] = Located(item_pos, item_pos)
            _walk(item, (*prefix, index), path, out)
