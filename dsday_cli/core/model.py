"""The plan as data: plain dataclasses, validated by Pydantic at the file boundary.

The classes import nothing heavy, so a plan read back from the cache costs no
Pydantic import; ``plan.py`` validates files with a Pydantic TypeAdapter over these
same classes (unknown keys rejected) and ``dsday schema`` derives the JSON Schema
from them. Field constraints are ``Check`` markers that Pydantic reads lazily.
"""

import re
from dataclasses import field, fields
from datetime import date, datetime, timedelta, timezone, tzinfo
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal, TypeVar

from dsday_cli.core.dates import parse_day, parse_day_or_month, parse_month, parse_quarter, quarter_days
from dsday_cli.core.i18n import _
from dsday_cli.core.records import record

DAY_PATTERN = r"^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})$"
_FORBID = {"extra": "forbid"}


class Check:
    """A constraint on a field, applied by Pydantic when it validates a plan file."""

    def __init__(self, before: Any = None, json_schema: dict[str, Any] | None = None, **limits: Any):
        self.before, self.json_schema, self.limits = before, json_schema, limits

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        schema = handler(source) | self.limits
        return core_schema.no_info_before_validator_function(self.before, schema) if self.before else schema

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        return dict(self.json_schema) if self.json_schema else handler(schema)


class Status(StrEnum):
    """Where an item (or a member's part) stands on the day judged."""

    OPEN = "open"
    DUE_SOON = "due-soon"
    OVERDUE = "overdue"
    DONE = "done"
    DONE_LATE = "done-late"

    @property
    def finished(self) -> bool:
        """Done, on time or late."""
        return self in (Status.DONE, Status.DONE_LATE)


@record(frozen=True, slots=True)
class Event:
    """One recorded fact of the journal: an item (or one member's part of it) done or reopened.

    ``at`` is when it was recorded (UTC, ISO 8601); ``on`` the day the work was done.
    """

    id: str
    at: str
    kind: str
    item: str
    member: str | None
    on: str | None
    by: str | None
    note: str | None
    plan: str
    seq: int | None = None  # one more than the highest of the events its writer had seen for the item
    source: str | None = None  # the file it was imported from (a checklist's name); absent when typed

    @property
    def on_day(self) -> date | None:
        """The day the work was done, as a date."""
        return date.fromisoformat(self.on) if self.on else None

    @property
    def order(self) -> str:
        """The order in which events count: ``seq`` first, then recording time (UTC), then id.

        An event outranks every event its writer had seen, whatever the clocks of the
        offices say; only events written without sight of each other fall back to time.
        """
        at = self.at
        if not (len(at) == 27 and at[-1] == "Z"):  # written by another tool: normalise
            moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
            moment = moment.replace(tzinfo=moment.tzinfo or timezone.utc).astimezone(timezone.utc)
            at = moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return f"{self.seq or 0:010d} {at} {self.id}"


def _to_day(value: object) -> object:
    return parse_day(value) if isinstance(value, str) else value


Day = Annotated[
    date,
    Check(
        before=_to_day,
        json_schema={"type": "string", "pattern": DAY_PATTERN, "description": "YYYY-MM-DD or DD/MM/YYYY"},
    ),
]
Id = Annotated[str, Check(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=64)]
Text = Annotated[str, Check(min_length=1, max_length=10_000)]
# A line break or control character in a name would end a mail header early (the rest read
# as other headers or as the body) or break one line of output: C0 but the tab (white space
# in a header too), DEL, C1, the Unicode line and paragraph separators, and the bidirectional
# overrides and isolates.
_NOT_IN_A_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def one_line(value: object) -> object:
    """A name (or address) as it is, or ValueError naming the first line break or control character in it."""
    if isinstance(value, str) and (found := _NOT_IN_A_LINE.search(value)):
        raise ValueError(
            _(
                "a line break or control character ({code}) at character {position}; "
                "a name or address is one line of plain text"
            ).format(code=f"U+{ord(found.group()):04X}", position=found.start() + 1)
        )
    return value


# The plan's title, the issuer, agencies' and members' names: they reach mail headers and one-line output.
Name = Annotated[str, Check(before=one_line, min_length=1, max_length=10_000)]
Line = Annotated[str, Check(before=one_line)]  # a short name or an alias


def _to_addresses(value: object) -> object:
    """Addresses as they are, or ValueError for one that cannot go into a mail header as written."""
    if isinstance(value, str):
        one_line(value)
        for address in value.split(","):
            if not address.strip().isascii():
                raise ValueError(
                    _(
                        "'{address}' is not an address dsday can send to: write it in ASCII letters "
                        "(a domain with Vietnamese letters in its xn-- form)"
                    ).format(address=address.strip())
                )
    return value


_ADDRESS = r"[!-+\--;=?A-~]+@[!-+\--;=?A-~]+\.[!-+\--;=?A-~]+"  # printable ASCII but @ , < >
# One address, or several separated by commas: where `dsday remind --send` writes to.
Email = Annotated[
    str,
    Check(before=_to_addresses, pattern=rf"^\s*{_ADDRESS}(\s*,\s*{_ADDRESS})*\s*$", max_length=1000),
]
_Day = date  # for annotations inside classes whose field ``date`` hides the type
MONTH_PATTERN = r"^(\d{4}-\d{1,2}|\d{1,2}/\d{4})$"


def _to_month(value: object) -> object:
    """``2023-10`` or ``10/2023`` as the first day of that month."""
    if not isinstance(value, str):
        return value
    month = parse_month(value)
    return date(month.year, month.month, 1)


Month = Annotated[
    date,
    Check(
        before=_to_month,
        json_schema={"type": "string", "pattern": MONTH_PATTERN, "description": "YYYY-MM or MM/YYYY"},
    ),
]


def _to_issued(value: object) -> object:
    """A day, or a month where the document gives only the month (``06/2024``)."""
    return parse_day_or_month(value) if isinstance(value, str) else value


# The day a plan was issued, or its month alone (``issued: 06/2024``): a MonthOnly then.
Issued = Annotated[
    date,
    Check(
        before=_to_issued,
        json_schema={
            "type": "string",
            "pattern": r"^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{1,2}|\d{1,2}/\d{4})$",
            "description": "YYYY-MM-DD or DD/MM/YYYY; YYYY-MM or MM/YYYY where the document gives only the month",
        },
    ),
]


def _to_refs(value: object) -> object:
    """The clauses as a list: one written alone, or none (left out, or empty: the item cites nothing)."""
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    if all(isinstance(v, str) and v.strip() for v in values):
        return values
    raise ValueError(
        _(
            "ref: names the clause (or clauses) that give this duty: write ref: V.1 or ref: [V.1, II.2.e]; "
            "leave ref: out where the document numbers none"
        )
    )


Refs = Annotated[
    list[Text],
    Check(
        before=_to_refs,
        json_schema={
            "description": "The clause (or clauses) of the document that give this duty, e.g. V.1 or [V.1, II.2.e]; "
            "left out where the document numbers none",
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        },
    ),
]


def _to_quarter(value: object) -> object:
    return parse_quarter(value) if isinstance(value, str) else value


Quarter = Annotated[
    str,
    Check(
        before=_to_quarter,
        json_schema={
            "type": "string",
            "pattern": r"^(\d{4}-[Qq][1-4]|[Qq][1-4]/\d{4})$",
            "description": "YYYY-Qn, e.g. 2026-Q4",
        },
    ),
]


def _to_year(value: object) -> object:
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise ValueError(_("'{text}' is not a year; write the year alone, e.g. year: 2026").format(text=text))
    return int(text)


DeadlineYear = Annotated[int, Check(before=_to_year, json_schema={"type": "integer", "minimum": 2000, "maximum": 2100})]
DeadlineKind = Literal["before", "by", "on", "window", "month", "quarter", "year", "ongoing"]
DeadlineSource = Literal["stated", "cited", "coordinator"]


@record
class Campaign:
    """The window in which the campaign's activities run, both ends inclusive."""

    __pydantic_config__ = _FORBID
    start: Day
    end: Day
    ref: str | None = None


@record
class Deadline:
    """A deadline as the document words it, and where it comes from.

    ``before`` (trước ngày) ends the day before ``date``; ``by`` (đến ngày) and ``on``
    (an event held that day) end on ``date``; ``window`` (từ ngày … đến ngày …) runs
    from ``start`` to ``end``; ``month`` (trong tháng …) to the month's last day;
    ``quarter`` (Quý IV/2026: ``quarter: 2026-Q4``) to the quarter's last day, ``year``
    (Năm 2026: ``year: 2026``) to 31 December; ``ongoing`` (thường xuyên) has no day:
    it is never overdue.
    ``source`` says who gives it: the item's own clause (``stated``), another clause
    (``cited``, with its ``ref``), or the coordinator (``coordinator``, never worded
    as the document's).
    """

    __pydantic_config__ = _FORBID
    kind: DeadlineKind
    date: Day | None = None
    start: Day | None = None
    end: Day | None = None
    month: Month | None = None
    quarter: Quarter | None = None
    year: DeadlineYear | None = None
    source: DeadlineSource = "stated"
    ref: str | None = None
    tentative: bool = False
    note: str | None = None

    @property
    def due(self) -> "_Day | None":
        """The day the document names as the end: the date, the window's end, the month's, quarter's or year's
        last day; None for an ongoing duty."""
        kind = self.kind
        if kind == "ongoing":
            return None
        if kind == "quarter" and self.quarter:
            return quarter_days(self.quarter)[1]
        if kind == "year" and self.year:
            return _Day(self.year, 12, 31)
        end = self.end if kind == "window" else self.month if kind == "month" else self.date
        if end is None:  # plan_problems refuses a deadline without the day its kind needs
            raise ValueError(f"a '{kind}' deadline without its day")
        if kind == "month":
            following = _Day(end.year + end.month // 12, end.month % 12 + 1, 1)
            return following - timedelta(days=1)
        return end

    @property
    def first_day(self) -> "_Day | None":
        """Where the deadline has a first day (a window's start, a month's, quarter's or year's first day)."""
        kind = self.kind
        if kind == "quarter" and self.quarter:
            return quarter_days(self.quarter)[0]
        if kind == "year" and self.year:
            return _Day(self.year, 1, 1)
        return self.start if kind == "window" else self.month if kind == "month" else None

    @property
    def last_day(self) -> "_Day | None":
        """The last day on which the work is on time; None for an ongoing duty (never overdue)."""
        due = self.due
        return due - timedelta(days=1) if due is not None and self.kind == "before" else due


@record
class Milestone:
    """A dated event of the campaign (launch ceremony, the national day, the report).

    ``items`` are the responsibilities that fulfil it: it is met when they are done.
    """

    __pydantic_config__ = _FORBID
    id: Id
    title: Text
    date: Day
    deadline: Literal["on", "by", "before"] = "on"
    ref: str | None = None
    tentative: bool = False
    items: list[Id] = field(default_factory=list)

    @property
    def last_day(self) -> "_Day":
        """The last day on which the milestone is met on time."""
        return self.date - timedelta(days=1) if self.deadline == "before" else self.date


@record
class Member:
    """One body within a group agency (a district, a newspaper)."""

    __pydantic_config__ = _FORBID
    id: Id
    name: Name
    short_name: Line | None = None
    email: Email | None = None
    code: str | None = None  # its code in the official register of administrative units (plan members --register)
    addressee: Name | None = None  # the body a letter goes to; default names.addressee (a People's Committee's)


@record
class Agency:
    """A body the plan assigns work to; a group agency stands for its members."""

    __pydantic_config__ = _FORBID
    id: Id
    name: Name
    short_name: Line | None = None
    aliases: list[Line] = field(default_factory=list)
    ref: str | None = None
    members: list[Member] = field(default_factory=list)
    email: Email | None = None
    addressee: Name | None = None  # the body a letter goes to; default names.addressee (a People's Committee's)

    @property
    def label(self) -> str:
        """The short name if there is one, else the name."""
        return self.short_name or self.name


@record
class Responsibility:
    """One trackable duty of the plan: its clauses, its lead agency and partners, its deadline if any.

    ``agency`` is None where the document names no lead; ``deadline`` is None where the
    document gives none (a standing duty: never overdue).
    """

    __pydantic_config__ = _FORBID
    id: Id
    ref: Refs = field(default_factory=list, kw_only=True)  # none where the document numbers no clause
    title: Text
    agency: Id | None = None
    partners: list[Id] = field(default_factory=list)
    detail: str | None = None
    deadline: Deadline | None = None

    @property
    def ref_text(self) -> str:
        """The clauses, as a person reads them: ``V.1, II.2.e``; empty where the item cites none."""
        return ", ".join(self.ref)

    @property
    def ref_suffix(self) -> str:
        """The clauses in brackets after a name, `` (V.1, II.2.e)``; nothing where the item cites none."""
        return f" ({self.ref_text})" if self.ref else ""

    @property
    def last_day(self) -> date | None:
        """The last day on which the item is on time; None without a deadline."""
        return self.deadline.last_day if self.deadline else None


@record
class Source:
    """Where the plan's text comes from, when it is not the whole signed document."""

    __pydantic_config__ = _FORBID
    note: Text
    partial: bool = False


@record
class ReportForm:
    """Who sends the results report, to whom, numbered and signed how (Nghị định 30/2020/NĐ-CP).

    What is left out stays visibly blank in the report for the office to fill in.
    """

    __pydantic_config__ = _FORBID
    body: str | None = None  # the issuing body, e.g. Sở Thông tin và Truyền thông
    parent_body: str | None = None  # the body it answers to, e.g. UBND tỉnh Nghệ An
    number: str | None = None  # given by the records office when the report is issued
    symbol: str | None = None  # e.g. BC-STTTT
    place: str | None = None  # the place name of the date line, e.g. Nghệ An
    date: Day | None = None  # the day it is signed
    recipient: str | None = None  # "Kính gửi"
    recipients: list[str] = field(default_factory=list)  # "Nơi nhận"
    signer_title: str | None = None  # lines separated by " / ", e.g. KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC
    signer: str | None = None


@record
class Plan:
    """A plan for National Digital Transformation Day, as its document gives it."""

    __pydantic_config__ = _FORBID
    id: Id
    title: Name
    issuer: Name
    year: Annotated[int, Check(ge=2000, le=2100)]
    agencies: list[Agency]
    responsibilities: list[Responsibility]
    theme: Text | None = None
    number: Text | None = None  # "203/KH-UBND"
    issued: Issued | None = None  # the date of issue, or its month (a MonthOnly) where only that is given
    national_day: Day | None = None  # 10 October (Quyết định 505/QĐ-TTg) unless given
    campaign: Campaign | None = None
    signed_by: str | None = None
    source: Source | None = None
    legal_basis: list[str] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    timezone: str = "Asia/Ho_Chi_Minh"
    due_soon_days: Annotated[int, Check(ge=0, le=90)] = 7
    milestones: list[Milestone] = field(default_factory=list)
    budget: str | None = None
    report: ReportForm | None = None

    def zone(self) -> "tzinfo":
        """The plan's time zone (validated as an IANA name when the plan was loaded)."""
        from dsday_cli.core.dates import zone_named
        from dsday_cli.core.errors import PlanInvalid

        zone = zone_named(self.timezone)
        if zone is None:  # a plan built in code, never validated
            raise PlanInvalid([_("unknown time zone '{zone}'").format(zone=self.timezone)])
        return zone

    @property
    def national_date(self) -> date:
        """National Digital Transformation Day of the plan's year: 10 October unless the plan says otherwise."""
        return self.national_day or date(self.year, 10, 10)

    @cached_property
    def agencies_by_id(self) -> dict[str, Agency]:
        """Agencies by id."""
        return {agency.id: agency for agency in self.agencies}

    @cached_property
    def items_by_id(self) -> dict[str, Responsibility]:
        """Responsibilities by id."""
        return {item.id: item for item in self.responsibilities}

    def members_of(self, item: Responsibility) -> list[Member]:
        """The members of the item's lead agency (none for a single body or an unassigned item)."""
        return self.agencies_by_id[item.agency].members if item.agency in self.agencies_by_id else []


def _data(value: Any) -> Any:
    """A plan object as JSON-ready data (dates ISO), without ``dataclasses.asdict``'s deep copies."""
    if type(value) in _PLAIN:  # most values: answered before any isinstance or hasattr (issue 17)
        return value
    if isinstance(value, list):
        return [_data(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    kind = type(value)
    names = _FIELD_NAMES.get(kind)
    if names is None and hasattr(kind, "__dataclass_fields__"):
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(value))
    if names is not None:
        return {name: _data(getattr(value, name)) for name in names}
    return value


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_PLAIN = frozenset({str, type(None), bool, int, float})


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as JSON-ready data (dates ISO)."""
    return {f.name: _data(getattr(plan, f.name)) for f in fields(Plan)}


_T = TypeVar("_T")


def _trusted(cls: type[_T], values: dict[str, Any]) -> _T:
    """An instance of ``cls`` from values already validated once: no __init__, no checks."""
    instance: _T = object.__new__(cls)
    instance.__dict__.update(values)
    return instance


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def plan_from_dict(data: dict[str, Any]) -> Plan:
    """A plan from ``plan_to_dict``'s data, trusted (it is the cache's): no validation."""
    items = []
    for r in data["responsibilities"]:
        if r["deadline"]:
            d = r["deadline"]
            d["date"], d["start"], d["end"], d["month"] = (_day(d[k]) for k in ("date", "start", "end", "month"))
            d.setdefault("quarter", None), d.setdefault("year", None)  # kept by an earlier edition of the format
            r["deadline"] = _trusted(Deadline, d)
        items.append(_trusted(Responsibility, r))
    agencies = []
    for a in data["agencies"]:
        a["members"] = [_trusted(Member, m) for m in a["members"]]
        agencies.append(_trusted(Agency, a))
    milestones = []
    for m in data["milestones"]:
        m["date"] = _day(m["date"])
        milestones.append(_trusted(Milestone, m))
    campaign = data["campaign"]
    if campaign:
        campaign["start"], campaign["end"] = _day(campaign["start"]), _day(campaign["end"])
    form = data.get("report")
    if form:
        form["date"] = _day(form["date"])
    values = data | {
        "report": form and _trusted(ReportForm, form),
        "national_day": _day(data["national_day"]),
        "issued": data["issued"] and parse_day_or_month(data["issued"]),
        "campaign": campaign and _trusted(Campaign, campaign),
        "source": data["source"] and _trusted(Source, data["source"]),
        "milestones": milestones,
        "agencies": agencies,
        "responsibilities": items,
    }
    return _trusted(Plan, values)


Loc = tuple[str | int, ...]
# The keys that give a deadline's days, and which of them each kind takes.
_DAY_KEYS = ("date", "start", "end", "month", "quarter", "year")
_WANTS: dict[str, tuple[str, ...]] = {
    "before": ("date",), "by": ("date",), "on": ("date",), "window": ("start", "end"), "month": ("month",),
    "quarter": ("quarter",), "year": ("year",), "ongoing": (),
}  # fmt: skip


def _deadline_problems(deadline: Deadline, loc: Loc) -> list[tuple[Loc, str]]:
    """What a deadline lacks or holds that its kind does not take, worded as what to write instead."""
    problems: list[tuple[Loc, str]] = []
    needed = _WANTS[deadline.kind]
    for name in _DAY_KEYS:
        present = getattr(deadline, name) is not None
        if name in needed and not present:
            problems.append(
                (
                    (*loc, name),
                    _("a '{kind}' deadline needs {key}: {example}").format(
                        kind=deadline.kind,
                        key=name,
                        example={
                            "date": "DD/MM/YYYY", "start": "DD/MM/YYYY", "end": "DD/MM/YYYY", "month": "YYYY-MM",
                            "quarter": "YYYY-Qn (2026-Q4)", "year": "YYYY",
                        }[name],  # fmt: skip
                    ),
                )
            )
        elif not needed and present:
            problems.append(
                (
                    (*loc, name),
                    _("an ongoing deadline has no day; remove {key}, or write kind: {other} for a deadline with {key}").format(
                        key=f"{name}:", other={"date": "by", "start": "window", "end": "window"}.get(name, name)
                    ),
                )
            )
        elif name not in needed and present:
            problems.append(
                (
                    (*loc, name),
                    _("a '{kind}' deadline takes {keys}, not {key}; write kind: {other} for a deadline with {key}").format(
                        kind=deadline.kind,
                        keys=" and ".join(f"{n}:" for n in needed),
                        key=f"{name}:",
                        other={"date": "by", "start": "window", "end": "window"}.get(name, name),
                    ),
                )
            )
    if deadline.kind == "window" and deadline.start and deadline.end and deadline.start > deadline.end:
        problems.append(((*loc, "end"), _("the window ends before it starts; end: is its last day")))
    if deadline.source == "cited" and not deadline.ref:
        problems.append(
            ((*loc, "ref"), _("a cited deadline names the clause that states it: add ref: (e.g. III)"))
        )
    if deadline.source != "cited" and deadline.ref:
        problems.append(
            (
                (*loc, "source"),
                _("ref: names the clause a deadline is cited from; add source: cited, or remove ref:"),
            )
        )
    return problems


def _in_range(plan: Plan, loc: Loc, day: date | None) -> list[tuple[Loc, str]]:
    if day is not None and abs(day.year - plan.year) > 1:
        message = _("{day} is far from the plan's year {year}; dates are day first (DD/MM/YYYY)")
        return [(loc, message.format(day=day.isoformat(), year=plan.year))]
    return []


def item_problems(plan: Plan, index: int, item: Responsibility) -> list[tuple[Loc, str]]:
    """``plan_problems`` of one responsibility, the one at ``index``: its references, deadline and dates."""
    problems: list[tuple[Loc, str]] = []
    loc: Loc = ("responsibilities", index)
    if item.agency is not None and item.agency not in plan.agencies_by_id:
        problems.append(
            (
                (*loc, "agency"),
                _("unknown agency '{agency}'; use an id from agencies:, or leave agency: out if the document names no lead").format(
                    agency=item.agency
                ),
            )
        )
    for position, partner in enumerate(item.partners):
        if partner not in plan.agencies_by_id:
            problems.append(
                (
                    (*loc, "partners", position),
                    _("unknown agency '{agency}'; partners: lists ids from agencies:").format(agency=partner),
                )
            )
        elif partner == item.agency:
            problems.append(
                (
                    (*loc, "partners", position),
                    _("'{agency}' leads this item; a partner is another agency").format(agency=partner),
                )
            )
    if item.deadline:
        problems += _deadline_problems(item.deadline, (*loc, "deadline"))
        for name in ("date", "start", "end", "month"):
            problems += _in_range(plan, (*loc, "deadline", name), getattr(item.deadline, name))
        if item.deadline.kind in ("quarter", "year"):
            problems += _in_range(plan, (*loc, "deadline", item.deadline.kind), item.deadline.first_day)
    return problems


def plan_problems(plan: Plan) -> list[tuple[Loc, str]]:
    """Cross-checks a schema cannot express: unique ids, references, deadlines, date order and range."""
    problems: list[tuple[Loc, str]] = []

    def unique(section: str, ids: list[str], loc_of: Any = lambda i: (i, "id")) -> None:
        seen: set[str] = set()
        for index, ident in enumerate(ids):
            if ident.lower() in seen:
                problems.append(((section, *loc_of(index)), _("duplicate id '{id}'").format(id=ident)))
            seen.add(ident.lower())

    unique("agencies", [a.id for a in plan.agencies])
    unique("responsibilities", [r.id for r in plan.responsibilities])
    unique("milestones", [m.id for m in plan.milestones])
    for a_index, agency in enumerate(plan.agencies):
        unique("agencies", [m.id for m in agency.members], lambda i, a=a_index: (a, "members", i, "id"))

    if plan.campaign:
        if plan.campaign.start > plan.campaign.end:
            problems.append((("campaign", "end"), _("the campaign ends before it starts; end: is its last day")))
        problems += _in_range(plan, ("campaign", "start"), plan.campaign.start)
        problems += _in_range(plan, ("campaign", "end"), plan.campaign.end)
    problems += _in_range(plan, ("national_day",), plan.national_day)
    problems += _in_range(plan, ("issued",), plan.issued)
    known_items = {item.id for item in plan.responsibilities}
    for index, milestone in enumerate(plan.milestones):
        problems += _in_range(plan, ("milestones", index, "date"), milestone.date)
        for position, ident in enumerate(milestone.items):
            if ident not in known_items:
                problems.append(
                    (
                        ("milestones", index, "items", position),
                        _("unknown responsibility '{item}'; items: lists ids of responsibilities").format(item=ident),
                    )
                )
    for index, item in enumerate(plan.responsibilities):
        problems += item_problems(plan, index, item)
    return problems
