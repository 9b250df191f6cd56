"""Pure queries: what the journal says of each item, judged as of a day.

Nothing here reads files or the clock: callers pass the plan, the events and the day.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import field, replace
from datetime import date
from typing import Any, NamedTuple

from dsday_cli.core.errors import UsageError
from dsday_cli.core.i18n import _
from dsday_cli.core.model import Agency, Event, Member, Plan, Responsibility, Status
from dsday_cli.core.records import record

_Day = date  # for annotations in classes whose field ``date`` hides the type
# Short names for the statuses, as the views use them.
OPEN, DUE_SOON, OVERDUE, DONE, DONE_LATE = Status
STATUSES = tuple(Status)
ALL = "all"


def parse_status_filter(names: Iterable[str]) -> set[Status]:
    """The statuses a filter names: each status, ``done`` for done on time or late, ``all``; none given: all."""
    wanted: set[Status] = set()
    for name in names or [ALL]:
        if name == ALL:
            wanted.update(Status)
        elif name == DONE:
            wanted.update((DONE, DONE_LATE))
        elif name in STATUSES:
            wanted.add(Status(name))
        else:
            choices = ", ".join([*STATUSES, ALL])
            raise UsageError(
                _("unknown status '{name}'; choose from {choices}").format(name=name, choices=choices),
                problem="status.unknown", name=name, choices=choices,
            )
    return wanted


class Mark(NamedTuple):
    """The latest completion recorded for an item or a member's part."""

    on: date
    by: str | None
    note: str | None


Key = tuple[str, str | None]  # (item id, member id or None)
Stray = tuple[str, str, str, str]  # (what does not match: plan|item|member, event id, its value, context)


def describe_strays(strays: list[Stray], report: int = 5, hint: bool = True) -> list[str]:
    """Events the plan cannot place, as warnings in the interface language (each once): the first few, then a count."""
    from dsday_cli.core.i18n import n_

    words = {
        "plan": _("event {id} belongs to plan '{value}', not '{context}'"),
        "item": _("event {id} names item '{value}', not in this plan"),
        "member": _("event {id} names member '{value}', not in item '{context}'"),
    }
    distinct = dict.fromkeys(strays)
    out = [
        words[kind].format(id=ident, value=value, context=context)
        for kind, ident, value, context in list(distinct)[:report]
    ]
    more = len(distinct) - len(out)
    if more > 0:
        text = (
            n_(
                "… and {count} more event the plan cannot place; 'dsday validate' lists the first {report}",
                "… and {count} more events the plan cannot place; 'dsday validate' lists the first {report}",
                more,
            )
            if hint
            else n_(
                "… and {count} more event the plan cannot place", "… and {count} more events the plan cannot place", more
            )
        )
        out.append(text.format(count=f"{more:,}", report=100))
    return out


Verdict = tuple[str, date | None, Mark | None]  # (order stamp, the day it takes effect, the completion or None)


@record
class Progress:
    """What the journal says, folded: each item's and member's verdicts, and stray events.

    A key (item, member) keeps every verdict recorded for it, ordered by its stamp (the
    logical order of ``Event.order``), each with the day it takes effect: the day the
    work was done, or the day of a reopen. As of a day, the latest verdict that took
    effect by then decides, so a reopen never reaches back before its own day and a
    correction of a completion's date counts from the corrected day. Folding gives
    the same result whatever order events arrive in and however often. Progress
    restored from a checkpoint stays in its JSON form until an item is asked for.
    """

    strays: list[Stray] = field(default_factory=list)
    _verdicts: dict[Key, list[Verdict]] = field(default_factory=dict)
    _raw: dict[str, dict[str, Any]] = field(default_factory=dict)  # item -> {member or "": [[stamp, day, on?, by?, note?], ...]}

    @classmethod
    def from_raw(cls, raw: dict[str, Any], strays: list[Any]) -> "Progress":
        """Progress from ``raw()``'s form (strays as JSON gives them back: lists)."""
        return cls([tuple(stray) for stray in strays], _raw=dict(raw))

    def raw(self) -> dict[str, Any]:
        """A JSON-ready form: {item: {member or "": [[stamp, day, on, by, note] or [stamp, day], ...]}}."""
        out = {item: dict(parts) for item, parts in self._raw.items()}
        for (item, member), verdicts in self._verdicts.items():
            out.setdefault(item, {})[member or ""] = [
                [stamp, day and day.isoformat(), *((mark.on.isoformat(), mark.by, mark.note) if mark else ())]
                for stamp, day, mark in verdicts
            ]
        return out

    def item_raw(self, item: str) -> dict[str, Any] | None:
        """One item's part of ``raw()``: {member or "": [verdict, ...]}, or None if nothing is recorded for it."""
        if item in self._raw:
            return self._raw[item]
        out = {
            member or "": [
                [stamp, day and day.isoformat(), *((mark.on.isoformat(), mark.by, mark.note) if mark else ())]
                for stamp, day, mark in verdicts
            ]
            for (key, member), verdicts in self._verdicts.items()
            if key == item
        }
        return out or None

    def _decode(self, item: str) -> None:
        parts = self._raw.pop(item, None)
        for member, verdicts in (parts or {}).items():
            self._verdicts[(item, member or None)] = [
                (
                    stamp,
                    date.fromisoformat(day) if day else None,
                    Mark(date.fromisoformat(mark[0]), mark[1], mark[2]) if mark else None,
                )
                for stamp, day, *mark in verdicts
            ]

    def mark(self, item: str, member: str | None = None, as_of: date | None = None) -> Mark | None:
        """The completion that stands for an item (or a member's part) as of a day (default: every event)."""
        parts = self._raw.get(item)
        if parts is not None:  # still as JSON: decode only the verdict that stands (ISO days compare as dates)
            limit = as_of and as_of.isoformat()
            for _stamp, on, *done in reversed(parts.get(member or "", ())):
                if limit is None or on is None or on <= limit:
                    return Mark(date.fromisoformat(done[0]), done[1], done[2]) if done else None
            return None
        for _stamp, day, mark in reversed(self._verdicts.get((item, member), ())):
            if as_of is None or day is None or day <= as_of:
                return mark
        return None

    def stamps(self, item: str, member: str | None = None) -> list[str]:
        """The order stamps of the verdicts recorded for a key, oldest first."""
        if item in self._raw:
            self._decode(item)
        return [stamp for stamp, _day, _mark in self._verdicts.get((item, member), ())]

    def decide(self, key: Key, stamp: str, day: date | None, mark: Mark | None) -> None:
        """Add an event's verdict for ``key`` in its place by stamp (once, however often it is folded).

        Only verdicts that can still decide some day are kept: one that a later verdict
        taking effect on the same day or earlier overrides for every day is dropped, so
        the kept days rise with the stamps and memory follows the days, not the journal.
        """
        if key[0] in self._raw:
            self._decode(key[0])
        verdicts = self._verdicts.setdefault(key, [])
        effective = day or date.min
        if not verdicts or verdicts[-1][0] < stamp:  # the usual case: events arrive in order
            while verdicts and (verdicts[-1][1] or date.min) >= effective:
                verdicts.pop()
            verdicts.append((stamp, day, mark))
            return
        if any(existing == stamp for existing, _day, _mark in verdicts):
            return
        ordered = sorted([*verdicts, (stamp, day, mark)], key=lambda verdict: verdict[0])
        kept: list[Verdict] = []
        for verdict in reversed(ordered):  # keep a verdict only if it takes effect before every later one
            if not kept or (verdict[1] or date.min) < (kept[-1][1] or date.min):
                kept.append(verdict)
        verdicts[:] = reversed(kept)


def fold_events(plan: Plan, events: Iterable[Event], progress: Progress | None = None) -> Progress:
    """Apply events to ``progress`` (or a new one); the latest recorded event for an item or member wins.

    An event without a member on a group item speaks for every member. Events naming
    items or members the plan does not have are kept in the journal and reported.
    """
    progress = progress or Progress()
    items = plan.items_by_id
    for event in events:
        if event.plan != plan.id:
            progress.strays.append(("plan", event.id, event.plan, plan.id))
            continue
        item = items.get(event.item)
        if item is None:
            progress.strays.append(("item", event.id, event.item, ""))
            continue
        member_ids = [m.id for m in plan.members_of(item)]
        if event.member is not None and event.member not in member_ids:
            progress.strays.append(("member", event.id, event.member, item.id))
            continue
        if event.kind not in ("done", "reopen"):  # a reminder sent, a note: the item stays as it was
            continue
        stamp = event.order
        day = event.on_day
        mark = Mark(day, event.by, event.note) if event.kind == "done" and day else None
        members: list[str | None] = [event.member] if event.member else [*member_ids] or [None]
        for member in members:
            progress.decide((item.id, member), stamp, day, mark)
    return progress


def judge(last_day: date | None, done_on: date | None, as_of: date, soon_days: int) -> Status:
    """The status of one deadline: done on time or late, overdue, due soon, or open.

    Without a deadline (``last_day`` None) work is open or done: never late, never overdue.
    """
    if done_on is not None:
        return DONE if last_day is None or done_on <= last_day else DONE_LATE
    if last_day is None:
        return OPEN
    if as_of > last_day:
        return OVERDUE
    return DUE_SOON if (last_day - as_of).days <= soon_days else OPEN


@record
class MemberStatus:
    """One member's part of a group item."""

    member: Member
    status: Status
    mark: Mark | None


class RowId(str):
    """An item's id as a selected row gives it: it keeps the member the row is for and the role it was selected in."""

    member: str | None
    role: str

    def __new__(cls, item: str, member: str | None = None, role: str = "lead") -> "RowId":
        made = super().__new__(cls, item)
        made.member, made.role = member, role
        return made


@record
class ItemStatus:
    """A responsibility as of a day: its status, who did it and when, its members' parts.

    ``agency`` is the lead (None where the document names none); ``role`` says how the
    agency a list was asked for takes part: ``lead`` or ``partner`` (phối hợp);
    ``member``, the member of a group agency the row was selected for (its part is the item).
    """

    item: Responsibility
    agency: Agency | None
    status: Status
    mark: Mark | None
    members: list[MemberStatus]
    role: str = "lead"
    member: str | None = None

    @property
    def id(self) -> RowId:
        """The item's id, keeping this row's member and role: ``Workspace.done`` records just that part."""
        return RowId(self.item.id, self.member, self.role)

    @property
    def members_done(self) -> int:
        """How many members have done their part."""
        return sum(1 for m in self.members if m.mark)


def item_statuses(plan: Plan, progress: Progress, as_of: date) -> list[ItemStatus]:
    """Every responsibility, in plan order, judged as of ``as_of``.

    A completion recorded for a day after ``as_of`` does not count yet.
    """
    return [item_status(plan, progress, item, as_of) for item in plan.responsibilities]


def item_status(plan: Plan, progress: Progress, item: Responsibility, as_of: date) -> ItemStatus:
    """One responsibility judged as of ``as_of`` (what ``item_statuses`` gives for it)."""
    soon = plan.due_soon_days
    agency = plan.agencies_by_id.get(item.agency or "")
    last_day = item.last_day

    def mark_of(member_id: str | None) -> Mark | None:
        mark = progress.mark(item.id, member_id, as_of)
        return mark if mark and mark.on <= as_of else None

    members = []
    for member in plan.members_of(item):
        mark = mark_of(member.id)
        members.append(MemberStatus(member, judge(last_day, mark and mark.on, as_of, soon), mark))
    if members:
        marks = [m.mark for m in members if m.mark]
        mark = max(marks, key=lambda m: m.on) if len(marks) == len(members) else None
    else:
        mark = mark_of(None)
    return ItemStatus(item, agency, judge(last_day, mark and mark.on, as_of, soon), mark, members)


@record
class AgencyCounts:
    """How an agency stands: its items by status, and its members' parts."""

    agency: Agency
    counts: dict[Status, int]
    members_done: dict[str, int]

    @property
    def total(self) -> int:
        """All the agency's items."""
        return sum(self.counts.values())

    @property
    def finished(self) -> int:
        """Items done, on time or late."""
        return self.counts[DONE] + self.counts[DONE_LATE]


def agency_counts(plan: Plan, statuses: list[ItemStatus]) -> list[AgencyCounts]:
    """Counts per agency, in plan order."""
    table = {a.id: AgencyCounts(a, dict.fromkeys(STATUSES, 0), {m.id: 0 for m in a.members}) for a in plan.agencies}
    for status in statuses:
        if status.agency is None:  # no lead named: counted in the plan's totals only
            continue
        entry = table[status.agency.id]
        entry.counts[status.status] += 1
        for part in status.members:
            if part.mark:
                entry.members_done[part.member.id] += 1
    return list(table.values())


@record
class MilestoneCountdown:
    """A milestone as of a day: days left until its last on-time day (negative once past)."""

    id: str
    title: str
    date: "_Day"
    deadline: str
    last_day: "_Day"
    days_left: int
    tentative: bool
    met: bool | None  # its items all done as of the day; None when no item is linked to it


@record
class CampaignPhase:
    """Where the campaign stands on a day."""

    phase: str  # "before", "running" or "ended"
    start: date
    end: date
    day: int  # day number within the window while running
    length: int
    days_to_start: int
    days_to_end: int


def campaign_phase(plan: Plan, as_of: date) -> CampaignPhase | None:
    """The campaign's phase and countdown on ``as_of``; None for a plan without a campaign window."""
    if plan.campaign is None:
        return None
    start, end = plan.campaign.start, plan.campaign.end
    phase = "before" if as_of < start else "ended" if as_of > end else "running"
    return CampaignPhase(
        phase, start, end, (as_of - start).days + 1, (end - start).days + 1, (start - as_of).days, (end - as_of).days
    )


NATIONAL_DAY = "national-day"  # the id of the national day's countdown where the plan has no milestone for it


def milestones(plan: Plan, finished: Collection[str], as_of: date) -> list[MilestoneCountdown]:
    """The plan's milestones in date order, with their countdowns and whether their items (ids in ``finished`` when done) are.

    National Digital Transformation Day is always among them: where no milestone falls on
    it, it is counted down to as a milestone of its own (``national-day``, no items).
    """
    counted = [
        MilestoneCountdown(
            m.id,
            m.title,
            m.date,
            m.deadline,
            m.last_day,
            (m.last_day - as_of).days,
            m.tentative,
            all(i in finished for i in m.items) if m.items else None,
        )
        for m in plan.milestones
    ]
    day = plan.national_date
    if not any(m.date == day and m.deadline == "on" for m in counted) and NATIONAL_DAY not in {m.id for m in counted}:
        title = _("National Digital Transformation Day")
        counted.append(MilestoneCountdown(NATIONAL_DAY, title, day, "on", day, (day - as_of).days, False, None))
    return sorted(counted, key=lambda m: m.date)


def for_member(status: ItemStatus, member: Member) -> ItemStatus:
    """A group item seen from one member: that member's part is the item."""
    part = next(p for p in status.members if p.member.id == member.id)
    return ItemStatus(status.item, status.agency, part.status, part.mark, [part], status.role, member.id)


def as_partner(status: ItemStatus) -> ItemStatus:
    """An item seen from one of its partners (phối hợp): the same status, the partner's role."""
    return replace(status, role="partner")


@record
class Dashboard:
    """What ``status`` shows: the campaign, milestones, agencies, overdue (longest first), due soon."""

    plan: Plan
    as_of: date
    campaign: CampaignPhase | None
    milestones: list[MilestoneCountdown]
    agencies: list[AgencyCounts]
    # Sequences: from the index they are read as far as a view reads them (len() costs nothing)
    overdue: Sequence[ItemStatus]
    due_soon: Sequence[ItemStatus]
    unassigned: Sequence[ItemStatus]  # items whose document names no lead
    total: int
    finished: int  # done, on time or late
    late: int  # done late


def dashboard(plan: Plan, statuses: list[ItemStatus], as_of: date) -> Dashboard:
    """The coordinator's view of ``statuses`` as data."""
    overdue = sorted((s for s in statuses if s.status is OVERDUE), key=lambda s: s.item.last_day or as_of)
    due_soon = sorted((s for s in statuses if s.status is DUE_SOON), key=lambda s: s.item.last_day or as_of)
    return Dashboard(
        plan,
        as_of,
        campaign_phase(plan, as_of),
        milestones(plan, {s.item.id for s in statuses if s.status.finished}, as_of),
        agency_counts(plan, statuses),
        overdue,
        due_soon,
        [s for s in statuses if s.agency is None],
        len(statuses),
        sum(1 for s in statuses if s.status.finished),
        sum(1 for s in statuses if s.status is DONE_LATE),
    )
