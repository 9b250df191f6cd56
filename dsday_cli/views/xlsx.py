"""Excel workbooks: the checklist an agency fills in, and any list of records.

Dates are real date cells shown day first, the status column offers a drop-down of
words ``import`` understands, the header row is frozen and columns are as wide as
their Vietnamese text. Two defined names of the workbook (not a sheet, which anyone
can delete) record the plan and whom the checklist was exported for, so that a
returned file can be bound to its sender. Every text cell is text, never a formula,
whatever it begins with, and holds only what XML can carry (``string_cell``).
openpyxl is imported here only, when a workbook is asked for.
"""

import io
import re
from datetime import date, datetime, time

from dsday_cli._version import __version__
from dsday_cli.core.checklist_binding import XLSX_FOR_NAME, XLSX_PLAN_NAME
from dsday_cli.core.i18n import _
from dsday_cli.core.model import Plan
from dsday_cli.core.xml_text import xml_text
from dsday_cli.views.render import ITEM_CSV_COLUMNS, item_rows, status_label
from dsday_cli.core.status import ItemStatus

DATE_COLUMNS = {"start", "due", "last_day", "done_on", "date", "on", "as_of"}
DATE_FORMAT = "DD/MM/YYYY"
WRAPPED_COLUMNS = {"title", "agency_name", "note", "name", "detail"}
MAX_WIDTH = 60  # wider text wraps
SHEET_NAME_LIMIT = 31  # Excel's limit
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def string_cell(cell, value: str) -> None:
    """Set an openpyxl cell to ``value`` as text: XML-safe, and never a formula (openpyxl takes '=…' for one)."""
    cell.value = xml_text(value)
    cell.data_type = "s"


def status_choices() -> list[str]:
    """The words offered in the status drop-down: done, not done, in progress (both languages)."""
    return ["Hoàn thành", "Chưa hoàn thành", "Đang thực hiện", "done", "not done"]


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


def _fill_sheet(sheet, title: str | None, columns: tuple[str, ...], records: list[dict], status_column: bool) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
    from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

    first = 1
    if title:
        cell = sheet.cell(row=1, column=1)
        string_cell(cell, title)
        cell.font = Font(bold=True, size=13)
        first = 2
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=first, column=index, value=column)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    widths = [len(column) for column in columns]
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
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, width * 1.1 + 2)
    sheet.freeze_panes = sheet.cell(row=first + 1, column=1)
    last = first + max(len(records), 1)
    sheet.auto_filter.ref = f"A{first}:{get_column_letter(len(columns))}{last}"
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
            prompt=_("Done? Choose from the list, and fill in done_on."),
            showInputMessage=True,
        )
        validation.add(f"{letter}{first + 1}:{letter}{last}")
        sheet.add_data_validation(validation)


def _workbook_bytes(book, as_of: date) -> bytes:
    moment = datetime.combine(as_of, time())  # the same data gives the same file, whenever it is written
    book.properties.created = book.properties.modified = moment
    book.properties.creator = f"dsday {__version__}"
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
    """The checklist as a workbook: one sheet per agency (or the one agency or member asked for)."""
    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook()
    book.remove(book.active)
    groups: dict[str, list[ItemStatus]] = {}
    owner = exported_for.split("/")[0] if exported_for and "," not in exported_for else None
    for status in statuses:  # one agency's checklist (its own items and those it partners on) is one sheet
        key = owner or (status.agency.id if status.agency else "")
        groups.setdefault(key, []).append(status)
    taken: set[str] = set()
    for agency_id, items in groups.items() if groups else [("", [])]:
        agency = plan.agencies_by_id.get(agency_id)
        members = {part.member.id: part.member for status in items for part in status.members}
        if agency is None:  # no items at all: one empty sheet
            label, title = plan.id, plan.title
        elif agency.members and len(members) == 1:  # exported for one member
            only = next(iter(members.values()))
            label, title = only.short_name or only.name, f"{only.name} ({agency.name})"
        else:
            label, title = agency.short_name or agency.name, agency.name
        records = item_rows(items)
        for record, source in zip(records, _row_statuses(items)):
            record["status"] = status_label(source)
        sheet = book.create_sheet(sheet_name(label, taken))
        _fill_sheet(sheet, f"{title} — {plan.title}", ITEM_CSV_COLUMNS, records, status_column=True)
    _binding(book, plan, exported_for)
    return _workbook_bytes(book, as_of)


def _row_statuses(statuses: list[ItemStatus]) -> list[str]:
    """The status of each row item_rows gives: the item's, or each member's part."""
    return [code for s in statuses for code in ([p.status for p in s.members] or [s.status])]


def records_workbook(records: list[dict], columns: tuple[str, ...], title: str, as_of: date) -> bytes:
    """Any list of records (agencies, events) as one sheet with its header frozen."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name(title, set())
    _fill_sheet(sheet, None, columns, records, status_column=False)
    return _workbook_bytes(book, as_of)
