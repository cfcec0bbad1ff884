"""Safe YAML loading that remembers line numbers and refuses duplicate keys, keys that are not
plain scalars, and anchors/aliases (a rule pack needs none, and aliases nested in aliases
would let a few lines expand into billions of nodes)."""
from __future__ import annotations

from typing import Any, Iterable, Iterator

import yaml


class LineDict(dict):
    """A mapping from YAML that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]


class DuplicateKey(yaml.YAMLError):
    def __init__(self, key: Any, line: int):
        super().__init__(f"duplicate key {key!r}")
        self.key, self.line = key, line


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "anchors and aliases are not allowed here", mark)
        return super().compose_node(parent, index)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Iterator[LineDict]:
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(None, None, "a key must be a plain value",
                                                    key_node.start_mark)
        key = loader.construct_object(key_node, deep=True)
        if key in data.key_lines:
            raise DuplicateKey(key, key_node.start_mark.line + 1)
        data.key_lines[key] = key_node.start_mark.line + 1
        data[key] = loader.construct_object(value_node, deep=True)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load(text: str) -> Any:
    """Parse YAML safely; mappings come back as :class:`LineDict`."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader


def error_line(exc: yaml.YAMLError, text: str = "") -> int | None:
    """The 1-based line a YAML error points at, if it says."""
    if isinstance(exc, DuplicateKey):
        return exc.line
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML refuses, at a text offset
        return text.count("\n", 0, exc.position) + 1
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def line_of(root: Any, path: Iterable[Any]) -> int | None:
    """The line of the deepest mapping key on ``path`` (a jsonschema ``absolute_path``)."""
    line, node = getattr(root, "line", None), root
    for step in path:
        if isinstance(node, LineDict) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
            line = getattr(node, "line", line)
        else:
            break
    return line
