"""Next year's plan from this one: the same agencies and duties, the plan's own dates moved, the past kept true.

It edits the plan file's YAML in place with a round-trip parser (ruamel.yaml), so
comments, key order and quoting survive. What moves: every date field, and every
date of the plan's year written inside titles and texts ("năm 2023", "25/10/2023",
"15/9 - 15/10/2023", "tháng 10/2023", "ngày 10 tháng 10 năm 2023"). What never
moves: a legal citation ("Quyết định số 1080/QĐ-BTTTT ngày 21/6/2023 ..." up to the
end of its clause, with or without "số"), whose date and title belong to the decision.
Successions in force by the new year (dsday_cli.store.successions) are applied and commented. The plan's number
and date of issue are cleared for the author to fill in, and the source note is
dropped. Every text changed, and every text left that still names the old year, is
listed for review.
"""

import re
from dataclasses import field
from datetime import date
from typing import TYPE_CHECKING, Any

from dsday_cli.core.dates import day_first
from dsday_cli.core.errors import UsageError, Worded
from dsday_cli.core.i18n import _
from dsday_cli.core.records import record

if TYPE_CHECKING:
    from dsday_cli.store.successions import Succession

TEXT_KEYS = ("title", "detail", "purposes", "requirements", "budget", "theme", "signed_by")
# A legal citation: the kind of document, "số" or not, its number; protected up to the end of its clause.
_CITATION = re.compile(
    r"(?:Quyết định|Nghị định|Nghị quyết|Thông tư|Chỉ thị|Kế hoạch|Công văn|Luật|Văn bản)\s+(?:số\s+\S+|\d[\w/.-]*)[^;.\n]*",
    re.IGNORECASE,
)


@record
class Rolled:
    """The new plan's YAML text, and what a person should look at."""

    text: str
    notes: list[str] = field(default_factory=list)  # dates that had to change (29/02), theme kept, cleared fields
    changed: list[str] = field(default_factory=list)  # PATH: old → new, for each text changed
    unchanged: list[str] = field(default_factory=list)  # PATH: text, for each text still naming the old year


def _year_patterns(old: int) -> list[re.Pattern[str]]:
    """The forms in which a Vietnamese document writes a date of year ``old``."""
    y = str(old)
    return [
        re.compile(rf"(?<![\d/.-])(\d{{1,2}}[/.-]\d{{1,2}}[/.-]){y}(?!\d)"),  # 25/10/2023, 25.10.2023
        re.compile(rf"(?<![\d/])(\d{{1,2}}/){y}(?!\d)"),  # tháng 10/2023
        re.compile(rf"((?:năm|Năm|NĂM)\s+){y}(?!\d)"),  # năm 2023, ngày 10 tháng 10 năm 2023
        re.compile(rf"(?<!\d){y}(-\d{{2}}-\d{{2}})(?!\d)"),  # 2023-10-25
    ]


def move_text(text: str, old: int, new: int) -> str:
    """``text`` with the plan year's dates moved to ``new``, legal citations left as written."""
    patterns = _year_patterns(old)
    out, position = [], 0
    for citation in _CITATION.finditer(text):
        out.append(_move_plain(text[position : citation.start()], patterns, old, new))
        out.append(citation.group(0))
        position = citation.end()
    out.append(_move_plain(text[position:], patterns, old, new))
    return "".join(out)


def _move_plain(text: str, patterns: list[re.Pattern[str]], old: int, new: int) -> str:
    for index, pattern in enumerate(patterns):
        if index == 3:
            text = pattern.sub(lambda m: f"{new}{m.group(1)}", text)
        else:
            text = pattern.sub(lambda m: f"{m.group(1)}{new}", text)
    return text


def _shift_day(day: date, years: int, where: str, notes: list[str]) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        moved = date(day.year + years, 2, 28)
        notes.append(
            _("{where}: {day} does not exist in {year}; moved to {moved}").format(
                where=where, day=day_first(day), year=day.year + years, moved=day_first(moved)
            )
        )
        return moved


def _shift_value(value: Any, years: int, where: str, notes: list[str]) -> Any:
    """A date field moved, written in the form it was written in (ISO, day first, or a month)."""
    from dsday_cli.core.dates import parse_day

    if isinstance(value, date):
        return _shift_day(value, years, where, notes)
    text = str(value).strip()
    if month := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        return f"{int(month[1]) + years}-{month[2]}"
    if month := re.fullmatch(r"(\d{1,2})/(\d{4})", text):
        return f"{month[1]}/{int(month[2]) + years}"
    moved = _shift_day(parse_day(text), years, where, notes)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return moved.isoformat()
    day, mon = text.split("/")[:2]
    return f"{moved.day:0{len(day)}d}/{moved.month:0{len(mon)}d}/{moved.year}"


def rollover(
    text: str, year: int, theme: str | None, source_name: str, successions: "list[Succession] | None" = None
) -> Rolled:
    """Next year's plan from a plan file's text (which the caller has validated).

    ``successions`` (dsday_cli.store.successions) in force by ``year`` are applied: renamed,
    merged and dissolved bodies, each change commented with its basis.
    """
    from io import StringIO

    from ruamel.yaml import YAML

    parser = YAML(typ="rt")
    parser.preserve_quotes = True
    parser.width = 4096  # never re-wrap a Vietnamese line
    parser.indent(mapping=2, sequence=4, offset=2)  # "  - item", as plan files are written
    data = parser.load(text)
    old = int(data["year"])
    if year <= old:
        raise UsageError(
            _("YEAR: {year} is not after the plan's year {old}; a rollover makes next year's plan").format(
                year=year, old=old
            )
        )
    if year > 2100:
        raise UsageError(_("YEAR: {year} is not a plausible year").format(year=year))
    years = year - old
    rolled = Rolled("")
    notes = rolled.notes
    old_id = str(data["id"])
    data["year"] = year
    data["id"] = re.sub(rf"{old}$", str(year), old_id) if old_id.endswith(str(old)) else f"{old_id}-{year}"

    def move_dates(holder: Any, keys: tuple[str, ...], where: str) -> None:
        for key in keys:
            if holder is not None and holder.get(key) not in (None, ""):
                holder[key] = _shift_value(holder[key], years, f"{where}{key}", notes)

    move_dates(data, ("national_day",), "")
    move_dates(data.get("campaign"), ("start", "end"), "campaign.")
    for index, milestone in enumerate(data.get("milestones") or []):
        move_dates(milestone, ("date",), f"milestones[{index}].")
    for index, item in enumerate(data.get("responsibilities") or []):
        if isinstance(item.get("deadline"), dict):
            move_dates(item["deadline"], ("date", "start", "end", "month"), f"responsibilities[{index}].deadline.")
    for key in ("number", "issued"):
        if data.get(key) not in (None, ""):
            data[key] = None
            notes.append(_("{key}: cleared; fill in the new plan's").format(key=key))
    if "source" in data:
        del data["source"]
        notes.append(_("source: removed; it described the {year} document").format(year=old))
    form = data.get("report")
    if isinstance(form, dict):
        for key in ("number", "date", "signer"):
            if form.get(key) not in (None, ""):
                form[key] = None
                notes.append(_("{key}: cleared; fill in the new plan's").format(key=f"report.{key}"))
    if theme:
        data["theme"] = theme
    elif data.get("theme"):
        notes.append(
            Worded(
                _("theme kept from {year} ('{theme}'); give next year's theme").format(year=old, theme=data["theme"]),
                problem="rollover.theme-kept", year=old, theme=data["theme"],
            )
        )

    def visit(node: Any, path: str, moving: bool) -> None:
        if isinstance(node, dict):
            for key in list(node):
                inside = moving or key in TEXT_KEYS
                if key in ("legal_basis", "id", "ref", "year", "timezone"):
                    continue  # the decisions a plan rests on keep their dates; ids and clauses are not text
                visit_value(node, key, f"{path}.{key}" if path else str(key), inside)
        elif isinstance(node, list):
            for index in range(len(node)):
                visit_value(node, index, f"{path}[{index}]", moving)

    def visit_value(holder: Any, key: Any, path: str, moving: bool) -> None:
        value = holder[key]
        if isinstance(value, (dict, list)):
            visit(value, path, moving)
        elif isinstance(value, str) and moving:
            moved = move_text(value, old, year)
            if moved != value:
                holder[key] = type(value)(moved) if type(value) is not str else moved
                earlier = f"{path}: "  # a text a succession renamed already: one line from the old text to the new
                first = next((i for i, line in enumerate(rolled.changed) if line.startswith(earlier) and " → " in line), None)
                if first is None:
                    rolled.changed.append(f"{path}: {value} → {moved}")
                else:
                    before = rolled.changed[first][len(earlier) :].rsplit(" → ", 1)[0]
                    rolled.changed[first] = f"{path}: {before} → {moved}"
            if re.search(rf"(?<!\d){old}(?!\d)", moved):
                rolled.unchanged.append(f"{path}: {moved}")

    if successions:
        from dsday_cli.store.successions import apply_successions

        apply_successions(data, old, year, successions, rolled.changed, notes)
    for index, basis in enumerate(data.get("legal_basis") or []):
        if re.search(rf"(?<!\d){old}(?!\d)", str(basis)) and re.search(r"/QĐ-B|\bBộ\b", str(basis)):
            notes.append(
                _(
                    "legal_basis[{index}]: '{basis}' is a ministry's plan for {old}; cite the ministry's plan for {year} "
                    "(look for its Kế hoạch or Quyết định on National Digital Transformation Day {year})"
                ).format(index=index, basis=basis, old=old, year=year)
            )
    visit(data, "", False)
    out = StringIO()
    parser.dump(data, out)
    body = out.getvalue()
    for number, line in enumerate(body.splitlines(), 2):  # the header line comes first
        comment = line.lstrip()
        if comment.startswith("#") and re.search(rf"(?<!\d){old}(?!\d)", comment):
            rolled.unchanged.append(_("line {number}: {comment}").format(number=number, comment=comment))
    header = f"# Rolled over from {source_name} ({old_id}) by dsday rollover {year}; review before use.\n"
    rolled.text = header + body
    return rolled
