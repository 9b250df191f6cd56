"""The checklist as an iCalendar file (RFC 5545), built with the icalendar library.

One all-day event per deadline, on the last day the item is on time, because Google
Calendar and Outlook ignore VTODO; ``todo=True`` gives VTODO entries instead, due on
that day. An item without a deadline has no entry. Milestones are all-day events too.
UIDs depend only on the plan and item ids, so a re-import updates instead of duplicating.
"""

from datetime import datetime, time, timedelta, timezone

from dsday_cli.dates import day_first
from dsday_cli.i18n import _
from dsday_cli.model import Plan
from dsday_cli.render import deadline_phrase, due_phrase, lead_label, status_label
from dsday_cli.status import ItemStatus


def item_uid(plan: Plan, status: ItemStatus) -> str:
    """A UID that stays the same across exports of the same plan."""
    return f"{status.item.id}.{plan.id}@dsday"


def milestone_uid(plan: Plan, milestone_id: str) -> str:
    """A milestone's UID: '+' cannot stand in an id, so no item's UID can equal it."""
    return f"milestone+{milestone_id}.{plan.id}@dsday"


def to_ics(plan: Plan, statuses: list[ItemStatus], todo: bool = False) -> str:
    """The items' deadlines as a calendar."""
    from icalendar import Calendar, Event, Todo

    calendar = Calendar()
    calendar.add("prodid", "-//dsday//National Digital Transformation Day plan//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", plan.title)
    calendar.add("x-wr-timezone", plan.timezone)
    for status in statuses:
        item, mark = status.item, status.mark
        if item.deadline is None:  # the document gives no deadline: nothing to put in a calendar
            continue
        last_day = item.deadline.last_day
        # DTSTAMP from the plan's data, not the clock, so the same data gives the same file.
        stamp = datetime.combine(last_day, time(0), tzinfo=timezone.utc)
        entry = Todo() if todo else Event()
        entry.add("uid", item_uid(plan, status))
        entry.add("dtstamp", stamp)
        prefix = "✓ " if mark else ""
        entry.add("summary", f"{prefix}{item.id}: {item.title}")
        lines = [
            f"{lead_label(status)} ({item.ref_text})",
            _("{due}; last on-time day {last}").format(due=deadline_phrase(item.deadline), last=day_first(last_day)),
            _("Status: ")
            + status_label(status.status)
            + (f" {status.members_done}/{len(status.members)}" if status.members else ""),
        ]
        if item.detail:
            lines.append(item.detail)
        entry.add("description", "\n".join(lines))
        entry.add("categories", [lead_label(status, short=True)])
        if todo:
            first = item.deadline.first_day
            if first and first < last_day:  # RFC 5545: DUE must come after DTSTART
                entry.add("dtstart", first)
            entry.add("due", last_day)
            entry.add("status", "COMPLETED" if mark else "NEEDS-ACTION")
            if mark:
                entry.add("completed", datetime.combine(mark.on, time(0), tzinfo=timezone.utc))
        else:
            entry.add("dtstart", last_day)
            entry.add("dtend", last_day + timedelta(days=1))
            entry.add("transp", "TRANSPARENT")
        calendar.add_component(entry)
    for milestone in plan.milestones:
        entry = Event()
        entry.add("uid", milestone_uid(plan, milestone.id))
        entry.add("dtstamp", datetime.combine(milestone.date, time(0), tzinfo=timezone.utc))
        entry.add("summary", milestone.title)
        when = day_first(milestone.date) if milestone.deadline == "on" else due_phrase(milestone.deadline, milestone.date)
        entry.add("description", f"{when} ({milestone.ref})" if milestone.ref else when)
        entry.add("dtstart", milestone.last_day)
        entry.add("dtend", milestone.last_day + timedelta(days=1))
        entry.add("transp", "TRANSPARENT")
        calendar.add_component(entry)
    return calendar.to_ical().decode("utf-8")
