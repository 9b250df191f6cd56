"""The campaign on a time axis, for the terminal: window, milestones, each agency's deadlines, today."""

from datetime import date

from rich.console import Console, Group
from rich.text import Text

from dsday_cli.dates import day_first
from dsday_cli.i18n import _
from dsday_cli.model import Plan
from dsday_cli.render import safe_text
from dsday_cli.status import DONE, DONE_LATE, OVERDUE, ItemStatus


def timeline(console: Console, plan: Plan, statuses: list[ItemStatus], as_of: date) -> Group:
    """Rows of marks on one axis; late items in red, today marked."""
    fancy = console.is_terminal and not console.no_color
    symbols = {"bar": "━" if fancy else "=", "mark": "◆" if fancy else "*", "done": "●" if fancy else "o",
               "late": "✖" if fancy else "x", "open": "○" if fancy else ".", "today": "▼" if fancy else "v"}  # fmt: skip
    window = [plan.campaign.start, plan.campaign.end] if plan.campaign else []
    days = [*window, *(m.date for m in plan.milestones), *(s.item.last_day for s in statuses if s.item.last_day)]
    days = days or [as_of]
    first, last = min(days), max(days)
    labels = [a.label for a in plan.agencies] + ([_("no lead named")] if any(s.agency is None for s in statuses) else [])
    label_width = min(32, max((len(label) for label in labels), default=8) + 2)
    width = max(20, min(console.width, 120) - label_width - 1)
    span = max(1, (last - first).days)

    def column(day: date) -> int:
        return round((min(max(day, first), last) - first).days * (width - 1) / span)

    def row(label: str) -> Text:
        return Text(label[: label_width - 1].ljust(label_width), no_wrap=True, overflow="ellipsis")

    rows = []
    header = row(f"{day_first(first)}")
    header.append(" " * (width - 10) + day_first(last)[:10])
    rows.append(header)
    today = row(_("Today"))
    if as_of > last:
        today.append(
            (_("{day}, after the last date").format(day=day_first(as_of)) + " →").rjust(width), style="bold cyan"
        )
    elif as_of < first:
        today.append("← " + _("{day}, before the first date").format(day=day_first(as_of)), style="bold cyan")
    else:
        today.append(" " * column(as_of) + symbols["today"] + f" {day_first(as_of)}", style="bold cyan")
    rows.append(today)
    if plan.campaign:
        campaign = row(_("Campaign"))
        start, end = column(plan.campaign.start), column(plan.campaign.end)
        campaign.append(" " * start + symbols["bar"] * (end - start + 1), style="blue")
        campaign.append(f" {day_first(plan.campaign.start)}–{day_first(plan.campaign.end)}")
        rows.append(campaign)
    for milestone in sorted(plan.milestones, key=lambda m: m.date):
        line = row(milestone.id)
        late = milestone.last_day < as_of
        line.append(" " * column(milestone.date) + symbols["mark"], style="dim" if late else "bold yellow")
        line.append(f" {day_first(milestone.date)} {milestone.title}", style="dim" if late else "")
        rows.append(line)
    lanes: list[tuple[str | None, str]] = [(a.id, a.label) for a in plan.agencies]
    if any(s.agency is None for s in statuses):
        lanes.append((None, _("no lead named")))
    for agency_id, label in lanes:
        cells: dict[int, str] = {}
        for status in statuses:
            if (status.agency.id if status.agency else None) != agency_id or status.item.last_day is None:
                continue
            kind = "late" if status.status in (OVERDUE, DONE_LATE) else "done" if status.status == DONE else "open"
            at = column(status.item.last_day)
            if cells.get(at) != "late":  # a late item wins its column
                cells[at] = kind
        line = row(label)
        for position in range(width):
            kind = cells.get(position) or ""
            style = {"late": "bold red", "done": "green", "open": ""}.get(kind, "")
            line.append(symbols[kind] if kind else ("·" if fancy else " "), style=style)
        rows.append(line)
    legend = Text(
        "  ".join(f"{symbols[key]} {label}" for key, label in (
            ("mark", _("milestone")), ("done", _("done")), ("open", _("open")), ("late", _("late")), ("today", _("today"))
        )),
        style="dim",
    )  # fmt: skip
    for line in rows:  # labels and milestone titles are plan text: nothing in them reaches the terminal raw
        line.plain = safe_text(line.plain)
    return Group(*rows, Text(""), legend)
