"""Days as people write them in Vietnam: ISO or day first."""

import re
from datetime import date, datetime, tzinfo

from dsday_cli.core.i18n import _

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?")


def parse_day(text: str, year: int | None = None) -> date:
    """Read ``2023-10-25``, ``25/10/2023`` or, given ``year``, ``25/10``.

    Raises ValueError naming the text when it is not such a day or does not exist.
    """
    text = text.strip()
    if match := _ISO.fullmatch(text):
        y, m, d = (int(g) for g in match.groups())
    elif match := _DAY_FIRST.fullmatch(text):
        d, m = int(match[1]), int(match[2])
        if match[3] is None and year is None:
            raise ValueError(_("'{text}' has no year; write it as DD/MM/YYYY").format(text=text))
        y = int(match[3]) if match[3] else year or 0
    else:
        raise ValueError(_("'{text}' is not a date; write YYYY-MM-DD or DD/MM/YYYY").format(text=text))
    try:
        return date(y, m, d)
    except ValueError:
        raise ValueError(_("'{text}' is not a day of the calendar").format(text=text)) from None


def day_first(day: date | None) -> str:
    """Format a day as Vietnamese readers expect, ``25/10/2023``."""
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{day.year}"


def iso(day: date | None) -> str | None:
    """ISO form of a day, or None."""
    return None if day is None else day.isoformat()


def today_in(zone: tzinfo, now: datetime) -> date:
    """The calendar day ``now`` falls on in ``zone`` (not the machine's zone)."""
    return now.astimezone(zone).date()


def moment(at: str, zone: tzinfo) -> str:
    """A recording time (UTC ISO, as the journal keeps it) as ``26/11/2026 22:05 +07`` in ``zone``."""
    local = datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(zone)
    offset = local.strftime("%z")  # +0700
    offset = offset[:3] if offset.endswith("00") else f"{offset[:3]}:{offset[3:]}"
    return f"{day_first(local.date())} {local:%H:%M} {offset}"


def local_time(at: str, zone: tzinfo) -> str:
    """A recording time (UTC ISO, as the journal keeps it) as ``YYYY-MM-DD HH:MM`` in ``zone``."""
    return datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(zone).strftime("%Y-%m-%d %H:%M")


_MACHINE_ZONES = {"localtime", "posixrules", "factory"}


def zone_named(name: str) -> tzinfo | None:
    """The IANA time zone ``name`` (Asia/Ho_Chi_Minh), or None if there is no such zone.

    ``localtime`` (and ``posixrules``) name whatever zone this machine is set to: a plan
    judged differently on each office's machine; they are refused like unknown names.

    zoneinfo reads the system's database, else the tzdata package (a dependency).
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not name or name != name.strip() or name.startswith(("/", ".")) or ".." in name:
        return None
    if name.casefold() in _MACHINE_ZONES:  # the machine's choice (or none), not a place's zone
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
