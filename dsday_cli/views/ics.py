"""The checklist as an iCalendar file (RFC 5545), built with the icalendar library.

One all-day event per deadline, because Google Calendar and Outlook ignore VTODO: on
the last day the item is on time, or spanning its days where the deadline has a first
day (a month, a window, a quarter, a year), DTEND the day after the last (exclusive, as
RFC 5545 has it). ``todo=True`` gives VTODO entries instead, DTSTART on the first day
where there is one and DUE on the last. An item without a day (no deadline, or an
ongoing duty) has no entry. The campaign window is an event; milestones are all-day
events too, and a calendar for some agencies carries only those that concern them (a
milestone whose ``items`` include one of theirs, or one without items: the national
day, the campaign's start and end). UIDs depend only on the plan and item ids, so a
re-import updates instead of duplicating;
SEQUENCE (how many times the item was marked done or reopened) and LAST-MODIFIED (the
latest of those events) come from the journal, so a calendar sees an update as newer.
DTSTAMP is the export time, passed in. Text properties carry no control characters: a
strict parser rejects the whole file for one pasted from Word.
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone

from dsday_cli.core.dates import day_first
from dsday_cli.core.i18n import _
from dsday_cli.core.model import Event as JournalEvent, Plan
from dsday_cli.views.render import deadline_phrase, due_phrase, lead_label, members_phrase, status_label
from dsday_cli.core.status import ItemStatus


def item_uid(plan: Plan, status: ItemStatus) -> str:
    """A UID that stays the same across exports of the same plan."""
    return f"{status.item.id}.{plan.id}@dsday"


def milestone_uid(plan: Plan, milestone_id: str) -> str:
    """A milestone's UID: '+' cannot stand in an id, so no item's UID can equal it."""
    return f"milestone+{milestone_id}.{plan.id}@dsday"


def campaign_uid(plan: Plan) -> str:
    """The campaign window's UID, unlike any item's or milestone's."""
    return f"campaign+.{plan.id}@dsday"


def span(deadline: object) -> tuple[date, date] | None:
    """An item's days in a calendar: (first, last), both inclusive; None for a deadline without a day (ongoing).

    The first day is the deadline's own where it has one (a window's start, a month's,
    quarter's or year's first day), else the last day: a one-day entry.
    """
    last = getattr(deadline, "last_day", None)
    if last is None:
        return None
    first = getattr(deadline, "first_day", None)
    return (first if first is not None and first < last else last), last


_LINE_CONTROLS = {code: None for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_TEXT_CONTROLS = _LINE_CONTROLS | {0x0A: "\n"}


def clean(text: str | None, lines: bool = False) -> str:
    """Text for a property: control characters removed (line breaks kept with ``lines``, else made spaces)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return text.translate(_TEXT_CONTROLS) if lines else text.replace("\n", " ").translate(_LINE_CONTROLS)


def _utc(at: str) -> datetime:
    """An event's recording time (ISO 8601) as an aware UTC datetime."""
    moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def to_ics(
    plan: Plan,
    statuses: list[ItemStatus],
    todo: bool = False,
    now: datetime | None = None,
    events: Iterable[JournalEvent] = (),
    alarm_days: int | None = None,
    concerning: set[str] | None = None,
) -> str:
    """The items' deadlines as a calendar, stamped ``now`` (the export time), with a reminder ``alarm_days`` before.

    ``events`` are the journal's: each item's SEQUENCE and LAST-MODIFIED come from its own.
    ``concerning``: the ids of the items of the agencies the calendar is for; then only
    the milestones without items or with one of those are in it (all without).
    Without ``now`` the stamp is taken from the data, so that the same data gives the same file.
    """
    from icalendar import Alarm, Calendar, Event, Todo

    changes: dict[str, list[JournalEvent]] = {}
    for event in events:
        if event.kind in ("done", "reopen"):
            changes.setdefault(event.item, []).append(event)

    calendar = Calendar()
    calendar.add("prodid", "-//dsday//National Digital Transformation Day plan//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", clean(plan.title))
    calendar.add("x-wr-timezone", plan.timezone)
    for status in statuses:
        item, mark = status.item, status.mark
        days = span(item.deadline)
        if days is None:  # the document gives no deadline, or an ongoing duty: no day to put in a calendar
            continue
        first_day, last_day = days
        history = changes.get(item.id, [])
        entry = Todo() if todo else Event()
        entry.add("uid", item_uid(plan, status))
        entry.add("dtstamp", now or datetime.combine(last_day, time(0), tzinfo=timezone.utc))
        entry.add("sequence", len(history))
        if history:
            entry.add("last-modified", max(_utc(e.at) for e in history))
        prefix = "✓ " if mark else ""
        entry.add("summary", clean(f"{prefix}{item.id}: {item.title}"))
        lines = [
            f"{lead_label(status)}{item.ref_suffix}",
            _("{due}; last on-time day {last}").format(due=deadline_phrase(item.deadline), last=day_first(last_day)),
            _("Status: ")
            + status_label(status.status)
            + (", " + members_phrase(status, full=True) if status.members else ""),
        ]
        if item.detail:
            lines.append(item.detail)
        entry.add("description", clean("\n".join(lines), lines=True))
        entry.add("categories", [clean(lead_label(status, short=True))])
        if todo:
            if first_day < last_day:  # RFC 5545: DUE must come after DTSTART
                entry.add("dtstart", first_day)
            entry.add("due", last_day)
            entry.add("status", "COMPLETED" if mark else "NEEDS-ACTION")
            if mark:
                entry.add("completed", datetime.combine(mark.on, time(0), tzinfo=timezone.utc))
        else:
            entry.add("dtstart", first_day)
            entry.add("dtend", last_day + timedelta(days=1))  # exclusive: the day after the last
            entry.add("transp", "TRANSPARENT")
        if alarm_days is not None and not mark:
            to_end = todo or first_day < last_day  # before the deadline, not before the span starts
            entry.add_component(_alarm(Alarm, alarm_days, entry["summary"], to_end))
        calendar.add_component(entry)
    if plan.campaign:
        campaign = plan.campaign
        entry = Event()
        entry.add("uid", campaign_uid(plan))
        entry.add("dtstamp", now or datetime.combine(campaign.start, time(0), tzinfo=timezone.utc))
        entry.add("sequence", 0)
        entry.add("summary", clean(_("Campaign: {plan}").format(plan=plan.title)))
        start, end = day_first(campaign.start), day_first(campaign.end)
        window = _("Campaign from {start} to {end}.").format(start=start, end=end)
        entry.add("description", clean(f"{window} ({campaign.ref})" if campaign.ref else window, lines=True))
        entry.add("dtstart", campaign.start)
        entry.add("dtend", campaign.end + timedelta(days=1))
        entry.add("transp", "TRANSPARENT")
        calendar.add_component(entry)
    for milestone in plan.milestones:
        if concerning is not None and milestone.items and not concerning.intersection(milestone.items):
            continue  # another agency's milestone (the coordinator's report, a ceremony it runs)
        entry = Event()
        entry.add("uid", milestone_uid(plan, milestone.id))
        entry.add("dtstamp", now or datetime.combine(milestone.date, time(0), tzinfo=timezone.utc))
        entry.add("sequence", 0)
        entry.add("summary", clean(milestone.title))
        when = day_first(milestone.date) if milestone.deadline == "on" else due_phrase(milestone.deadline, milestone.date)
        entry.add("description", clean(f"{when} ({milestone.ref})" if milestone.ref else when, lines=True))
        entry.add("dtstart", milestone.last_day)
        entry.add("dtend", milestone.last_day + timedelta(days=1))
        entry.add("transp", "TRANSPARENT")
        if alarm_days is not None and milestone.last_day >= (now.date() if now else milestone.last_day):
            entry.add_component(_alarm(Alarm, alarm_days, entry["summary"], False))
        calendar.add_component(entry)
    return calendar.to_ical().decode("utf-8")


def _alarm(alarm_class, days: int, summary: object, to_end: bool):
    """A display reminder ``days`` before the day, or with ``to_end`` before the end.

    RFC 5545: a trigger related to the end is relative to a VTODO's DUE, an event's DTEND.
    """
    alarm = alarm_class()
    alarm.add("action", "DISPLAY")
    alarm.add("description", str(summary))
    alarm.add("trigger", timedelta(days=-days), parameters={"RELATED": "END"} if to_end else {})
    return alarm
