"""The checklist as an iCalendar file (RFC 5545), built with the icalendar library.

One all-day event per deadline, on the last day the item is on time, because Google
Calendar and Outlook ignore VTODO; ``todo=True`` gives VTODO entries instead. UIDs
depend only on the plan and item ids, so a re-import updates instead of duplicating.
"""

from datetime import datetime, time, timedelta, timezone

from dsday_cli.dates import day_first
from dsday_cli.i18n import _
from dsday_cli.model import Plan
from dsday_cli.render import due_phrase, status_label
from dsday_cli.status import ItemStatus


def item_uid(plan: Plan, status: ItemStatus) -> str:
    """A UID that stays the same across exports of the same plan."""
    return f"{status.item.id}.{plan.id}@dsday"


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
        # DTSTAMP from the plan's data, not the clock, so the same data gives the same file.
        stamp = datetime.combine(item.last_day, time(0), tzinfo=timezone.utc)
        entry = Todo() if todo else Event()
        entry.add("uid", item_uid(plan, status))
        entry.add("dtstamp", stamp)
        prefix = "✓ " if mark else ""
        entry.add("summary", f"{prefix}{item.id}: {item.title}")
        lines = [
            f"{status.agency.name} ({item.ref})",
            _("{due}; last on-time day {last}").format(
                due=due_phrase(item.deadline, item.due), last=day_first(item.last_day)
            ),
            _("Status: ")
            + status_label(status.status)
            + (f" {status.members_done}/{len(status.members)}" if status.members else ""),
        ]
        if item.detail:
            lines.append(item.detail)
        entry.add("description", "\n".join(lines))
        entry.add("categories", [status.agency.label])
        if todo:
            entry.add("dtstart", item.start)
            entry.add("due", item.last_day + timedelta(days=1))
            entry.add("status", "COMPLETED" if mark else "NEEDS-ACTION")
            if mark:
                entry.add("completed", datetime.combine(mark.on, time(0), tzinfo=timezone.utc))
        else:
            entry.add("dtstart", item.last_day)
            entry.add("dtend", item.last_day + timedelta(days=1))
            entry.add("transp", "TRANSPARENT")
        calendar.add_component(entry)
    return calendar.to_ical().decode("utf-8")
