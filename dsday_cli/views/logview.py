"""The audit trail as people read it: each event with its item's title, agency or member by name, zoned times.

``log_record`` is the row for JSON, CSV and Markdown: the journal event's own fields,
then the names a reader needs (the title in full). ``log_table`` is the terminal view.
"""

from datetime import tzinfo

from rich.console import Console
from rich.table import Table

from dsday_cli.core.dates import day_first, moment
from dsday_cli.core.i18n import _
from dsday_cli.core.model import Agency, Event, Member, Plan, Responsibility
from dsday_cli.views.render import EVENT_COLUMNS, event_record, note_text

LOG_COLUMNS = (*EVENT_COLUMNS, "title", "agency", "agency_name", "member_name")


def _lookup(event: Event, plan: Plan) -> tuple[Responsibility | None, Agency | None, Member | None]:
    """The event's item, its lead agency and the member named; None for what the plan does not hold."""
    item = plan.items_by_id.get(event.item)
    agency = plan.agencies_by_id.get(item.agency) if item is not None and item.agency else None
    member = next((m for m in agency.members if m.id == event.member), None) if agency and event.member else None
    return item, agency, member


def log_record(event: Event, plan: Plan) -> dict:
    """A journal event as a log row: its own fields, then its item's title and the agency and member by name."""
    item, agency, member = _lookup(event, plan)
    return event_record(event) | {
        "title": item.title if item else None,
        "agency": agency.id if agency else None,
        "agency_name": agency.name if agency else None,
        "member_name": member.name if member else None,
    }


TITLE_WIDTH = 24  # the least an item's id and title get when each field has its own column; else they stack


def log_table(console: Console, events: list[Event], plan: Plan, zone: tzinfo) -> Table:
    """The events, oldest first: when (with the zone), what, which item (its title cut to fit), whose, the work day."""
    from dsday_cli.views.dashboard import make_table
    from dsday_cli.views.render import safe_text

    kinds = {"done": _("done"), "reopen": _("reopened"), "remind": _("reminded"), "note": _("note")}
    rows: list[tuple[str, ...]] = []
    for event in events:
        item, agency, member = _lookup(event, plan)
        whose = member.name if member else event.member or (agency.label if agency else "")
        # a reminder's day is the day judged, no work done: the Work day column stays empty
        day = day_first(event.on_day) if event.on and event.kind != "remind" else ""
        title = f"{event.item} {item.title}" if item else event.item
        kind = kinds.get(event.kind, event.kind)
        fields = (moment(event.at, zone), kind, title, whose, day, event.by or "", note_text(event.note))
        rows.append(tuple(safe_text(cell, newlines=True) for cell in fields))  # measured as it will be shown
    fancy = console.is_terminal and not console.no_color
    headers: tuple[str, ...] = (_("Recorded"), _("Kind"), _("Item"), _("Agency"), _("Work day"), _("By"), _("Note"))
    widths = _widest(headers, rows)
    free = console.width - _chrome(len(headers), fancy)
    if sum(widths) > free:  # these fold; the title takes the width they leave, cut with "…"
        widths = [min(width, {3: 22, 5: 16, 6: 30}.get(index, width)) for index, width in enumerate(widths)]
    title_room = free - sum(widths) + widths[2]
    cells = rows
    if title_room < min(widths[2], TITLE_WIDTH):  # narrow: two fields to a cell
        headers = (_("Recorded"), _("Kind"), _("Item"), _("By, note"))
        cells = [
            (when.replace(" ", "\n", 1), f"{kind}\n{day}".strip(), f"{title}\n{whose}".strip(), f"{by}\n{note}".strip())
            for when, kind, title, whose, day, by, note in rows
        ]
        widths = _widest(headers, cells)
        free = console.width - _chrome(len(headers), fancy) - widths[0] - widths[1]
        if widths[2] + widths[3] > free:  # the note gets up to half the width left, the title the rest
            widths[3] = max(12, min(widths[3], free // 2))
            widths[2] = max(12, free - widths[3])
        title_room = widths[2]
    table = make_table(console, *headers, keep=(0,))
    for column, width in zip(table.columns, widths):
        column.max_width = width
    table.columns[2].max_width = max(12, title_room)
    table.columns[2].no_wrap, table.columns[2].overflow = True, "ellipsis"
    table.columns[-1].overflow = "fold"
    for row in cells:
        table.add_row(*row)
    return table


def _chrome(columns: int, fancy: bool) -> int:
    """The cells a table's borders and padding take: boxes on a terminal, two spaces between columns otherwise."""
    return 3 * columns + 1 if fancy else 2 * (columns - 1)


def _widest(headers: tuple[str, ...], cells: list) -> list[int]:
    """Each column's widest line, header included."""
    from rich.cells import cell_len

    return [
        max(cell_len(line) for text in [header, *(row[index] for row in cells)] for line in text.split("\n"))
        for index, header in enumerate(headers)
    ]
