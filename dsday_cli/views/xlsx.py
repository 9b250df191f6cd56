"""Excel workbooks: the checklist an agency fills in, and any list of records.

A checklist's columns are headed in the interface language, values in words (the
role, the deadline as the document words it, the status): what a person reads and
fills comes first (``checklist_headings``), the machine columns (JSON field names)
after it, hidden. Dates are real date cells shown day first, the status column offers
a drop-down of exactly the status words the export writes (``import`` reads them in
either language), the header row is frozen and repeated on every printed page, and a
sheet prints landscape, one page wide. Sheets follow the plan's agencies (V.1, V.2, …);
a group agency's own checklist has a sheet per member. Two defined names of the
workbook (not a sheet, which anyone can delete) record the plan and whom the checklist
was exported for, so that a returned file can be bound to its sender. Every text cell
is text, never a formula, whatever it begins with, and holds only what XML can carry
(``string_cell``). openpyxl is imported here only, when a workbook is asked for.
"""

import io
import re
from datetime import date, datetime, time

from dsday_cli._version import __version__
from dsday_cli.core.checklist_binding import (
    CHECKLIST_MACHINE_COLUMNS,
    XLSX_FOR_NAME,
    XLSX_PLAN_NAME,
    checklist_headings,
)
from dsday_cli.core.i18n import _
from dsday_cli.core.model import Agency, Plan
from dsday_cli.core.xml_text import xml_text
from dsday_cli.views.render import deadline_phrase, item_rows, lead_label, status_label
from dsday_cli.core.status import ItemStatus

DATE_COLUMNS = {"start", "due", "last_day", "done_on", "date", "on", "as_of"}
DATE_FORMAT = "DD/MM/YYYY"
WRAPPED_COLUMNS = {"title", "agency_name", "note", "name", "detail", "unit", "deadline_text"}
MAX_WIDTH = 60  # wider text wraps
NARROWER = {"unit": 24, "deadline_text": 30, "note": 30}  # a checklist's words wrap sooner: one landscape page wide
LINE_HEIGHT = 15  # points a line of 11-point text takes
SHEET_NAME_LIMIT = 31  # Excel's limit
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def string_cell(cell, value: str) -> None:
    """Set an openpyxl cell to ``value`` as text: XML-safe, and never a formula (openpyxl takes '=…' for one)."""
    cell.value = xml_text(value)
    cell.data_type = "s"


STATUS_ORDER = ("open", "due-soon", "overdue", "done", "done-late")


def status_choices() -> list[str]:
    """The words offered in the status drop-down: exactly the statuses the export writes, in the interface language.

    Open is "not yet due" for an item with a deadline and "not done" for one without.
    """
    return [status_label("open", undated=True), *(status_label(status) for status in STATUS_ORDER)]


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\, at most 31 characters, not 'History'."""
    base = " ".join(_SHEET_FORBIDDEN.sub(" ", xml_text(text)).split()).strip("'").replace("\ufffd", "") or "Sheet"
    base = base[:SHEET_NAME_LIMIT].rstrip()
    name, number = base, 1
    while name.lower() in taken or name.lower() == "history":  # Excel reserves History
        number += 1
        suffix = f" ({number})"
        name = base[: SHEET_NAME_LIMIT - len(suffix)].rstrip() + suffix
    taken.add(name.lower())
    return name


def _cell_value(column: str, value: object) -> object:
    if value is None:
        return None
    if column in DATE_COLUMNS and isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value


def _fill_sheet(
    sheet, title: str | None, columns: tuple[str, ...], records: list[dict], status_column: bool,
    headings: dict[str, str] | None = None, hidden: tuple[str, ...] = (),
) -> None:  # fmt: skip
    """The records under a bold header; with ``status_column``, the drop-down on the rows a person records.

    A row whose ``role`` is partner is for information: its status, date and note cells
    are greyed and refuse what is typed in them, saying (when one is selected, and to
    whoever types) that the lead records it; it has no drop-down. No sheet protection:
    the rest of the sheet stays as editable as any.
    """
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
    from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

    first = 1
    if title:
        cell = sheet.cell(row=1, column=1)
        string_cell(cell, title)
        cell.font = Font(bold=True, size=13)
        first = 2
    headings = headings or {}
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=first, column=index)
        string_cell(cell, headings.get(column, column))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths: list[float] = [len(headings.get(column, column)) for column in columns]
    for offset, record in enumerate(records, start=1):
        for index, column in enumerate(columns, start=1):
            value = _cell_value(column, record.get(column))
            cell = sheet.cell(row=first + offset, column=index)
            if isinstance(value, str):
                string_cell(cell, value)  # a note or name starting with '=' stays text
            else:
                cell.value = value
            if column in DATE_COLUMNS:
                cell.number_format = DATE_FORMAT  # also for an empty done_on: what is typed shows day first
                widths[index - 1] = max(widths[index - 1], 10)
            elif value is not None:
                longest = max(len(line) for line in str(value).splitlines() or [""])
                widths[index - 1] = max(widths[index - 1], longest)
            if column in WRAPPED_COLUMNS:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.alignment = Alignment(vertical="top")
    for index, width in enumerate(widths, start=1):
        # NFC Vietnamese is one character a letter; a little more room for the tone marks' width
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = widths[index - 1] = min(NARROWER.get(columns[index - 1], MAX_WIDTH), width * 1.1 + 2)
        dimension.hidden = columns[index - 1] in hidden
    for offset, record in enumerate([{c: headings.get(c, c) for c in columns}, *records]):
        # as tall as its wrapped text: LibreOffice and Gnumeric do not grow a row for it, and lines would overlap
        lines = max(
            [_lines(str(record.get(c) or ""), widths[i]) for i, c in enumerate(columns) if c in WRAPPED_COLUMNS or offset == 0]
            or [1]
        )
        if lines > 1:
            sheet.row_dimensions[first + offset].height = LINE_HEIGHT * lines
    sheet.freeze_panes = sheet.cell(row=first + 1, column=1)
    _page_setup(sheet, first)
    last = first + max(len(records), 1)
    sheet.auto_filter.ref = f"A{first}:{get_column_letter(len(columns))}{last}"
    informative = [first + offset for offset, r in enumerate(records, start=1) if r.get("role") == "partner"]
    if status_column:
        _for_information(sheet, informative, [columns.index(c) + 1 for c in FILLED_COLUMNS if c in columns])
    if status_column and "status" in columns:
        letter = get_column_letter(columns.index("status") + 1)
        choices = ",".join(status_choices())
        validation = DataValidation(
            type="list",
            formula1=f'"{choices}"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Status"),
            error=_("Choose a status from the list."),
            promptTitle=_("Status"),
            prompt=_("Done? Choose from the list, and fill in the date it was done."),
            showInputMessage=True,
        )
        rows = sorted(set(range(first + 1, last + 1)) - set(informative))
        for start, end in _runs(rows):
            validation.add(f"{letter}{start}:{letter}{end}")
        if rows:
            sheet.add_data_validation(validation)


FILLED_COLUMNS = ("status", "done_on", "note")  # what the agency fills in on a row it records
INFORMATION_FILL = "D9D9D9"  # grey: a row the lead records, shown for information


def _for_information(sheet, rows: list[int], columns: list[int]) -> None:
    """Grey the cells a person fills on ``rows``; a validation that takes nothing says the lead records them.

    A validation's message rather than a cell comment: a comment's VML drawing makes
    Gnumeric warn on opening the workbook.
    """
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if not rows or not columns:
        return
    words = _("For information (partner): the lead agency records it.")
    title = _("For information")
    validation = DataValidation(
        type="custom", formula1="FALSE", allow_blank=False, showErrorMessage=True, errorTitle=title, error=words,
        showInputMessage=True, promptTitle=title, prompt=words,
    )  # fmt: skip
    for row in rows:
        for column in columns:
            cell = sheet.cell(row=row, column=column)
            cell.fill = PatternFill("solid", fgColor=INFORMATION_FILL)
            cell.font = Font(italic=True, color="595959")
            validation.add(f"{get_column_letter(column)}{row}")
    sheet.add_data_validation(validation)


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted numbers as runs of consecutive ones: [3, 4, 5, 8] → [(3, 5), (8, 8)]."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and runs[-1][1] == number - 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def _lines(text: str, width: float) -> int:
    """The lines ``text`` takes in a column ``width`` characters wide, wrapped at words (a letter is narrower than a digit)."""
    import textwrap

    room = max(int(width) - 1, 1)
    if len(text) <= room and "\n" not in text:
        return 1  # most cells: no wrapping to work out
    return sum(len(textwrap.wrap(line, room)) or 1 for line in text.splitlines() or [""])


def _page_setup(sheet, header: int) -> None:
    """Printed landscape on A4, one page wide (as many long), the header row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages long as the rows need
    sheet.print_title_rows = f"{header}:{header}"
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5


def _workbook_bytes(book, as_of: date) -> bytes:
    moment = datetime.combine(as_of, time())  # the same data gives the same file, whenever it is written
    book.properties.created = book.properties.modified = moment
    book.properties.creator = f"dsday {__version__}"
    book.security = None  # no workbook protection: not an empty <workbookProtection/>, which Gnumeric warns on
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _binding(book, plan: Plan, exported_for: str | None) -> None:
    """The workbook's defined names that bind it: the plan, and (exported for someone) whom it is for."""
    from openpyxl.workbook.defined_name import DefinedName  # type: ignore[import-untyped]

    for name, value in ((XLSX_PLAN_NAME, plan.id), (XLSX_FOR_NAME, exported_for)):
        if value:  # ids are letters, digits and ._-/, : nothing to quote in a string constant
            book.defined_names[name] = DefinedName(name, attr_text=f'"{value}"')


def checklist_workbook(plan: Plan, statuses: list[ItemStatus], as_of: date, exported_for: str | None = None) -> bytes:
    """The checklist as a workbook: one sheet per agency in the plan's order, or for whom it was exported.

    Exported for a group agency alone, each member has its own sheet (the items the
    group partners on, with no member, come first on the group's own sheet).
    """
    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    headings = checklist_headings()
    columns = (*headings, *CHECKLIST_MACHINE_COLUMNS)
    for label, title, items, addressee in _sheets(plan, statuses, exported_for):
        records = _checklist_records(items, addressee)
        sheet = book.create_sheet(sheet_name(label, taken))
        _fill_sheet(
            sheet, f"{title} — {plan.title}", columns, records, status_column=True, headings=headings,
            hidden=CHECKLIST_MACHINE_COLUMNS,
        )  # fmt: skip
    _binding(book, plan, exported_for)
    return _workbook_bytes(book, as_of)


Sheet = tuple[str, str, list[ItemStatus], str | None]  # its label, its title, its items, whom it is for (a name)


def _sheets(plan: Plan, statuses: list[ItemStatus], exported_for: str | None) -> list[Sheet]:
    """(sheet label, title, items, the name of whom the sheet is for) of each sheet, in the plan's order."""
    owner_id = exported_for.split("/")[0] if exported_for and "," not in exported_for else None
    owner = plan.agencies_by_id.get(owner_id) if owner_id else None
    if owner is not None and owner.members and "/" not in (exported_for or ""):  # a group alone: a sheet a member
        return _member_sheets(owner, statuses)
    groups: dict[str, list[ItemStatus]] = {}
    for status in statuses:  # one agency's checklist (its own items and those it partners on) is one sheet
        key = owner_id or (status.agency.id if status.agency else "")
        groups.setdefault(key, []).append(status)
    order = {agency.id: index for index, agency in enumerate(plan.agencies)}
    sheets: list[Sheet] = []
    for agency_id in sorted(groups, key=lambda key: order.get(key, len(order))):  # V.1 … V.9; no lead last
        items = groups[agency_id]
        agency = plan.agencies_by_id.get(agency_id)
        members = {part.member.id: part.member for status in items for part in status.members}
        addressee = agency.name if agency else None
        if agency is None:
            label = title = _("no lead named")
        elif agency.members and len(members) == 1 and owner is not None:  # exported for one member
            only = next(iter(members.values()))
            label, title, addressee = only.short_name or only.name, f"{only.name} ({agency.name})", only.name
        else:
            label, title = agency.short_name or agency.name, agency.name
        sheets.append((label, title, items, addressee))
    if not sheets:  # no items at all: one empty sheet
        sheets.append((plan.id, plan.title, [], owner.name if owner else None))
    return sheets


def _member_sheets(agency: Agency, statuses: list[ItemStatus]) -> list[Sheet]:
    """A group agency's checklist split by member: the group's own rows first, then a sheet per member."""
    from dsday_cli.core.status import for_member

    own = [status for status in statuses if not status.members]
    sheets: list[Sheet] = []
    if own:
        sheets.append((agency.short_name or agency.name, agency.name, own, agency.name))
    for member in agency.members:
        items = [for_member(s, member) for s in statuses if any(p.member.id == member.id for p in s.members)]
        sheets.append((member.short_name or member.name, f"{member.name} ({agency.name})", items, member.name))
    return sheets


def _checklist_records(items: list[ItemStatus], addressee: str | None) -> list[dict]:
    """The rows of a sheet: the machine fields, and the words a person reads.

    A row the addressee partners on names the addressee as who does it, and the lead it works with.
    """
    records = item_rows(items)
    for record, (status, code) in zip(records, _row_sources(items)):
        partner = status.role == "partner"
        record["unit"] = record.get("member_name") or (addressee if partner and addressee else lead_label(status))
        if partner:
            record["role_text"] = _("partner with {lead}").format(lead=lead_label(status, short=True))
        else:
            record["role_text"] = _("lead") if status.agency else None
        record["deadline_text"] = deadline_phrase(status.item.deadline)
        record["status"] = status_label(code, undated=status.item.last_day is None)
    return records


def _row_sources(statuses: list[ItemStatus]) -> list[tuple[ItemStatus, str]]:
    """The item and status of each row item_rows gives: the item's, or each member's part."""
    return [(s, code) for s in statuses for code in ([p.status for p in s.members] or [s.status])]


def records_workbook(records: list[dict], columns: tuple[str, ...], title: str, as_of: date) -> bytes:
    """Any list of records (agencies, events) as one sheet with its header frozen."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name(title, set())
    _fill_sheet(sheet, None, columns, records, status_column=False)
    return _workbook_bytes(book, as_of)
