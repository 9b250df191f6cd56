"""Next year's plan from this one: same agencies and duties, dates moved, a new id.

It works on the plan file's own data, so an item without dates keeps taking the
campaign window, and text is kept as written except "năm 2023" in titles, details, purposes and
requirements, which becomes the new year (legal bases keep their dates). Progress is not carried over: the new plan id gives it a
journal of its own.
"""

import re
from datetime import date

from dsday_cli.dates import day_first, parse_day
from dsday_cli.errors import UsageError
from dsday_cli.i18n import _
from dsday_cli.model import _to_month

DATE_FIELDS = (("national_day",), ("campaign", "start"), ("campaign", "end"))


def _shift(value: str, years: int, where: str, notes: list[str]) -> str:
    day = parse_day(value)
    try:
        moved = day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        moved = date(day.year + years, 2, 28)
        notes.append(
            _("{where}: {day} does not exist in {year}; moved to {moved}").format(
                where=where, day=day_first(day), year=day.year + years, moved=day_first(moved)
            )
        )
    return moved.isoformat()


def rollover(data: dict, year: int, theme: str | None) -> tuple[dict, list[str]]:
    """The plan file's data moved to ``year``; and notes on what needs a person's eye."""
    old = int(data["year"])
    if not 2000 <= year <= 2100:
        raise UsageError(_("YEAR: {year} is not a plausible year").format(year=year))
    years = year - old
    notes: list[str] = []
    new = dict(data)
    new["year"] = year
    if new.get("due_soon_days") is not None:
        new["due_soon_days"] = int(new["due_soon_days"])
    new["id"] = (
        re.sub(rf"{old}$", str(year), str(data["id"])) if str(data["id"]).endswith(str(old)) else f"{data['id']}-{year}"
    )
    for path in DATE_FIELDS:
        holder = new
        for key in path[:-1]:
            if not holder.get(key):
                break
            holder[key] = holder = dict(holder[key])
        if holder.get(path[-1]):
            holder[path[-1]] = _shift(holder[path[-1]], years, ".".join(path), notes)

    def retitle(text):
        return text.replace(f"năm {old}", f"năm {year}") if isinstance(text, str) else text

    new["title"] = retitle(new["title"])
    for key in ("purposes", "requirements"):
        if isinstance(new.get(key), list):
            new[key] = [retitle(line) for line in new[key]]
    new["milestones"] = [
        dict(m, date=_shift(m["date"], years, f"milestones[{i}].date", notes), title=retitle(m.get("title")))
        for i, m in enumerate(data.get("milestones") or [])
    ]
    items = []
    for i, item in enumerate(data.get("responsibilities") or []):
        moved = dict(item, title=retitle(item.get("title")))
        if item.get("detail"):
            moved["detail"] = retitle(item["detail"])
        if isinstance(item.get("deadline"), dict):
            deadline = moved["deadline"] = dict(item["deadline"])
            for key in ("date", "start", "end"):
                if deadline.get(key):
                    deadline[key] = _shift(deadline[key], years, f"responsibilities[{i}].deadline.{key}", notes)
            if deadline.get("month"):
                month = _to_month(deadline["month"])
                deadline["month"] = f"{month.year + years}-{month.month:02d}"  # type: ignore[union-attr]
        items.append(moved)
    new["responsibilities"] = items
    if theme:
        new["theme"] = theme
    else:
        notes.append(
            _("theme kept from {year} ('{theme}'); give next year's with --theme").format(
                year=old, theme=data.get("theme")
            )
        )
    return new, notes


def to_yaml(data: dict) -> str:
    """Plan data as YAML a person can edit, keys in the plan's order."""
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
