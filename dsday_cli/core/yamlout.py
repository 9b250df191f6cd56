"""Plan data as block-style YAML a person edits, with comments where a value needs explaining.

Text is written plain when every YAML reader (1.1 and 1.2, PyYAML and ruamel.yaml)
reads it back as the same string, else double-quoted with escapes: Vietnamese titles
hold ", " and ": ", and a title may look like a number, a date or a boolean. Flow
style is used only for an empty list. Pure functions, no I/O.
"""

import re
import unicodedata
from datetime import date
from typing import Any

Comments = dict[tuple[object, ...], list[str]]

# What YAML 1.1 or 1.2 would read as something other than a string.
_SPECIAL = re.compile(
    r"""(
      ~|null|true|false|yes|no|on|off|y|n|=|<<
    | [-+]?(\d[\d_]*)?\.?[\d_]*([eE][-+]?\d+)?
    | [-+]?0[box][\da-fA-F_]+
    | [-+]?\d[\d_]*(:[0-5]?\d)+(\.[\d_]*)?
    | [-+]?\.(inf|nan)
    | \d{4}-\d{1,2}-\d{1,2}([Tt ].*)?
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def _printable(char: str) -> bool:
    return char == " " or unicodedata.category(char)[0] not in "CZ"


def is_plain_safe(text: str) -> bool:
    """Whether ``text`` can be written unquoted and read back as the same string by any YAML reader."""
    return bool(
        text
        and text == text.strip()
        and all(_printable(c) for c in text)
        and text[0] not in _INDICATORS
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and not _SPECIAL.fullmatch(text)
        and unicodedata.is_normalized("NFC", text)
    )


def quote(text: str) -> str:
    """``text`` as a YAML double-quoted scalar."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif _printable(char):
            out.append(char)
        elif ord(char) <= 0xFF:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def scalar(value: object) -> str:
    """One value as a YAML scalar: booleans, numbers and days plain; text plain when safe, else quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text if is_plain_safe(text) else quote(text)


def comment_line(text: str, indent: int) -> str:
    """A ``# comment`` line: anything that a YAML reader takes for a line break becomes a space."""
    flat = "".join(c if _printable(c) else " " for c in text)
    return " " * indent + ("# " + " ".join(flat.split())).rstrip()


def to_yaml(data: dict[str, Any], comments: Comments | None = None, header: list[str] | None = None) -> str:
    """``data`` as block-style YAML; ``comments[path]`` are written just above the value at ``path``."""
    comments = comments or {}
    lines = [comment_line(text, 0) for text in header or []] + ([""] if header else [])
    _mapping(data, 0, (), comments, lines)
    return "\n".join(lines) + "\n"


def _notes(path: tuple[object, ...], indent: int, comments: Comments, lines: list[str]) -> None:
    lines.extend(comment_line(text, indent) for text in comments.get(path, []))


def _mapping(
    data: dict[Any, Any], indent: int, path: tuple[object, ...], comments: Comments, lines: list[str], first: str = ""
) -> None:
    """Write a mapping; ``first`` is the ``- `` that starts it as a list element."""
    pad = " " * indent
    for index, (key, value) in enumerate(data.items()):
        lead = first if index == 0 and first else pad
        if not (index == 0 and first):
            _notes((*path, key), indent, comments, lines)
        key_text = scalar(key)
        if isinstance(value, dict):
            lines.append(f"{lead}{key_text}:")
            _mapping(value, indent + 2, (*path, key), comments, lines)
        elif isinstance(value, list):
            if not value:
                lines.append(f"{lead}{key_text}: []")
                continue
            lines.append(f"{lead}{key_text}:")
            _sequence(value, indent + 2, (*path, key), comments, lines)
        else:
            lines.append(f"{lead}{key_text}: {scalar(value)}")


def _sequence(values: list[Any], indent: int, path: tuple[object, ...], comments: Comments, lines: list[str]) -> None:
    pad = " " * indent
    for index, value in enumerate(values):
        _notes((*path, index), indent, comments, lines)
        if isinstance(value, dict) and value:
            first_key = next(iter(value))
            _notes((*path, index, first_key), indent, comments, lines)
            _mapping(value, indent + 2, (*path, index), comments, lines, first=f"{pad}- ")
        elif isinstance(value, list):
            raise ValueError("nested lists are not written")
        else:
            lines.append(f"{pad}- {scalar(value)}")
