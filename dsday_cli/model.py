"""The plan as data: Pydantic models, unknown keys rejected, and their cross-checks.

No I/O here; ``plan.py`` reads files and ``status.py`` judges progress.
"""

from datetime import date, timedelta
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from dsday_cli.dates import parse_day

DAY_PATTERN = r"^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})$"


def _to_day(value: object) -> object:
    return parse_day(value) if isinstance(value, str) else value


Day = Annotated[
    date,
    BeforeValidator(_to_day),
    WithJsonSchema({"type": "string", "pattern": DAY_PATTERN, "description": "YYYY-MM-DD or DD/MM/YYYY"}),
]
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=64)]
Text = Annotated[str, Field(min_length=1, max_length=10_000)]
Deadline = Literal["by", "before"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Campaign(_Strict):
    """The window in which the campaign's activities run, both ends inclusive."""

    start: Day
    end: Day
    ref: str | None = None


class Milestone(_Strict):
    """A dated event of the campaign (launch ceremony, the national day, the report)."""

    id: Id
    title: Text
    date: Day
    deadline: Literal["on", "by", "before"] = "on"
    ref: str | None = None

    @property
    def last_day(self) -> date:
        """The last day on which the milestone is met on time."""
        return self.date - timedelta(days=1) if self.deadline == "before" else self.date


class Member(_Strict):
    """One body within a group agency (a district, a newspaper)."""

    id: Id
    name: Text
    short_name: str | None = None


class Agency(_Strict):
    """A body the plan assigns work to; a group agency stands for its members."""

    id: Id
    name: Text
    short_name: str | None = None
    aliases: list[str] = []
    ref: str | None = None
    members: list[Member] = []

    @property
    def label(self) -> str:
        """The short name if there is one, else the name."""
        return self.short_name or self.name


class Responsibility(_Strict):
    """One trackable duty: a bullet or clause of the plan, with its agency and deadline.

    Without its own dates it takes the campaign window (filled in by ``Plan``).
    """

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
        assert self.due is not None
        return self.due - timedelta(days=1) if self.deadline == "before" else self.due


class Plan(_Strict):
    """A province's plan for National Digital Transformation Day."""

    id: Id
    title: Text
    issuer: Text
    signed_by: str | None = None
    year: Annotated[int, Field(ge=2000, le=2100)]
    legal_basis: list[str] = []
    purposes: list[str] = []
    requirements: list[str] = []
    theme: Text
    national_day: Day
    timezone: str = "Asia/Ho_Chi_Minh"
    due_soon_days: Annotated[int, Field(ge=0, le=90)] = 7
    campaign: Campaign
    milestones: list[Milestone] = []
    budget: str | None = None
    agencies: list[Agency]
    responsibilities: list[Responsibility]

    @model_validator(mode="after")
    def _campaign_window_by_default(self) -> "Plan":
        for item in self.responsibilities:
            if item.start is None:
                item.start = self.campaign.start
            if item.due is None:
                item.due = self.campaign.end
        return self

    @cached_property
    def agencies_by_id(self) -> dict[str, Agency]:
        """Agencies by id."""
        return {agency.id: agency for agency in self.agencies}

    @cached_property
    def items_by_id(self) -> dict[str, Responsibility]:
        """Responsibilities by id."""
        return {item.id: item for item in self.responsibilities}


Loc = tuple[str | int, ...]


def plan_problems(plan: Plan) -> list[tuple[Loc, str]]:
    """Cross-checks Pydantic cannot express: unique ids, references, date order and range."""
    problems: list[tuple[Loc, str]] = []

    def unique(section: str, ids: list[str], loc_of=lambda i: (i, "id")) -> None:
        seen: set[str] = set()
        for index, ident in enumerate(ids):
            if ident.lower() in seen:
                problems.append(((section, *loc_of(index)), f"duplicate id '{ident}'"))
            seen.add(ident.lower())

    unique("agencies", [a.id for a in plan.agencies])
    unique("responsibilities", [r.id for r in plan.responsibilities])
    unique("milestones", [m.id for m in plan.milestones])
    for a_index, agency in enumerate(plan.agencies):
        unique("agencies", [m.id for m in agency.members], lambda i, a=a_index: (a, "members", i, "id"))

    def in_range(loc: Loc, day: date) -> None:
        if abs(day.year - plan.year) > 1:
            problems.append((loc, f"{day.isoformat()} is far from the plan's year {plan.year}"))

    if plan.campaign.start > plan.campaign.end:
        problems.append((("campaign", "end"), "the campaign ends before it starts"))
    in_range(("campaign", "start"), plan.campaign.start)
    in_range(("campaign", "end"), plan.campaign.end)
    in_range(("national_day",), plan.national_day)
    for index, milestone in enumerate(plan.milestones):
        in_range(("milestones", index, "date"), milestone.date)
    for index, item in enumerate(plan.responsibilities):
        if item.agency not in plan.agencies_by_id:
            problems.append((("responsibilities", index, "agency"), f"unknown agency '{item.agency}'"))
        assert item.start is not None and item.due is not None
        if item.start > item.due:
            problems.append((("responsibilities", index, "due"), "due before the item starts"))
        in_range(("responsibilities", index, "start"), item.start)
        in_range(("responsibilities", index, "due"), item.due)
    return problems
