"""Plain output formats: records for JSON, CSV rows, Markdown. No colour, no Rich.

Commands build records (dicts with the documented JSON fields) once; each format
renders the same records. Rich tables live in ``dashboard.py``.
"""

import csv
import io
import json
from datetime import date

from dsday_cli.dates import day_first, iso
from dsday_cli.i18n import _
from dsday_cli.model import Event
from dsday_cli.model import Plan
from dsday_cli.status import AgencyCounts, CampaignPhase, Dashboard, ItemStatus, MilestoneCountdown

ITEM_CSV_COLUMNS = (
    "id", "ref", "agency", "agency_name", "member", "member_name", "title", "start", "due",
    "deadline", "last_day", "status", "done_on", "done_by", "note",
)  # fmt: skip
AGENCY_COLUMNS = ("id", "name", "short_name", "total", "done", "done_late", "open", "due_soon", "overdue")
EVENT_COLUMNS = ("id", "at", "kind", "item", "member", "on", "by", "note", "plan")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def item_record(status: ItemStatus) -> dict:
    """An item as the documented JSON object."""
    item, mark = status.item, status.mark
    members = None
    if status.members:
        members = [
            {
                "id": part.member.id,
                "name": part.member.name,
                "status": part.status,
                "done_on": iso(part.mark and part.mark.on),
                "done_by": part.mark and part.mark.by,
            }
            for part in status.members
        ]
    return {
        "id": item.id,
        "ref": item.ref,
        "agency": item.agency,
        "agency_name": status.agency.name,
        "title": item.title,
        "detail": item.detail,
        "start": iso(item.start),
        "due": iso(item.due),
        "deadline": item.deadline,
        "last_day": iso(item.last_day),
        "status": status.status,
        "done_on": iso(mark and mark.on),
        "done_by": mark and mark.by,
        "note": mark and mark.note,
        "members": members,
        "members_done": status.members_done if status.members else None,
        "members_total": len(status.members) if status.members else None,
    }


def item_rows(statuses: list[ItemStatus]) -> list[dict]:
    """Flat rows for CSV: one per item, or one per member of a group item."""
    rows = []
    for status in statuses:
        record = item_record(status)
        base = {key: record.get(key) for key in ITEM_CSV_COLUMNS}
        if not status.members:
            rows.append(base | {"member": None, "member_name": None})
        for part in status.members:
            mark = part.mark
            rows.append(
                base
                | {
                    "member": part.member.id,
                    "member_name": part.member.name,
                    "status": part.status,
                    "done_on": iso(mark and mark.on),
                    "done_by": mark and mark.by,
                    "note": mark and mark.note,
                }
            )
    return rows


def agency_record(entry: AgencyCounts) -> dict:
    """An agency with its counts, as the documented JSON object."""
    agency = entry.agency
    return {
        "id": agency.id,
        "name": agency.name,
        "short_name": agency.short_name,
        "ref": agency.ref,
        "members": [
            {"id": m.id, "name": m.name, "done": entry.members_done[m.id], "total": entry.total} for m in agency.members
        ],
        "total": entry.total,
        "done": entry.counts["done"],
        "done_late": entry.counts["done-late"],
        "open": entry.counts["open"],
        "due_soon": entry.counts["due-soon"],
        "overdue": entry.counts["overdue"],
    }


def event_record(event: Event) -> dict:
    """A journal event as its JSON object."""
    return {key: getattr(event, key) for key in EVENT_COLUMNS}


def milestone_record(milestone: MilestoneCountdown) -> dict:
    """A milestone with its countdown."""
    return {
        "id": milestone.id,
        "title": milestone.title,
        "date": iso(milestone.date),
        "deadline": milestone.deadline,
        "last_day": iso(milestone.last_day),
        "days_left": milestone.days_left,
    }


def campaign_record(campaign: CampaignPhase) -> dict:
    """The campaign window and where it stands."""
    return {
        "start": iso(campaign.start),
        "end": iso(campaign.end),
        "phase": campaign.phase,
        "day": campaign.day if campaign.phase == "running" else None,
        "length": campaign.length,
        "days_to_start": campaign.days_to_start,
        "days_to_end": campaign.days_to_end,
    }


def plan_record(plan: Plan) -> dict:
    """The plan's identity, as the dashboard shows it."""
    return {
        "id": plan.id,
        "title": plan.title,
        "issuer": plan.issuer,
        "year": plan.year,
        "theme": plan.theme,
        "national_day": iso(plan.national_day),
        "timezone": plan.timezone,
    }


def status_record(board: Dashboard) -> dict:
    """The dashboard as the documented JSON object."""
    return {
        "as_of": board.as_of.isoformat(),
        "plan": plan_record(board.plan),
        "campaign": campaign_record(board.campaign),
        "milestones": [milestone_record(m) for m in board.milestones],
        "agencies": [agency_record(e) for e in board.agencies],
        "overdue": [item_record(s) for s in board.overdue],
        "due_soon": [item_record(s) for s in board.due_soon],
    }


def to_json(value: object) -> str:
    """Stable JSON, keys in record order, Vietnamese text as is: one record a line.

    json's C encoder only runs without ``indent``; indenting 10,000 records took
    longer than computing them. So arrays (at the top, or under the top object's keys)
    put one compact element on each line, which reads well and diffs well.
    """

    def compact(item: object) -> str:
        return json.dumps(item, ensure_ascii=False)

    def lines(items: list, indent: str) -> str:
        if not items:
            return "[]"
        return "[\n" + ",\n".join(indent + "  " + compact(item) for item in items) + "\n" + indent + "]"

    if isinstance(value, list):
        return lines(value, "") + "\n"
    if isinstance(value, dict):
        body = ",\n".join(
            f"  {compact(key)}: " + (lines(item, "  ") if isinstance(item, list) else compact(item))
            for key, item in value.items()
        )
        return "{\n" + body + "\n}\n"
    return compact(value) + "\n"


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(records: list[dict], columns: tuple[str, ...], delimiter: str = ",", bom: bool = False) -> str:
    """CSV with a header row and formulas neutralised; ``bom`` for a file Excel must open as UTF-8.

    Without the byte-order mark Excel reads Vietnamese as mojibake, but with it ``cut``,
    ``awk`` and csvkit see a first column named ``\ufeffid``: so only files meant for a
    spreadsheet carry it.
    """
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([_cell(record.get(column)) for column in columns])
    return out.getvalue()


def md_escape(value: object) -> str:
    """Plan or journal text made inert in Markdown, on one line: no links, images, HTML, tables or checkboxes."""
    text = "" if value is None else str(value)
    return "".join("\\" + c if c in "\\`*_[]<>#|!" else c for c in text.replace("\r", " ").replace("\n", " "))


def md_table(records: list[dict], columns: tuple[str, ...]) -> str:
    """A GitHub-flavoured Markdown table."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(md_escape(r.get(c)) for c in columns) + " |" for r in records]
    return "\n".join(lines) + "\n"


def records_text(
    records: list[dict], columns: tuple[str, ...], fmt: str, delimiter: str = ",", bom: bool = False
) -> str:
    """Records as ``json``, ``csv`` (``bom`` for a spreadsheet) or ``md`` (a table): one row source, many formats."""
    if fmt == "json":
        return to_json(records)
    if fmt == "csv":
        return to_csv(records, columns, delimiter, bom)
    if fmt == "md":
        return md_table(records, columns)
    raise ValueError(f"not a records format: {fmt}")


def items_text(plan: Plan, statuses: list[ItemStatus], fmt: str, delimiter: str = ",", bom: bool = False) -> str:
    """Items as ``json`` records, ``csv`` rows (one per member of a group item) or an ``md`` checklist."""
    if fmt == "json":
        return to_json([item_record(s) for s in statuses])
    if fmt == "csv":
        return to_csv(item_rows(statuses), ITEM_CSV_COLUMNS, delimiter, bom)
    if fmt == "md":
        return checklist_md(plan, statuses)
    raise ValueError(f"not an items format: {fmt}")


def status_label(status: str) -> str:
    """A status as a person reads it, in the interface language."""
    return {
        "open": _("open"),
        "due-soon": _("due soon"),
        "overdue": _("overdue"),
        "done": _("done"),
        "done-late": _("done late"),
    }[status]


def due_phrase(deadline: str, due: date) -> str:
    """How the document words a deadline: 'before 25/10/2023' (trước ngày) or 'by 15/10/2023' (đến ngày)."""
    words = {"before": _("before {day}"), "by": _("by {day}"), "on": _("on {day}")}
    return words[deadline].format(day=day_first(due))


def checklist_md(plan: Plan, statuses: list[ItemStatus]) -> str:
    """A checklist an agency can paste anywhere, grouped by agency, dates day-first."""
    lines = [f"# {plan.title}", ""]
    current = None
    for status in statuses:
        if status.agency.id != current:
            current = status.agency.id
            lines += ["", f"## {status.agency.name} ({status.agency.id})", ""]
        item, mark = status.item, status.mark
        tick = "x" if mark else " "
        done = " (" + _("done {day}").format(day=day_first(mark.on)) + ")" if mark else ""
        lines.append(
            f"- [{tick}] **{item.id}** ({item.ref}) {md_escape(item.title)}"
            f" — {due_phrase(item.deadline, item.due)}{done}"
        )
        for part in status.members:
            tick = "x" if part.mark else " "
            done = " (" + _("done {day}").format(day=day_first(part.mark.on)) + ")" if part.mark else ""
            lines.append(f"  - [{tick}] {md_escape(part.member.name)} [{part.member.id}]{done}")
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


def status_md(record: dict) -> str:
    """The dashboard as Markdown, built from the same record as the JSON."""
    plan, campaign = record["plan"], record["campaign"]
    lines = [
        f"# {md_escape(plan['title'])}",
        "",
        f"*{md_escape(plan['theme'])}*",
        "",
        _("As of {day}; campaign {window}: {phase}.").format(
            day=day_first(date.fromisoformat(record["as_of"])),
            window=f"{day_first(date.fromisoformat(campaign['start']))}–{day_first(date.fromisoformat(campaign['end']))}",
            phase=campaign["phase"],
        ),
        "",
        "## " + _("Milestones"),
        "",
        md_table(record["milestones"], ("title", "date", "deadline", "last_day", "days_left")),
        "## " + _("Agencies"),
        "",
        md_table(record["agencies"], AGENCY_COLUMNS),
    ]
    for key, heading in (("overdue", _("Overdue ({count})")), ("due_soon", _("Due soon ({count})"))):
        lines += ["## " + heading.format(count=len(record[key])), ""]
        lines.append(
            md_table(record[key], ("id", "agency", "title", "deadline", "last_day", "status"))
            if record[key]
            else _("None.") + "\n"
        )
    return "\n".join(lines)
