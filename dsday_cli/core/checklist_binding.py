"""Whom a checklist speaks for: the binding an export writes and an import checks, row by row.

A checklist exported for an agency (or one member of a group) carries the plan's id and
the addressee: a last CSV row or a line under the Markdown title
(``#dsday-checklist plan=… for=…``), or two defined names of the workbook. A returned
file is read as that addressee's word, and only for the rows that are theirs.
"""

import re

XLSX_META_SHEET = "_dsday"  # where workbooks exported before the defined names kept their binding (hidden)
XLSX_PLAN_NAME, XLSX_FOR_NAME = "dsday_plan", "dsday_for"  # the workbook's defined names that bind it
BINDING_TAG = "#dsday-checklist"
BINDING = re.compile(
    r"#dsday-checklist\s+plan=(?P<plan>[A-Za-z0-9][A-Za-z0-9._-]*)\s+for=(?P<who>[A-Za-z0-9][A-Za-z0-9._/,-]*)"
)


def binding_line(plan: str, exported_for: str) -> str:
    """The line a CSV or Markdown checklist carries to say whom it was exported for, from which plan."""
    return f"{BINDING_TAG} plan={plan} for={exported_for}"
