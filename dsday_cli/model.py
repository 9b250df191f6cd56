"""The plan as data: plain dataclasses, validated by Pydantic at the file boundary.

The classes import nothing heavy, so a plan read back from the cache costs no
Pydantic import; ``plan.py`` validates files with a Pydantic TypeAdapter over these
same classes (unknown keys rejected) and ``dsday schema`` derives the JSON Schema
from them. Field constraints are ``Check`` markers that Pydantic reads lazily.
"""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal

from dsday_cli.dates import parse_day
from dsday_cli.i18n import _

DAY_PATTERN = r"^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})$"
_FORBID = {"extra": "forbid"}


class Check:
    """A constraint on a field, applied by Pydantic when it validates a plan file."""

    def __init__(self, before: Any = None, json_schema: dict | None = None, **limits: Any):
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


@dataclass(frozen=True, slots=True)
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

    @property
    def on_day(self) -> date | None:
        """The day the work was done, as a date."""
        return date.fromisoformat(self.on) if self.on else None

    @property
    def order(self) -> str:
        """Sorts events by recording time (UTC), then id: the order in which they count."""
        at = self.at
        if not (len(at) == 27 and at[-1] == "Z"):  # written by another tool: normalise
            moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
            moment = moment.replace(tzinfo=moment.tzinfo or timezone.utc).astimezone(timezone.utc)
            at = moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return f"{at} {self.id}"


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
Deadline = Literal["by", "before"]
# One address, or several separated by commas: where `dsday remind --send` writes to.
Email = Annotated[
    str,
    Check(
        pattern=r"^\s*[^@\s,<>]+@[^@\s,<>]+\.[^@\s,<>]+(\s*,\s*[^@\s,<>]+@[^@\s,<>]+\.[^@\s,<>]+)*\s*$", max_length=1000
    ),
]


@dataclass
class Campaign:
    """The window in which the campaign's activities run, both ends inclusive."""

    __pydantic_config__ = _FORBID
    start: Day
    end: Day
    ref: str | None = None


@dataclass
class Milestone:
    """A dated event of the campaign (launch ceremony, the national day, the report)."""

    __pydantic_config__ = _FORBID
    id: Id
    title: Text
    date: Day
    deadline: Literal["on", "by", "before"] = "on"
    ref: str | None = None

    @property
    def last_day(self) -> date:
        """The last day on which the milestone is met on time."""
        return self.date - timedelta(days=1) if self.deadline == "before" else self.date


@dataclass
class Member:
    """One body within a group agency (a district, a newspaper)."""

    __pydantic_config__ = _FORBID
    id: Id
    name: Text
    short_name: str | None = None
    email: Email | None = None


@dataclass
class Agency:
    """A body the plan assigns work to; a group agency stands for its members."""

    __pydantic_config__ = _FORBID
    id: Id
    name: Text
    short_name: str | None = None
    aliases: list[str] = field(default_factory=list)
    ref: str | None = None
    members: list[Member] = field(default_factory=list)
    email: Email | None = None

    @property
    def label(self) -> str:
        """The short name if there is one, else the name."""
        return self.short_name or self.name


@dataclass
class Responsibility:
    """One trackable duty: a bullet or clause of the plan, with its agency and deadline.

    Without its own dates it takes the campaign window (filled in by ``Plan``).
    """

    __pydantic_config__ = _FORBID
    id: Id
    ref: str
    agency: Id
    title: Text
    detail: str | None = None
    start: Day | None = None
    due: Day | None = None
    deadline: Deadline = "by"

    @property
    def last_day(self) -> date:
        """The last day on which the item is on time: the due day, or the day before it."""
        return self.due - timedelta(days=1) if self.deadline == "before" else self.due


@dataclass
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


@dataclass
class Plan:
    """A province's plan for National Digital Transformation Day."""

    __pydantic_config__ = _FORBID
    id: Id
    title: Text
    issuer: Text
    year: Annotated[int, Check(ge=2000, le=2100)]
    theme: Text
    national_day: Day
    campaign: Campaign
    agencies: list[Agency]
    responsibilities: list[Responsibility]
    signed_by: str | None = None
    legal_basis: list[str] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    timezone: str = "Asia/Ho_Chi_Minh"
    due_soon_days: Annotated[int, Check(ge=0, le=90)] = 7
    milestones: list[Milestone] = field(default_factory=list)
    budget: str | None = None
    report: ReportForm | None = None

    def __post_init__(self) -> None:
        for item in self.responsibilities:
            item.start = item.start or self.campaign.start
            item.due = item.due or self.campaign.end

    @cached_property
    def agencies_by_id(self) -> dict[str, Agency]:
        """Agencies by id."""
        return {agency.id: agency for agency in self.agencies}

    @cached_property
    def items_by_id(self) -> dict[str, Responsibility]:
        """Responsibilities by id."""
        return {item.id: item for item in self.responsibilities}


def plan_to_dict(plan: Plan) -> dict:
    """The plan as JSON-ready data (dates ISO)."""

    def convert(value):
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        return value.isoformat() if isinstance(value, date) else value

    return convert(asdict(plan))


def _trusted(cls, fields: dict):
    """An instance of ``cls`` from fields already validated once: no __init__, no checks."""
    instance = object.__new__(cls)
    instance.__dict__.update(fields)
    return instance


def plan_from_dict(data: dict) -> Plan:
    """A plan from ``plan_to_dict``'s data, trusted (it is the cache's): no validation."""
    day = date.fromisoformat
    items = []
    for r in data["responsibilities"]:
        r["start"], r["due"] = day(r["start"]), day(r["due"])
        items.append(_trusted(Responsibility, r))
    agencies = []
    for a in data["agencies"]:
        a["members"] = [_trusted(Member, m) for m in a["members"]]
        agencies.append(_trusted(Agency, a))
    milestones = []
    for m in data["milestones"]:
        m["date"] = day(m["date"])
        milestones.append(_trusted(Milestone, m))
    campaign = data["campaign"]
    campaign["start"], campaign["end"] = day(campaign["start"]), day(campaign["end"])
    form = data.get("report")
    if form:
        form["date"] = form["date"] and day(form["date"])
    fields = data | {
        "report": form and _trusted(ReportForm, form),
        "national_day": day(data["national_day"]),
        "campaign": _trusted(Campaign, campaign),
        "milestones": milestones,
        "agencies": agencies,
        "responsibilities": items,
    }
    return _trusted(Plan, fields)


Loc = tuple[str | int, ...]


def plan_problems(plan: Plan) -> list[tuple[Loc, str]]:
    """Cross-checks a schema cannot express: unique ids, references, date order and range."""
    problems: list[tuple[Loc, str]] = []

    def unique(section: str, ids: list[str], loc_of=lambda i: (i, "id")) -> None:
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

    def in_range(loc: Loc, day: date) -> None:
        if abs(day.year - plan.year) > 1:
            problems.append(
                (loc, _("{day} is far from the plan's year {year}").format(day=day.isoformat(), year=plan.year))
            )

    if plan.campaign.start > plan.campaign.end:
        problems.append((("campaign", "end"), _("the campaign ends before it starts")))
    in_range(("campaign", "start"), plan.campaign.start)
    in_range(("campaign", "end"), plan.campaign.end)
    in_range(("national_day",), plan.national_day)
    for index, milestone in enumerate(plan.milestones):
        in_range(("milestones", index, "date"), milestone.date)
    for index, item in enumerate(plan.responsibilities):
        if item.agency not in plan.agencies_by_id:
            problems.append(
                (("responsibilities", index, "agency"), _("unknown agency '{agency}'").format(agency=item.agency))
            )
        if item.start > item.due:
            problems.append((("responsibilities", index, "due"), _("due before the item starts")))
        in_range(("responsibilities", index, "start"), item.start)
        in_range(("responsibilities", index, "due"), item.due)
    return problems
