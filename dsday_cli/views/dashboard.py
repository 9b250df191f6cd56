"""Terminal rendering with Rich: tables and the status dashboard.

On a terminal: colour and boxes. Piped or with NO_COLOR: plain aligned text. The
dashboard and its one-screen form (``brief``) are laid out for the screen's width and
height: lines are counted before they are drawn, so nothing that carries meaning is cut.
"""

import re
import textwrap
from collections.abc import Callable, Sequence
from datetime import date, tzinfo

from rich import box
from rich.cells import cell_len, set_cell_size
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from dsday_cli.core.dates import day_first, moment
from dsday_cli.core.i18n import _, n_
from dsday_cli.core.model import Event, Status
from dsday_cli.views.render import (
    countdown,
    days_late,
    days_left,
    deadline_phrase,
    band_label,
    bands_phrase,
    lead_label,
    member_bands,
    members_phrase,
    milestone_left,
    milestone_state,
    milestone_when,
    note_text,
    partial_copy,
    plan_identity,
    safe_text,
    status_label,
)
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

NARROW = 90  # columns below which item tables drop the agency and who did it
SCREEN_LINES = 45  # the height the dashboard fits when the screen's is unknown (a pipe without LINES)
BRIEF_LINES = 24  # the one-screen form's, likewise: the smallest usual terminal
MIN_ROWS = 3  # rows each list of the dashboard keeps even when the screen is too short for the rest
MIN_TITLE = 10  # columns a title keeps in the dashboard's item tables before a long agency name wraps
WIDE_TITLE = 24  # columns a title keeps before the last day leaves those tables
MEMBER_ROWS = 30  # members a group agency lists a row each; a larger one is shown by progress band
GAP = 2  # spaces between the columns of the dashboard's tables
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


def status_text(status: ItemStatus, full: bool = False, undated: bool = False) -> Text:
    """The status word, and a group item's members done under it (``full``: on its line, the rest by status).

    ``undated``: an item with no day to fall due on says "not done" when open (``show``; lists keep their words).
    """
    label = status_label(status.status, undated)
    if status.members:
        label += (", " if full else "\n") + members_phrase(status, full)
    return Text(label, style=STYLES[status.status])


def items_table(console: Console, statuses: list[ItemStatus], title: str | None = None) -> Table:
    """Items with agency, deadline and status; on a narrow terminal the last day stands for the deadline's words.

    The agency stays at every width: who is to act is the point of the list.
    """
    narrow = console.width < NARROW
    if narrow:
        table = make_table(
            console, "ID · " + _("Agency"), _("Title"), _("Last day"), _("Status"), wide=1, keep=(2, 3), title=title
        )
    else:
        columns = ("ID", _("Agency"), _("Title"), _("Due"), _("Status"), _("Done"))
        table = make_table(console, *columns, wide=2, keep=(0, 4, 5), title=title)  # a deadline may wrap
    for status in statuses:
        item, mark = status.item, status.mark
        agency = lead_label(status, short=True) + (" (" + _("partner") + ")" if status.role == "partner" else "")
        if narrow:
            last = day_first(item.last_day) if item.last_day else "—"
            if item.deadline and item.last_day is None:  # ongoing: in words, not a dash as if it had none
                last = deadline_phrase(item.deadline)
            table.add_row(Text(item.id).append("\n" + agency, style="dim"), item.title, last, status_text(status))
            continue
        done = f"{day_first(mark.on)} {mark.by or ''}".strip() if mark else ""
        table.add_row(item.id, agency, item.title, deadline_phrase(item.deadline), status_text(status), done)
    return table


def bar(console: Console, done: int, total: int, width: int = 12) -> Text:
    """A progress bar that stays plain ASCII off a terminal."""
    filled = round(width * done / total) if total else 0
    fancy = console.is_terminal and not console.no_color
    full, empty = ("█", "░") if fancy else ("#", "-")
    return Text(full * filled + empty * (width - filled), style="green" if fancy else "")


def agencies_table(console: Console, entries: list[AgencyCounts], title: str | None = None) -> Table:
    """Agencies with their progress and counts; where the screen is narrow, the bar shortens and the headers wrap first.

    A name broken over four lines reads worse than a header over two.
    """
    labels = [safe_text(entry.agency.label) for entry in entries]
    bar_width = 12 if console.width >= NARROW + 10 else 8
    table = make_table(
        console,
        _("Agency"),
        _("Progress"),
        _("On time"),
        _("Late"),
        _("Overdue"),
        _("Soon"),
        _("Not yet due"),
        keep=(1,),
        title=title,
    )
    fancy = console.is_terminal and not console.no_color
    natural = sum(cell_len(str(column.header)) for column in table.columns[2:]) + bar_width + 6
    natural += max((cell_len(label) for label in labels), default=0) + (3 * len(table.columns) + 1 if fancy else 12)
    if natural > console.width:  # the counts' headers on two lines leave the names their width
        for column in table.columns[2:]:
            column.max_width = two_line_width(str(column.header))
    for entry, label in zip(entries, labels):
        c = entry.counts
        # a group's members are counted under the table (members_table): a long line here would widen the column
        table.add_row(
            label,
            # done on time and done late apart, as in JSON and CSV (done, done_late); the bar shows both
            bar(console, entry.finished, entry.total, bar_width).append(f" {entry.finished}/{entry.total}"),
            str(c[Status.DONE]),
            str(c[Status.DONE_LATE]),
            Text(str(c[Status.OVERDUE]), style="bold red" if c[Status.OVERDUE] else ""),
            str(c[Status.DUE_SOON]),
            str(c[Status.OPEN]),
        )
    return table


def members_table(console: Console, entry: AgencyCounts, title: str | None = None) -> Group:
    """The members of a group agency: counted by progress band, then a row each (by band past MEMBER_ROWS members)."""
    parts: list = [Text(safe_text(title), style="bold")] if title else []
    parts.append(Text(bands_phrase(entry)))
    if len(entry.agency.members) > MEMBER_ROWS:
        names = {member.id: safe_text(member.name) for member in entry.agency.members}
        bands = [(band_label(band), [names[i] for i in ids]) for band, ids in member_bands(entry)]
        parts.append(bands_table(console, _("Progress"), bands))
        parts.append(hint(_("Each member's count:"), "dsday agencies --format json", console.width))
        return Group(*safe_parts(parts))
    table = make_table(console, "ID", _("Member"), _("Progress"), _("Done"), keep=(3,))
    for member in entry.agency.members:
        done = entry.members_done[member.id]
        table.add_row(member.id, member.name, bar(console, done, entry.total), f"{done}/{entry.total}")
    return Group(*parts, table)


def bands_table(console: Console, header: str, bands: list[tuple[str, list[str]]]) -> Table:
    """A large group's members by band (progress or status): how many, and the names one line holds, then '+N'."""
    label_width = max(cell_len(text) for text in [header, *(label for label, _names in bands)])
    count_width = max(cell_len(text) for text in [_("Members"), *(str(len(names)) for _label, names in bands)])
    fancy = console.is_terminal and not console.no_color
    room = max(12, console.width - label_width - count_width - (10 if fancy else 4))
    table = make_table(console, header, _("Members"), _("Who"), keep=(0, 1, 2))
    for label, names in bands:
        shown: list[str] = []
        for index, name in enumerate(names):
            rest = len(names) - index - 1
            if cell_len(", ".join([*shown, name]) + (f", +{rest}" if rest else "")) > room:
                break
            shown.append(name)
        more = len(names) - len(shown)
        table.add_row(label, str(len(names)), ", ".join([*shown, *([f"+{more}"] if more else [])]))
    return table


def events_table(console: Console, events: list[Event], zone: tzinfo, title: str | None = None) -> Table:
    """Journal events, recording time shown in ``zone`` (the plan's)."""
    table = make_table(
        console, _("Recorded"), _("Kind"), _("Item"), _("Member"), _("Day"), _("By"), _("Note"), wide=6,
        keep=(0, 4), title=title,
    )  # fmt: skip
    for event in events:
        # the day the event is about (work done, a note's day); a reminder's (the day judged) is left out
        on = day_first(event.on_day) if event.on and event.kind != "remind" else ""
        kind = {"done": _("done"), "reopen": _("reopened"), "remind": _("reminded"), "note": _("note")}.get(
            event.kind, event.kind
        )
        table.add_row(moment(event.at, zone), kind, event.item, event.member or "", on, event.by or "", note_text(event.note))
    return table


def phase_line(campaign: CampaignPhase | None) -> str:
    """Where the campaign stands, in words."""
    if campaign is None:
        return _("the plan sets no campaign window")
    window = f"{day_first(campaign.start)}–{day_first(campaign.end)}"
    if campaign.phase == "before":
        return _("Campaign {window}: starts {when}").format(window=window, when=countdown(campaign.days_to_start))
    if campaign.phase == "running" and campaign.days_to_end == 0:
        return _("Campaign {window}: day {day} of {length}, its last day").format(
            window=window, day=campaign.day, length=campaign.length
        )
    if campaign.phase == "running":
        return n_(
            "Campaign {window}: day {day} of {length}, {count} day left until it ends",
            "Campaign {window}: day {day} of {length}, {count} days left until it ends",
            campaign.days_to_end,
        ).format(window=window, day=campaign.day, length=campaign.length, count=campaign.days_to_end)
    return _("Campaign {window}: ended {when}").format(window=window, when=countdown(campaign.days_to_end))


# ---- the dashboard and its one-screen form: every part sized to the screen ------------


def lines_of(console: Console, parts: list) -> int:
    """How many lines ``parts`` take on ``console``, at its width (a compact table counts its own)."""
    tables = [part for part in parts if isinstance(part, (CompactTable, CompactRows))]
    rest = [part for part in parts if not isinstance(part, (CompactTable, CompactRows))]
    drawn = len(console.render_lines(Group(*rest), console.options, pad=False)) if rest else 0
    return drawn + sum(table.lines for table in tables)


def cut(text: str, cells: int) -> str:
    """``text`` in at most ``cells`` columns, ending in '…' when cut (after a whole word, if one ends near the edge)."""
    if cell_len(text) <= cells:
        return text
    if cells <= 1:
        return "…"[:cells]
    kept = set_cell_size(text, cells - 1).rstrip()
    space = kept.rfind(" ")
    if space >= (cells - 1) * 2 // 3:
        kept = kept[:space].rstrip(" ,;:–-")
    return kept + "…"


def padded(text: str, cells: int) -> str:
    """``text`` cut or padded to exactly ``cells`` columns."""
    text = cut(text, cells)
    return text + " " * (cells - cell_len(text))


def joined(parts: list[str], width: int, style: str = "") -> Text:
    """``parts`` separated by ' · ', a new line started where the next part would not fit: no part is split."""
    lines: list[str] = []
    for part in parts:
        first, *rest = _broken(part, width)
        if lines and cell_len(lines[-1] + " · " + first) <= width:
            lines[-1] += " · " + first
        else:
            lines.append(first)
        lines += rest
    return Text("\n".join(lines), style=style)


def _broken(part: str, width: int) -> list[str]:
    """A part wider than ``width`` in lines broken after its commas or colons (a number never left alone)."""
    if cell_len(part) <= width:
        return [part]
    out = [""]
    for chunk in re.split(r"(?<=[,:]) ", part):
        joined_up = out[-1] + " " + chunk if out[-1] else chunk
        if out[-1] and cell_len(joined_up) > width:
            out.append(chunk)
        else:
            out[-1] = joined_up
    return out


def two_line_width(header: str) -> int:
    """The narrowest column in which ``header`` wraps onto two lines at most."""
    words = header.split()
    splits = [max(cell_len(" ".join(words[:i])), cell_len(" ".join(words[i:]))) for i in range(1, len(words))]
    return min([cell_len(header), *splits])


def command_line(command: str, options: tuple[str, ...]) -> str:
    """``command`` with the options in force, quoted for a shell: typing it gives the same answer."""
    import shlex

    return " ".join([command, *(shlex.quote(option) for option in options)])


def hint(prefix: str, command: str, width: int) -> Text:
    """``prefix`` and a command to type, the command on a line of its own when both do not fit: never broken."""
    line = f"{prefix} {command}"
    return Text(line if cell_len(line) <= width else f"{prefix}\n  {command}", style="dim")


class CompactTable(SafeTable):
    """A table without boxes whose columns have fixed widths, and which knows its height without being drawn.

    The widths are chosen by the caller so that the table fits the screen: Rich never has
    to squeeze a column, so a date, a count or an id is never cut; a column that does not
    wrap cuts its text with '…'. Counting lines this way spares drawing every table many
    times over while the dashboard finds how many rows fit.
    """

    def __init__(
        self, console: Console, columns: list[tuple[str, int, bool]], right: tuple[int, ...] = (), headed: bool = True
    ) -> None:
        fancy = console.is_terminal and not console.no_color
        super().__init__(
            box=None, show_edge=False, pad_edge=False, padding=(0, GAP // 2), header_style="bold" if fancy else "",
            show_header=headed,
        )  # fmt: skip
        self.console, self.spec, self.lines = console, columns, 0
        for index, (header, width, wraps) in enumerate(columns):
            self.add_column(
                header,
                width=width,
                no_wrap=not wraps,
                overflow="fold" if wraps else "ellipsis",
                justify="right" if index in right else "left",
            )
        self.lines = self.height_of([header for header, _width, _wraps in columns]) if headed else 0

    def height_of(self, cells: list) -> int:
        """The lines a row of ``cells`` takes: as many as its tallest cell once wrapped."""
        heights = [1]
        for cell, (_header, width, wraps) in zip(cells, self.spec):
            text = cell if isinstance(cell, Text) else Text(str(cell))
            lines = len(text.wrap(self.console, width, overflow="fold")) if wraps else text.plain.count("\n") + 1
            heights.append(lines)
        return max(heights)

    def add_row(self, *renderables, **options) -> None:
        super().add_row(*renderables, **options)
        self.lines += self.height_of(list(renderables))


class CompactRows(Group):
    """Compact tables of the same columns with lines between them that span the screen, its height known.

    Rows continue from one table to the next at the same widths, so they read as one table
    whose row may be followed by a line as wide as the screen (a group's members).
    """

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console

    def table(self, columns: list[tuple[str, int, bool]], right: tuple[int, ...], headed: bool) -> CompactTable:
        """A new table for the rows that follow, its header shown only on the first."""
        table = CompactTable(self.console, columns, right, headed)
        self.renderables.append(table)
        return table

    def line(self, text: Text) -> None:
        """A line across the screen (wrapped at its width) after the rows so far."""
        self.renderables.append(text)

    @property
    def lines(self) -> int:
        """The lines all this takes on the screen."""
        count = 0
        for part in self.renderables:
            if isinstance(part, CompactTable):
                count += part.lines
            elif isinstance(part, Text):
                count += len(part.wrap(self.console, self.console.width))
        return count


def compact_table(console: Console, columns: list[tuple[str, int, bool]], right: tuple[int, ...] = ()) -> CompactTable:
    """A table without boxes, of columns (header, width, wraps): see CompactTable."""
    return CompactTable(console, columns, right)


def header_part(console: Console, board: Dashboard, brief: bool = False) -> Text:
    """Title, (plan number and theme), the day judged with the campaign's phase, the summary line."""
    plan, width = board.plan, console.width
    header = Text()
    title = safe_text(plan.title)
    header.append((cut(title, width) if brief else title) + "\n", style="bold")
    if not brief and (plan.number or plan.issued):
        header.append(safe_text(plan_identity(plan)) + "\n")
    if partial := partial_copy(plan):
        header.append(safe_text(cut(partial, width) if brief else partial) + "\n", style="bold yellow")
    if not brief and plan.theme:
        header.append(_("Theme: {theme}").format(theme=safe_text(plan.theme)) + "\n", style="italic")
    header.append_text(joined([_("As of {day}").format(day=day_first(board.as_of)), phase_line(board.campaign)], width))
    header.append("\n")
    header.append_text(joined(summary_line(board).split(" · "), width, style="bold"))
    return header


def summary_line(board: Dashboard) -> str:
    """Done on time and late of all, overdue, due soon: the line every form of the dashboard starts from."""
    return _("Done {done} on time and {late} late, of {total} · overdue {overdue} · due soon {soon}").format(
        done=board.finished - board.late,
        late=board.late,
        total=board.total,
        overdue=len(board.overdue),
        soon=len(board.due_soon),
    )


def milestone_countdown(m: MilestoneCountdown) -> Text:
    """'in 8 days · not yet due', '2 days ago · not met', dimmed once past."""
    style = "dim" if m.days_left < 0 else "bold yellow" if m.days_left <= 7 else ""
    left = Text(milestone_left(m), style=style)
    if state := milestone_state(m):
        left.append(" · " + state, style="green" if m.met else "")
    return left


def milestones_part(console: Console, milestones: list[MilestoneCountdown]) -> Table | Text:
    """Milestones one a line (title cut to fit), or on two lines each where the screen is too narrow for that."""
    width = console.width
    titles = [safe_text(m.title) for m in milestones]
    whens = [milestone_when(m) for m in milestones]
    lefts = [milestone_countdown(m) for m in milestones]
    when_width = max(cell_len(text) for text in [_("When"), *whens])
    left_width = max(cell_len(text) for text in [_("Countdown"), *(left.plain for left in lefts)])
    title_width = min(width - when_width - left_width - 2 * GAP, max(cell_len(t) for t in [_("Milestone"), *titles]))
    if title_width >= 20:
        columns = [(_("Milestone"), title_width, False), (_("When"), when_width, False)]
        table = compact_table(console, [*columns, (_("Countdown"), left_width, False)])
        for title, when, left in zip(titles, whens, lefts):
            table.add_row(cut(title, title_width), when, left)
        return table
    text = Text()
    for number, (title, when, left) in enumerate(zip(titles, whens, lefts)):
        text.append(("\n" if number else "") + cut(title, width) + "\n  " + when + " · ")
        text.append_text(left)
    return text


# Ways to lay out the agencies, widest first: (bar width, members line, headers on two lines, an On time column).
AGENCY_LAYOUTS = ((12, True, False, True), (12, True, True, True), (8, True, True, True), (0, True, True, True),
                  (0, False, True, True), (0, False, True, False))  # fmt: skip


def progress_table(console: Console, entries: list[AgencyCounts]) -> "CompactRows":
    """Agencies with done of total (a bar where there is room) and their counts, as wide as the screen allows.

    A group agency's members line spans the row under it, so the agency column stays as
    narrow as the names. Narrower screens wrap the headers, shorten then lose the bar, lose
    the members line, then the On time column (done minus late): never a count or a name cut.
    """
    width = console.width
    labels = [safe_text(e.agency.label) for e in entries]
    notes = ["  " + bands_phrase(e) if e.agency.members else "" for e in entries]
    fractions = [f"{e.finished}/{e.total}" for e in entries]
    counted = [(_("On time"), DONE), (_("Late"), DONE_LATE), (_("Overdue"), OVERDUE), (_("Soon"), DUE_SOON)]
    counted.append((_("Not yet due"), OPEN))
    agency_width = max(cell_len(text) for text in [_("Agency"), *labels])
    for bar_width, with_notes, wrap, on_time in AGENCY_LAYOUTS:
        columns = counted if on_time else counted[1:]
        fit = two_line_width if wrap else cell_len
        progress_width = max(
            fit(_("Progress")), *((bar_width + 1 if bar_width else 0) + cell_len(f) for f in fractions)
        )
        count_widths = [
            max(fit(header), *(len(str(e.counts[status])) for e in entries)) for header, status in columns
        ]
        total = agency_width + progress_width + sum(count_widths) + GAP * (len(columns) + 1)
        if total <= width:
            break
    agency_width = max(8, agency_width - max(0, total - width))  # the last resort: long names wrap
    spec = [(_("Agency"), agency_width, True), (_("Progress"), progress_width, wrap)]
    spec += [(header, w, wrap) for (header, _status), w in zip(columns, count_widths)]
    right = tuple(range(2, 2 + len(columns)))
    rows = CompactRows(console)
    table = rows.table(spec, right, headed=True)
    for entry, label, note, fraction in zip(entries, labels, notes, fractions):
        progress = bar(console, entry.finished, entry.total, bar_width).append(" ") if bar_width else Text()
        c = entry.counts
        cells = [
            Text(str(c[status]), style="bold red" if status == OVERDUE and c[status] else "") for _h, status in columns
        ]
        table.add_row(Text(label), progress.append(fraction), *cells)
        if with_notes and note:  # a long one goes on under itself, indented, not back at the left edge
            rows.line(Text(textwrap.fill(note, width, initial_indent="", subsequent_indent="    "), style="dim"))
            table = rows.table(spec, right, headed=False)
    return rows


def due_table(console: Console, statuses: Sequence[ItemStatus], as_of: date, overdue: bool) -> Table:
    """Overdue (or due-soon) items one a line: id, lead agency, title cut to fit, last day, days late (or left)."""
    width = console.width
    ids = [s.item.id for s in statuses]
    agencies = [safe_text(lead_label(s, short=True)) for s in statuses]
    titles = [safe_text(s.item.title) for s in statuses]
    if overdue:
        counts = [Text(days_late(s, as_of), style="bold red") for s in statuses]
        last_header = _("Overdue")
    else:
        counts = [Text(days_left(s, as_of), style="yellow") for s in statuses]
        last_header = _("Countdown")
    id_width = max(cell_len(text) for text in ["ID", *ids])
    agency_width = max(cell_len(text) for text in [_("Agency"), *agencies])
    day_width = max(cell_len(_("Last day")), 10)
    count_width = max(cell_len(text) for text in [last_header, *(count.plain for count in counts)])
    longest = max(cell_len(text) for text in [_("Title"), *titles])
    room = width - id_width - agency_width - count_width - 3 * GAP  # for the title and the last day
    # Narrower, the last day goes first (the days late or left say as much), then a long agency name wraps.
    with_day = room - day_width - GAP >= min(longest, WIDE_TITLE)
    if with_day:
        room -= day_width + GAP
    wraps = room < MIN_TITLE
    if wraps:
        agency_width, room = max(10, agency_width - (MIN_TITLE - room)), MIN_TITLE
    title_width = min(longest, room)
    columns = [("ID", id_width, False), (_("Agency"), agency_width, wraps), (_("Title"), title_width, False)]
    columns += [(_("Last day"), day_width, False)] if with_day else []
    columns.append((last_header, count_width, False))
    table = compact_table(console, columns, right=(len(columns) - 1,))
    for status, agency, title, count in zip(statuses, agencies, titles, counts):
        day = [day_first(status.item.last_day)] if with_day else []
        table.add_row(status.item.id, agency, cut(title, title_width), *day, count)
    return table


def dashboard(
    console: Console, board: Dashboard, options: tuple[str, ...] = (), height: int | None = None
) -> Group:
    """The coordinator's view at a glance, fitted to a screen of ``height`` lines (45 when unknown).

    Everything above the lists is always shown; the agencies, then the overdue items, then
    the items due soon get the lines that remain, each list keeping at least a few rows
    and ending with how many more there are and the command (with ``options``) that shows them.
    """
    width, room = console.width, (height or SCREEN_LINES) - 1  # the shell's prompt takes the last line
    top: list = [header_part(console, board)]
    if board.milestones:
        top += [Text(""), Text(_("Milestones"), style="bold"), milestones_part(console, board.milestones)]
    if board.unassigned:
        line = n_(
            "{count} item names no lead agency: {ids}", "{count} items name no lead agency: {ids}", len(board.unassigned)
        ).format(count=len(board.unassigned), ids=", ".join(s.item.id for s in board.unassigned))
        top += [Text(""), Text(line, style="yellow")]
    calm = [Text(""), Text(_("Nothing overdue, nothing due soon."))] if not board.overdue and not board.due_soon else []
    entries = board.agencies

    def agencies_part(shown: int) -> list:
        if not entries:
            return []
        part = [Text(""), Text(_("Agencies"), style="bold"), progress_table(console, entries[:shown])]
        if shown < len(entries):
            more = len(entries) - shown
            prefix = n_("… and {count} more agency:", "… and {count} more agencies:", more).format(count=more)
            part.append(hint(prefix, command_line("dsday agencies", options), width))
        return part

    def items_part(items: Sequence[ItemStatus], title: str, command: str, overdue: bool) -> Callable[[int], list]:
        def part(shown: int) -> list:
            if not items:
                return []
            style = "bold red" if overdue else "bold yellow"
            lines: list = [Text(""), Text(title.format(count=len(items)), style=style)]
            lines.append(due_table(console, items[:shown], board.as_of, overdue))
            if shown < len(items):
                more = _("… and {count} more:").format(count=len(items) - shown)
                lines.append(hint(more, command_line(command, options), width))
            return lines

        return part

    parts = [
        (agencies_part, len(entries)),
        (items_part(board.overdue, _("Overdue ({count})"), "dsday overdue", True), len(board.overdue)),
        (items_part(board.due_soon, _("Due soon ({count})"), "dsday list -s due-soon", False), len(board.due_soon)),
    ]
    room -= lines_of(console, top + calm)
    shown, fits = fitted(room, [(measured(console, part), n) for part, n in parts])
    body = top + [line for (part, _n), k in zip(parts, shown) for line in part(k)] + calm
    if not fits:
        prefix = _("The screen is too short for the whole dashboard; on one screen:")
        body += [Text(""), hint(prefix, command_line("dsday status --brief", options), width)]
    return Group(*safe_parts(body))


def measured(console: Console, part: Callable[[int], list]) -> Callable[[int], int]:
    """How many lines ``part`` takes with k rows."""
    known: dict[int, int] = {}  # fitted asks some k twice; each answer is a whole render

    def lines(rows: int) -> int:
        if rows not in known:
            known[rows] = lines_of(console, part(rows))
        return known[rows]

    return lines


def fitted(room: int, parts: list[tuple[Callable[[int], int], int]]) -> tuple[list[int], bool]:
    """How many rows of each part to show in ``room`` lines, and whether that fits.

    ``parts`` are (lines for k rows, rows available), in order of priority: each keeps at
    least MIN_ROWS rows (or all it has), then each in turn takes as many more as fit.
    Every row takes at least a line, so more rows than spare lines cannot fit.
    """
    shown = [min(count, MIN_ROWS) for _cost, count in parts]
    costs = [cost(k) for (cost, _count), k in zip(parts, shown)]
    if sum(costs) > room:
        return shown, False
    for index, (cost, count) in enumerate(parts):
        spare = room - sum(costs) + costs[index]
        # Rows beyond the spare lines are known not to fit without rendering them (at 10,000
        # items the overdue list has thousands): the same answers, so the same search.
        if count <= spare and cost(count) <= spare:
            shown[index], costs[index] = count, cost(count)
            continue
        low, high = shown[index], count - 1  # low fits; find the most rows that do
        while low < high:
            middle = (low + high + 1) // 2
            if middle <= spare and cost(middle) <= spare:
                low = middle
            else:
                high = middle - 1
        shown[index], costs[index] = low, cost(low)
    return shown, True


def agency_groups(board: Dashboard, statuses: Sequence[ItemStatus], soon: bool) -> list[tuple[str, list[str], str]]:
    """The ids of ``statuses`` by lead agency, in plan order; for items due soon, the nearest's time left.

    Items whose document names no lead come last.
    """
    order = {agency.id: index for index, agency in enumerate(board.plan.agencies)}
    groups: dict[str | None, list[ItemStatus]] = {}
    for status in statuses:
        groups.setdefault(status.agency.id if status.agency else None, []).append(status)
    ordered = sorted(groups.items(), key=lambda pair: order.get(pair[0], len(order)) if pair[0] else len(order))
    return [
        (
            safe_text(lead_label(group[0], short=True)),
            [s.item.id for s in group],
            days_left(min(group, key=lambda s: s.item.last_day or board.as_of), board.as_of) if soon else "",
        )
        for _id, group in ordered
    ]


def agency_lines(groups: list[tuple[str, list[str], str]], width: int, style: str) -> tuple[Text, int]:
    """One line an agency (name, count, time left, as many ids as fit, then '+N'); and how many ids they show."""
    label_width = min(max(cell_len(label) for label, _ids, _note in groups), max(10, width // 2))
    count_width = max(len(str(len(ids))) for _label, ids, _note in groups)
    note_width = max(cell_len(note) for _label, _ids, note in groups)
    room = width - label_width - count_width - 2 * GAP - (note_width + GAP if note_width else 0)
    text, listed = Text(), 0
    for number, (label, ids, note) in enumerate(groups):
        shown: list[str] = []
        for index, item_id in enumerate(ids):
            rest = len(ids) - index - 1
            if cell_len(" ".join([*shown, item_id]) + (f" +{rest}" if rest else "")) > room:
                break
            shown.append(item_id)
        more = len(ids) - len(shown)
        listed += len(shown)
        text.append(("\n" if number else "") + padded(label, label_width) + " " * GAP)
        text.append(str(len(ids)).rjust(count_width), style=style)
        if note_width:
            text.append(" " * GAP + padded(note, note_width), style=style)
        text.append(" " * GAP + " ".join([*shown, *([f"+{more}"] if more else [])]))
    return text, listed


def next_milestone(board: Dashboard, width: int) -> Text | None:
    """The next milestone not yet past, its title cut so that its day and countdown stay whole within two lines."""
    upcoming = next((m for m in board.milestones if m.days_left >= 0), None)
    if upcoming is None:
        return None
    template = _("Next milestone: {title}, {when} ({countdown})").format(
        title="\x00", when=milestone_when(upcoming), countdown=milestone_left(upcoming)
    )
    before, after = template.split("\x00")
    title = safe_text(upcoming.title)
    room = width - cell_len(before + after)
    # Rich wraps at spaces: a few columns of slack keep the day and countdown within the second line.
    return Text(before + cut(title, room if room >= 12 else 2 * width - cell_len(before + after) - 8) + after)


def brief(console: Console, board: Dashboard, options: tuple[str, ...] = (), height: int | None = None) -> Group:
    """The dashboard on one screen (24 lines when unknown): the summary, then who is late and due soon, by agency.

    Each agency is one line with its count and ids; where the screen is too small for all,
    the last line says how many more there are and the command that lists them.
    """
    width, room = console.width, (height or BRIEF_LINES) - 1
    top: list = [header_part(console, board, brief=True)]
    if (line := next_milestone(board, width)) is not None:
        top.append(line)
    if not board.overdue and not board.due_soon:
        top += [Text(""), Text(_("Nothing overdue, nothing due soon."))]
    sections = [
        (board.overdue, _("Overdue ({count}), by lead agency:"), "dsday overdue", "bold red"),
        (board.due_soon, _("Due soon ({count}), by lead agency:"), "dsday list -s due-soon", "bold yellow"),
    ]

    def section(items: Sequence[ItemStatus], title: str, command: str, style: str) -> tuple[Callable[[int], list], int]:
        groups = agency_groups(board, items, soon=items is board.due_soon)

        def part(shown: int) -> list:
            if not items:
                return []
            lines, listed = agency_lines(groups[:shown], width, style)
            rest = len(items) - listed
            prefix = _("… and {count} more:").format(count=rest) if rest else _("In full:")
            return [Text(""), Text(title.format(count=len(items)), style=style), lines,
                    hint(prefix, command_line(command, options), width)]  # fmt: skip

        return part, len(groups)

    parts = [section(*s) for s in sections]
    shown, _fits = fitted(room - lines_of(console, top), [(measured(console, part), n) for part, n in parts])
    body = [line for (part, _n), k in zip(parts, shown) for line in part(k)]
    return Group(*safe_parts(top + body))


def item_view(
    console: Console,
    status: ItemStatus,
    history: list[Event],
    zone: tzinfo,
    partners: Sequence[str] = (),
    partial: str | None = None,
) -> Group:
    """One item in full: where it comes from, its dates, status, members and history; ``partners`` by name;
    ``partial``, the line saying the plan is a partial copy of its document."""
    item = status.item
    heading = f"{item.id}{item.ref_suffix} · {lead_label(status)}"
    parts: list = [Text(safe_text(heading), style="bold"), Text(safe_text(item.title))]
    if partial:
        parts.append(Text(safe_text(partial), style="bold yellow"))
    if item.detail:
        parts.append(Text(item.detail, style="dim"))
    if item.partners:
        parts.append(Text(_("Partners: {names}").format(names=", ".join(partners or item.partners))))
    deadline = (
        _("Deadline: {deadline}").format(deadline=deadline_phrase(item.deadline))
        if item.deadline
        else _("Deadline: none in the plan")
    )
    if item.deadline and item.deadline.kind != "by" and item.last_day:
        deadline += "; " + _("last on-time day {day}").format(day=day_first(item.last_day))
    parts.append(Text(deadline))
    undated = item.last_day is None  # open without a deadline: "not done", never "not yet due"
    line = Text(_("Status: ")).append_text(status_text(status, full=True, undated=undated))
    if status.mark:
        line.append(
            " "
            + _("on {day}").format(day=day_first(status.mark.on))
            + (" " + _("by {who}").format(who=status.mark.by) if status.mark.by else "")
        )
    parts.append(line)
    if status.mark and status.mark.note:
        parts.append(Text(_("Note: {note}").format(note=note_text(status.mark.note))))
    if len(status.members) > MEMBER_ROWS:  # a commune-scale group: its members by status, each with its count
        order = (OVERDUE, DUE_SOON, OPEN, DONE_LATE, DONE)
        by_status = [
            (status_label(key, undated), [safe_text(p.member.name) for p in status.members if p.status == key])
            for key in order
        ]
        parts += [Text(_("Members"), style="bold"), bands_table(console, _("Status"), [b for b in by_status if b[1]])]
        parts.append(hint(_("Each member's part:"), f"dsday show {item.id} --format json", console.width))
    elif status.members:
        table = make_table(console, "ID", _("Member"), _("Status"), _("Done"), keep=(0, 2, 3), title=_("Members"))
        for part in status.members:
            done = f"{day_first(part.mark.on)} {part.mark.by or ''}".strip() if part.mark else ""
            table.add_row(
                part.member.id, part.member.name, Text(status_label(part.status, undated), style=STYLES[part.status]), done
            )
        parts.append(table)
    parts.append(
        events_table(console, history, zone, title=_("History"))
        if history
        else Text(_("History: nothing recorded yet."))
    )
    return Group(*safe_parts(parts))
