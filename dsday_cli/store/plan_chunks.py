"""A plan's text cut at its items, so that an edit is read again only where it changed.

``cut`` finds the ``responsibilities:`` block sequence and starts a chunk at each line
that opens one of its items; the text before the first item (the head) and after the
last one (the tail) stays whole, and the pieces put together are the text again.

The cut is a reading of lines, not of YAML, so it is trusted only where the parser
agrees: the index keeps a plan's chunk hashes only when a full read of the same text
started its items on exactly the lines the cut found and the last item reads alone
(so nothing of it runs on into the tail); after an edit it reads each changed chunk
on its own, and a construct running across a cut (a quoted text or a bracket left
open) makes that read fail, which sends the command back to a full read. Text with
line breaks other than LF and CRLF (a lone CR, NEL, LS, PS: YAML counts them, the
cut does not) is not cut.
"""

import re

from dsday_cli.core.records import record

_KEY = re.compile(r"^responsibilities:[ \t]*(?:#[^\n]*)?\r?$", re.M)
_OTHER_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")  # line breaks to YAML (1.1), not to the lines cut here
_FILLER = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*")  # blank and comment lines
_SPACES = re.compile(r" *")


@record
class Cut:
    """A plan's text as head + items + tail; ``lines`` is the 1-based line each item starts on."""

    head: str
    items: list[str]
    tail: str
    lines: list[int]


def cut(text: str) -> Cut | None:
    """The plan's text cut at its items; None when the items are not one plain block sequence."""
    found = _KEY.search(text)
    if found is None or _KEY.search(text, found.end()) is not None or _OTHER_BREAKS.search(text):
        return None
    start = text.find("\n", found.end()) + 1
    if start == 0:
        return None
    first = _FILLER.match(text, start).end()  # type: ignore[union-attr]  # it matches, if only the empty string
    spaces = _SPACES.match(text, first).group()  # type: ignore[union-attr]
    if not text.startswith("-", first + len(spaces)):
        return None
    # An item opens where a line holds just the indentation and "-"; the items end at the first
    # line that holds something else and is not indented further (nor blank, nor a comment).
    opener = re.compile(rf"^{spaces}-(?=[ \t\r\n]|\Z)", re.M)
    closer = re.compile(rf"^(?!{spaces}-(?:[ \t\r\n]|\Z))(?![ \t\r]*(?:#|\n|\Z))(?!{spaces}[ \t])", re.M)
    ended = closer.search(text, first)
    end = ended.start() if ended else len(text)
    starts = [match.start() for match in opener.finditer(text, first, end)]
    if not starts or starts[0] != first:
        return None
    items = [text[a:b] for a, b in zip(starts, [*starts[1:], end])]
    lines, line, at = [], text.count("\n", 0, first) + 1, first
    for offset in starts:
        line += text.count("\n", at, offset)
        lines.append(line)
        at = offset
    return Cut(text[:first], items, text[end:], lines)
