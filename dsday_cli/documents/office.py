"""Office files coming in: one bounded reader for .docx, .xlsx and .ods packages.

A package someone hands over (a plan document or annex for ``draft``, a returned
checklist for ``import``) is checked before python-docx or openpyxl expands it:
``open_package`` refuses a ZIP that unpacks beyond ``MAX_UNPACKED_BYTES``, holds
macros or too many members, then streams every XML part through expat with bounds
on what a library would build from it: XML elements, paragraphs, runs, table cells
and the columns a cell spans, sheet rows and columns (as the cells place themselves:
a declared ``<dimension>`` is not trusted), cells, shared strings, characters of text
in all and in one cell, and no DTD. Over a bound: one ``DocumentInvalid`` line naming
the file and the bound (exit 65), within seconds and in bounded memory.
``workbook_sheets`` then gives each sheet's rows of values, the only way dsday reads a
workbook. An OpenDocument spreadsheet (LibreOffice's own .ods) passes the same package
checks and is read by ``ods_sheets``, expat over its ``content.xml`` with the same
bounds: no library expands its repeated rows and cells (LibreOffice writes a million
empty rows as one element), so dsday places them itself and counts only what holds a value.
"""

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dsday_cli.core.errors import DocumentInvalid
from dsday_cli.core.i18n import _
from dsday_cli.core.xml_text import xml_text

MAX_UNPACKED_BYTES = 200 * 2**20  # a package unpacked; beyond this it is a bomb
MAX_MEMBERS = 10_000
MAX_TAGS = 4_000_000  # tags ('<') in all XML parts, counted at C speed before any is parsed
MAX_TEXT_CHARS = 8_000_000  # characters of text in all parts (a plan holds 2,000,000: draft says so itself)
MAX_PARAGRAPHS = 200_000
MAX_RUNS = 500_000
MAX_TABLE_CELLS = 200_000  # a Word document's table cells, merged ones included
MAX_TABLE_COLUMNS = 63  # Word's own limit on a table's columns; also what one cell may span
MAX_SHEET_ROWS = 100_000
MAX_SHEET_COLUMNS = 256  # IV, the last column of Excel 97-2003: no checklist or annex is wider
MAX_CELLS = 300_000  # a workbook's cells
MAX_SHARED_STRINGS = 200_000
MAX_CELL_CHARS = 32_767  # Excel's own limit on a cell's text
_CHUNK = 1 << 16

_CELL_REF = re.compile(r"([A-Za-z]{1,10})?(\d{1,10})?")


class PackageDamaged(DocumentInvalid):
    """A package within the bounds that a library cannot read; ``reason`` says why, in one line."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def reason_of(error: Exception) -> str:
    """An exception's first line, for a message (a library's errors may hold anything)."""
    text = " ".join(xml_text(str(error).splitlines()[0] if str(error) else "").split())
    return (text or type(error).__name__)[:200]


def over_bound(path: Path | str, limit: int, what: str) -> DocumentInvalid:
    """The one line for an office file over a bound: the file, the bound and what it counts."""
    return DocumentInvalid(
        _("{path}: more than {limit} {what}; more than a plan document or checklist holds").format(
            path=path, limit=limit, what=what
        )
    )


def open_package(raw: bytes, path: Path | str, what: str) -> zipfile.ZipFile:
    """The ZIP package (``what``: ".docx" or ".xlsx") in ``raw``, checked within every bound before it is expanded.

    Raises ``DocumentInvalid``: not a ZIP package, a bomb, macros, or a part over a bound.
    """
    try:
        package = zipfile.ZipFile(io.BytesIO(raw))
        members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        if raw.startswith(b"\xd0\xcf\x11\xe0"):
            message = _("{path}: an old binary Office file, not {what}; save it as {what}").format(path=path, what=what)
        else:
            message = _("{path}: not a {what} file (not a ZIP package)").format(path=path, what=what)
        raise PackageDamaged(message, _("not a ZIP package")) from None
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES or len(members) > MAX_MEMBERS:
        raise DocumentInvalid(
            _("{path}: {size} MiB once unpacked; more than a plan document holds (the limit is {limit} MiB)").format(
                path=path, size=unpacked // 2**20, limit=MAX_UNPACKED_BYTES // 2**20
            )
        )
    names = {member.filename.lower() for member in members}
    if any(name.endswith("vbaproject.bin") for name in names):
        raise DocumentInvalid(
            _("{path}: contains macros (vbaProject.bin); dsday reads no macro-enabled file: save it as {what}").format(
                path=path, what=what
            )
        )
    _Scan(package, path).run()
    return package


class _Scan:
    """Every XML part of a package streamed through expat, counting what a library would build."""

    def __init__(self, package: zipfile.ZipFile, path: Path | str):
        self.package, self.path = package, path
        self.counts = dict.fromkeys(("p", "r", "tc", "c", "si"), 0)
        self.chars = 0

    def run(self) -> None:
        parts = []
        tags = 0
        for member in self.package.infolist():  # first the tags, at C speed: a flood is refused before parsing
            if member.is_dir() or not member.file_size:
                continue
            try:
                with self.package.open(member) as stream:
                    head = stream.read(_CHUNK)
                    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                        continue  # not XML (an image, a thumbnail): no library parses it as XML
                    parts.append(member)
                    chunk = head
                    while chunk:
                        tags += chunk.count(b"<")
                        if tags > MAX_TAGS:
                            raise over_bound(self.path, MAX_TAGS, _("XML elements"))
                        chunk = stream.read(_CHUNK)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as error:
                raise PackageDamaged(
                    _("{path}: a damaged package: {reason}").format(path=self.path, reason=reason_of(error)),
                    reason_of(error),
                ) from None
        for member in parts:
            self._part(member)

    def _part(self, member: zipfile.ZipInfo) -> None:
        import pyexpat

        parser = pyexpat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        counts, path = self.counts, self.path
        state: dict = {"row": 0, "column": 0, "text": "", "cell_chars": 0}

        def refuse_dtd(*_args) -> None:
            raise DocumentInvalid(
                _("{path}: {part} declares a DTD, which no Office file does; not read").format(
                    path=path, part=member.filename
                )
            )

        def start(name: str, attributes: dict[str, str]) -> None:
            local = name.rpartition(" ")[2]
            namespace = name.rpartition(" ")[0]
            if "wordprocessingml" in namespace:
                if local == "p":
                    counts["p"] += 1
                    if counts["p"] > MAX_PARAGRAPHS:
                        raise over_bound(path, MAX_PARAGRAPHS, _("paragraphs"))
                elif local == "r":
                    counts["r"] += 1
                    if counts["r"] > MAX_RUNS:
                        raise over_bound(path, MAX_RUNS, _("runs of text"))
                elif local == "tc":
                    counts["tc"] += 1
                    if counts["tc"] > MAX_TABLE_CELLS:
                        raise over_bound(path, MAX_TABLE_CELLS, _("table cells"))
                elif local in ("gridSpan", "gridBefore", "gridAfter"):
                    value = next((v for k, v in attributes.items() if k.rpartition(" ")[2] == "val"), "1")
                    if not value.strip().isdigit() or int(value) > MAX_TABLE_COLUMNS:
                        raise over_bound(path, MAX_TABLE_COLUMNS, _("columns in a table row"))
                elif local in ("t", "delText", "instrText"):
                    state["text"], state["cell_chars"] = "word", 0
            elif "spreadsheetml" in namespace:
                if local == "row":
                    row = _index(attributes.get("r"), state["row"] + 1)
                    state["row"], state["column"] = row, 0
                    if row > MAX_SHEET_ROWS:
                        raise over_bound(path, MAX_SHEET_ROWS, _("rows in a sheet"))
                elif local == "c":
                    counts["c"] += 1
                    if counts["c"] > MAX_CELLS:
                        raise over_bound(path, MAX_CELLS, _("cells"))
                    column = _column(attributes.get("r"), state["column"] + 1)
                    state["column"] = column
                    if column > MAX_SHEET_COLUMNS:
                        raise over_bound(path, MAX_SHEET_COLUMNS, _("columns in a sheet"))
                elif local == "si":
                    counts["si"] += 1
                    if counts["si"] > MAX_SHARED_STRINGS:
                        raise over_bound(path, MAX_SHARED_STRINGS, _("shared strings"))
                elif local in ("t", "v", "f"):
                    state["text"], state["cell_chars"] = "sheet", 0

        def end(name: str) -> None:
            state["text"] = ""  # text elements hold no elements that count

        def text(data: str) -> None:  # only the text a library keeps: not the white space between elements
            if not state["text"]:
                return
            self.chars += len(data)
            if self.chars > MAX_TEXT_CHARS:
                raise over_bound(path, MAX_TEXT_CHARS, _("characters of text"))
            state["cell_chars"] += len(data)
            if state["cell_chars"] > MAX_CELL_CHARS and state["text"] == "sheet":
                raise over_bound(path, MAX_CELL_CHARS, _("characters in one cell"))

        parser.StartDoctypeDeclHandler = refuse_dtd
        parser.EntityDeclHandler = refuse_dtd
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = text
        try:
            with self.package.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except DocumentInvalid:
            raise
        except (pyexpat.ExpatError, zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, LookupError) as error:
            raise PackageDamaged(
                _("{path}: {part} is not well-formed XML: {reason}").format(
                    path=path, part=member.filename, reason=reason_of(error)
                ),
                reason_of(error),
            ) from None


def _index(text: str | None, default: int) -> int:
    """A row number as an 'r' attribute gives it, else the next one."""
    if text is None:
        return default
    text = text.strip()
    return int(text) if text.isdigit() and len(text) < 12 else default


def _column(reference: str | None, default: int) -> int:
    """The column number of a cell reference ('C7' is 3), else the next one."""
    found = _CELL_REF.fullmatch(reference.strip()) if reference else None
    if not found or not found[1]:
        return default
    number = 0
    for letter in found[1].upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


@contextmanager
def open_workbook(raw: bytes, path: Path | str) -> Iterator[Any]:
    """The openpyxl workbook (read only, values as stored) of a package that passed ``open_package``'s checks.

    Read its sheets' rows through ``sheet_rows``. Raises ``DocumentInvalid`` over a bound,
    ``PackageDamaged`` when openpyxl cannot read the workbook.
    """
    import warnings

    open_package(raw, path, ".xlsx").close()
    try:
        from openpyxl import load_workbook  # type: ignore[import-untyped]

        with warnings.catch_warnings():  # openpyxl warns about extensions it ignores (data validation, …)
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise PackageDamaged(_damaged(path, error), reason_of(error)) from None
    try:
        yield book
    finally:
        book.close()


def sheet_rows(sheet: Any, path: Path | str) -> Iterator[tuple[object, ...]]:
    """A sheet's rows from row 1, each a tuple of values as stored; its declared dimensions ignored."""
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # a declared A1:XFD1048576 would pad every row to 16,384 cells
    return _rows(sheet, path)


def workbook_sheets(raw: bytes, path: Path | str) -> Iterator[tuple[str, Iterator[tuple[object, ...]]]]:
    """(title, rows) for every sheet of a workbook (see ``open_workbook`` and ``sheet_rows``)."""
    with open_workbook(raw, path) as book:
        for sheet in book.worksheets:
            yield sheet.title, sheet_rows(sheet, path)


def _rows(sheet, path: Path | str) -> Iterator[tuple[object, ...]]:
    import warnings

    rows = sheet.iter_rows(values_only=True)
    while True:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                values = next(rows)
        except StopIteration:
            return
        except Exception as error:  # noqa: BLE001 - a damaged sheet
            raise PackageDamaged(_damaged(path, error), reason_of(error)) from None
        yield tuple(values)


def _damaged(path: Path | str, error: Exception) -> str:
    return _("{path}: cannot read this workbook: {reason}").format(path=path, reason=reason_of(error))


ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
MAX_REPEAT_SPACES = 1_000  # <text:s text:c="…"/>: spaces one element stands for


def is_ods(raw: bytes) -> bool:
    """Whether ``raw`` is an OpenDocument spreadsheet (LibreOffice's own .ods): its first member says so."""
    return raw.startswith(b"PK\x03\x04") and raw[30:38] == b"mimetype" and ODS_MIMETYPE in raw[38:120]


def ods_sheets(raw: bytes, path: Path | str) -> tuple[list[tuple[str, list[tuple[int, tuple[object, ...]]]]], dict[str, str]]:
    """The sheets of an .ods package, each (title, [(row number, values)] of its non-empty rows), and its named expressions.

    The package passes ``open_package``'s checks first; then ``content.xml`` is streamed
    through expat (no DTD) and held to the same bounds as a workbook: rows and columns as
    the repeat attributes place them (an empty run of 16,384 cells costs nothing, a filled
    one is refused over the bound), cells, characters of text in all and in one cell.
    Values as stored: text, floats, days (``date``), booleans. Over a bound:
    ``DocumentInvalid``; not readable: ``PackageDamaged``.
    """
    package = open_package(raw, path, ".ods")
    try:
        with package.open("content.xml") as stream:
            return _OdsReader(path).read(stream)
    except KeyError:
        raise PackageDamaged(
            _("{path}: cannot read this workbook: {reason}").format(path=path, reason="no content.xml"), "no content.xml"
        ) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as error:
        raise PackageDamaged(_damaged(path, error), reason_of(error)) from None
    finally:
        package.close()


class _OdsReader:
    """content.xml's tables as rows of values, within the bounds (see ``ods_sheets``)."""

    def __init__(self, path: Path | str):
        self.path = path
        self.sheets: list[tuple[str, list[tuple[int, tuple[object, ...]]]]] = []
        self.names: dict[str, str] = {}
        self.rows: list[tuple[int, tuple[object, ...]]] | None = None  # the open table's rows
        self.row_number = 0
        self.row: list[object] = []
        self.row_repeat = 1
        self.column = 0
        self.cell: dict[str, str] | None = None  # the open cell's attributes
        self.cell_repeat = 1
        self.text: list[str] = []
        self.paragraphs = 0
        self.ignored = 0  # depth inside an annotation (a comment is not the cell's value)
        self.cells = 0
        self.chars = 0
        self.cell_chars = 0

    def read(self, stream) -> tuple[list[tuple[str, list[tuple[int, tuple[object, ...]]]]], dict[str, str]]:
        import pyexpat

        parser = pyexpat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True

        def refuse_dtd(*_args) -> None:
            raise DocumentInvalid(
                _("{path}: {part} declares a DTD, which no Office file does; not read").format(
                    path=self.path, part="content.xml"
                )
            )

        parser.StartDoctypeDeclHandler = refuse_dtd
        parser.EntityDeclHandler = refuse_dtd
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        try:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except pyexpat.ExpatError as error:
            raise PackageDamaged(
                _("{path}: {part} is not well-formed XML: {reason}").format(
                    path=self.path, part="content.xml", reason=reason_of(error)
                ),
                reason_of(error),
            ) from None
        return self.sheets, self.names

    @staticmethod
    def _attributes(attributes: dict[str, str]) -> dict[str, str]:
        return {key.rpartition(" ")[2]: value for key, value in attributes.items()}

    @staticmethod
    def _repeat(text: str | None) -> int:
        """A repeat count as written (however large: the bounds judge it); 1 when absent or not a number."""
        text = (text or "").strip()
        if not text.isascii() or not text.isdigit():
            return 1
        return 10**12 if len(text) > 12 else max(int(text), 1)  # 10**12: beyond every bound, however long it is

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        namespace, _space, local = name.rpartition(" ")
        if self.ignored:
            self.ignored += 1
            return
        if namespace == _OFFICE and local == "annotation":
            self.ignored = 1
        elif namespace == _TABLE:
            if local == "table":
                self.rows, self.row_number = [], 0
                self.sheets.append((self._attributes(attributes).get("name", ""), self.rows))
            elif local == "table-row" and self.rows is not None:
                self.row, self.column = [], 0
                self.row_repeat = self._repeat(self._attributes(attributes).get("number-rows-repeated"))
            elif local in ("table-cell", "covered-table-cell") and self.rows is not None:
                self.cell = self._attributes(attributes)
                self.cell_repeat = self._repeat(self.cell.get("number-columns-repeated"))
                self.text, self.paragraphs, self.cell_chars = [], 0, 0
            elif local == "named-expression":
                found = self._attributes(attributes)
                if "name" in found and len(self.names) < 100:
                    self.names[found["name"]] = found.get("expression", "")
        elif namespace == _TEXT and self.cell is not None:
            if local == "p":
                if self.paragraphs:
                    self.text.append("\n")
                self.paragraphs += 1
            elif local == "s":
                count = self._repeat(self._attributes(attributes).get("c"))
                self._text(" " * min(count, MAX_REPEAT_SPACES))
            elif local == "tab":
                self._text("\t")
            elif local == "line-break":
                self._text("\n")

    def _end(self, name: str) -> None:
        if self.ignored:
            self.ignored -= 1
            return
        namespace, _space, local = name.rpartition(" ")
        if namespace != _TABLE or self.rows is None:
            return
        if local in ("table-cell", "covered-table-cell") and self.cell is not None:
            self._close_cell()
        elif local == "table-row":
            self._close_row()
        elif local == "table":
            self.rows = None

    def _text(self, data: str) -> None:
        if self.cell is None or self.ignored:
            return
        self.chars += len(data)
        self.cell_chars += len(data)
        if self.chars > MAX_TEXT_CHARS:
            raise over_bound(self.path, MAX_TEXT_CHARS, _("characters of text"))
        if self.cell_chars > MAX_CELL_CHARS:
            raise over_bound(self.path, MAX_CELL_CHARS, _("characters in one cell"))
        self.text.append(data)

    def _close_cell(self) -> None:
        assert self.cell is not None
        value = self._value(self.cell, "".join(self.text))
        self.cell = None
        first = self.column
        self.column += self.cell_repeat
        if value is None or value == "":
            return  # an empty run costs nothing, however long
        if self.column > MAX_SHEET_COLUMNS:
            raise over_bound(self.path, MAX_SHEET_COLUMNS, _("columns in a sheet"))
        self._count(self.column - len(self.row))
        self.row.extend([None] * (first - len(self.row)))
        self.row.extend([value] * self.cell_repeat)

    def _close_row(self) -> None:
        first = self.row_number + 1
        self.row_number += self.row_repeat
        if not self.row:
            return  # empty rows (LibreOffice writes a million of them as one) are only counted
        if self.row_number > MAX_SHEET_ROWS:
            raise over_bound(self.path, MAX_SHEET_ROWS, _("rows in a sheet"))
        self._count(len(self.row) * (self.row_repeat - 1))
        assert self.rows is not None
        values = tuple(self.row)
        self.rows.extend((number, values) for number in range(first, self.row_number + 1))

    def _count(self, cells: int) -> None:
        self.cells += cells
        if self.cells > MAX_CELLS:
            raise over_bound(self.path, MAX_CELLS, _("cells"))

    @staticmethod
    def _value(cell: dict[str, str], text: str) -> object:
        from datetime import date, datetime

        kind = cell.get("value-type")
        try:
            if kind in ("float", "percentage", "currency"):
                return float(cell.get("value", text))
            if kind == "date":
                stamp = cell.get("date-value", "")
                return datetime.fromisoformat(stamp) if "T" in stamp else date.fromisoformat(stamp)
            if kind == "boolean":
                return cell.get("boolean-value", "").lower() == "true"
        except ValueError:
            return text  # a value attribute that does not read: the text shown stands
        return text or None
