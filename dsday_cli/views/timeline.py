"""The campaign on a time axis, for the terminal: window, milestones, each agency's deadlines, today.

Each row is a label (in the interface's words, or the agency's short name) and a canvas
as wide as the screen leaves: marks go on their day's column and their words beside
them, right or left, whichever side has room, so that no date is cut and no line is
wider than the screen. A line marks today through the rows below it.
"""

import unicodedata
from datetime import date

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console, Group
from rich.text import Text

from dsday_cli.views.dashboard import cut, padded
from dsday_cli.core.dates import day_first
from dsday_cli.core.i18n import _
from dsday_cli.core.model import Plan
from dsday_cli.views.render import milestone_when, safe_text
from dsday_cli.core.status import DONE, DONE_LATE, OVERDUE, ItemStatus


RANK = {"done": 0, "done-late": 1, "open": 2, "late": 3}  # which item's mark a column shows when several share it
MIN_TITLE = 8  # columns of a milestone's title worth showing beside its mark; else it gets a line of its own


class Row:
    """A labelled line of the timeline: one cell per column of the axis, each a character and its style."""

    def __init__(self, label: str, width: int, fill: str = " ") -> None:
        self.label = label
        self.cells: list[tuple[str, str]] = [(fill, "")] * width
        self.taken = [False] * width

    def free(self, start: int, end: int) -> bool:
        """Whether columns ``start`` to ``end`` (excluded) hold nothing yet, not even a space of some words."""
        return 0 <= start and end <= len(self.cells) and not any(self.taken[start:end])

    def put(self, at: int, text: str, style: str = "") -> None:
        """Write ``text`` from column ``at``, a wide character taking two columns, a combining one none."""
        column = at
        for char in unicodedata.normalize("NFC", text):
            size = get_character_cell_size(char)
            if size == 0 and column > at:  # a combining mark joins the character before it
                previous, previous_style = self.cells[column - 1]
                self.cells[column - 1] = (previous + char, previous_style)
                continue
            if 0 <= column < len(self.cells) and column + size <= len(self.cells):
                self.cells[column] = (char, style)
                self.taken[column] = True
                if size == 2:
                    self.cells[column + 1] = ("", style)
                    self.taken[column + 1] = True
            column += max(size, 1)

    def text(self, label_width: int) -> Text:
        """The row as it is printed."""
        line = Text(padded(cut(self.label, label_width - 1), label_width))
        for char, style in self.cells:
            line.append(char, style=style)
        return line


def beside(row: Row, at: int, text: str, style: str = "", keep: int = 0) -> bool:
    """Write ``text`` after column ``at`` (one space between) or, where that has no room, before it.

    Only the part after the first ``keep`` columns may be cut (with '…') to fit: False,
    and nothing written, when even those do not fit on either side.
    """
    right, left = len(row.cells) - at - 2, at - 1
    whole = cell_len(text)
    for room, after in ((right, True), (left, False)):
        if whole <= room:
            words(row, at, text, after, style)
            return True
    room = max(right, left)
    if room < keep or room < 1:
        return False
    words(row, at, cut(text, room), room == right, style)
    return True


def words(row: Row, at: int, text: str, after: bool, style: str) -> None:
    """``text`` just after column ``at`` or just before it, the space between them its own (no rule crosses it)."""
    row.put(at + 1 if after else at - 1 - cell_len(text), f" {text}" if after else f"{text} ", style)


def milestone_words(row: Row, at: int, when: str, title: str, style: str) -> bool:
    """A milestone's day (as worded) and title beside its mark, arranged to show the most of the title.

    Both after the mark, both before it, or the day before and the title after; False when
    no arrangement keeps the day whole with some of the title.
    """
    right, left, days = len(row.cells) - at - 2, at - 1, cell_len(when)
    arrangements = [(right - days - 1, "after"), (left - days - 1, "before")]  # room left for the title
    if days <= left:
        arrangements.append((right, "split"))
    shown = lambda room: min(room, cell_len(title))  # noqa: E731
    room, how = max(arrangements, key=lambda pair: (shown(pair[0]), pair[1] != "before", pair[1] == "after"))
    room = shown(room)
    if room < min(MIN_TITLE, cell_len(title)):
        return False
    if how == "split":
        words(row, at, when, False, style)
        words(row, at, cut(title, room), True, style)
    else:
        words(row, at, f"{when} {cut(title, room)}", how == "after", style)
    return True


def timeline(console: Console, plan: Plan, statuses: list[ItemStatus], as_of: date) -> Group:
    """Rows of marks on one axis; late items in red, today marked down every row."""
    fancy = console.is_terminal and not console.no_color
    symbols = {"bar": "━" if fancy else "=", "mark": "◆" if fancy else "*", "done": "●" if fancy else "o",
               "late": "✖" if fancy else "x", "done-late": "◐" if fancy else "%", "open": "○" if fancy else ".",
               "today": "▼" if fancy else "v", "rule": "│" if fancy else "|",
               "lane": "·" if fancy else " "}  # fmt: skip
    window = [plan.campaign.start, plan.campaign.end] if plan.campaign else []
    days = [*window, *(m.last_day for m in plan.milestones), *(s.item.last_day for s in statuses if s.item.last_day)]
    first, last = min(days or [as_of]), max(days or [as_of])
    lanes: list[tuple[str | None, str]] = [(a.id, safe_text(a.label)) for a in plan.agencies]
    if any(s.agency is None for s in statuses):
        lanes.append((None, _("no lead named")))
    labels = [_("Today"), _("Campaign"), _("Milestones"), *(label for _id, label in lanes)]
    label_width = min(max(cell_len(label) for label in labels) + 1, max(10, console.width * 2 // 5))
    width = max(20, console.width - label_width)
    span = max(1, (last - first).days)

    def column(day: date) -> int:
        return round((min(max(day, first), last) - first).days * (width - 1) / span)

    header = Row("", width)
    header.put(0, day_first(first))
    if last != first and width >= 22:
        header.put(width - 10, day_first(last))
    today = Row(_("Today"), width)
    if as_of > last:
        words = _("{day}, after the last date").format(day=day_first(as_of)) + " →"
        today.put(max(0, width - cell_len(words)), cut(words, width), "bold cyan")
    elif as_of < first:
        today.put(0, cut("← " + _("{day}, before the first date").format(day=day_first(as_of)), width), "bold cyan")
    else:
        today.put(column(as_of), symbols["today"], "bold cyan")
        beside(today, column(as_of), day_first(as_of), "bold cyan", keep=10)
    rows, below = [header, today], []  # ``below``: the rows today's line runs through
    if plan.campaign:
        campaign = Row(_("Campaign"), width)
        start, end = column(plan.campaign.start), column(plan.campaign.end)
        campaign.put(start, symbols["bar"] * (end - start + 1), "blue")
        dates = f"{day_first(plan.campaign.start)}–{day_first(plan.campaign.end)}"
        room = cell_len(dates)
        if width - end - 2 >= room:  # after the bar, before it, or over its middle
            campaign.put(end + 2, dates)
        elif start - 1 >= room:
            campaign.put(start - 1 - room, dates)
        elif end - start + 1 >= room + 4:
            campaign.put(start + (end - start + 1 - room - 2) // 2, f" {dates} ")
        rows.append(campaign)
        below.append(campaign)
    for number, milestone in enumerate(sorted(plan.milestones, key=lambda m: m.last_day)):
        # A "before 10/10" milestone is drawn on its last on-time day, 9/10, and worded as the document words it.
        when = milestone_when(milestone)
        past = milestone.last_day < as_of
        line = Row("" if number else _("Milestones"), width)
        at = column(milestone.last_day)
        line.put(at, symbols["mark"], "dim" if past else "bold yellow")
        title, style = safe_text(milestone.title), "dim" if past else ""
        rows.append(line)
        below.append(line)
        if not milestone_words(line, at, when, title, style):
            overflow = Row("", width)  # the words on a line of their own, under the mark's
            overflow.put(0, cut(f"{when} {title}", width), style)
            rows.append(overflow)
    for agency_id, label in lanes:
        cells: dict[int, str] = {}
        for status in statuses:
            if (status.agency.id if status.agency else None) != agency_id or status.item.last_day is None:
                continue
            # overdue and done late apart: one mark, one word, one meaning (as the dashboard's columns)
            kind = {OVERDUE: "late", DONE_LATE: "done-late", DONE: "done"}.get(status.status, "open")
            at = column(status.item.last_day)
            if RANK[kind] > RANK.get(cells.get(at, ""), -1):  # an overdue item wins its column, then one to do
                cells[at] = kind
        lane = Row(label, width, fill=symbols["lane"])
        for at, kind in cells.items():
            lane.put(at, symbols[kind], {"late": "bold red", "done-late": "magenta", "done": "green", "open": ""}[kind])
        rows.append(lane)
        below.append(lane)
    if first <= as_of <= last:
        at = column(as_of)
        for row in below:
            if row.free(at, at + 1):
                row.put(at, symbols["rule"], "cyan")
    drawn = [row.text(label_width) for row in rows]
    for text in drawn:  # labels and milestone titles are plan text: nothing in them reaches the terminal raw
        text.plain = safe_text(text.plain)
    if not lanes:
        drawn.append(Text(_("The plan names no agencies: no row per agency.")))
    keys = [("mark", _("milestone")), ("done", _("done")), ("done-late", _("done late")), ("open", _("open"))]
    keys.append(("late", _("overdue")))
    keys.append(("today", _("today")))
    legend: list[str] = []
    for key, word in keys:  # as many on a line as fit
        entry = f"{symbols[key]} {word}"
        if legend and cell_len(legend[-1] + "  " + entry) <= console.width:
            legend[-1] += "  " + entry
        else:
            legend.append(entry)
    return Group(*drawn, Text(""), Text("\n".join(legend), style="dim"))
