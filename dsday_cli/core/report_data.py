"""What the results report says, as data: figures, weekly progress, what was done and what remains, the form.

``report_data`` gathers it from the plan and the journal as of a day; ``report.py`` words
and lays it out (Markdown, HTML), ``report_docx.py`` as a Word document and
``report_chart.py`` as a chart. The two labels here (a percentage, a week) are shared
by the text and the chart.
"""

import re
from dataclasses import field
from datetime import date, timedelta

from dsday_cli.core.i18n import _, language
from dsday_cli.core.model import Agency, Plan, ReportForm
from dsday_cli.core.records import record
from dsday_cli.core.status import DONE, DONE_LATE, ItemStatus, Mark, Progress, item_statuses, judge

BLANK = "…"  # what the office fills in by hand stays visibly blank
TEXT_WIDTH_MM = 165  # A4's 210 mm less the decree's left (30) and right (15) margins
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
ANNEX_MEMBERS = 30  # a group with more members gets a summary by progress band, and its list in an annex
REPORT_MILESTONE = "report"  # the milestone whose items are the duty this report fulfils
# A login, not a person's name: what ``who_records`` falls back to when no name is configured
# ("root", "nva", "nguyen.van.a"). A name as a person writes it has a capital or a space.
_LOGIN = re.compile(r"[a-z_][a-z0-9_.-]{0,31}\$?", re.ASCII)
# What the checklist importer once wrote before the note a person typed.
_IMPORTED = re.compile(r"imported from [^:\n]*(?:: |$)")


def performer(by: str | None) -> str | None:
    """Who did it, by name; None when no one was recorded or only a login was (never shown as a performer)."""
    name = (by or "").strip()
    return name if name and not _LOGIN.fullmatch(name) else None


def note_as_written(note: str | None) -> str | None:
    """A journal note as the person wrote it: without the importer's English prefix; None when nothing is left."""
    text = _IMPORTED.sub("", note or "", count=1).strip() if note else ""
    return text or None


@record
class Figures:
    """Done on time, done late and not done, for the plan, an agency, a member or a week."""

    on_time: int = 0
    late: int = 0
    not_done: int = 0

    @property
    def total(self) -> int:
        """Everything counted."""
        return self.on_time + self.late + self.not_done

    @property
    def done(self) -> int:
        """Done, on time or late."""
        return self.on_time + self.late

    def count(self, status: str) -> None:
        """Count one status."""
        if status == DONE:
            self.on_time += 1
        elif status == DONE_LATE:
            self.late += 1
        else:
            self.not_done += 1

    def add(self, other: "Figures") -> None:
        """Add another's counts (for a Tổng cộng row)."""
        self.on_time += other.on_time
        self.late += other.late
        self.not_done += other.not_done


@record
class Row:
    """An agency (or a member) with its figures."""

    label: str
    figures: Figures


@record
class MemberTable:
    """A group agency's members, each with its part of the agency's items."""

    agency: Agency
    rows: list[Row]
    total: Figures


@record
class Week:
    """Where the plan stood at the end of a week of the campaign (``number`` 0: before it began)."""

    number: int
    first: date | None
    last: date
    completed: int  # items that became done during the week
    figures: Figures  # as judged on ``last``


@record
class Form:
    """The report's administrative form (Nghị định 30/2020/NĐ-CP); None where the office fills in."""

    parent_body: str | None
    body: str | None
    number: str | None
    symbol: str | None
    place: str | None
    date: date | None
    recipient: str
    recipients: list[str]
    signer_title: list[str]
    signer: str | None
    ids: bool = False  # item ids beside the clauses (the coordinator's copy; the issued report cites clauses only)

    @property
    def issued(self) -> bool:
        """The report is being issued: it has its signing day (a draft leaves it blank)."""
        return self.date is not None


@record
class Bands:
    """A large group's members by progress: done every part, some, none (of the items they share)."""

    all: int = 0
    some: int = 0
    none: int = 0
    nothing: int = 0  # members with no part in any item

    @property
    def members(self) -> int:
        """Every member counted."""
        return self.all + self.some + self.none + self.nothing


@record
class Report:
    """Everything the report says."""

    plan: Plan
    as_of: date
    form: Form
    overall: Figures
    agencies: list[Row]
    members: list[MemberTable]
    weeks: list[Week]
    done: list[tuple[Agency | None, list[ItemStatus]]]  # by lead agency (None: no lead named): items every part of which is done
    outstanding: list[tuple[Agency | None, list[ItemStatus]]]  # by lead agency: items not done (partly done included)
    agency_total: Figures = field(default_factory=Figures)
    leads: int = 0  # agencies that lead at least one responsibility (partners only are not assigned any)
    unassigned: int = 0  # responsibilities the plan names no lead for
    by_report: set[str] = field(default_factory=set)  # items this report itself fulfils (done on its signing day)


def bands(rows: list[Row]) -> Bands:
    """How many of a group's members have done all, some or none of their parts."""
    out = Bands()
    for row in rows:
        f = row.figures
        if not f.total:
            out.nothing += 1
        elif f.done == f.total:
            out.all += 1
        elif f.done:
            out.some += 1
        else:
            out.none += 1
    return out


def large(table: MemberTable) -> bool:
    """A group listed in the annex rather than member by member in the body."""
    return len(table.rows) > ANNEX_MEMBERS


def report_form(
    plan: Plan,
    number: str | None = None,
    day: date | None = None,
    signer: str | None = None,
    signer_title: str | None = None,
    ids: bool = False,
) -> Form:
    """The plan's ``report:`` section with the values given on the command line put over it."""
    given = plan.report or ReportForm()
    recipients = list(given.recipients) or [_("As above"), _("Filed: VT")]
    title = signer_title or given.signer_title or ""
    return Form(
        parent_body=given.parent_body,
        body=given.body,
        number=number or given.number,
        symbol=given.symbol,
        place=given.place,
        date=day or given.date,
        recipient=given.recipient or plan.issuer,  # a plan's results go back to whoever issued it
        recipients=recipients,
        signer_title=[line.strip() for line in title.split(" / ") if line.strip()],
        signer=signer or given.signer,
        ids=ids,
    )


def _figures(statuses: list[ItemStatus]) -> Figures:
    figures = Figures()
    for status in statuses:
        figures.count(status.status)
    return figures


MAX_WEEKS = 60  # rows of the weekly table: a report judged years after its campaign gets one row for the rest


def weekly(plan: Plan, progress: Progress, as_of: date, form: Form | None = None) -> list[Week]:
    """The plan as judged at the end of each week from the campaign's start through ``as_of``.

    A week ends six days after it starts, the last one on ``as_of``. Completions dated
    before the campaign began get a row of their own (week 0). After ``MAX_WEEKS``
    rows, one row covers the rest up to ``as_of``. An issued ``form`` counts its own duty
    done from its signing day on, as the report's figures do.
    """

    def judged(day: date) -> Figures:
        statuses = item_statuses(plan, progress, day)
        issued = form is not None and form.body and form.date is not None
        if issued and form is not None and form.date is not None and (form.date <= day or day == as_of):
            statuses = _fulfilled_by_report(plan, statuses, form, day)[0]
        return _figures(statuses)

    weeks: list[Week] = []
    if plan.campaign is None:  # no window to count weeks in
        return weeks
    start = plan.campaign.start
    if as_of < start:
        return weeks
    before = judged(start - timedelta(days=1))
    if before.done:
        weeks.append(Week(0, None, start - timedelta(days=1), before.done, before))
    done_so_far, first, number = before.done, start, 1
    while first <= as_of:
        last = min(first + timedelta(days=6), as_of) if number < MAX_WEEKS else as_of  # the last row: the rest
        figures = judged(last)
        weeks.append(Week(number, first, last, figures.done - done_so_far, figures))
        done_so_far, first, number = figures.done, last + timedelta(days=1), number + 1
    return weeks


def report_data(plan: Plan, progress: Progress, as_of: date, form: Form | None = None) -> Report:
    """The report's figures and lists as of ``as_of`` (the same statuses ``dsday status`` judges)."""
    form = form or report_form(plan)
    statuses = item_statuses(plan, progress, as_of)
    by_report: set[str] = set()
    if form.issued and form.body:
        statuses, by_report = _fulfilled_by_report(plan, statuses, form, as_of)
    overall = Figures()
    per_agency = {a.id: Figures() for a in plan.agencies}
    per_member = {(a.id, m.id): Figures() for a in plan.agencies for m in a.members}
    unassigned = Figures()
    for status in statuses:
        overall.count(status.status)
        if status.agency is None:
            unassigned.count(status.status)
            continue
        per_agency[status.agency.id].count(status.status)
        for part in status.members:
            per_member[(status.agency.id, part.member.id)].count(part.status)
    members = []
    for agency in plan.agencies:
        if agency.members:
            rows = [Row(m.name, per_member[(agency.id, m.id)]) for m in agency.members]
            total = Figures()
            for row in rows:
                total.add(row.figures)
            members.append(MemberTable(agency, rows, total))

    def by_agency(chosen: list[ItemStatus]) -> list[tuple[Agency | None, list[ItemStatus]]]:
        groups: dict[str | None, list[ItemStatus]] = {}
        for status in chosen:
            groups.setdefault(status.agency.id if status.agency else None, []).append(status)
        grouped: list[tuple[Agency | None, list[ItemStatus]]] = [
            (a, groups[a.id]) for a in plan.agencies if a.id in groups
        ]
        return grouped + ([(None, groups[None])] if None in groups else [])

    finished = [s for s in statuses if s.status in (DONE, DONE_LATE)]
    remaining = sorted(
        (s for s in statuses if s.status not in (DONE, DONE_LATE)),
        key=lambda s: (s.item.last_day is None, s.item.last_day or as_of),
    )  # the longest overdue first, duties without a deadline last
    rows = [Row(a.name, per_agency[a.id]) for a in plan.agencies if per_agency[a.id].total]  # leads only
    if unassigned.total:
        rows.append(Row(_("No lead agency named in the plan"), unassigned))
    agency_total = Figures()
    for row in rows:
        agency_total.add(row.figures)
    return Report(
        plan,
        as_of,
        form,
        overall,
        rows,
        members,
        weekly(plan, progress, as_of, form),
        by_agency(finished),
        by_agency(remaining),
        agency_total,
        leads=sum(1 for figures in per_agency.values() if figures.total),
        unassigned=unassigned.total,
        by_report=by_report,
    )


def _fulfilled_by_report(
    plan: Plan, statuses: list[ItemStatus], form: Form, as_of: date
) -> tuple[list[ItemStatus], set[str]]:
    """The statuses with the report's own duty done on its signing day, when the issuing body leads it.

    The duty is the ``report`` milestone's items; one already recorded done keeps its record.
    """
    assert form.date is not None and form.body is not None
    milestone = next((m for m in plan.milestones if m.id == REPORT_MILESTONE), None)
    duty = set(milestone.items) if milestone else set()
    body = form.body.casefold()
    out: list[ItemStatus] = []
    fulfilled: set[str] = set()
    for status in statuses:
        own = status.agency is not None and body in (status.agency.name.casefold(), (status.agency.short_name or "").casefold())
        if status.item.id in duty and own and not status.members and status.status not in (DONE, DONE_LATE):
            done = judge(status.item.last_day, form.date, max(as_of, form.date), plan.due_soon_days)
            status = ItemStatus(status.item, status.agency, done, Mark(form.date, form.body, None), [])
            fulfilled.add(status.item.id)
        out.append(status)
    return out, fulfilled


def percent(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a percentage with one decimal, written as the language writes it."""
    if not whole:
        return "–"
    text = f"{part * 100 / whole:.1f}"
    return (text.replace(".", ",") if language() == "vi" else text) + "%"


def week_label(week: Week) -> str:
    """'15/09–21/09', or 'before 15/09' for completions dated before the campaign."""

    def short(day: date) -> str:
        return f"{day.day:02d}/{day.month:02d}"

    if week.first is None:
        return _("before {day}").format(day=short(week.last + timedelta(days=1)))
    return short(week.first) if week.first == week.last else f"{short(week.first)}–{short(week.last)}"
