"""Terminal rendering with Rich: tables and the status dashboard.

On a terminal: colour and boxes. Piped or with NO_COLOR: plain aligned text.
"""

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from dsday_cli.dates import day_first
from dsday_cli.journal import Event
from dsday_cli.model import Plan
from dsday_cli.render import due_phrase
from dsday_cli.status import AgencyCounts, Campaign, ItemStatus, Milestone

DASHBOARD_ROWS = 10  # per list on the dashboard; the full lists are a command away
STYLES = {"overdue": "bold red", "due-soon": "yellow", "done": "green", "done-late": "magenta", "open": ""}


def make_table(console: Console, *columns: str, title: str | None = None) -> Table:
    """A table that draws boxes only on a terminal."""
    fancy = console.is_terminal and not console.no_color
    table = Table(
        title=title,
        box=box.ROUNDED if fancy else None,
        show_edge=fancy,
        header_style="bold" if fancy else "",
        title_style="bold" if fancy else "",
        title_justify="left",
        pad_edge=False,
    )
    for name in columns:
        if name in ("Title", "Note", "Milestone"):
            table.add_column(name, ratio=1, overflow="fold", min_width=12)
        else:
            table.add_column(name, no_wrap=name in ("ID", "Status", "Due", "Done"))
    return table


def status_text(status: ItemStatus) -> Text:
    """The status word, with members' progress for group items."""
    label = status.status
    if status.members:
        label += f" {status.members_done}/{len(status.members)}"
    return Text(label, style=STYLES[status.status])


def items_table(console: Console, statuses: list[ItemStatus], title: str | None = None) -> Table:
    """Items with agency, deadline and status."""
    table = make_table(console, "ID", "Agency", "Title", "Due", "Status", "Done", title=title)
    for status in statuses:
        item, mark = status.item, status.mark
        done = f"{day_first(mark.on)} {mark.by or ''}".strip() if mark else ""
        table.add_row(
            item.id, status.agency.label, item.title, due_phrase(item.deadline, item.due), status_text(status), done
        )
    return table


def bar(console: Console, done: int, total: int, width: int = 12) -> Text:
    """A progress bar that stays plain ASCII off a terminal."""
    filled = round(width * done / total) if total else 0
    fancy = console.is_terminal and not console.no_color
    full, empty = ("█", "░") if fancy else ("#", "-")
    return Text(full * filled + empty * (width - filled), style="green" if fancy else "")


def agencies_table(console: Console, entries: list[AgencyCounts], title: str | None = None) -> Table:
    """Agencies with their progress and counts."""
    table = make_table(console, "Agency", "Progress", "Done", "Late", "Overdue", "Soon", "Open", title=title)
    for entry in entries:
        c = entry.counts
        name = Text(entry.agency.label)
        if entry.agency.members:
            parts = sum(entry.members_done.values())
            name.append(f"\n  {len(entry.agency.members)} members, {parts}/{entry.total * len(entry.agency.members)} parts", style="dim")
        table.add_row(
            name,
            bar(console, entry.finished, entry.total),
            f"{entry.finished}/{entry.total}",
            str(c["done-late"]),
            Text(str(c["overdue"]), style="bold red" if c["overdue"] else ""),
            str(c["due-soon"]),
            str(c["open"]),
        )
    return table


def members_table(console: Console, entry: AgencyCounts, title: str | None = None) -> Table:
    """The members of a group agency and how many of its items each has done."""
    table = make_table(console, "ID", "Member", "Progress", "Done", title=title)
    for member in entry.agency.members:
        done = entry.members_done[member.id]
        table.add_row(member.id, member.name, bar(console, done, entry.total), f"{done}/{entry.total}")
    return table


def events_table(console: Console, events: list[Event], local_time, title: str | None = None) -> Table:
    """Journal events, recording time shown in the plan's time zone."""
    table = make_table(console, "Recorded", "Kind", "Item", "Member", "Done on", "By", "Note", title=title)
    for event in events:
        on = day_first(event.on_day) if event.on else ""
        table.add_row(local_time(event.at), event.kind, event.item, event.member or "", on, event.by or "", event.note or "")
    return table


def countdown(days: int) -> str:
    """'today', 'in 3 days', '2 days ago'."""
    if days == 0:
        return "today"
    unit = "day" if abs(days) == 1 else "days"
    return f"in {days} {unit}" if days > 0 else f"{-days} {unit} ago"


def phase_line(campaign: Campaign) -> str:
    """Where the campaign stands, in words."""
    window = f"{day_first(campaign.start)}–{day_first(campaign.end)}"
    if campaign.phase == "before":
        return f"Campaign {window}: starts {countdown(campaign.days_to_start)}"
    if campaign.phase == "running":
        return f"Campaign {window}: day {campaign.day} of {campaign.length}, ends {countdown(campaign.days_to_end)}"
    return f"Campaign {window}: ended {countdown(campaign.days_to_end)}"


def milestones_table(console: Console, milestones: list[Milestone]) -> Table:
    """Milestones with their countdowns."""
    table = make_table(console, "Milestone", "When", "Countdown", title="Milestones")
    for m in milestones:
        when = day_first(m.date) if m.deadline == "on" else due_phrase(m.deadline, m.date)
        style = "dim" if m.days_left < 0 else "bold yellow" if m.days_left <= 7 else ""
        table.add_row(m.title, when, Text(countdown(m.days_left), style=style))
    return table


def dashboard(
    console: Console,
    plan: Plan,
    as_of,
    campaign: Campaign,
    milestones: list[Milestone],
    entries: list[AgencyCounts],
    overdue: list[ItemStatus],
    due_soon: list[ItemStatus],
) -> Group:
    """The coordinator's view at a glance."""
    finished = sum(e.finished for e in entries)
    total = sum(e.total for e in entries)
    header = Text()
    header.append(plan.title + "\n", style="bold")
    header.append(f"Theme: {plan.theme}\n", style="italic")
    header.append(f"As of {day_first(as_of)} · {phase_line(campaign)}\n")
    header.append(f"Done {finished}/{total} · overdue {len(overdue)} · due soon {len(due_soon)}")
    parts = [header, milestones_table(console, milestones), agencies_table(console, entries, title="Agencies")]
    for items, heading, command in ((overdue, "Overdue", "dsday overdue"), (due_soon, "Due soon", "dsday list -s due-soon")):
        if items:
            parts.append(items_table(console, items[:DASHBOARD_ROWS], title=f"{heading} ({len(items)})"))
        if len(items) > DASHBOARD_ROWS:
            parts.append(Text(f"… and {len(items) - DASHBOARD_ROWS} more: {command}", style="dim"))
    if not overdue and not due_soon:
        parts.append(Text("Nothing overdue, nothing due soon."))
    return Group(*(p for part in parts for p in (part, Text(""))))
