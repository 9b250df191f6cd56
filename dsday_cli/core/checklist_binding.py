"""Whom a checklist speaks for: the binding an export writes and an import checks, row by row.

A checklist exported for an agency (or one member of a group) carries the plan's id and
the addressee: a last CSV row or a line under the Markdown title
(``#dsday-checklist plan=… for=…``), or two defined names of the workbook. A returned
file is read as that addressee's word, and only for the rows that are theirs.

A workbook's columns are headed in the interface language (``checklist_headings``); an
import reads the headings of every language, and the JSON field names of older exports.
"""

import re
from collections.abc import Callable

from dsday_cli.core.i18n import _

XLSX_META_SHEET = "_dsday"  # where workbooks exported before the defined names kept their binding (hidden)
XLSX_PLAN_NAME, XLSX_FOR_NAME = "dsday_plan", "dsday_for"  # the workbook's defined names that bind it
BINDING_TAG = "#dsday-checklist"
BINDING = re.compile(
    r"#dsday-checklist\s+plan=(?P<plan>[A-Za-z0-9][A-Za-z0-9._-]*)\s+for=(?P<who>[A-Za-z0-9][A-Za-z0-9._/,-]*)"
)


def binding_line(plan: str, exported_for: str) -> str:
    """The line a CSV or Markdown checklist carries to say whom it was exported for, from which plan."""
    return f"{BINDING_TAG} plan={plan} for={exported_for}"


def checklist_headings(_: Callable[[str], str] = _) -> dict[str, str]:
    """A workbook checklist's columns a person reads and fills: field to heading, in ``_``'s language.

    The fields ``id``, ``status``, ``done_on`` and ``note`` are what an import reads
    (as in CSV); ``unit``, ``role_text`` and ``deadline_text`` are words only. The
    machine columns (JSON field names) follow, hidden.
    """
    return {
        "id": _("ID"),
        "ref": _("Clause"),
        "title": _("Title"),
        "unit": _("Agency or member"),
        "role_text": _("Role"),
        "deadline_text": _("Deadline"),
        "status": _("Status"),
        "done_on": _("Date done"),
        "note": _("Note"),
    }


# The machine columns after them (hidden): whom a row is for, and the deadline as data.
CHECKLIST_MACHINE_COLUMNS = ("agency", "member", "role", "deadline", "start", "due", "last_day", "done_by")
