"""The service API: a plan, its journal and the day judged, and everything a command asks of them.

A script uses it without the command line::

    import dsday_cli as d

    ws = d.open_workspace("plan.yaml", as_of="12/10/2023")
    late = ws.select(agencies=["do luong"], statuses=["overdue"])
    outcomes = ws.done(["v1-3"], on="09/10/2023", by="Văn phòng Sở")

Nothing here prints, exits or reads the environment: what comes from outside (the
directories, who records, the time it is) arrives as an ``Environment``, built by the
caller or, when none is given, from this process by ``Environment.from_os()``.
Problems are raised as ``DsdayError`` subclasses that carry their exit code.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from dsday_cli.core.dates import parse_day, today_in
from dsday_cli.app.environment import Environment
from dsday_cli.core.errors import ConfigError, OutputExists, UsageError
from dsday_cli.core.i18n import _
from dsday_cli.core.model import Event, Member, Plan
from dsday_cli.store.plan import EMBEDDED_PLAN, PathLike, is_embedded, journal_path, plan_path
from dsday_cli.core.query import SORT_KEYS, Query, Role, SortKey
from dsday_cli.core.recording import Outcome, Result, decide, next_seq, parts_asked, recorder
from dsday_cli.core.records import record
from dsday_cli.store.state import Store

if TYPE_CHECKING:
    from dsday_cli.app.remind import Outcome as RemindOutcome
    from dsday_cli.app.remind import Reminder
    from dsday_cli.store.rollover import Rolled

from dsday_cli.core.status import (
    AgencyCounts,
    Dashboard,
    ItemStatus,
    Progress,
    RowId,
    describe_strays,
    parse_status_filter,
)

DayLike = str | date


def who_records(by: str | None, env: Environment) -> str | None:
    """Who records an event: ``by`` (--by), else $DSDAY_USER, else the configuration file's name, else the login.

    ``recording.recorder`` with this environment: the one answer of every writer. The
    configuration file is read only when neither ``by`` nor $DSDAY_USER names someone;
    a wrong one raises ConfigError.
    """
    import os

    def configured() -> str | None:
        if not os.path.lexists(env.config_file):  # the usual case: no config reader to load
            return None
        from dsday_cli.store.config import load_config

        return load_config(env.config_file).name

    return recorder(by, env.user, env.user_named, configured)


YEARS_AHEAD = 100  # how far after the plan's year a day may be judged or named (9999-12-31 would overflow)


def parse_user_day(text: DayLike, plan: Plan, what: str) -> date:
    """A day a person typed (ISO, DD/MM/YYYY or DD/MM in the plan's year); UsageError naming ``what`` if not.

    ``what`` is the parameter the day was given for, as the API spells it (``on``, ``due_before``).

    A day more than ``YEARS_AHEAD`` years after the plan's year is refused too: nothing is
    judged then, and counting towards it (due soon, weeks) would run out of calendar.
    """
    if isinstance(text, date):
        day = text
    else:
        try:
            day = parse_day(text, plan.year)
        except ValueError as error:
            raise UsageError(f"{what}: {error}", problem="day.unreadable", what=what, error=error) from None
    if day.year > plan.year + YEARS_AHEAD:
        from dsday_cli.core.dates import day_first

        raise UsageError(
            _("{what}: {day} is more than {years} years after the plan's year {year}").format(
                what=what, day=day_first(day), years=YEARS_AHEAD, year=plan.year
            ),
            problem="day.far", what=what, day=day_first(day), years=YEARS_AHEAD, year=plan.year,
        )
    return day


@record
class ImportResult:
    """What a returned checklist says: new completions, ones already recorded, rows that cannot be imported."""

    file: Path
    new: list = field(default_factory=list)  # checklist_import.Completion
    known: list = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    recorded: bool = False
    stale: list = field(default_factory=list)  # a day filled in by the export, for an item reopened since: not recorded


@record
class Workspace:
    """A plan and its journal, opened through the store, and the day it is judged as of."""

    plan_file: Path
    journal: Path
    as_of: date
    warnings: list[str]
    env: Environment
    _store: Store = field(repr=False)
    _last_stamp: datetime | None = field(default=None, repr=False)

    @property
    def plan(self) -> Plan:
        """The plan."""
        return self._store.plan

    @property
    def progress(self) -> Progress:
        """The journal folded."""
        return self._store.progress

    @property
    def _index(self) -> object | None:
        """The derived index answering queries, if any (for tests: which way answered)."""
        return self._store.derived

    # ---- queries -------------------------------------------------------------

    def statuses(self) -> list[ItemStatus]:
        """Every item's status as of the day judged, in plan order."""
        return list(self._store.statuses(self.as_of))

    def select(
        self,
        agencies: Sequence[str] = (),
        statuses: Iterable[str] = (),
        *,
        due_before: DayLike | None = None,
        due_after: DayLike | None = None,
        search: str | None = None,
        role: Role | str | None = None,
        sort: SortKey | str | None = None,
        limit: int | None = None,
    ) -> list[ItemStatus]:
        """Items of the agencies (or members) named, with the statuses named (``done`` includes done late).

        An agency sees the items it leads and, marked ``role="partner"``, those it partners on (phối hợp).
        ``due_before``/``due_after``: the last on-time day strictly before/after that day (items
        without a deadline are left out); ``search``: every word in the id, title or detail,
        accents and case ignored; ``role``: ``Role.LEAD`` or ``Role.PARTNER`` (with ``agencies``);
        ``sort``: a ``SortKey`` (due, id, agency, status; plan order without); ``limit``: the first N.
        """
        return list(
            self.iter_select(
                agencies, statuses, due_before=due_before, due_after=due_after, search=search, role=role,
                sort=sort, limit=limit,
            )
        )  # fmt: skip

    def iter_select(
        self,
        agencies: Sequence[str] = (),
        statuses: Iterable[str] = (),
        *,
        due_before: DayLike | None = None,
        due_after: DayLike | None = None,
        search: str | None = None,
        role: Role | str | None = None,
        sort: SortKey | str | None = None,
        limit: int | None = None,
    ) -> Iterable[ItemStatus]:
        """``select``'s items one at a time (the arguments checked at once): memory follows an item, not the list."""
        query = self.query(
            agencies, statuses, due_before=due_before, due_after=due_after, search=search, role=role, sort=sort,
            limit=limit,
        )  # fmt: skip
        return self._store.select(query, self.as_of)

    def query(
        self,
        agencies: Sequence[str] = (),
        statuses: Iterable[str] = (),
        *,
        due_before: DayLike | None = None,
        due_after: DayLike | None = None,
        search: str | None = None,
        role: Role | str | None = None,
        sort: SortKey | str | None = None,
        limit: int | None = None,
    ) -> Query:
        """The ``Query`` that ``select`` runs for these arguments, checked (UsageError if one cannot be taken)."""
        from dsday_cli.core.lookup import find_agency, fold_text

        agencies = [agencies] if isinstance(agencies, str) else agencies  # one name, not its letters
        wanted = parse_status_filter([statuses] if isinstance(statuses, str) else list(statuses))
        if role is not None and role not in set(Role):
            raise UsageError(
                _("role: '{role}' is not lead or partner").format(role=role), problem="role.unknown", role=role
            )
        if role is not None and not agencies:
            raise UsageError(
                _("a role says how an agency takes part: name the agency too"), problem="role.without-agency"
            )
        if sort is not None and sort not in SORT_KEYS:
            raise UsageError(
                _("sort: '{key}' is not one of {keys}").format(key=sort, keys=", ".join(SORT_KEYS)),
                problem="sort.unknown", key=sort, keys=", ".join(SORT_KEYS),
            )
        if limit is not None and limit < 0:
            raise UsageError(
                _("limit: {limit} is not a number of items").format(limit=limit), problem="limit.negative", limit=limit
            )
        chosen = tuple(find_agency(self.plan, text) for text in agencies) if agencies else ()
        before = parse_user_day(due_before, self.plan, "due_before") if due_before is not None else None
        after = parse_user_day(due_after, self.plan, "due_after") if due_after is not None else None
        words = tuple(fold_text(search).split()) if search else ()
        return Query(
            chosen, frozenset(wanted), before, after, words, Role(role) if role is not None else None,
            SortKey(sort) if sort else None, limit,
        )  # fmt: skip

    def item(self, text: str) -> ItemStatus:
        """The status of the item whose id is ``text``."""
        return self._store.item(text, self.as_of)

    def agency_counts(self) -> list[AgencyCounts]:
        """Each agency's items by status, and its members' parts."""
        return self._store.agency_counts(self.as_of)

    def dashboard(self) -> Dashboard:
        """The coordinator's view as data."""
        return self._store.dashboard(self.as_of)

    def events(self, keep: Callable[[Event], bool] | None = None) -> list[Event]:
        """The journal's events that ``keep`` accepts (all without), in the order they count; only those are held."""
        return self._store.events(keep)

    def history(self, item_id: str) -> list[Event]:
        """The events of one item, in order."""
        return self.events(lambda e: e.item == item_id)

    def log(
        self,
        agencies: Sequence[str] = (),
        since: DayLike | None = None,
        *,
        until: DayLike | None = None,
        item: str | None = None,
        by_day: str = "recorded",
    ) -> list[Event]:
        """The audit trail: events concerning the agencies (or members) or the item named, from ``since`` to ``until``.

        ``by_day="recorded"`` judges the day an event was recorded (in the plan's time zone);
        ``"work"`` the day the work was done (``on``), so events without one are left out.
        """
        from dsday_cli.core.dates import local_time
        from dsday_cli.core.lookup import find_agency, find_item

        if by_day not in ("recorded", "work"):
            raise UsageError(
                _("by_day: '{day}' is not work or recorded").format(day=by_day), problem="by-day.unknown", day=by_day
            )
        wanted: list[Callable[[Event], bool]] = []
        if agencies:
            chosen = [find_agency(self.plan, text) for text in agencies]
            items = self.plan.items_by_id

            def concerns(event: Event) -> bool:
                item = items.get(event.item)
                return item is not None and any(
                    item.agency == a.id and (m is None or event.member in (None, m.id)) for a, m in chosen
                )

            wanted.append(concerns)
        if item:
            item_id = find_item(self.plan, item).id
            wanted.append(lambda e: e.item == item_id)
        zone = self.plan.zone()

        def day_of(event: Event) -> str | None:
            if by_day == "work":  # a reminder's day is the day judged, no work done
                return event.on if event.kind != "remind" else None
            return local_time(event.at, zone)[:10]

        if since:
            first = parse_user_day(since, self.plan, "since").isoformat()
            wanted.append(lambda e: (day_of(e) or "") >= first)
        if until:
            last = parse_user_day(until, self.plan, "until").isoformat()
            wanted.append(lambda e: (day := day_of(e)) is not None and day <= last)
        if by_day == "work" and not (since or until):
            wanted.append(lambda e: day_of(e) is not None)
        events = self.events((lambda e: all(test(e) for test in wanted)) if wanted else None)
        if by_day == "work":  # in the order the work was done
            return sorted(events, key=lambda e: (e.on or "", e.order[11:]))
        return sorted(events, key=lambda e: e.order[11:])  # as recorded: time, then id (not the logical order)

    # ---- recording -----------------------------------------------------------

    def done(
        self,
        ids: Sequence["str | ItemStatus"],
        member: str | None = None,
        note: str | None = None,
        by: str | None = None,
        on: DayLike | None = None,
        force: bool = False,
    ) -> list[Outcome]:
        """Record that items (or one member's part of each) were done on ``on`` (default: the day judged).

        On a group item without ``member``, only the members not yet done are recorded;
        on an item already done, a different ``on`` records a correction. A day before
        the plan's year needs ``force``; a day after the day judged is refused.

        ``ids`` may be rows that ``select`` returned (or their ``id``): a row keeps the
        member it was selected for, so only that member's part is recorded; a row
        selected for a partner (phối hợp) is refused, never recorded as the lead's duty.
        """
        return self._record("done", ids, member, note, by, on, force)

    def reopen(
        self,
        ids: Sequence["str | ItemStatus"],
        member: str | None = None,
        note: str | None = None,
        by: str | None = None,
    ) -> list[Outcome]:
        """Record that completions no longer hold, from the day judged on; the history keeps both."""
        return self._record("reopen", ids, member, note, by, None)

    def note(self, item_text: str, text: str, member: str | None = None, by: str | None = None) -> Outcome:
        """Record an annotation on an item (or a member's part); it changes no status."""
        from dsday_cli.store.journal import new_event
        from dsday_cli.core.lookup import find_item, find_member

        item = find_item(self.plan, item_text)
        part = find_member(item, self.plan, member).id if member else None
        seq = self._next_seq(item.id, [part])
        who = who_records(by, self.env)
        event = new_event("note", item.id, part, self.as_of, who, text, self.plan.id, self._stamp(), seq)
        self._append([event])
        return Outcome(item.id, part, "note", Result.RECORDED, self.as_of, event)

    def undo(self, item_text: str | None = None, by: str | None = None, dry_run: bool = False) -> list[Outcome]:
        """Reverse the completion or reopen this journal recorded last (of one item, if named) by appending its inverse.

        "Last" is the journal's file order, the order in which events were recorded here,
        not the order in which they count; an undo is itself such an event, so undoing it
        reverses it. Each outcome's ``undone`` is the event reversed. ``dry_run``: the
        same outcomes, nothing recorded (their ``event`` is what would be written).
        """
        from dsday_cli.store.journal import new_event
        from dsday_cli.core.lookup import find_item
        from dsday_cli.views.render import UNDO_NOTE
        from dsday_cli.core.status import fold_events

        wanted = find_item(self.plan, item_text).id if item_text else None
        items = self.plan.items_by_id

        def counts(event: Event) -> bool:  # an event that changes a status here
            if event.kind not in ("done", "reopen") or event.plan != self.plan.id or event.item not in items:
                return False
            if wanted is not None and event.item != wanted:
                return False
            return event.member is None or event.member in {m.id for m in self.plan.members_of(items[event.item])}

        target = self._store.last_recorded(counts)
        if target is None:
            raise UsageError(_("nothing to undo") + (f": {wanted}" if wanted else ""))
        item = items[target.item]
        # what stands for the item without the event undone (every other line, in the order they count)
        before = fold_events(self.plan, (e for e in self.events(lambda e: e.item == item.id) if e.id != target.id))
        parts: list[str | None] = [target.member] if target.member else [m.id for m in self.plan.members_of(item)]
        seq = self._next_seq(item.id, parts or [None])
        note = UNDO_NOTE + target.id
        inverse, outcomes = [], []
        for part in parts or [None]:
            previous = before.mark(item.id, part)
            if previous:  # the completion that stood before comes back, from its own day
                event = new_event(
                    "done", item.id, part, previous.on, previous.by, note, self.plan.id, self._stamp(), seq
                )
            else:  # it stood open: reopened from the day the undone event took effect
                day = target.on_day or self.as_of
                who = who_records(by, self.env)
                event = new_event("reopen", item.id, part, day, who, note, self.plan.id, self._stamp(), seq)
            inverse.append(event)
            outcomes.append(
                Outcome(item.id, part, "undo", Result.RECORDED, previous and previous.on, event, undone=target)
            )
        if not dry_run:
            self._append(inverse)
        return outcomes

    def _next_seq(self, item: str, parts: Sequence[str | None]) -> int:
        """The order counter of a new event of the item's parts (``recording.next_seq``)."""
        from dsday_cli.store.journal import SEQ_MAX

        return next_seq(self.progress, item, parts, SEQ_MAX)

    def _record(
        self,
        kind: Literal["done", "reopen"],
        ids: Sequence["str | ItemStatus"],
        member_text: str | None,
        note: str | None,
        by: str | None,
        on: DayLike | None,
        force: bool = False,
    ) -> list[Outcome]:
        """Record ``kind`` for the items named in one append, all or none; what was already so writes nothing."""
        from dsday_cli.core.dates import day_first
        from dsday_cli.store.journal import SEQ_MAX, new_event

        day = parse_user_day(on, self.plan, "on") if on else self.as_of
        if day > self.as_of:
            raise UsageError(
                _("on: {day} is in the future (today is {today})").format(
                    day=day_first(day), today=day_first(self.as_of)
                ),
                problem="on.future", day=day_first(day), today=day_first(self.as_of),
            )
        if day.year < self.plan.year and not force:
            raise UsageError(
                _("on: {day} is before the plan's year {year}; pass force=True if the work was truly done then").format(
                    day=day_first(day), year=self.plan.year
                ),
                problem="on.before-year", day=day_first(day), year=self.plan.year,
            )
        asked = parts_asked(self.plan, ids, member_text)
        who = who_records(by, self.env)
        outcomes: list[Outcome] = []
        for step in decide(self.plan, self.progress, kind, asked, day, bool(on), SEQ_MAX):
            event = None
            if step.result is not Result.ALREADY:
                event = new_event(kind, step.item, step.member, day, who, note, self.plan.id, self._stamp(), step.seq)
            outcomes.append(Outcome(step.item, step.member, kind, step.result, step.day, event, step.was))
        self._append([o.event for o in outcomes if o.event])
        return outcomes

    def _append(self, events: list[Event]) -> None:
        """Write events in one append, then fold them so later queries see them."""
        self._store.append(events)

    def import_checklist(self, path: PathLike, dry_run: bool = False, any_agency: bool = False) -> ImportResult:
        """Record the completions a returned checklist (CSV, XLSX, ODS or Markdown) states: all or none, never twice.

        A checklist speaks only for whom it was exported for (its binding names them), and
        records them as ``by``; a row for anyone else, or a checklist with no binding, is
        refused unless ``any_agency`` (a checklist with no binding is then recorded by
        this workspace's user). A row without a member never stands for every member of
        a group; a day the export filled in for an item reopened since is not recorded again.
        """
        from dsday_cli.documents.checklist_import import in_file_order, match_rows, read_checklist
        from dsday_cli.store.journal import new_event

        file = Path(path)
        rows = sum(max(1, len(self.plan.members_of(item))) for item in self.plan.responsibilities)
        checklist = read_checklist(file, self.plan.year, max_rows=2 * rows + 1000)
        earlier: dict[tuple[str, str | None], set[date]] | None = None

        def done_days(item: str, member: str | None) -> set[date]:
            """Days the journal once recorded the item (or member's part) done on."""
            nonlocal earlier
            if earlier is None:
                earlier = {}
                for event in self.events(lambda e: e.kind == "done" and e.on is not None):
                    earlier.setdefault((event.item, event.member), set()).add(event.on_day)  # type: ignore[arg-type]
            return earlier.get((item, member), set()) | earlier.get((item, None), set())

        matched = match_rows(self.plan, self.progress, checklist, self.as_of, any_agency, done_days)
        for completion in matched.new + matched.known + matched.stale:  # a file bound to no one: whoever imports it
            completion.by = completion.by or who_records(None, self.env)
        result = ImportResult(
            file, matched.new, matched.known, in_file_order(checklist.problems + matched.problems), stale=matched.stale
        )
        if result.problems or dry_run or not matched.new:
            return result
        events = [
            new_event(
                "done",
                c.item,
                c.member,
                c.on,
                c.by,
                c.row.note or None,  # as the person wrote it; where it came from is the event's source
                self.plan.id,
                self._stamp(),
                self._next_seq(c.item, [c.member]),
                source=file.name,
            )
            for c in matched.new
        ]
        self._append(events)
        result.recorded = True
        return result

    def _stamp(self) -> datetime:
        """The recording time of a new event: the clock, made strictly later than the last one stamped here.

        Events of one batch, or of calls in a row, then count in the order they were made.
        """
        now = self.env.clock()
        if self._last_stamp is not None and now <= self._last_stamp:
            now = self._last_stamp + timedelta(microseconds=1)
        self._last_stamp = now
        return now

    # ---- views -----------------------------------------------------------------

    def export(
        self,
        fmt: str,
        agencies: Sequence[str] = (),
        delimiter: str = ",",
        todo: bool = False,
        bom: bool = False,
        alarm: int | None = None,
        stream: bool = False,
    ) -> str | bytes | Iterable[str]:
        """The checklist of the agencies named (all without): md, csv, json or ics text, or an xlsx workbook.

        The checklist says whom it was exported for, so that its return can be bound to them.
        ICS: stamped with the time of export, a reminder ``alarm`` days before each open deadline.
        ``stream``: md, csv and json text in pieces, made as they are written.
        """
        from dsday_cli.core.lookup import find_agency

        chosen = [find_agency(self.plan, text) for text in agencies]
        if alarm is not None and fmt != "ics":
            raise UsageError(
                _("an alarm is a calendar reminder: it is set only in the ics format"), problem="alarm.not-ics"
            )
        if fmt == "ics":
            from dsday_cli.views.ics import to_ics

            items = self.select(agencies)
            wanted = {s.item.id for s in items}
            events = self.events(lambda e: e.item in wanted)
            concerning = wanted if agencies else None  # an agency's calendar: only the milestones that concern it
            return to_ics(
                self.plan, items, todo=todo, now=self.env.clock(), events=events, alarm_days=alarm,
                concerning=concerning,
            )  # fmt: skip
        exported_for = ",".join(a.id + (f"/{m.id}" if m else "") for a, m in chosen) or None
        if fmt == "xlsx":
            return self.items_output(self.select(agencies), fmt, delimiter, bom, exported_for)
        return self.items_output(self.iter_select(agencies), fmt, delimiter, bom, exported_for, stream)

    def export_split(
        self,
        fmt: str,
        agencies: Sequence[str] = (),
        delimiter: str = ",",
        todo: bool = False,
        bom: bool = False,
        alarm: int | None = None,
    ) -> Iterator[tuple[str, str | bytes]]:
        """One checklist a file, for each addressee of the agencies named (all without): (file name, content).

        A group agency is split into its members, each file bound to its member and
        speaking only for it; an agency without members is one file. A file is named by
        the ids (``do-luong.xlsx``): letters, digits, '.', '_' and '-' only.
        """
        from dsday_cli.core.lookup import find_agency

        chosen = [find_agency(self.plan, text) for text in agencies] if agencies else [(a, None) for a in self.plan.agencies]
        targets: dict[str, str] = {}  # file stem: whom it is for, as a binding names them
        for agency, member in chosen:
            addressees: list[Member | None] = [member] if member else [*agency.members] or [None]
            for one in addressees:
                stem = one.id if one else agency.id
                if stem.lower() in {taken.lower() for taken in targets}:  # the id of another agency's member
                    stem = f"{agency.id}-{stem}"
                number = 2
                while stem.lower() in {taken.lower() for taken in targets}:  # that name taken too: never two in one
                    stem, number = f"{agency.id}-{one.id if one else agency.id}-{number}", number + 1
                targets[stem] = agency.id + (f"/{one.id}" if one else "")
        for stem, target in targets.items():
            content = self.export(fmt, [target], delimiter, todo, bom, alarm)
            if not isinstance(content, (str, bytes)):
                content = "".join(content)
            yield f"{stem}.{fmt}", content

    def items_output(
        self,
        items: Iterable[ItemStatus],
        fmt: str,
        delimiter: str = ",",
        bom: bool = False,
        exported_for: str | None = None,
        stream: bool = False,
    ) -> str | bytes | Iterable[str]:
        """Items as json, csv or md text (in pieces with ``stream``), or an xlsx workbook."""
        if fmt == "xlsx":
            from dsday_cli.views.xlsx import checklist_workbook

            return checklist_workbook(self.plan, list(items), self.as_of, exported_for)
        from dsday_cli.views.render import items_chunks, items_text

        binding = None
        if exported_for:  # a checklist to send: it says for whom, so that its return can be bound to them
            from dsday_cli.core.checklist_binding import binding_line

            binding = binding_line(self.plan.id, exported_for)
        if stream:
            return items_chunks(self.plan, items, fmt, delimiter, bom, binding)
        return items_text(self.plan, items, fmt, delimiter, bom, binding)

    def remind(
        self,
        agencies: Sequence[str] | None = None,
        how: str = "text",
        *,
        directory: Path | None = None,
        config_file: Path | None = None,
        password: str | None = None,
        language: str = "vi",
        by: str | None = None,
        dry_run: bool = False,
        record_printed: bool = False,
        show: Callable[["Reminder"], None] | None = None,
    ) -> Iterator["RemindOutcome"]:
        """Remind the agencies (all, or those ``agencies`` name) with overdue or soon-due items, one message each.

        ``how``: ``smtp`` sends them through the configuration file's mail server, ``eml``
        writes one file each in ``directory``, ``text`` hands each to ``show``. A reminder
        is recorded in the journal (by ``by``, else who records by default) only once it
        was sent or written, or shown with ``record_printed``; ``dry_run`` records nothing.
        Outcomes come one by one, as each reminder goes out.
        """
        from dsday_cli.app import remind as reminding
        from dsday_cli.app.plans import settings as user_settings
        from dsday_cli.core.lookup import find_agency

        config_file = config_file or self.env.config_file
        config = user_settings(config_file)
        if how == "smtp" and config.smtp is None:
            raise ConfigError(
                _("{path}: no [smtp] settings; sending needs them (see README, Reminders)").format(path=config_file)
            )
        if how == "smtp" and not dry_run and config.smtp and config.smtp.user and not password:
            raise ConfigError(_("set DSDAY_SMTP_PASSWORD to the password of {user}").format(user=config.smtp.user))
        coordinator = reminding.coordinator_of(self.plan, config.coordinator)
        only = [find_agency(self.plan, text) for text in agencies] if agencies else None
        batch = reminding.reminders(self.plan, self.statuses(), self.events(), self.as_of, language, coordinator, only)
        if not batch:
            return iter(())
        return reminding.dispatch(
            batch, how, journal=self.journal, as_of=self.as_of, by=who_records(by, self.env), plan_id=self.plan.id,
            now=self.env.clock(), directory=directory, smtp=config.smtp, password=password, dry_run=dry_run,
            show=show, record_printed=record_printed,
        )  # fmt: skip

    def report(
        self,
        fmt: str = "md",
        number: str | None = None,
        signed_on: DayLike | None = None,
        signer: str | None = None,
        signer_title: str | None = None,
        ids: bool = False,
    ) -> str | bytes:
        """The results report for the Provincial People's Committee: md or html text, or a docx document.

        The form (number, signing day, signer) comes from the plan's ``report:`` section unless given.
        Items are named by title and clause; ``ids`` adds their ids. A report with its signing
        day is issued: the duty to send it (the ``report`` milestone's items, led by the issuing
        body) counts as done on that day.
        """
        from dsday_cli.views.report import report_html, report_md
        from dsday_cli.core.report_data import report_data, report_form

        day = parse_user_day(signed_on, self.plan, "signed_on") if signed_on else None
        form = report_form(self.plan, number, day, signer, signer_title, ids)
        data = report_data(self.plan, self.progress, self.as_of, form)
        if fmt == "docx":
            from dsday_cli.views.report_docx import report_docx

            return report_docx(data)
        return report_html(data) if fmt == "html" else report_md(data)


def open_workspace(
    plan: PathLike | None = None,
    progress: PathLike | None = None,
    as_of: DayLike | None = None,
    env: Environment | None = None,
) -> Workspace:
    """Load the plan (default ./plan.yaml, else the embedded plan) and fold its journal.

    ``as_of`` defaults to today in the plan's time zone, by ``env.clock``.
    """
    env = env or Environment.from_os()
    plan_file = plan_path(plan)
    store = Store.open(plan_file, progress, env.cache_dir, env.state_dir, env.lock_timeout, env.index)
    loaded = store.plan
    day = parse_user_day(as_of, loaded, "as_of") if as_of else today_in(loaded.zone(), env.clock())
    return Workspace(plan_file, store.journal, day, store.warnings, env, store)


# ---- plan files ----------------------------------------------------------------


@record
class Validation:
    """A valid plan and what its journal holds."""

    plan_file: Path
    plan: Plan
    journal: Path
    events: int
    unreadable: list[str]  # journal lines that cannot be read, worded (the first hundred, then a count)
    strays: list[str]  # events the plan cannot place, worded
    unreadable_lines: int = 0  # how many journal lines cannot be read


def validate_plan(
    path: PathLike | None = None, progress: PathLike | None = None, env: Environment | None = None
) -> Validation:
    """Check a plan file from scratch (no cache) and read its journal; PlanInvalid lists every problem."""
    from dsday_cli.store.journal import JournalScan, SameIds
    from dsday_cli.store.plan import load_plan
    from dsday_cli.core.status import fold_events

    env = env or Environment.from_os()
    plan_file = plan_path(path)
    loaded = load_plan(plan_file)
    journal = journal_path(progress, plan_file, loaded, env.state_dir)
    with JournalScan(journal, report=100) as scan:  # streamed: a journal of any size
        same = SameIds(journal)

        def checked() -> Iterable[Event]:
            for event in scan:
                same.check(event, scan.line)
                yield event

        strays = describe_strays(fold_events(loaded, checked()).strays, report=100, hint=False)
    unreadable = scan.problems(hint=False) + same.found
    return Validation(plan_file, loaded, journal, scan.count, unreadable, strays, scan.problem_lines + same.count)


def rollover_plan(
    plan: PathLike | None, year: int, theme: str | None = None, target: str = "", successions: PathLike | None = None
) -> "Rolled":
    """Next year's plan from a valid plan file, comments kept; the result is validated before it is returned.

    The successions shipped with dsday, and those of the file ``successions``, in force by ``year`` are applied.
    """
    from dsday_cli.store.plan import parse_plan, read_plan_text
    from dsday_cli.store.rollover import rollover
    from dsday_cli.store.successions import read_succession_file, shipped_successions

    plan_file = plan_path(plan)
    text = read_plan_text(plan_file)
    loaded = parse_plan(text, str(plan_file))  # only a valid plan rolls over
    changes = shipped_successions()
    if successions is not None:
        changes += read_succession_file(Path(successions), loaded)
    rolled = rollover(text, year, theme, plan_file.name, changes)
    parse_plan(rolled.text, target or "(rolled-over plan)")  # never hand back a plan that does not validate
    return rolled


def init_plan(directory: PathLike, force: bool = False) -> Path:
    """Write the embedded plan to ``DIRECTORY/plan.yaml`` to start a plan of one's own."""
    from dsday_cli.store.files import write_atomically

    target = Path(directory) / "plan.yaml"
    if target.exists() and not force:
        raise OutputExists(
            _("{path} exists; pass force=True to overwrite it").format(path=target), problem="exists", path=target
        )
    write_atomically(target, EMBEDDED_PLAN.read_text(encoding="utf-8"))
    return target


def sync_journal(
    plan: PathLike | None = None, progress: PathLike | None = None, push: bool = True, env: Environment | None = None
):
    """Share the journal through the plan's git repository: commit, pull (rebase), push."""
    from dsday_cli.store.state import cached_plan
    from dsday_cli.store.sync import sync

    env = env or Environment.from_os()
    plan_file = plan_path(plan)
    if is_embedded(plan_file):
        raise UsageError(
            _("the embedded plan is not in a repository; start your own plan in a repository of its own"),
            problem="sync.embedded",
        )
    loaded = cached_plan(plan_file, env.cache_dir)
    journal = journal_path(progress, plan_file, loaded, env.state_dir)
    return sync(plan_file, journal, push=push, who=env.user, lock_timeout=env.lock_timeout)
