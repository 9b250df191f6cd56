"""A strict YAML reader for plan files: plain data plus where each value stands.

Built on the YAML event stream (libyaml's when present), it keeps every scalar a
string in Unicode NFC (so dates are located and validated by the model, not resolved
by PyYAML, and Vietnamese text compares equal however it was typed),
and rejects what a plan never needs and an attacker would use: anchors and aliases,
tags, duplicate keys, several documents, deep nesting, huge files.
"""

from dataclasses import field
from typing import Any
from unicodedata import is_normalized, normalize

import yaml

from dsday_cli.core.i18n import _
from dsday_cli.core.records import record

MAX_DEPTH = 32
_NULLS = {"", "~", "null", "Null", "NULL"}
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path = tuple[str | int, ...]
Mark = tuple[int, int]


class YamlProblem(ValueError):
    """A YAML file that is not a plain plan document; ``mark`` is (line, column), 1-based."""

    def __init__(self, message: str, mark: Mark):
        super().__init__(message)
        self.mark = mark


@record
class Document:
    """The data of a YAML document and the (line, column) of each value and mapping key."""

    data: object
    marks: dict[Path, Mark] = field(default_factory=dict)
    key_marks: dict[Path, Mark] = field(default_factory=dict)
    element_lines: dict[str, list[int]] = field(default_factory=dict)  # top-level sequences: where each element starts

    def locate(self, path: Path, at_key: bool = False) -> Mark:
        """The mark of ``path``, or of its closest recorded ancestor."""
        path = tuple(path)
        while path:
            found = (self.key_marks.get(path) if at_key else None) or self.marks.get(path)
            if found:
                return found
            path = path[:-1]
        return self.marks.get((), (1, 1))


def _nfc(text: str) -> str:
    # Values, not the source text, are normalised: an escape such as "\t" followed by a
    # combining mark would otherwise fuse into another character, and columns would shift.
    return text if is_normalized("NFC", text) else normalize("NFC", text)


def _mark(event: Any) -> Mark:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


def read_yaml(text: str, positions: bool = True) -> Document:
    """Parse one YAML document strictly; raises YamlProblem with a location.

    Without ``positions`` the document's marks stay empty (a third of the time on a large
    plan): for a caller that reads again with them only when it must locate a problem.
    """
    doc = Document(None)
    # Each frame: [container, path, key awaiting its value (mappings), key mark, element lines or None]
    stack: list[list[Any]] = []
    documents = 0

    def place_fast(value: object, event: Any) -> Path:
        if not stack:
            doc.data = value
        else:
            frame = stack[-1]
            container = frame[0]
            if isinstance(container, list):
                container.append(value)
            else:
                container[frame[2]] = value
                frame[2] = None
        return ()

    def place(value: object, event: Any) -> Path:
        if not stack:
            doc.data = value
            path: Path = ()
        else:
            frame = stack[-1]
            container, parent = frame[0], frame[1]
            if isinstance(container, list):
                path = (*parent, len(container))
                container.append(value)
            else:
                key = frame[2]
                path = (*parent, key)
                container[key] = value
                doc.key_marks[path] = frame[3]
                frame[2] = None
        doc.marks[path] = _mark(event)
        return path

    if not positions:
        place = place_fast  # noqa: F811
    event: Any  # libyaml's events: scalars carry tag, style and value
    try:
        for event in yaml.parse(text, Loader=_Parser):
            kind = type(event)
            if kind in (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent):
                continue
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlProblem(_("a plan file holds one YAML document"), _mark(event))
                continue
            if kind is yaml.AliasEvent or getattr(event, "anchor", None):
                raise YamlProblem(_("YAML anchors and aliases are not allowed in a plan"), _mark(event))
            if getattr(event, "tag", None) not in (None, "!"):
                raise YamlProblem(_("YAML tags are not allowed in a plan ({tag})").format(tag=event.tag), _mark(event))
            awaiting_key = bool(stack) and isinstance(stack[-1][0], dict) and stack[-1][2] is None
            if kind is yaml.ScalarEvent:
                value = None if event.style in (None, "") and event.value in _NULLS else _nfc(event.value)
                if awaiting_key:
                    if value is None:
                        raise YamlProblem(_("a key may not be empty"), _mark(event))
                    if value in stack[-1][0]:
                        raise YamlProblem(_("duplicate key '{key}'").format(key=value), _mark(event))
                    stack[-1][2], stack[-1][3] = value, (_mark(event) if positions else None)
                else:
                    if len(stack) == 2 and stack[1][4] is not None:
                        stack[1][4].append(event.start_mark.line + 1)
                    place(value, event)
            elif kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
                if awaiting_key:
                    raise YamlProblem(_("keys must be plain text"), _mark(event))
                if len(stack) >= MAX_DEPTH:
                    raise YamlProblem(_("nested deeper than {depth} levels").format(depth=MAX_DEPTH), _mark(event))
                container: dict[str, Any] | list[Any] = {} if kind is yaml.MappingStartEvent else []
                lines = None
                if len(stack) == 1 and kind is yaml.SequenceStartEvent and isinstance(stack[0][0], dict):
                    lines = doc.element_lines[stack[0][2]] = []
                elif len(stack) == 2 and stack[1][4] is not None:
                    stack[1][4].append(event.start_mark.line + 1)
                stack.append([container, place(container, event), None, None, lines])
            else:  # MappingEndEvent, SequenceEndEvent
                stack.pop()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblem(_("YAML syntax: {problem}").format(problem=error.problem or error.context), where) from None
    except yaml.YAMLError as error:
        raise YamlProblem(_("YAML syntax: {problem}").format(problem=error), (1, 1)) from None
    return doc
