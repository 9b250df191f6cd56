"""The checklist as an iCalendar file (RFC 5545), built with the icalendar library.

One all-day event per deadline, on the last day the item is on time, because Google
Calendar and Outlook ignore VTODO; ``todo=True`` gives VTODO entries instead, due on
that day (a quarter or a year spans its days). An item without a deadline, or with an
ongoing one (thường xuyên), has no entry. Milestones are all-day events too.
UIDs depend only on the plan and item ids, so a re-import updates instead of duplicating;
SEQUENCE (how many times the item was marked done or reopened) and LAST-MODIFIED (the
latest of those events) come from the journal, so a calendar sees an update as newer.
DTSTAMP is the export time, passed in. Text properties carry no control characters: a
strict parser rejects the whole file for one pasted from Word.
"""

from collections.abc import Iterable
from datetime import datetime, time, timedelta, timezone

from dsday_cli.core.dates import day_first
from dsday_cli.core.i18n import _
from dsday_cli.core.model import Event as JournalEvent, Plan
from dsday_cli.views.render import deadline_phrase, due_phrase, lead_label, status_label
from dsday_cli.core.status import ItemStatus


def item_uid(plan: Plan, status: ItemStatus) -> str:
    """A UID that stays the same across exports of the same plan."""
    return f"{status.item.id}.{plan.id}@dsday"


def milestone_uid(plan: Plan, milestone_id: str) -> str:
    """A milestone's UID: '+' cannot stand in an id, so no item's UID can equal it."""
    return f"milestone+{milestone_id}.{plan.id}@dsday"


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
) -> str:
    """The items' deadlines as a calendar, stamped ``now`` (the export time), with a reminder ``alarm_days`` before.

    ``events`` are the journal's: each item's SEQUENCE and LAST-MODIFIED come from its own.
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
        last_day = item.last_day
        if item.deadline is None or last_day is None:  # no deadline, or an ongoing duty: no day for a calendar
            continue
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
            + (f" {status.members_done}/{len(status.members)}" if status.members else ""),
        ]
        if item.detail:
            lines.append(item.detail)
        entry.add("description", clean("\n".join(lines), lines=True))
        entry.add("categories", [clean(lead_label(status, short=True))])
        if todo:
            first = item.deadline.first_day
            if first and first < last_day:  # RFC 5545: DUE must come after DTSTART
                entry.add("dtstart", first)
            entry.add("due", last_day)
            entry.add("status", "COMPLETED" if mark else "NEEDS-ACTION")
            if mark:
                entry.add("completed", datetime.combine(mark.on, time(0), tzinfo=timezone.utc))
        else:
            first = item.deadline.first_day
            # A quarter or a year is the span of its days (Quý IV/2026: 01/10 to 31/12/2026).
            spans = item.deadline.kind in ("quarter", "year") and first is not None and first < last_day
            entry.add("dtstart", first if spans else last_day)
            entry.add("dtend", last_day + timedelta(days=1))
            entry.add("transp", "TRANSPARENT")
        if alarm_days is not None and not mark:
            entry.add_component(_alarm(Alarm, alarm_days, entry["summary"], todo))
        calendar.add_component(entry)
    for milestone in plan.milestones:
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


def _alarm(alarm_class, days: int, summary: object, todo: bool):
    """A display reminder ``days`` before the day (RFC 5545: a VTODO's trigger is relative to its DUE)."""
    alarm = alarm_class()
    alarm.add("action", "DISPLAY")
    alarm.add("description", str(summary))
    alarm.add("trigger", timedelta(days=-days), parameters={"RELATED": "END"} if todo else {})
    return alarm
