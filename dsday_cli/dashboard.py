"""Terminal rendering with Rich: tables and the status dashboard.

On a terminal: colour and boxes. Piped or with NO_COLOR: plain aligned text.
"""

from datetime import tzinfo

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from dsday_cli.dates import day_first, local_time
from dsday_cli.i18n import _, n_
from dsday_cli.model import Event, Status
from dsday_cli.render import deadline_phrase, due_phrase, lead_label, plan_identity, safe_text, status_label
from dsday_cli.status import AgencyCounts, CampaignPhase, Dashboard, ItemStatus, MilestoneCountdown

NARROW = 90  # columns below which item tables drop the agency and who did it
DASHBOARD_ROWS = 10  # per list on the dashboard; the full lists are a command away
STYLES = {"overdue": "bold red", "due-soon": "yellow", "done": "green", "done-late": "magenta", "open": ""}


class SafeTable(Table):
    """A table whose cells cannot carry escape sequences from plan or journal text to the terminal."""

    def add_row(self, *renderables, **options) -> None:
        cells = []
        for cell in renderables:
            if isinstance(cell, str):
                cell = safe_text(cell, newlines=True)
            elif isinstance(cell, Text):
                cell.plain = safe_text(cell.plain, newlines=True)  # one character for one: styles stay put
            cells.append(cell)
        super().add_row(*cells, **options)


def safe_parts(parts: list) -> list:
    """The lines of a view with any control character from data made visible (tables do it cell by cell)."""
    for part in parts:
        if isinstance(part, Text):
            part.plain = safe_text(part.plain, newlines=True)
    return parts


def make_table(
    console: Console, *columns: str, wide: int | None = None, keep: tuple[int, ...] = (), title: str | None = None
) -> Table:
    """A table that draws boxes only on a terminal.

    Column ``wide`` takes the width left and folds its text; columns in ``keep`` never wrap.
    """
    fancy = console.is_terminal and not console.no_color
    table = SafeTable(
        title=safe_text(title) if title else None,
        box=box.ROUNDED if fancy else None,
        show_edge=fancy,
        header_style="bold" if fancy else "",
        title_style="bold" if fancy else "",
        title_justify="left",
        pad_edge=fancy,
    )
    for index, name in enumerate(columns):
        if index == wide:
            table.add_column(name, ratio=1, overflow="fold", min_width=12)
        else:
            table.add_column(name, no_wrap=index in keep)
    return table


def status_text(status: ItemStatus) -> Text:
    """The status word, with members' progress for group items."""
    label = status_label(status.status)
    if status.members:
        label += f" {status.members_done}/{len(status.members)}"
    return Text(label, style=STYLES[status.status])


def items_table(console: Console, statuses: list[ItemStatus], title: str | None = None) -> Table:
    """Items with agency, deadline and status; on a narrow terminal, without agency and who."""
    narrow = console.width < NARROW
    if narrow:
        table = make_table(console, "ID", _("Title"), _("Due"), _("Status"), wide=1, keep=(0, 2, 3), title=title)
    else:
        columns = ("ID", _("Agency"), _("Title"), _("Due"), _("Status"), _("Done"))
        table = make_table(console, *columns, wide=2, keep=(0, 3, 4, 5), title=title)
    for status in statuses:
        item, mark = status.item, status.mark
        due = deadline_phrase(item.deadline)
        if narrow:
            table.add_row(item.id, item.title, due, status_text(status))
            continue
        done = f"{day_first(mark.on)} {mark.by or ''}".strip() if mark else ""
        agency = lead_label(status, short=True) + (" (" + _("partner") + ")" if status.role == "partner" else "")
        table.add_row(item.id, agency, item.title, due, status_text(status), done)
    return table


def bar(console: Console, done: int, total: int, width: int = 12) -> Text:
    """A progress bar that stays plain ASCII off a terminal."""
    filled = round(width * done / total) if total else 0
    fancy = console.is_terminal and not console.no_color
    full, empty = ("█", "░") if fancy else ("#", "-")
    return Text(full * filled + empty * (width - filled), style="green" if fancy else "")


def agencies_table(console: Console, entries: list[AgencyCounts], title: str | None = None) -> Table:
    """Agencies with their progress and counts."""
    table = make_table(
        console,
        _("Agency"),
        _("Progress"),
        _("On time"),
        _("Late"),
        _("Overdue"),
        _("Soon"),
        _("Open"),
        keep=(1,),
        title=title,
    )
    for entry in entries:
        c = entry.counts
        name = Text(entry.agency.label)
        if entry.agency.members:
            parts = sum(entry.members_done.values())
            line = _("{members} members, {done}/{parts} parts").format(
                members=len(entry.agency.members), done=parts, parts=entry.total * len(entry.agency.members)
            )
            name.append(f"\n  {line}", style="dim")
        table.add_row(
            name,
            # done on time and done late apart, as in JSON and CSV (done, done_late); the bar shows both
            bar(console, entry.finished, entry.total).append(f" {entry.finished}/{entry.total}"),
            str(c[Status.DONE]),
            str(c[Status.DONE_LATE]),
            Text(str(c[Status.OVERDUE]), style="bold red" if c[Status.OVERDUE] else ""),
            str(c[Status.DUE_SOON]),
            str(c[Status.OPEN]),
        )
    return table


def members_table(console: Console, entry: AgencyCounts, title: str | None = None) -> Table:
    """The members of a group agency and how many of its items each has done."""
    table = make_table(console, "ID", _("Member"), _("Progress"), _("Done"), keep=(3,), title=title)
    for member in entry.agency.members:
        done = entry.members_done[member.id]
        table.add_row(member.id, member.name, bar(console, done, entry.total), f"{done}/{entry.total}")
    return table


def events_table(console: Console, events: list[Event], zone: tzinfo, title: str | None = None) -> Table:
    """Journal events, recording time shown in ``zone`` (the plan's)."""
    table = make_table(
        console, _("Recorded"), _("Kind"), _("Item"), _("Member"), _("Done on"), _("By"), _("Note"), wide=6, title=title
    )
    for event in events:
        # a reminder's day (the day judged) is no completion: the Done on column stays empty
        on = day_first(event.on_day) if event.on and event.kind != "remind" else ""
        kind = {"done": _("done"), "reopen": _("reopened"), "remind": _("reminded"), "note": _("note")}.get(
            event.kind, event.kind
        )
        table.add_row(local_time(event.at, zone), kind, event.item, event.member or "", on, event.by or "", event.note or "")
    return table


def countdown(days: int) -> str:
    """'today', 'in 3 days', '2 days ago'."""
    if days == 0:
        return _("today")
    if days > 0:
        return n_("in {count} day", "in {count} days", days).format(count=days)
    return n_("{count} day ago", "{count} days ago", -days).format(count=-days)


def phase_line(campaign: CampaignPhase | None) -> str:
    """Where the campaign stands, in words."""
    if campaign is None:
        return _("the plan sets no campaign window")
    window = f"{day_first(campaign.start)}–{day_first(campaign.end)}"
    if campaign.phase == "before":
        return _("Campaign {window}: starts {when}").format(window=window, when=countdown(campaign.days_to_start))
    if campaign.phase == "running":
        return _("Campaign {window}: day {day} of {length}, ends {when}").format(
            window=window, day=campaign.day, length=campaign.length, when=countdown(campaign.days_to_end)
        )
    return _("Campaign {window}: ended {when}").format(window=window, when=countdown(campaign.days_to_end))


def milestones_table(console: Console, milestones: list[MilestoneCountdown]) -> Table:
    """Milestones with their countdowns."""
    table = make_table(console, _("Milestone"), _("When"), _("Countdown"), wide=0, title=_("Milestones"))
    for m in milestones:
        when = day_first(m.date) if m.deadline == "on" else due_phrase(m.deadline, m.date)
        if m.tentative:
            when = _("tentatively {deadline}").format(deadline=when)
        style = "dim" if m.days_left < 0 else "bold yellow" if m.days_left <= 7 else ""
        left = Text(countdown(m.days_left), style=style)
        if m.met is not None:
            left.append(" · " + (_("met") if m.met else _("not met")), style="green" if m.met else "")
        table.add_row(m.title, when, left)
    return table


def dashboard(console: Console, board: Dashboard) -> Group:
    """The coordinator's view at a glance."""
    plan, as_of, campaign, entries = board.plan, board.as_of, board.campaign, board.agencies
    overdue, due_soon = board.overdue, board.due_soon
    late = board.late
    on_time, total = board.finished - late, board.total
    header = Text()
    header.append(safe_text(plan.title) + "\n", style="bold")
    if plan.number or plan.issued:
        header.append(safe_text(plan_identity(plan)) + "\n")
    if plan.theme:
        header.append(_("Theme: {theme}").format(theme=safe_text(plan.theme)) + "\n", style="italic")
    header.append(_("As of {day}").format(day=day_first(as_of)) + f" · {phase_line(campaign)}\n")
    header.append(
        _("Done {done} on time and {late} late, of {total} · overdue {overdue} · due soon {soon}").format(
            done=on_time, late=late, total=total, overdue=len(overdue), soon=len(due_soon)
        )
    )
    parts: list = [header]
    if board.milestones:
        parts.append(milestones_table(console, board.milestones))
    parts.append(agencies_table(console, entries, title=_("Agencies")))
    if board.unassigned:
        line = n_(
            "{count} item names no lead agency: {ids}", "{count} items name no lead agency: {ids}", len(board.unassigned)
        ).format(count=len(board.unassigned), ids=", ".join(s.item.id for s in board.unassigned))
        parts.append(Text(line, style="yellow"))
    lists = (
        (overdue, _("Overdue ({count})"), "dsday overdue"),
        (due_soon, _("Due soon ({count})"), "dsday list -s due-soon"),
    )
    for items, heading, command in lists:
        if items:
            parts.append(items_table(console, list(items[:DASHBOARD_ROWS]), title=heading.format(count=len(items))))
        if len(items) > DASHBOARD_ROWS:
            more = _("… and {count} more: {command}").format(count=len(items) - DASHBOARD_ROWS, command=command)
            parts.append(Text(more, style="dim"))
    if not overdue and not due_soon:
        parts.append(Text(_("Nothing overdue, nothing due soon.")))
    return Group(*(p for part in safe_parts(parts) for p in (part, Text(""))))


def item_view(console: Console, status: ItemStatus, history: list[Event], zone: tzinfo) -> Group:
    """One item in full: where it comes from, its dates, status, members and history."""
    item = status.item
    heading = f"{item.id} ({item.ref_text}) · {lead_label(status)}"
    parts: list = [Text(safe_text(heading), style="bold"), Text(safe_text(item.title))]
    if item.detail:
        parts.append(Text(item.detail, style="dim"))
    if item.partners:
        parts.append(Text(_("Partners: {names}").format(names=", ".join(item.partners))))
    deadline = _("Deadline: {deadline}").format(deadline=deadline_phrase(item.deadline))
    if item.deadline and item.deadline.kind != "by":
        deadline += "; " + _("last on-time day {day}").format(day=day_first(item.last_day))
    parts.append(Text(deadline))
    line = Text(_("Status: ")).append_text(status_text(status))
    if status.mark:
        line.append(
            " "
            + _("on {day}").format(day=day_first(status.mark.on))
            + (" " + _("by {who}").format(who=status.mark.by) if status.mark.by else "")
        )
    parts.append(line)
    if status.mark and status.mark.note:
        parts.append(Text(_("Note: {note}").format(note=status.mark.note)))
    if status.members:
        table = make_table(console, "ID", _("Member"), _("Status"), _("Done"), keep=(0, 2, 3), title=_("Members"))
        for part in status.members:
            done = f"{day_first(part.mark.on)} {part.mark.by or ''}".strip() if part.mark else ""
            table.add_row(
                part.member.id, part.member.name, Text(status_label(part.status), style=STYLES[part.status]), done
            )
        parts.append(table)
    parts.append(
        events_table(console, history, zone, title=_("History"))
        if history
        else Text(_("History: nothing recorded yet."))
    )
    return Group(*safe_parts(parts))
