"""Reading back a checklist an agency returns: CSV, XLSX, ODS or Markdown, as offices edit them.

A CSV or workbook row is a completion when its ``done_on`` is filled in or its ``status``
says done (in Vietnamese or English); a Markdown line when its box is ticked. Rows are
matched by item id (and member id). Whatever cannot be read or matched (an unknown
status word, a date in no known form, a row split on another separator, a file of
another kind) is a problem naming ``FILE:LINE``, and a caller records nothing while
there is any: nothing is ever dropped in silence.

A checklist exported for an agency or member carries its binding: a
``#dsday-checklist plan=… for=…`` line (CSV: a last row; Markdown: under the title)
or, in a workbook, the defined names ``dsday_plan`` and ``dsday_for``. Every row is
checked against it: a checklist speaks only for whom it was exported for, and one
without a binding for no one (unless the caller says otherwise).
"""

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from dsday_cli.core.checklist_binding import (
    BINDING,
    BINDING_TAG,
    XLSX_FOR_NAME,
    XLSX_META_SHEET,
    XLSX_PLAN_NAME,
    binding_line,
    checklist_headings,
)
from dsday_cli.core.errors import InputMissing, Worded
from dsday_cli.core.i18n import LANGUAGES, LOCALE_DIR, _
from dsday_cli.core.lookup import fold_text
from dsday_cli.core.model import Plan
from dsday_cli.store.plan import MAX_BYTES
from dsday_cli.core.records import record
from dsday_cli.core.status import Progress

# Status words, folded (lower case, no diacritics, punctuation as spaces). Words that
# say done; words a person writes for not done; and the statuses dsday itself exports
# (a row that keeps its exported "overdue" but has a date filled in is done).
DONE_WORDS = {
    "done", "done late", "completed", "complete", "finished", "yes", "y", "true", "ok", "x", "1",
    "xong", "da xong", "xong roi", "hoan thanh", "da hoan thanh", "hoan tat", "da hoan tat",
    "da thuc hien", "thuc hien xong", "co", "roi", "da lam", "xong muon", "hoan thanh muon", "hoan thanh cham",
}  # fmt: skip
NOT_DONE_WORDS = {
    "chua", "chua xong", "chua hoan thanh", "chua thuc hien", "chua lam", "khong", "dang thuc hien",
    "dang lam", "dang trien khai", "no", "n", "false", "0", "not done", "pending", "in progress", "todo", "to do",
}  # fmt: skip
# "chua hoan thanh": the open status's Vietnamese word for an item without a deadline ("not done"), and for
# every open item in workbooks exported before "chưa đến hạn"; "not done" too is read as exported, the date decides
EXPORTED_OPEN_WORDS = {"open", "due soon", "overdue", "qua han", "sap den han", "chua den han", "chua hoan thanh"}
DONE_SYMBOLS = {"✓", "✔", "✔️", "☑", "☑️", "✅", "☒", "🗹"}
# What precedes the day in a Markdown line's "(done 12/10/2023)", folded.
DONE_PREFIXES = {"done", "done on", "completed", "completed on", "xong", "xong ngay", "da xong", "hoan thanh",
                 "hoan thanh ngay", "da hoan thanh", "ngay", "on"}  # fmt: skip
HEADER_SEARCH_ROWS = 10  # a title row or two may stand above the header
_FORMULA_GUARD = re.compile(r"^'(?=[=+\-@\t\r\n])")
_TIME_TAIL = re.compile(r"^(.*?\d)(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?)$")
_YEAR_FIRST = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}|\d{2}))?")
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})[-\s/.]+([A-Za-z]{3,9})\.?[-\s/.,]+(\d{4}|\d{2})")
_MONTH_NAME_DAY = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})")
_VIETNAMESE_WORDS = re.compile(r"(?:ngay\s+)?(\d{1,2})\s+(?:thang|thg)\s+(\d{1,2})(?:\s+(?:nam\s+)?(\d{4}))?")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}  # fmt: skip
_EXCEL_EPOCH = date(1899, 12, 30)  # the 1900 date system, past its 1900-02-29 that never was
_SERIAL_RANGE = (20_000, 80_000)  # 1954 to 2119: a number outside is not meant as a day

_MD_TICK = re.compile(r"^\[(?P<tick>[ xX✓✔])\]\s+(?P<rest>.*)$", re.DOTALL)
_MD_ITEM = re.compile(r"^\*\*(?P<id>[^*]+)\*\*(?P<rest>.*)$", re.DOTALL)
_MD_MEMBER = re.compile(r"^(?P<name>.*?)(?<!\\)\[(?P<member>[A-Za-z0-9._-]+)\](?P<rest>[^\[\]]*)$", re.DOTALL)
_MD_DONE = re.compile(r"\((?P<words>[^()]*?)\s*(?P<day>\d[\w/.\-, ]*\d)\s*\)\s*$")


@record(frozen=True)
class Row:
    """A completion as the returned file states it."""

    where: str
    item: str
    member: str | None
    on: date | None  # the day read from the file; None when not given or not readable
    note: str | None
    on_error: str | None = None  # why the day as written could not be read
    day_column: str = "done_on"  # the heading of the column the day is written in, as the file has it
    partner: bool = False  # the row's role column says its checklist's addressee only partners on the item


@record
class Checklist:
    """What a returned file says: its completions, what could not be read, whom it was exported for."""

    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    exported_for: str | None = None  # "agency" or "agency/member" (several: comma-separated), from its binding
    plan: str | None = None  # the plan id the file was exported from, when it records it
    bound_at: str | None = None  # where the binding was read (FILE:LINE, or the workbook)
    source: str = ""  # the file's name, as problems name it


def _read_binding(result: Checklist, where: str, text: object) -> bool:
    """Whether ``text`` is a binding line; if so it binds ``result`` (or is a problem: unreadable, or a second one)."""
    if not isinstance(text, str):
        return False
    text = text.strip().strip("`").strip()
    if not text.lower().startswith(BINDING_TAG):
        return False
    match = BINDING.fullmatch(text)
    if match is None:
        result.problems.append(
            _("{where}: a '{tag}' line dsday cannot read; keep the line as it was exported").format(
                where=where, tag=BINDING_TAG
            )
        )
    else:
        _bind(result, where, match["plan"], match["who"])
    return True


def _bind(result: Checklist, where: str, plan: str, exported_for: str) -> None:
    if result.bound_at is None:
        result.plan, result.exported_for, result.bound_at = plan, exported_for, where
    elif (result.plan, result.exported_for) != (plan, exported_for):
        result.problems.append(
            _(
                "{where}: a second binding, for {second}, where {first} says {exported_for}; "
                "one checklist is for one addressee"
            ).format(where=where, second=exported_for, first=result.bound_at, exported_for=result.exported_for)
        )


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=1)
def _status_words() -> tuple[set[str], set[str]]:
    """Done words and exported not-done words, with dsday's own status labels in every language."""
    import gettext

    done, exported = set(DONE_WORDS), set(EXPORTED_OPEN_WORDS)
    for language in LANGUAGES:
        catalog = gettext.translation("dsday", LOCALE_DIR, languages=[language], fallback=True)
        done |= {fold_text(catalog.gettext(word)) for word in ("done", "done late")}
        exported |= {fold_text(catalog.gettext(word)) for word in ("open", "not done", "due soon", "overdue")}
    return done, exported


@lru_cache(maxsize=1)
def _done_prefixes() -> set[str]:
    """What comes before the day in "(done 12/10/2023)", in every language dsday writes."""
    import gettext

    prefixes = set(DONE_PREFIXES)
    for language in LANGUAGES:
        catalog = gettext.translation("dsday", LOCALE_DIR, languages=[language], fallback=True)
        prefixes.add(fold_text(catalog.gettext("done {day}").replace("{day}", "")))
    return prefixes


@lru_cache(maxsize=1)
def _cited_prefixes() -> set[str]:
    """What begins "(per V.12)", the clause a deadline is cited from, in every language dsday writes."""
    import gettext

    prefixes = set()
    for language in LANGUAGES:
        catalog = gettext.translation("dsday", LOCALE_DIR, languages=[language], fallback=True)
        # what follows the clause differs by language ("(theo mục {ref} Kế hoạch)"): the words before it begin
        prefixes.add(fold_text(catalog.gettext("(per {ref})").partition("{ref}")[0]))
    return prefixes


def classify_status(value: object) -> str | None:
    """'done'; 'open' (empty, or a status dsday exports: the date decides); 'not-done' (a person's no); None if unknown."""
    if isinstance(value, bool):  # a spreadsheet's TRUE / FALSE
        return "done" if value else "not-done"
    text = "" if value is None else str(value).strip()
    if not text:
        return "open"
    if text in DONE_SYMBOLS:
        return "done"
    folded = fold_text(text)
    if not folded and text:  # only punctuation or symbols we do not know
        return None
    done, exported = _status_words()
    if folded in done:
        return "done"
    if folded in exported:
        return "open"
    if folded in NOT_DONE_WORDS:
        return "not-done"
    return None


def read_day(value: object, year: int | None = None) -> date:
    """A day as spreadsheets and people write it: day first, ISO, YYYY/MM/DD, Excel serials, 9-Oct-23.

    Raises ValueError naming the value when it is none of them or not a day of the calendar.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial_day(value, str(value))
    text = _nfc(str(value)).strip()
    if match := _TIME_TAIL.fullmatch(text):
        text = match[1]
    y = m = d = None
    if match := _YEAR_FIRST.fullmatch(text):
        y, m, d = (int(g) for g in match.groups())
    elif match := _DAY_FIRST.fullmatch(text):
        d, m = int(match[1]), int(match[2])
        if match[3] is None and year is None:
            raise ValueError(_("'{text}' has no year; write it as DD/MM/YYYY").format(text=text))
        y = _full_year(match[3]) if match[3] else year
    elif _SERIAL.fullmatch(text):
        return _serial_day(float(text), text)
    elif (match := _DAY_MONTH_NAME.fullmatch(text)) and match[2][:3].lower() in _MONTHS:
        d, m, y = int(match[1]), _MONTHS[match[2][:3].lower()], _full_year(match[3])
    elif (match := _MONTH_NAME_DAY.fullmatch(text)) and match[1][:3].lower() in _MONTHS:
        m, d, y = _MONTHS[match[1][:3].lower()], int(match[2]), int(match[3])
    elif match := _VIETNAMESE_WORDS.fullmatch(fold_text(text)):
        d, m = int(match[1]), int(match[2])
        y = int(match[3]) if match[3] else year
    if y is None or m is None or d is None:
        raise ValueError(_("'{text}' is not a date; write YYYY-MM-DD or DD/MM/YYYY").format(text=text))
    try:
        return date(y, m, d)
    except ValueError:
        raise ValueError(_("'{text}' is not a day of the calendar").format(text=text)) from None


def _full_year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _serial_day(number: float, text: str) -> date:
    if not _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
        raise ValueError(_("'{text}' is not a date; write YYYY-MM-DD or DD/MM/YYYY").format(text=text))
    return _EXCEL_EPOCH + timedelta(days=int(number))


# ---- the file ---------------------------------------------------------------------


def read_checklist(path: Path, year: int | None = None, max_rows: int | None = None) -> Checklist:
    """The completions a returned file states, whatever its kind; problems for what cannot be read.

    ``max_rows``: the most data rows read; a file with more is a problem, not read further.
    """
    from dsday_cli.store.files import open_regular

    try:
        with open_regular(path) as stream:  # a FIFO or device is refused at once, never waited on
            raw = stream.read(MAX_BYTES + 1)
    except OSError as error:
        raise InputMissing(_("{path}: cannot read: {reason}").format(path=path, reason=error.strerror)) from None
    if len(raw) > MAX_BYTES:
        raise InputMissing(
            _("{path}: larger than {size} MiB; not a checklist").format(path=path, size=MAX_BYTES // 2**20)
        )
    return parse_checklist(raw, path.name, year, max_rows)


def parse_checklist(raw: bytes, name: str, year: int | None = None, max_rows: int | None = None) -> Checklist:
    """The completions in a returned file's bytes; ``name`` locates problems, ``year`` completes 25/10."""
    checklist = _parse(raw, name, year, max_rows or _NO_LIMIT)
    checklist.source = name
    return checklist


_NO_LIMIT = 2**62


def _parse(raw: bytes, name: str, year: int | None, max_rows: int) -> Checklist:
    suffix = Path(name).suffix.lower()
    if raw.startswith(b"PK\x03\x04"):
        from dsday_cli.documents.office import is_ods

        if suffix == ".ods" and is_ods(raw):
            return _parse_ods(raw, name, year, max_rows)
        if suffix in (".xlsx", ".xlsm") and not is_ods(raw):
            return _parse_xlsx(raw, name, year, max_rows)
        return Checklist(problems=[_zip_kind(raw, name)])
    text, problem = _decode(raw, name)
    if problem:
        return Checklist(problems=[problem])
    if problem := _other_text_kind(text, name):
        return Checklist(problems=[problem])
    if suffix in (".md", ".markdown") or (suffix not in (".csv", ".tsv", ".txt") and _looks_like_markdown(text)):
        return _parse_markdown(text, name, year, max_rows)
    return _parse_csv(text, name, year, max_rows)


def _too_many_rows(where: str, limit: int) -> str:
    return _("{where}: more than {count} rows, more than this plan's checklist has; not read further").format(
        where=where, count=limit
    )


def _zip_kind(raw: bytes, name: str) -> str:
    import zipfile

    try:
        names = zipfile.ZipFile(io.BytesIO(raw)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        names = []
    if any(n.startswith("xl/") for n in names):
        return _(
            "{file}: this is an Excel workbook (.xlsx), not a {kind} file; name it .xlsx and import it again"
        ).format(file=name, kind=Path(name).suffix.lstrip(".").upper() or "CSV")
    if any(n.startswith("word/") for n in names):
        return _("{file}: this is a Word document; import reads CSV, XLSX, ODS or Markdown checklists").format(file=name)
    from dsday_cli.documents.office import is_ods

    if is_ods(raw):
        return _(
            "{file}: this is an OpenDocument spreadsheet (.ods), not a {kind} file; name it .ods and import it again"
        ).format(file=name, kind=Path(name).suffix.lstrip(".").upper() or "CSV")
    if any(n.startswith("content.xml") for n in names):
        return _("{file}: this is an OpenDocument file, not a spreadsheet; import reads CSV, XLSX, ODS or Markdown checklists").format(file=name)  # fmt: skip
    return _("{file}: this is a ZIP archive, not a checklist").format(file=name)


def _decode(raw: bytes, name: str) -> tuple[str, str | None]:
    """The text (NFC), or why it is not text: UTF-8 with or without BOM, UTF-16 with BOM, else cp1258."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text": UTF-16, tab-separated
        try:
            return _nfc(raw.decode("utf-16")), None
        except UnicodeDecodeError:
            return "", _("{file}: damaged UTF-16 text; save it as CSV UTF-8").format(file=name)
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        return "", _("{file}: this is an Excel 97-2003 workbook (.xls) or another old Office file; save it as .xlsx or CSV").format(file=name)  # fmt: skip
    if raw.startswith(b"%PDF"):
        return "", _("{file}: this is a PDF document, not a checklist").format(file=name)
    head = raw[:4096]
    if b"\x00" in head:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if max(even, odd) > len(head) // 4 and min(even, odd) < len(head) // 50 + 1:
            return "", _("{file}: UTF-16 text without a byte-order mark; save it as CSV UTF-8").format(file=name)
        return "", _("{file}: a binary file, not a checklist").format(file=name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # The Vietnamese Windows code page: its tone marks come out as combining characters.
        text = raw.decode("cp1258", errors="replace")
    if "\x00" in text:
        return "", _("{file}: a binary file, not a checklist").format(file=name)
    return _nfc(text), None


def _other_text_kind(text: str, name: str) -> str | None:
    start = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if start.startswith("begin:vcalendar"):
        return Worded(
            _("{file}: this is an iCalendar file (ICS), not a checklist; export one as csv, xlsx or md").format(file=name),
            problem="import.calendar", file=name,
        )
    if start.startswith(("<!doctype html", "<html", "<?xml", "<table")):
        return _("{file}: this is an HTML or XML file, not a checklist; save it as .xlsx or CSV").format(file=name)
    if start.startswith(("[", "{")):
        return _("{file}: this is a JSON file, not a checklist; import reads CSV, XLSX, ODS or Markdown").format(file=name)
    return None


MD_LINES_PER_ROW = 4  # a box, its members' boxes, headings and blank lines: a Markdown checklist's lines a row, at most
MD_CHARS_PER_ROW = 4096  # and its characters a row, at most (a line holds a title, a deadline and a day)


_MD_BINDING = re.compile(r"^[^\n]*#dsday-checklist[^\n]*$", re.MULTILINE | re.IGNORECASE)
_MD_LINE = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s+\[[ xX✓✔]\]", re.MULTILINE)


def _looks_like_markdown(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return first.lstrip().startswith("#") or bool(_MD_LINE.search(text[:65536]))


# ---- CSV ---------------------------------------------------------------------------


def _normal_header(cell: str) -> str:
    """The field a header cell names: a heading dsday writes (any language), else the cell as a field name."""
    name = _nfc(cell).strip().lstrip("\ufeff").strip().lower()
    return _heading_fields().get(fold_text(name), name)


# What a row says (``member`` and ``role`` are machine columns); the heading "Role" of ``role_text`` is known
# so that it is never taken for the machine column ``role``, which says whether the row is a partner's.
READ_FIELDS = ("id", "status", "done_on", "note", "role_text")


@lru_cache(maxsize=1)
def _heading_fields() -> dict[str, str]:
    """The headings of a workbook checklist's columns that an import reads, folded, in every language: their fields."""
    import gettext

    fields: dict[str, str] = {}
    for language in LANGUAGES:
        catalog = gettext.translation("dsday", LOCALE_DIR, languages=[language], fallback=True)
        headings = checklist_headings(catalog.gettext)
        fields |= {fold_text(headings[field]): field for field in READ_FIELDS}
    return fields


def _find_header(lines: list[str]) -> tuple[int, str] | None:
    """The line (0-based) holding the header and its separator: the first with an ``id`` cell."""
    for index, line in enumerate(lines[:HEADER_SEARCH_ROWS]):
        best = None
        for delimiter in (",", ";", "\t", "|"):
            try:
                cells = next(csv.reader([line], delimiter=delimiter))
            except (csv.Error, StopIteration):
                continue
            if "id" in (_normal_header(c) for c in cells) and (best is None or len(cells) > best[1]):
                best = (delimiter, len(cells))
        if best:
            return index, best[0]
    return None


def _head_lines(text: str) -> list[str]:
    """The first lines of ``text``, without splitting the rest of a large file."""
    head = text.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS]
    return [line for part in head for line in part.splitlines()][:HEADER_SEARCH_ROWS]


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their ends, as ``open(newline="")`` reads them, one at a time (not a copy)."""
    return (match[0] for match in _LINE.finditer(text))


def _parse_csv(text: str, name: str, year: int | None, max_rows: int = _NO_LIMIT) -> Checklist:
    found = _find_header(_head_lines(text))
    if found is None:
        return Checklist(problems=[_("{where}: no 'id' column; is this a checklist exported by dsday?").format(where=f"{name}:1")])  # fmt: skip
    header_line, delimiter = found
    # A cell may hold anything up to the whole file; csv's default limit (128 KiB) would raise.
    csv.field_size_limit(max(len(text) + 1, csv.field_size_limit()))
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=True)
    result = Checklist()
    header: list[str] | None = None
    written: dict[str, str] = {}
    others = [d for d in (",", ";", "\t") if d != delimiter]
    count = 0
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            where = f"{name}:{start}"
            if "end of data" in str(error) or "EOF" in str(error):
                result.problems.append(
                    _('{where}: a quoted cell opened here is never closed (unbalanced ")').format(where=where)
                )
            else:
                result.problems.append(
                    _("{where}: broken quoting ({error}); a cell with quotes must be wholly quoted").format(
                        where=where, error=error
                    )
                )
            return result
        where = f"{name}:{start}"
        if cells and _read_binding(result, where, cells[0]):
            continue
        if header is None:
            if start - 1 >= header_line and "id" in (_normal_header(c) for c in cells):
                header = [_normal_header(c) for c in cells]
                written = _written_headings(header, cells)
            continue
        if not any(c.strip() for c in cells):
            continue
        count += 1
        if count > max_rows:
            result.problems.append(_too_many_rows(where, max_rows))
            return result
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            result.problems.append(
                _("{where}: {count} cells where the header has {expected}").format(
                    where=where, count=len(cells), expected=len(header)
                )
            )
            continue
        if len(cells) < len(header) and any(other in cell for cell in cells for other in others):
            result.problems.append(
                _("{where}: this row is separated by another character than the header's '{delimiter}'").format(
                    where=where, delimiter="\\t" if delimiter == "\t" else delimiter
                )
            )
            continue
        record = {column: cells[i].strip() if i < len(cells) else "" for i, column in enumerate(header)}
        _add_record(result, where, record, year, written)
    return result


def _written_headings(fields: list[str], cells: Sequence[object]) -> dict[str, str]:
    """Each field's heading as the file writes it (the first column for it): what a problem names."""
    written: dict[str, str] = {}
    for name, cell in zip(fields, cells):
        text = _nfc(str(cell)).strip().lstrip("\ufeff").strip() if isinstance(cell, str) else ""
        if name and text:
            written.setdefault(name, text)
    return written


def _add_record(result: Checklist, where: str, record: dict, year: int | None, written: dict[str, str]) -> None:
    """One row of a table (CSV or XLSX): a completion, nothing, or a problem.

    ``written``: each field's heading as the file writes it, so that a problem names the
    column the person sees (the workbook's "Date done", or ``done_on`` of a CSV).
    """
    day_column = written.get("done_on", "done_on")
    status = record.get("status")
    status_text = "" if status is None else str(status).strip()
    done_on = record.get("done_on")
    if isinstance(done_on, str):
        done_on = done_on.strip()
    kind = classify_status(status)
    if kind is None:
        result.problems.append(
            _("{where}: status '{status}' is not a word dsday knows; write 'xong' (done) or leave it empty").format(
                where=where, status=status_text
            )
        )
        return
    has_day = done_on not in (None, "")
    if kind == "not-done" and has_day:
        result.problems.append(
            _("{where}: status '{status}' says not done, but {column} is '{day}'; clear one of them").format(
                where=where, status=status_text, column=day_column, day=_shown(done_on)
            )
        )
        return
    if kind != "done" and not has_day:
        return
    item = str(record.get("id") or "").strip()
    if not item:
        result.problems.append(_("{where}: marked done but has no id").format(where=where))
        return
    on, error = None, None
    if has_day:
        try:
            on = read_day(done_on, year)
        except ValueError as problem:
            error = str(problem)
    member = str(record.get("member") or "").strip() or None
    note = _FORMULA_GUARD.sub("", str(record.get("note") or "").strip()) or None
    partner = str(record.get("role") or "").strip().lower() == "partner"
    result.rows.append(Row(where, item, member, on, note, error, day_column, partner))


def _shown(value: object) -> str:
    if isinstance(value, datetime):
        value = value.date()
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value)


# ---- XLSX --------------------------------------------------------------------------


def _parse_xlsx(raw: bytes, name: str, year: int | None, max_rows: int = _NO_LIMIT) -> Checklist:
    """The rows of every sheet, read through the one bounded workbook reader (over a bound: DocumentInvalid)."""
    from dsday_cli.documents.office import PackageDamaged, open_workbook, sheet_rows

    result = Checklist()
    try:
        with open_workbook(raw, name) as book:
            _workbook_binding({key: value.attr_text for key, value in book.defined_names.items()}, name, result)
            sheets: list[tuple[str, Iterator[tuple[int, tuple[object, ...]]]]] = []
            for sheet in book.worksheets:
                if sheet.title == XLSX_META_SHEET and sheet.sheet_state != "visible":
                    _legacy_binding(sheet, name, result)
                    continue
                sheets.append((sheet.title, enumerate(sheet_rows(sheet, name), start=1)))
            _read_sheets(result, name, sheets, year, max_rows)
    except PackageDamaged as error:
        return Checklist(
            problems=[_("{file}: not a readable Excel workbook ({error})").format(file=name, error=error.reason)]
        )
    return result


def _parse_ods(raw: bytes, name: str, year: int | None, max_rows: int = _NO_LIMIT) -> Checklist:
    """The rows of every sheet of an OpenDocument spreadsheet, read as a workbook's (over a bound: DocumentInvalid)."""
    from dsday_cli.documents.office import PackageDamaged, ods_sheets

    result = Checklist()
    try:
        sheets, names = ods_sheets(raw, name)
    except PackageDamaged as error:
        return Checklist(
            problems=[_("{file}: not a readable OpenDocument spreadsheet ({error})").format(file=name, error=error.reason)]
        )
    # LibreOffice keeps a workbook's defined names as named expressions; some versions write them as "of:=…"
    _workbook_binding({key: value.removeprefix("of:=") for key, value in names.items()}, name, result)
    _read_sheets(result, name, [(title, iter(rows)) for title, rows in sheets], year, max_rows)
    return result


def _read_sheets(
    result: Checklist, name: str, sheets: list[tuple[str, Iterator[tuple[int, tuple[object, ...]]]]],
    year: int | None, max_rows: int,
) -> None:  # fmt: skip
    """A workbook's completions, sheet by sheet: a header row with an id column, then its rows."""
    found, count = False, 0
    for title, rows in sheets:
        header: list[str] | None = None
        written: dict[str, str] = {}
        for number, values in rows:
            cells = ["" if v is None else v for v in values]
            if cells and _read_binding(result, f"{name}[{title}]:{number}", cells[0]):
                continue
            if header is None:
                if number > HEADER_SEARCH_ROWS:
                    break
                names = [_normal_header(c) if isinstance(c, str) else "" for c in cells]
                if "id" in names:
                    header, found, written = names, True, _written_headings(names, cells)
                continue
            if not any(str(c).strip() for c in cells):
                continue
            count += 1
            if count > max_rows:
                result.problems.append(_too_many_rows(f"{name}[{title}]:{number}", max_rows))
                return
            record: dict[str, object] = {}
            for index, column in enumerate(header):
                value = cells[index] if index < len(cells) else ""
                if column not in record or record[column] in (None, ""):  # a heading and its field name alike: the first filled
                    record[column] = _nfc(value) if isinstance(value, str) else value
            if isinstance(record.get("id"), (int, float)) and not isinstance(record.get("id"), bool):
                record["id"] = str(record["id"])
            _add_record(result, f"{name}[{title}]:{number}", record, year, written)
    if not found:
        result.problems.append(
            _("{where}: no 'id' column; is this a checklist exported by dsday?").format(where=f"{name}:1")
        )


def _workbook_binding(names: dict[str, str], name: str, result: Checklist) -> None:
    """The binding in the workbook's defined names ``dsday_plan`` and ``dsday_for`` (string constants)."""
    if XLSX_FOR_NAME not in names:
        return
    values = []
    for key in (XLSX_PLAN_NAME, XLSX_FOR_NAME):
        text = str(names.get(key) or "")
        values.append(text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else None)
    plan, exported_for = values
    if plan is None or exported_for is None or not BINDING.fullmatch(binding_line(plan, exported_for)):
        result.problems.append(
            _("{where}: its defined names {names} are not as dsday exported them; export the checklist again").format(
                where=name, names=f"{XLSX_PLAN_NAME}, {XLSX_FOR_NAME}"
            )
        )
        return
    _bind(result, name, plan, exported_for)


def _legacy_binding(sheet, name: str, result: Checklist) -> None:
    """The hidden sheet in which workbooks exported before the defined names kept their binding."""
    meta = {str(k): v for k, v, *_rest in sheet.iter_rows(max_row=10, max_col=2, values_only=True) if k}
    plan, exported_for = str(meta.get("plan") or ""), str(meta.get("exported_for") or "")
    if plan and exported_for and BINDING.fullmatch(binding_line(plan, exported_for)):
        _bind(result, f"{name}[{sheet.title}]", plan, exported_for)


# ---- Markdown ----------------------------------------------------------------------


def _parse_markdown(text: str, name: str, year: int | None, max_rows: int = _NO_LIMIT) -> Checklist:
    """Ticked boxes in list items of any bullet; code blocks and HTML are not read."""
    from markdown_it import MarkdownIt

    result = Checklist()
    line, position = 1, 0
    for found in _MD_BINDING.finditer(text):
        line, position = line + text.count("\n", position, found.start()), found.start()
        _read_binding(result, f"{name}:{line}", found[0])
    # Bounded before markdown-it holds tokens for every line: a checklist has a few lines a row, each of some text.
    lines = MD_LINES_PER_ROW * max_rows
    if text.count("\n") >= lines:
        result.problems.append(
            _("{where}: more than {count} lines, more than this plan's checklist has; not read further").format(
                where=f"{name}:{lines + 1}", count=lines
            )
        )
        return result
    if len(text) > MD_CHARS_PER_ROW * max_rows:
        result.problems.append(
            _("{file}: larger than this plan's checklist can be ({count} characters); not read").format(
                file=name, count=MD_CHARS_PER_ROW * max_rows
            )
        )
        return result
    for index, box in enumerate(_MD_LINE.finditer(text)):
        if index == max_rows:
            result.problems.append(_too_many_rows(f"{name}:{text.count(chr(10), 0, box.start()) + 1}", max_rows))
            return result
    tokens = MarkdownIt("commonmark").disable("inline").parse(text)  # the blocks: each line's text is read here
    prefixes = _done_prefixes()
    rows: list[Row] = []
    current: str | None = None
    for index, token in enumerate(tokens):
        if token.type != "inline" or index < 2 or tokens[index - 2].type != "list_item_open" or not token.map:
            continue
        where = f"{name}:{token.map[0] + 1}"
        match = _MD_TICK.match(token.content)
        if not match:
            continue
        ticked, rest = match["tick"] != " ", match["rest"].replace("\n", " ")
        member = None
        if item_match := _MD_ITEM.match(rest):
            current, rest = item_match["id"].replace("\\", "").strip(), item_match["rest"]
        elif member_match := _MD_MEMBER.match(rest):
            member, rest = member_match["member"], member_match["rest"]
        elif ticked:
            result.problems.append(
                _("{where}: a ticked box dsday cannot match to an item (no **id** or [member])").format(where=where)
            )
            continue
        if not ticked:
            continue
        if member and current is None:
            result.problems.append(_("{where}: a ticked member with no item above it").format(where=where))
            continue
        on, error = None, None
        tail = rest.rsplit(" — ", 1)[-1]
        if done := _MD_DONE.search(tail):
            words = fold_text(done["words"])
            if words in prefixes:
                try:
                    on = read_day(done["day"], year)
                except ValueError as problem:
                    error = str(problem)
            elif any(f"{words} ".startswith(f"{cited} ") for cited in _cited_prefixes()):
                pass  # "(per V.12)" ends our own deadline phrase: a clause, not a day
            elif " — " in rest:  # our own line: what follows the deadline can only be the day done
                result.problems.append(
                    _("{where}: cannot tell whether '({words} {day})' is the day it was done").format(
                        where=where, words=done["words"], day=done["day"]
                    )
                )
                continue
        rows.append(Row(where, current or "", member, on, None, error))
    # A ticked group item whose members are listed speaks through its members.
    with_members = {r.item for r in rows if r.member}
    result.rows = [r for r in rows if r.member or r.item not in with_members]
    return result


# ---- matching ----------------------------------------------------------------------


def in_file_order(problems: list[str]) -> list[str]:
    """Problems sorted by the line they name (reading and matching find them in two passes)."""

    def line(problem: str) -> int:
        found = re.match(r"[^:]*(?:\[[^\]]*\])?:(\d+):", problem)
        return int(found[1]) if found else 0

    return sorted(problems, key=line)


@record
class Completion:
    """A row matched to the plan, ready to be recorded."""

    row: Row
    item: str
    member: str | None
    on: date
    by: str | None


@record
class Matched:
    """Rows matched to the plan: what to record, what is recorded already, what is not recorded again, problems."""

    new: list[Completion] = field(default_factory=list)
    known: list[Completion] = field(default_factory=list)
    stale: list[Completion] = field(default_factory=list)  # a day the item was done on and has been reopened since
    problems: list[str] = field(default_factory=list)


def _senders(plan: Plan, checklist: Checklist) -> tuple[list[tuple[str, str | None, str]], list[str]]:
    """Whom a bound checklist speaks for, as (agency, member or None, name); problems with its binding."""
    where = checklist.bound_at or checklist.source
    if checklist.plan is not None and checklist.plan != plan.id:
        return [], [
            _(
                "{where}: this checklist was exported from plan '{theirs}', not from '{ours}'; "
                "export this plan's checklist and send it again"
            ).format(where=where, theirs=checklist.plan, ours=plan.id)
        ]
    senders, problems = [], []
    for sender in (checklist.exported_for or "").split(","):
        agency_id, _slash, member_id = sender.partition("/")
        agency = plan.agencies_by_id.get(agency_id)
        member = next((m for m in agency.members if m.id == member_id), None) if agency and member_id else None
        if agency is None or (member_id and member is None):
            problems.append(
                _(
                    "{where}: this checklist was exported for '{who}', who is not an agency or member of this plan"
                ).format(where=where, who=sender)
            )
            continue
        senders.append((agency.id, member.id if member else None, member.name if member else agency.name))
    return senders, problems


def match_rows(
    plan: Plan,
    progress: Progress,
    checklist: Checklist,
    as_of: date,
    any_agency: bool = False,
    earlier: Callable[[str, str | None], set[date]] | None = None,
) -> Matched:
    """The checklist's rows matched to the plan and checked against whom it was exported for.

    Every row must belong to an addressee of the checklist (its binding), unless
    ``any_agency``; a checklist without a binding is refused unless ``any_agency``. A
    completion is recorded with the addressee as ``by`` (None when the file has no
    binding: the caller's user records it). A row that repeats a recorded completion
    is already recorded whatever form its date has taken, but a different day is a
    problem; a new completion needs a readable day in the plan's year, on or before
    ``as_of``, that is not a day the item was recorded done on before and reopened
    since (``earlier``: such days, for an item and member): a date the export filled in.
    """
    matched = Matched()
    problems = matched.problems
    senders, binding_problems = _senders(plan, checklist) if checklist.bound_at else ([], [])
    problems += binding_problems
    if binding_problems:
        return matched
    if checklist.bound_at is None and checklist.rows and not any_agency:
        problems.append(
            _(
                "{file}: this checklist does not say whom it was exported for (no '{tag}' line or workbook name): "
                "send the agency its checklist from 'dsday export --agency', or give --any-agency to record it yourself"
            ).format(file=checklist.source, tag=BINDING_TAG)
        )
        return matched
    everyone = ", ".join(name for _agency, _member, name in senders) or None
    seen: dict[tuple[str, str | None], Completion] = {}
    items = {item.id.lower(): item for item in plan.responsibilities}
    for row in checklist.rows:
        item = items.get(row.item.lower())
        if item is None:
            problems.append(_("{where}: unknown item '{item}'").format(where=row.where, item=row.item))
            continue
        members = plan.members_of(item)
        member = next((m for m in members if m.id == row.member), None)
        if row.member and member is None:
            problems.append(
                _("{where}: '{member}' is not a member of {agency} for item {item}").format(
                    where=row.where, member=row.member, agency=item.agency, item=item.id
                )
            )
            continue
        member_id = member.id if member else None
        label = item.id + (f" [{member_id}]" if member_id else "")
        sender = next((s for s in senders if s[0] == item.agency and s[1] in (None, member_id)), None)
        partner = row.partner or any(s[0] in item.partners for s in senders)
        if sender is None and partner:  # whoever imports it: the completion is the lead's to record
            lead = plan.agencies_by_id.get(item.agency) if item.agency else None
            who = next((s[2] for s in senders if s[0] in item.partners), None)
            problems.append(
                _(
                    "{where}: \"{title}\"{ref} is for information only: {partner} works on it as a partner, "
                    "and its lead, {lead}, records it done; leave the row as it was sent"
                ).format(
                    where=row.where, title=item.title, ref=item.ref_suffix,
                    partner=who or _("this checklist's agency"),
                    lead=lead.name if lead else _("the lead agency, whom the plan does not name"),
                )
            )  # fmt: skip
            continue
        if senders and sender is None and not any_agency:
            problems.append(
                _(
                    "{where}: this checklist was exported for {sender} and cannot record {item} for another "
                    "agency or member; give --any-agency if the coordinator means it"
                ).format(where=row.where, sender=checklist.exported_for, item=label)
            )
            continue
        by = sender[2] if sender else everyone
        key = (item.id, member_id)
        keys = [key] if member or not members else [(item.id, m.id) for m in members]
        marks = [progress.mark(*k) for k in keys]
        if all(marks):
            recorded = max(m.on for m in marks if m)
            if row.on_error:
                problems.append(_("{where}: {column} {error}").format(where=row.where, column=row.day_column, error=row.on_error))
            elif row.on is not None and row.on not in {m.on for m in marks if m}:
                problems.append(
                    _(
                        "{where}: {item} is recorded as done on {recorded}, but this row says {day}; "
                        "if the day was wrong, correct it with 'dsday done {command} --on {day}'"
                    ).format(
                        where=row.where, item=label, recorded=_shown(recorded), day=_shown(row.on),
                        command=item.id + (f" --member {member_id}" if member_id else ""),
                    )
                )  # fmt: skip
            elif key not in seen:
                seen[key] = Completion(row, item.id, member_id, recorded, by)
                matched.known.append(seen[key])
            continue
        if members and member is None:
            problems.append(
                _("{where}: {item} is done by each of its {count} members; tick each member's own row").format(
                    where=row.where, item=item.id, count=len(members)
                )
            )
            continue
        if row.on_error:
            problems.append(_("{where}: {column} {error}").format(where=row.where, column=row.day_column, error=row.on_error))
            continue
        on = row.on
        if on is None:
            problems.append(
                _(
                    "{where}: {item} is marked done without the day it was done; "
                    "write it in the column '{column}' as DD/MM/YYYY"
                ).format(where=row.where, item=label, column=row.day_column)
            )
            continue
        if on > as_of:
            problems.append(
                _("{where}: {column} {day} is in the future").format(
                    where=row.where, column=row.day_column, day=on.isoformat()
                )
            )
            continue
        if on.year < plan.year:
            problems.append(
                _(
                    "{where}: {column} {day} is before the plan's year {year}; if the work was truly done then, "
                    "record it with 'dsday done {command} --on {day} --force'"
                ).format(
                    where=row.where, column=row.day_column, day=_shown(on), year=plan.year,
                    command=item.id + (f" --member {member_id}" if member_id else ""),
                )
            )  # fmt: skip
            continue
        completion = Completion(row, item.id, member_id, on, by)
        if key in seen:
            if seen[key].on != on:
                problems.append(
                    _("{where}: conflicts with {other} ({first} vs {second})").format(
                        where=row.where,
                        other=seen[key].row.where,
                        first=seen[key].on.isoformat(),
                        second=on.isoformat(),
                    )
                )
            continue
        seen[key] = completion
        if earlier is not None and on in earlier(item.id, member_id):
            matched.stale.append(completion)
        else:
            matched.new.append(completion)
    return matched
