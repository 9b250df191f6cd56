"""Text and tables out of a plan document: .docx, .pdf, .txt/.md, and annex tables in .xlsx/.csv.

Each reader returns a ``Source``: the document's lines in reading order, with its
tables standing where they were. Nothing here interprets the text (``draft.py``
does). Documents are untrusted: a FIFO or device is refused without waiting on it,
sizes are capped before anything is unpacked and a package is bounded before a
library expands it (``office.py``), macro-enabled packages are refused, and every
failure is one ``DocumentInvalid`` (or ``InputMissing``) line naming the file;
nothing is written anywhere.
"""

import os
import re
import unicodedata
from dataclasses import field
from datetime import date, datetime
from itertools import islice
from pathlib import Path

from dsday_cli.core.errors import DocumentInvalid, InputMissing, UsageError
from dsday_cli.core.i18n import _
from dsday_cli.core.records import record

MAX_FILE_BYTES = 50 * 2**20  # larger than any plan document, images included
MAX_TEXT_CHARS = 2_000_000  # about a thousand pages of text
MAX_PAGES = 1000
MAX_TABLE_ROWS = 20_000
MAX_TABLE_COLUMNS = 60
TEXT_TYPES = (".txt", ".md", ".markdown", ".text")
TABLE_TYPES = (".xlsx", ".csv")
DOCUMENT_TYPES = (".docx", ".pdf", *TEXT_TYPES, *TABLE_TYPES)
# Control characters (but tab) and the line and paragraph separators never belong in plan text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_PAGE_NUMBER = re.compile(r"(Trang\s+)?[-–]?\s*\d{1,3}\s*[-–]?(\s*/\s*\d{1,3})?", re.IGNORECASE)
_PIPE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


@record
class Table:
    """A table of the document: rows of cell text, and where it stands (for messages)."""

    rows: list[list[str]]
    where: str
    places: list[str] = field(default_factory=list)  # where each row stands ("line 31", "sheet 'PL', row 7")

    def place(self, index: int) -> str:
        """Where row ``index`` (0-based) stands, for messages."""
        if index < len(self.places):
            return self.places[index]
        return _("{where}, row {row}").format(where=self.where, row=index + 1)


@record
class Source:
    """A document's text as lines in reading order ('' for a blank line), and its tables."""

    name: str
    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    kind: str = "text"  # "text" (a document) or "table" (a spreadsheet or CSV file)


def clean(text: str) -> str:
    """Text as NFC, control characters dropped, tabs, no-break spaces and runs of spaces as one space."""
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text))
    text = _SPACES.sub(" ", text)  # tabs, no-break and other wide spaces Word documents hold
    return re.sub(r" {2,}", " ", text).strip()


def read_source(path: Path) -> Source:
    """The lines and tables of the document at ``path``, by its type (the file name's ending)."""
    suffix = path.suffix.lower()
    if suffix not in DOCUMENT_TYPES:
        hint = _("save it as .docx") if suffix in (".doc", ".rtf", ".odt") else ""
        raise UsageError(
            _("{path}: dsday cannot read '{type}' files; it reads {types}").format(
                path=path, type=suffix or path.name, types=", ".join(DOCUMENT_TYPES)
            )
            + (f" ({hint})" if hint else "")
        )
    raw = _read_bytes(path)
    if suffix == ".docx":
        return _docx(path, raw)
    if suffix == ".pdf":
        return _pdf(path, raw)
    if suffix == ".xlsx":
        return _xlsx(path, raw)
    text = _decode(path, raw)
    if suffix == ".csv":
        return _csv(path, text)
    return _text(path, text)


def _read_bytes(path: Path) -> bytes:
    from dsday_cli.store.files import NotRegularFile, open_regular

    try:
        with open_regular(path) as stream:  # a FIFO or device is refused at once, never waited on
            raw = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise InputMissing(_("{path}: no such file").format(path=path)) from None
    except IsADirectoryError:
        raise InputMissing(_("{path}: is a directory, not a document").format(path=path)) from None
    except NotRegularFile as error:
        if os.path.isdir(path):
            raise InputMissing(_("{path}: is a directory, not a document").format(path=path)) from None
        raise InputMissing(_("{path}: cannot read: {reason}").format(path=path, reason=error.strerror)) from None
    except OSError as error:
        raise InputMissing(_("{path}: cannot read: {reason}").format(path=path, reason=error.strerror)) from None
    if len(raw) > MAX_FILE_BYTES:
        raise DocumentInvalid(
            _("{path}: larger than {size} MiB; not a plausible plan document").format(
                path=path, size=MAX_FILE_BYTES // 2**20
            )
        )
    return raw


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith(b"\xd0\xcf\x11\xe0") or raw.startswith(b"PK\x03\x04") or raw.startswith(b"%PDF"):
        raise DocumentInvalid(
            _("{path}: not a text file (a Word, Excel or PDF file renamed?); give it its own ending").format(path=path)
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise DocumentInvalid(
            _("{path}:{line}: not UTF-8 text; save it as UTF-8 (Excel: 'CSV UTF-8')").format(path=path, line=line)
        ) from None
    _check_text_size(path, len(text))
    return text


def _check_text_size(path: Path, chars: int) -> None:
    if chars > MAX_TEXT_CHARS:
        raise DocumentInvalid(
            _("{path}: {chars} characters of text; more than a plan holds (the limit is {limit})").format(
                path=path, chars=chars, limit=MAX_TEXT_CHARS
            )
        )


def _text(path: Path, text: str) -> Source:
    """Plain text or Markdown: one line each; Markdown pipe tables become tables."""
    source = Source(path.name)
    pending: list[list[str]] = []
    places: list[str] = []
    start = 0
    for number, raw_line in enumerate(text.splitlines(), 1):
        line = clean(raw_line)
        if line.startswith("|") and line.count("|") >= 2:
            if not pending:
                start = number
            if not _PIPE_SEPARATOR.match(line):
                pending.append([clean(cell) for cell in line.strip("|").split("|")])
                places.append(_("line {line}").format(line=number))
            continue
        if pending:
            source.tables.append(Table(pending, _("line {line}").format(line=start), places))
            source.lines.append("")
            pending, places = [], []
        source.lines.append(line)
    if pending:
        source.tables.append(Table(pending, _("line {line}").format(line=start), places))
    return source


def _docx(path: Path, raw: bytes) -> Source:
    """A Word document's paragraphs and tables in reading order; list items get a dash."""
    import io

    from dsday_cli.documents.office import open_package

    package = open_package(raw, path, ".docx")
    if "word/document.xml" not in {m.filename for m in package.infolist()}:
        raise DocumentInvalid(_("{path}: a ZIP package, but not a Word document").format(path=path))
    try:
        import docx
        from docx.table import Table as DocxTable

        document = docx.Document(io.BytesIO(raw))
        source = Source(path.name)
        chars = 0
        numbering = _Numbering(document)
        for block in document.iter_inner_content():
            if isinstance(block, DocxTable):
                rows = _docx_rows(block)
                where = _("table {number}").format(number=len(source.tables) + 1)
                places = [_("{where}, row {row}").format(where=where, row=n) for n in range(1, len(rows) + 1)]
                source.tables.append(Table(rows, where, places))
                # A table that is not an annex (the letterhead) still holds text: a cell's paragraphs
                # are lines of their own ("ỦY BAN NHÂN DÂN TỈNH X" above "Số: 45/KH-UBND").
                for row in _docx_cell_lines(block):
                    source.lines.extend(line for line in row if line)
                chars += sum(len(cell) for row in rows for cell in row)
            else:
                text = block.text
                lines = [clean(part) for part in text.split("\n")]
                mark = numbering.mark(block, lines[0])
                if mark and lines[0] and not re.match(r"^([-+•–—*]|\d{1,2}[.)]|[a-zđ]\)|[IVX]+\.)", lines[0]):
                    lines[0] = f"{mark} {lines[0]}"  # Word's own numbering is not in the text: its mark
                source.lines.extend(lines)
                chars += len(text)
            _check_text_size(path, chars)
    except (DocumentInvalid, UsageError):
        raise
    except Exception as error:  # python-docx raises many kinds on a damaged package
        raise DocumentInvalid(
            _("{path}: cannot read this Word document: {reason}").format(path=path, reason=_reason(error))
        ) from None
    return source


class _Numbering:
    """The marks of Word's list paragraphs, numbered in the paragraph or in its style ("List Bullet").

    A bullet is written "-"; a number "1." when the paragraph reads as a heading (it does
    not end a sentence), else "-" (a numbered duty under a typed clause number); a letter
    "a)"; a Roman numeral "I.". Counters run per list and level, a level resetting those below.
    """

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.formats: dict[tuple[str, int], str] = {}
        self.counters: dict[str, dict[int, int]] = {}  # per list, per level: a paragraph touches its list only
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for node in islice(root.iterchildren(qn("w:abstractNum")), MAX_LISTS):
            levels = {}
            for level in islice(node.iterchildren(qn("w:lvl")), LEVELS):
                fmt = level.find(qn("w:numFmt"))
                number = _level(level.get(qn("w:ilvl"), "0"))
                if number is not None:
                    levels[number] = fmt.get(qn("w:val"), "") if fmt is not None else ""
            abstract[node.get(qn("w:abstractNumId"))] = levels
        for node in islice(root.iterchildren(qn("w:num")), MAX_LISTS):  # beyond: plain paragraphs, marked "-"
            ref = node.find(qn("w:abstractNumId"))
            levels = abstract.get(ref.get(qn("w:val")) if ref is not None else None, {})
            for level, fmt in levels.items():
                self.formats[(node.get(qn("w:numId")), level)] = fmt

    def _properties(self, paragraph) -> tuple[str | None, int]:
        qn = self.qn
        num_id, level = None, None
        sources = [paragraph._p.pPr]
        style = paragraph.style
        while style is not None and len(sources) < 10:
            sources.append(style.element.pPr)
            style = style.base_style
        for properties in sources:
            numbering = properties.find(qn("w:numPr")) if properties is not None else None
            if numbering is None:
                continue
            found_id, found_level = numbering.find(qn("w:numId")), numbering.find(qn("w:ilvl"))
            if num_id is None and found_id is not None:
                num_id = found_id.get(qn("w:val"))
            if level is None and found_level is not None:
                level = _level(found_level.get(qn("w:val"), "0"))
        return num_id, level or 0

    def mark(self, paragraph, text: str) -> str:
        """The mark Word shows before ``paragraph`` ('' when it is not a list paragraph)."""
        try:
            num_id, level = self._properties(paragraph)
        except (ValueError, AttributeError):
            return ""
        if num_id is None or num_id == "0":
            return ""
        fmt = self.formats.get((num_id, level), "bullet")
        counters = self.counters.setdefault(num_id, {})
        for deeper in [k for k in counters if k > level]:  # at most the nine levels Word has
            del counters[deeper]
        count = counters[level] = counters.get(level, 0) + 1
        if fmt == "upperRoman" and count < 40:
            return _roman(count) + "."
        if fmt in ("lowerLetter",) and count <= 26:
            return "abcdefghiklmnopqrstuvxyzw"[count - 1] + ")"
        if fmt in ("decimal", "decimalZero") and not text.rstrip().endswith((".", ";")):
            return f"{count}."
        return "-"


LEVELS = 9  # Word's list levels are 0 to 8 (w:ilvl)
MAX_LISTS = 5_000  # list definitions read from numbering.xml; a real plan has tens


def _level(text: str) -> int | None:
    """A list level as w:ilvl gives it, 0 to 8; None for anything else (a hostile or broken file)."""
    text = text.strip()
    return int(text) if text.isdigit() and len(text) < 3 and int(text) < LEVELS else None


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            out, number = out + letters, number - value
    return out


def _docx_cell_lines(table) -> list[list[str]]:
    """A table's text by row, each cell's paragraphs a line of their own."""
    from docx.oxml.ns import qn

    rows = []
    for tr in islice(table._tbl.iterchildren(qn("w:tr")), MAX_TABLE_ROWS):
        lines: list[str] = []
        for tc in islice(tr.iterchildren(qn("w:tc")), MAX_TABLE_COLUMNS):
            for p in tc.iterchildren(qn("w:p")):
                lines.extend(clean(part) for part in "".join(t.text or "" for t in p.iter(qn("w:t"))).split("\n"))
        rows.append(lines)
    return rows


def _docx_rows(table) -> list[list[str]]:
    """Each row's cells: one merged across columns once, one merged down the rows in each of its rows.

    Read in one pass over the XML, keeping the cell that holds each grid column:
    python-docx's ``row.cells`` walks up the rows for each merged cell (quadratic).
    """
    from docx.oxml.ns import qn
    from docx.table import _Cell

    tr_tag, tc_tag, tr_pr, tc_pr, val = qn("w:tr"), qn("w:tc"), qn("w:trPr"), qn("w:tcPr"), qn("w:val")
    before_tag, span_tag, merge_tag = qn("w:gridBefore"), qn("w:gridSpan"), qn("w:vMerge")

    def number(properties, tag: str) -> int:  # the package's scan has checked these are small numbers
        element = properties.find(tag) if properties is not None else None
        return int(element.get(val, "1")) if element is not None else 0

    rows = []
    above: dict[int, tuple[object, str]] = {}  # grid column -> (the w:tc holding it, its text)
    for tr in islice(table._tbl.iterchildren(tr_tag), MAX_TABLE_ROWS):
        cells: list[str] = []
        seen: set[int] = set()
        here: dict[int, tuple[object, str]] = {}
        first = column = number(tr.find(tr_pr), before_tag)
        for tc in tr.iterchildren(tc_tag):
            properties = tc.find(tc_pr)
            span = max(number(properties, span_tag), 1)
            merge = properties.find(merge_tag) if properties is not None else None
            if merge is not None and merge.get(val, "continue") == "continue" and column in above:
                holder, text = above[column]  # the cell above, merged down into this row
            else:
                holder, text = tc, clean(" ".join(p.text for p in _Cell(tc, table).paragraphs))
            for offset in range(column, column + span):
                here[offset] = (holder, text)
            if column - first < MAX_TABLE_COLUMNS and id(holder) not in seen:  # ``here`` keeps each holder alive
                seen.add(id(holder))  # a cell merged across columns counts once
                cells.append(text)
            column += span
        above = here
        rows.append(cells)
    return rows


def _pdf(path: Path, raw: bytes) -> Source:
    """A PDF's text layer, page by page; a scanned PDF (no text) is refused."""
    import io
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns on stderr about damaged files
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise DocumentInvalid(_("{path}: the PDF is encrypted; give an unprotected copy").format(path=path))
        if len(reader.pages) > MAX_PAGES:
            raise DocumentInvalid(
                _("{path}: {pages} pages; more than a plan holds (the limit is {limit})").format(
                    path=path, pages=len(reader.pages), limit=MAX_PAGES
                )
            )
        source = Source(path.name)
        chars = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            chars += len(text)
            _check_text_size(path, chars)
            # A page ends wherever the page is full, not where a paragraph does: no blank line
            # between pages; a line that is only a page number ("2", "- 2 -", "Trang 2") is dropped.
            source.lines.extend(
                line for line in (clean(raw) for raw in text.splitlines()) if not _PAGE_NUMBER.fullmatch(line)
            )
    except (DocumentInvalid, UsageError):
        raise
    except Exception as error:  # pypdf raises many kinds on a damaged file
        raise DocumentInvalid(
            _("{path}: cannot read this PDF: {reason}").format(path=path, reason=_reason(error))
        ) from None
    if not any(source.lines):
        raise DocumentInvalid(
            _("{path}: the PDF has no text layer (a scanned image?); give the .docx, or a PDF with text").format(
                path=path
            )
        )
    return source


def _cell_text(value: object) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value)) if value is not None else ""


def _xlsx(path: Path, raw: bytes) -> Source:
    """Every sheet of a workbook as a table (values, not formulas)."""
    from dsday_cli.documents.office import workbook_sheets

    source = Source(path.name, kind="table")
    for title, values in workbook_sheets(raw, path):
        rows, places = [], []
        for number, row in enumerate(islice(values, MAX_TABLE_ROWS), 1):
            rows.append([_cell_text(v) for v in row[:MAX_TABLE_COLUMNS]])
            places.append(_("sheet '{name}', row {row}").format(name=title, row=number))
        source.tables.append(Table(rows, _("sheet '{name}'").format(name=title), places))
    return source


def _csv(path: Path, text: str) -> Source:
    """A CSV file as one table; the separator (, ; or tab) is the header line's most frequent."""
    import csv
    import io

    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first.count)
    rows, places = [], []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            rows.append([clean(cell) for cell in row[:MAX_TABLE_COLUMNS]])
            places.append(_("line {line}").format(line=reader.line_num))
            if len(rows) > MAX_TABLE_ROWS:
                break
    except csv.Error as error:
        raise DocumentInvalid(
            _("{path}:{line}: not a readable CSV file: {reason}").format(path=path, line=reader.line_num, reason=error)
        ) from None
    if len(rows) > MAX_TABLE_ROWS:
        raise DocumentInvalid(
            _("{path}: {rows} rows; more than a plan's annex holds (the limit is {limit})").format(
                path=path, rows=len(rows), limit=MAX_TABLE_ROWS
            )
        )
    return Source(path.name, tables=[Table(rows, path.name, places)], kind="table")


def _reason(error: Exception) -> str:
    text = clean(str(error).splitlines()[0] if str(error) else "")
    return (text or type(error).__name__)[:200]


MAX_NAMES = 20_000


def read_name_list(path: Path) -> list[str]:
    """The names in a file, one a line: blank lines, ``#`` comments and list markers ("1.", "-") skipped."""
    text = _decode(path, _read_bytes(path))
    names = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = clean(raw)
        line = re.sub(r"^(\d{1,4}[.)]|[-*•+])\s+", "", line).strip()
        if not line or line.startswith("#"):
            continue
        if len(line) > 200:
            raise DocumentInvalid(
                _("{path}:{line}: {chars} characters; not a name (one name a line)").format(
                    path=path, line=number, chars=len(line)
                )
            )
        names.append(line)
    if len(names) > MAX_NAMES:
        raise DocumentInvalid(
            _("{path}: {count} names; more than a group holds (the limit is {limit})").format(
                path=path, count=len(names), limit=MAX_NAMES
            )
        )
    if not names:
        raise DocumentInvalid(_("{path}: no names (one name a line)").format(path=path))
    return names
