"""Text that XML 1.0 can carry, for every workbook and Word document dsday writes.

C0 controls but tab, line feed and carriage return, U+FFFE, U+FFFF and lone
surrogates cannot stand in XML: a vertical tab or form feed (what Word puts in pasted
text) becomes a line break, anything else U+FFFD.
"""

import re

_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """``text`` with what XML 1.0 cannot carry replaced: \\v and \\f by a line break, the rest by U+FFFD."""
    if not _XML_UNSAFE.search(text):
        return text
    return _XML_UNSAFE.sub(lambda found: "\n" if found[0] in "\x0b\x0c" else "\ufffd", text)
