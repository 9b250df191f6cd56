"""Plain output formats: records for JSON, CSV rows, Markdown. No colour, no Rich.

Commands build records (dicts with the documented JSON fields) once; each format
renders the same records. Rich tables live in ``dashboard.py``.
"""

import io
import itertools
import re
from collections.abc import Iterable, Iterator
from datetime import date

from dsday_cli.core.dates import MonthOnly, day_first, iso, month_words, quarter_roman
from dsday_cli.core.errors import UsageError
from dsday_cli.core.i18n import _, n_
from dsday_cli.core.json_encoder import json_encoder
from dsday_cli.core.model import Deadline, Event, Milestone, Plan
from dsday_cli.core.status import (
    DONE,
    DONE_LATE,
    DUE_SOON,
    OPEN,
    OVERDUE,
    AgencyCounts,
    CampaignPhase,
    Dashboard,
    ItemStatus,
    MilestoneCountdown,
)

ITEM_CSV_COLUMNS = (
    "id", "ref", "agency", "agency_name", "role", "partners", "member", "member_name", "title",
    "deadline", "deadline_source", "deadline_ref", "tentative", "start", "due", "last_day",
    "status", "done_on", "done_by", "note",
)  # fmt: skip
AGENCY_COLUMNS = ("id", "name", "short_name", "total", "done", "done_late", "open", "due_soon", "overdue")
EVENT_COLUMNS = ("id", "at", "kind", "item", "member", "on", "by", "note", "plan")
ITEM_FIELDS = (
    "id", "ref", "refs", "agency", "agency_name", "role", "partners", "title", "detail", "deadline",
    "deadline_source", "deadline_ref", "tentative", "start", "due", "last_day", "status", "done_on", "done_by",
    "note", "members", "members_done", "members_total",
)  # fmt: skip
AGENCY_FIELDS = ("id", "name", "short_name", "ref", "members", *AGENCY_COLUMNS[3:])
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def _control_pictures() -> dict[int, str]:
    """Each control character to one visible character of the same width, so Rich's spans stay in place."""
    table = {code: chr(0x2400 + code) for code in range(0x20)}  # ␀ … ␛ … ␟
    table[0x7F] = "\u2421"  # ␡
    table |= {code: "\ufffd" for code in range(0x80, 0xA0)}  # C1: 0x9b is CSI to some terminals
    # Bidirectional overrides and isolates reorder what the reader sees (Trojan Source).
    table |= {code: "\ufffd" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
    return table


_CONTROLS = _control_pictures()
_CONTROLS_KEEP_LINES = _CONTROLS | {0x0A: "\n"}
_CONTROLS_CSV = _CONTROLS | {0x09: "\t", 0x0A: "\n", 0x0D: "\r"}  # a quoted field keeps them


def _finder(table: dict[int, str]):
    """A search for any character ``table`` changes (most text has none)."""
    # str.translate with a dict looks every character up (~35 µs for a record of Vietnamese text): 1/3 of a JSON list
    return re.compile("[" + "".join(re.escape(chr(c)) for c, to in table.items() if to != chr(c)) + "]").search


_HAS_CONTROL = _finder(_CONTROLS)
_HAS_CONTROL_KEEP_LINES = _finder(_CONTROLS_KEEP_LINES)
_HAS_CONTROL_CSV = _finder(_CONTROLS_CSV)


def safe_text(value: object, newlines: bool = False) -> str:
    """Plan or journal text made harmless for a terminal: every control character shown, none obeyed.

    ``ESC ] 0 ; … BEL`` would set the window title and ``ESC ] 52`` write the clipboard;
    here each control character becomes its visible picture (``␛``, ``␇``; C1 and
    bidirectional overrides become ``�``), one character for one. A newline is kept
    only with ``newlines`` (where a view lays out several lines of a note), else it is ``␊``.
    """
    text = "" if value is None else str(value)
    if newlines:
        return text.translate(_CONTROLS_KEEP_LINES) if _HAS_CONTROL_KEEP_LINES(text) else text
    return text.translate(_CONTROLS) if _HAS_CONTROL(text) else text


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
    deadline = item.deadline
    return {
        "id": item.id,
        "ref": item.ref_text,
        "refs": item.ref,
        "agency": item.agency,
        "agency_name": status.agency.name if status.agency else None,
        "role": None if status.agency is None and status.role == "lead" else status.role,  # no lead: nobody leads
        "partners": item.partners,
        "title": item.title,
        "detail": item.detail,
        "deadline": deadline and deadline.kind,
        "deadline_source": deadline and deadline.source,
        "deadline_ref": deadline and deadline.ref,
        "tentative": bool(deadline and deadline.tentative),
        "start": iso(deadline.first_day if deadline else None),
        "due": iso(deadline.due if deadline else None),
        "last_day": iso(item.last_day),
        "status": status.status,
        "done_on": iso(mark and mark.on),
        "done_by": mark and mark.by,
        "note": mark and mark.note,
        "members": members,
        "members_done": status.members_done if status.members else None,
        "members_total": len(status.members) if status.members else None,
    }


def item_rows(statuses: Iterable[ItemStatus]) -> list[dict]:
    """Flat rows for CSV: one per item, or one per member of a group item."""
    return [row for status in statuses for row in _status_rows(status)]


def _status_rows(status: ItemStatus) -> list[dict]:
    """One item's CSV rows: the item's own, or one per member of a group item."""
    record = item_record(status) | {"partners": " ".join(status.item.partners) or None}
    base = {key: record.get(key) for key in ITEM_CSV_COLUMNS}
    if not status.members:
        return [base | {"member": None, "member_name": None}]
    rows = []
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
        "done": entry.counts[DONE],
        "done_late": entry.counts[DONE_LATE],
        "open": entry.counts[OPEN],
        "due_soon": entry.counts[DUE_SOON],
        "overdue": entry.counts[OVERDUE],
    }


def event_record(event: Event) -> dict:
    """A journal event as its JSON object."""
    return {key: getattr(event, key) for key in EVENT_COLUMNS}


def pick_fields(records: list[dict], fields: str, valid: tuple[str, ...]) -> list[dict]:
    """Only the ``fields`` (comma-separated, gh style) of each record, in the order named; UsageError naming the valid ones."""
    names = [name.strip() for name in fields.split(",") if name.strip()]
    unknown = [name for name in names if name not in valid]
    if unknown or not names:
        message = _("unknown field '{field}'; available fields: {fields}") if unknown else _(
            "name the fields to print, separated by commas: {fields}"
        )
        field, listed = safe_text(unknown[0]) if unknown else "", ",".join(valid)
        problem = "fields.unknown" if unknown else "fields.none"
        raise UsageError(message.format(field=field, fields=listed), problem=problem, field=field, fields=listed)
    return [{name: record.get(name) for name in names} for record in records]


def milestone_record(milestone: MilestoneCountdown) -> dict:
    """A milestone with its countdown."""
    return {
        "id": milestone.id,
        "title": milestone.title,
        "date": iso(milestone.date),
        "deadline": milestone.deadline,
        "tentative": milestone.tentative,
        "last_day": iso(milestone.last_day),
        "days_left": milestone.days_left,
        "met": milestone.met,
    }


def campaign_record(campaign: CampaignPhase | None) -> dict | None:
    """The campaign window and where it stands; None for a plan without one."""
    if campaign is None:
        return None
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
        "number": plan.number,
        "issued": iso(plan.issued),
        "theme": plan.theme,
        "national_day": iso(plan.national_date),
        "partial": bool(plan.source and plan.source.partial),
        "source_note": plan.source.note if plan.source else None,
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
        "unassigned": [item_record(s) for s in board.unassigned],
        "total": board.total,
        "finished": board.finished,
    }


_JSON_C1 = {code: f"\\u{code:04x}" for code in range(0x80, 0xA0)}
_HAS_C1 = _finder(_JSON_C1)
_CHUNK = 1000  # rows a streamed output gathers before writing them: few writes, little memory


_dumps = json_encoder()


def _escaped_c1(text: str) -> str:
    # json escapes C0 controls itself; C1 ones (0x9b is CSI to some terminals) only with ensure_ascii.
    return text.translate(_JSON_C1) if _HAS_C1(text) else text


def _compact(item: object) -> str:
    return _escaped_c1(_dumps(item))


def to_json(value: object) -> str:
    """Stable JSON, keys in record order, Vietnamese text as is: one record a line.

    json's C encoder only runs without ``indent``; indenting 10,000 records took
    longer than computing them. So arrays (at the top, or under the top object's keys)
    put one compact element on each line, which reads well and diffs well.
    """

    def lines(items: list, indent: str) -> str:
        if not items:
            return "[]"
        return "[\n" + ",\n".join(indent + "  " + _compact(item) for item in items) + "\n" + indent + "]"

    if isinstance(value, list):
        return lines(value, "") + "\n"
    if isinstance(value, dict):
        body = ",\n".join(
            f"  {_compact(key)}: " + (lines(item, "  ") if isinstance(item, list) else _compact(item))
            for key, item in value.items()
        )
        return "{\n" + body + "\n}\n"
    return _compact(value) + "\n"


def json_chunks(records: Iterable[object]) -> Iterator[str]:
    """``to_json`` of a list, in pieces of a thousand records, from records made one at a time."""
    pieces: list[str] = []
    started = False
    for record in records:
        pieces.append((",\n  " if started else "[\n  ") + _dumps(record))
        started = True
        if len(pieces) == _CHUNK:
            yield _escaped_c1("".join(pieces))
            pieces.clear()
    pieces.append("\n]\n" if started else "[]\n")
    yield _escaped_c1("".join(pieces))


def _cell(value: object) -> str:
    # A quoted field keeps its tabs and line breaks; other control characters must not reach a terminal.
    text = "" if value is None else str(value)
    if _HAS_CONTROL_CSV(text):
        text = text.translate(_CONTROLS_CSV)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _check_delimiter(delimiter: str) -> None:
    if len(delimiter) != 1 or delimiter in '"\r\n':
        shown = safe_text(delimiter)
        raise UsageError(
            _("delimiter: '{delimiter}' is not one character other than a quote or a line break").format(delimiter=shown),
            problem="delimiter.bad", delimiter=shown,
        )


def to_csv(records: Iterable[dict], columns: tuple[str, ...], delimiter: str = ",", bom: bool = False) -> str:
    """CSV with a header row and formulas neutralised; ``bom`` for a file Excel must open as UTF-8.

    Without the byte-order mark Excel reads Vietnamese as mojibake, but with it ``cut``,
    ``awk`` and csvkit see a first column named ``\ufeffid``: so only files meant for a
    spreadsheet carry it.
    """
    return "".join(csv_chunks(records, columns, delimiter, bom))


def csv_chunks(
    records: Iterable[dict], columns: tuple[str, ...], delimiter: str = ",", bom: bool = False
) -> Iterator[str]:
    """``to_csv`` in pieces of a thousand rows, from records made one at a time (the delimiter checked at once)."""
    _check_delimiter(delimiter)
    return _csv_pieces(records, columns, delimiter, bom)


def _csv_pieces(records: Iterable[dict], columns: tuple[str, ...], delimiter: str, bom: bool) -> Iterator[str]:
    import csv  # loaded only for CSV output (~1 ms of every command's start-up)

    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for n, record in enumerate(records, 1):
        writer.writerow([_cell(record.get(column)) for column in columns])
        if n % _CHUNK == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def md_escape(value: object) -> str:
    """Plan or journal text made inert in Markdown, on one line: no links, images, HTML, tables or checkboxes."""
    text = safe_text(str(value).replace("\r", " ").replace("\n", " ") if value is not None else "")
    return "".join("\\" + c if c in "\\`*_[]<>#|!" else c for c in text)


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


def items_text(
    plan: Plan, statuses: Iterable[ItemStatus], fmt: str, delimiter: str = ",", bom: bool = False,
    binding: str | None = None,
) -> str:  # fmt: skip
    """Items as ``json`` records, ``csv`` rows (one per member of a group item) or an ``md`` checklist.

    ``binding``: the line that binds a checklist to whom it was exported for (csv: a last row; md: under the title).
    """
    return "".join(items_chunks(plan, statuses, fmt, delimiter, bom, binding))


def items_chunks(
    plan: Plan, statuses: Iterable[ItemStatus], fmt: str, delimiter: str = ",", bom: bool = False,
    binding: str | None = None,
) -> Iterator[str]:  # fmt: skip
    """``items_text`` in pieces, each item rendered as it comes: memory follows a piece, not the whole list."""
    if fmt == "json":
        return json_chunks(item_record(s) for s in statuses)
    if fmt == "csv":
        rows: Iterable[dict] = (row for s in statuses for row in _status_rows(s))
        if binding:
            rows = itertools.chain(rows, [{ITEM_CSV_COLUMNS[0]: binding}])
        return csv_chunks(rows, ITEM_CSV_COLUMNS, delimiter, bom)
    if fmt == "md":
        return checklist_md_chunks(plan, statuses, binding)
    raise ValueError(f"not an items format: {fmt}")


def status_label(status: str, undated: bool = False) -> str:
    """A status as a person reads it, in the interface language.

    ``undated``: the item has no day to fall due on (no deadline, or an ongoing one), so
    open is "not done", never "not yet due" (the checklist's words; lists keep theirs).
    """
    if undated and status == "open":
        return _("not done")
    return {
        "open": _("open"),
        "due-soon": _("due soon"),
        "overdue": _("overdue"),
        "done": _("done"),
        "done-late": _("done late"),
    }[status]


def members_phrase(status: ItemStatus, full: bool = False) -> str:
    """A group item's members as counted: '8/21 done'; ``full`` adds the rest by status ('13 overdue').

    Each number says what it counts: never a bare '8/21' beside a status word it does not count.
    """
    phrase = _("{done}/{total} done").format(done=status.members_done, total=len(status.members))
    if full:
        undated = status.item.last_day is None  # no day to fall due on: what is open is not done, not "not yet due"
        still = _("{count} not done") if undated else _("{count} not yet due")
        words = {OVERDUE: _("{count} overdue"), DUE_SOON: _("{count} due soon"), OPEN: still}
        for key, word in words.items():
            if count := sum(1 for part in status.members if part.status == key):
                phrase += ", " + word.format(count=count)
    return phrase


def member_bands(entry: AgencyCounts) -> list[tuple[str, list[str]]]:
    """A group agency's members by how far each has come: all its parts done, some, none (ids, plan order)."""
    bands: dict[str, list[str]] = {"all": [], "some": [], "none": []}
    for member in entry.agency.members:
        done = entry.members_done[member.id]
        bands["all" if entry.total and done == entry.total else "some" if done else "none"].append(member.id)
    return list(bands.items())


def bands_phrase(entry: AgencyCounts) -> str:
    """'21 members, 10/63 parts done: some done 8, none done 13': a group of any size on one line or two."""
    words = {"all": _("all done {count}"), "some": _("some done {count}"), "none": _("none done {count}")}
    members = entry.agency.members
    phrase = _("{members} members, {done}/{parts} parts done").format(
        members=len(members), done=sum(entry.members_done.values()), parts=entry.total * len(members)
    )
    bands = [words[band].format(count=len(ids)) for band, ids in member_bands(entry) if ids]
    return phrase + (": " + ", ".join(bands) if entry.total else "")


def band_label(band: str) -> str:
    """A progress band's name: members with all, some or none of their parts done."""
    return {"all": _("All parts done"), "some": _("Some parts done"), "none": _("No part done yet")}[band]


def milestone_state(milestone: MilestoneCountdown) -> str:
    """Whether a milestone's items are done: 'met'; 'not met' once past; 'not yet due' before its last day.

    '' on its last day while not met (the countdown says 'today'), and for a milestone no item is linked to.
    """
    if milestone.met is None or (not milestone.met and milestone.days_left == 0):
        return ""
    if milestone.met:
        return _("met")
    return _("not met") if milestone.days_left < 0 else _("not yet due")


UNDO_NOTE = "undo of "  # how `undo` notes the event it reverses; kept in English in the journal, shown translated


def note_text(note: str | None) -> str:
    """An event's note as shown: the note ``undo`` writes, in the interface language."""
    if note and note.startswith(UNDO_NOTE) and " " not in note[len(UNDO_NOTE) :]:
        return _("undo of {event}").format(event=note[len(UNDO_NOTE) :][:8])  # the id's first 8 digits, as git shows a commit
    return note or ""


def due_phrase(kind: str, day: date) -> str:
    """A day as the document words it: 'before 25/10/2023' (trước ngày), 'by …' (đến ngày), 'on …'."""
    words = {"before": _("before {day}"), "by": _("by {day}"), "on": _("on {day}")}
    return words[kind].format(day=day_first(day))


def countdown(days: int) -> str:
    """'today', 'in 3 days', '2 days ago'."""
    if days == 0:
        return _("today")
    if days > 0:
        return n_("in {count} day", "in {count} days", days).format(count=days)
    return n_("{count} day ago", "{count} days ago", -days).format(count=-days)


def milestone_left(milestone: MilestoneCountdown) -> str:
    """A milestone's countdown to its last on-time day: 'in 3 days', 'today', '2 days ago'.

    One worded 'before' or 'by' a day is a time limit, not an event: on its last day it reads
    'last day today', after it 'passed' (before 10/10 ends 09/10: on 10/10 it has passed,
    not "1 day ago" as if an event of 10/10 had been held a day early).
    """
    days = milestone.days_left
    if milestone.deadline == "on" or days > 0:
        return countdown(days)
    return _("last day today") if days == 0 else _("passed")


def partial_copy(plan: Plan) -> str | None:
    """'Partial copy of the document: <note>' where the plan holds only part of its document (source.partial)."""
    if plan.source is None or not plan.source.partial:
        return None
    return _("Partial copy of the document: {note}").format(note=plan.source.note)


def days_late(status: ItemStatus, as_of: date) -> str:
    """How many days an overdue item is past its last on-time day: '7 days'."""
    days = (as_of - status.item.last_day).days if status.item.last_day else 0
    return n_("{count} day", "{count} days", days).format(count=days)


def days_left(status: ItemStatus, as_of: date) -> str:
    """How long a due-soon item has until its last on-time day: 'in 3 days', 'today'."""
    return countdown((status.item.last_day - as_of).days if status.item.last_day else 0)


def milestone_when(milestone: Milestone | MilestoneCountdown) -> str:
    """A milestone's day as the document words it: '10/10/2023', 'before 25/10/2023', tentatively so."""
    when = day_first(milestone.date) if milestone.deadline == "on" else due_phrase(milestone.deadline, milestone.date)
    return _("tentatively {deadline}").format(deadline=when) if milestone.tentative else when


def deadline_phrase(deadline: Deadline | None) -> str:
    """A deadline in the words of the document, citing the clause that states it; or that there is none.

    A deadline the coordinator set is never worded as the document's.
    """
    if deadline is None:
        return _("no deadline")
    due = deadline.due
    if deadline.kind == "ongoing" or due is None:
        phrase = _("ongoing")  # thường xuyên: a standing duty, never overdue
    elif deadline.source == "coordinator":
        phrase = _("set by the coordinator: last day {day}").format(day=day_first(deadline.last_day))
    elif deadline.kind == "window":
        phrase = _("from {start} to {end}").format(start=day_first(deadline.start), end=day_first(deadline.end))
    elif deadline.kind == "month":
        phrase = _("in {month}").format(month=f"{due.month:02d}/{due.year}")
    elif deadline.kind == "quarter" and deadline.quarter:
        phrase = _("in quarter {quarter}").format(quarter=quarter_roman(deadline.quarter))
    elif deadline.kind == "year":
        phrase = _("in {year}").format(year=due.year)
    else:
        phrase = due_phrase(deadline.kind, due)
    if deadline.tentative:
        phrase = _("tentatively {deadline}").format(deadline=phrase)
    if deadline.source == "cited":
        phrase += " " + _("(per {ref})").format(ref=deadline.ref)
    return phrase


def plan_identity(plan: Plan) -> str:
    """'No. 203/KH-UBND of 27/09/2022, Ủy ban nhân dân tỉnh X': the plan as it is cited."""
    number = plan.number or "…"
    if isinstance(plan.issued, MonthOnly):
        return _("No. {number} of {month}, {issuer}").format(
            number=number, month=month_words(plan.issued), issuer=plan.issuer
        )
    if plan.issued:
        return _("No. {number} of {day}, {issuer}").format(number=number, day=day_first(plan.issued), issuer=plan.issuer)
    return _("No. {number}, {issuer}").format(number=number, issuer=plan.issuer)


def lead_label(status: ItemStatus, short: bool = False) -> str:
    """The lead agency's name (or short name); where the document names none, says so."""
    if status.agency is None:
        return _("no lead named")
    return status.agency.label if short else status.agency.name


def checklist_md(plan: Plan, statuses: Iterable[ItemStatus]) -> str:
    """A checklist an agency can paste anywhere, grouped by lead agency, dates day-first."""
    return "".join(checklist_md_chunks(plan, statuses))


def checklist_md_chunks(plan: Plan, statuses: Iterable[ItemStatus], binding: str | None = None) -> Iterator[str]:
    """``checklist_md`` in pieces: an item's lines are made as it comes, kept as text until its group is written."""
    # One heading per lead agency, in the order they first appear: a group is complete only at the end.
    groups: dict[str | None, list[str]] = {}
    for status in statuses:
        key = status.agency.id if status.agency else None
        grouped = groups.get(key)
        if grouped is None:
            heading = f"{md_escape(status.agency.name)} ({status.agency.id})" if status.agency else lead_label(status)
            grouped = groups[key] = [f"\n## {heading}\n"]
        grouped.append("\n".join(_checklist_lines([status])))
    yield f"# {md_escape(plan.title)}\n" + (f"\n`{binding}`\n" if binding else "") + ("" if groups else "\n")
    for grouped in groups.values():
        for start in range(0, len(grouped), _CHUNK):
            yield "\n".join(grouped[start : start + _CHUNK]) + "\n"
        grouped.clear()


def _checklist_lines(statuses: list[ItemStatus]) -> list[str]:
    """Each item as a ticked or empty box, with its members' boxes under it."""
    lines = []
    for status in statuses:
        item, mark = status.item, status.mark
        tick = "x" if mark else " "
        done = " (" + _("done {day}").format(day=day_first(mark.on)) + ")" if mark else ""
        role = " (" + _("partner") + ")" if status.role == "partner" else ""
        lines.append(
            f"- [{tick}] **{item.id}**{md_escape(item.ref_suffix)} {md_escape(item.title)}"
            f" — {md_escape(deadline_phrase(item.deadline))}{role}{done}"
        )
        for part in status.members:
            tick = "x" if part.mark else " "
            done = " (" + _("done {day}").format(day=day_first(part.mark.on)) + ")" if part.mark else ""
            lines.append(f"  - [{tick}] {md_escape(part.member.name)} [{part.member.id}]{done}")
    return lines


def status_md(board: Dashboard) -> str:
    """The dashboard as Markdown for people: headings, day-first dates and deadlines in the document's words."""
    plan = board.plan
    lines = [f"# {md_escape(plan.title)}", ""]
    if plan.number or plan.issued:
        lines += [md_escape(plan_identity(plan)), ""]
    if partial := partial_copy(plan):
        lines += [f"**{md_escape(partial)}**", ""]
    if plan.theme:
        lines += [f"*{md_escape(plan.theme)}*", ""]
    lines.append(_("As of {day}.").format(day=day_first(board.as_of)))
    if plan.campaign:
        lines[-1] += " " + _("Campaign from {start} to {end}.").format(
            start=day_first(plan.campaign.start), end=day_first(plan.campaign.end)
        )
    lines += [
        "",
        _("Done {done} on time and {late} late, of {total} · overdue {overdue} · due soon {soon}").format(
            done=board.finished - board.late,
            late=board.late,
            total=board.total,
            overdue=len(board.overdue),
            soon=len(board.due_soon),
        ),
        "",
    ]
    if board.milestones:
        lines += ["## " + _("Milestones"), ""]
        rows: list[dict[str, object]] = [
            {
                _("Milestone"): m.title,
                _("When"): milestone_when(m),
                _("Countdown"): milestone_left(m) + (" · " + milestone_state(m) if milestone_state(m) else ""),
            }
            for m in board.milestones
        ]
        lines.append(md_table(rows, (_("Milestone"), _("When"), _("Countdown"))))
    lines += ["## " + _("Agencies"), ""]
    rows = [
        {
            _("Agency"): e.agency.name,
            _("On time"): f"{e.counts[DONE]}/{e.total}",
            _("Done late"): e.counts[DONE_LATE],
            _("Overdue"): e.counts[OVERDUE],
            _("Due soon"): e.counts[DUE_SOON],
            _("Not yet due"): e.counts[OPEN],
        }
        for e in board.agencies
    ]
    columns = (_("Agency"), _("On time"), _("Done late"), _("Overdue"), _("Due soon"), _("Not yet due"))
    lines.append(md_table(rows, columns))
    for items, heading in ((board.overdue, _("Overdue ({count})")), (board.due_soon, _("Due soon ({count})"))):
        lines += ["## " + heading.format(count=len(items)), ""]
        if not items:
            lines.append(_("None.") + "\n")
            continue
        overdue = items is board.overdue
        # how late, or how long is left: what a status column, the same on every row, never said
        last = _("Overdue") if overdue else _("Countdown")
        rows = [
            {
                "ID": s.item.id,
                _("Agency"): lead_label(s, short=True),
                _("Title"): s.item.title,
                _("Deadline"): deadline_phrase(s.item.deadline),
                _("Last day"): day_first(s.item.last_day),
                last: days_late(s, board.as_of) if overdue else days_left(s, board.as_of),
            }
            for s in items
        ]
        lines.append(md_table(rows, ("ID", _("Agency"), _("Title"), _("Deadline"), _("Last day"), last)))
    return "\n".join(lines)
