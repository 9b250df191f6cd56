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


class MonthOnly(date):
    """A month a document gives without its day (``issued: 06/2024``), held as its first day.

    It compares and counts as that day; written (ISO, JSON, the cache) as ``2024-06``.
    """

    __slots__ = ()

    def isoformat(self) -> str:
        """``2024-06``: the month, as it is written back."""
        return f"{self.year:04d}-{self.month:02d}"

    __str__ = isoformat

    def __repr__(self) -> str:
        return f"MonthOnly({self.year}, {self.month})"


_MONTH = re.compile(r"(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4})")


def parse_month(text: str) -> MonthOnly:
    """Read ``2024-06`` or ``06/2024``; ValueError naming the text when it is no month."""
    text = text.strip()
    match = _MONTH.fullmatch(text)
    if match and 1 <= int(match[2] or match[3]) <= 12:
        return MonthOnly(int(match[1] or match[4]), int(match[2] or match[3]), 1)
    raise ValueError(_("'{text}' is not a month; write YYYY-MM, e.g. 2023-10").format(text=text))


def parse_day_or_month(text: str) -> date:
    """A day (``05/06/2024``, ``2024-06-05``) or, where only the month is given, a month (``06/2024``, ``2024-06``)."""
    try:
        return parse_month(text) if _MONTH.fullmatch(text.strip()) else parse_day(text)
    except ValueError:
        raise ValueError(
            _("'{text}' is not a day or a month; write DD/MM/YYYY, or MM/YYYY where the document gives only the month").format(
                text=text.strip()
            )
        ) from None


_ROMAN = ("I", "II", "III", "IV")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])|Q([1-4])/(\d{4})", re.IGNORECASE)


def parse_quarter(text: str) -> str:
    """``2026-Q4`` (or ``Q4/2026``) as ``2026-Q4``; ValueError naming the text when it is no quarter."""
    match = _QUARTER.fullmatch(text.strip())
    if match is None:
        raise ValueError(
            _("'{text}' is not a quarter; write YYYY-Qn, e.g. 2026-Q4 for Quý IV/2026").format(text=text.strip())
        )
    return f"{match[1] or match[4]}-Q{match[2] or match[3]}"


def quarter_days(quarter: str) -> tuple[date, date]:
    """The first and the last day of a quarter written ``2026-Q4``: 01/10/2026 and 31/12/2026."""
    year, number = int(quarter[:4]), int(quarter[-1])
    first = date(year, 3 * number - 2, 1)
    if number == 4:  # not the next year's first day less one: year 9999 has no next year
        return first, date(year, 12, 31)
    return first, date.fromordinal(date(year, 3 * number + 1, 1).toordinal() - 1)


def quarter_roman(quarter: str) -> str:
    """``2026-Q4`` as the documents write it: ``IV/2026``."""
    return f"{_ROMAN[int(quarter[-1]) - 1]}/{quarter[:4]}"


def day_first(day: date | None) -> str:
    """Format a day as Vietnamese readers expect, ``25/10/2023`` (a month given alone: ``06/2024``)."""
    if day is None:
        return ""
    if isinstance(day, MonthOnly):
        return f"{day.month:02d}/{day.year}"
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def month_words(day: date) -> str:
    """A month in words: 'June 2024' (tháng 6/2024)."""
    names = (
        _("January"), _("February"), _("March"), _("April"), _("May"), _("June"),
        _("July"), _("August"), _("September"), _("October"), _("November"), _("December"),
    )  # fmt: skip
    return _("{month} {year}").format(month=names[day.month - 1], year=day.year)


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
