"""Reading back a checklist an agency returns: the CSV or Markdown that ``export`` wrote.

A CSV row is a completion when its ``done_on`` is filled in or its ``status`` says done;
a Markdown line when its box is ticked. Rows are matched by item id (and member id);
rows that cannot be matched, dates that cannot be read and conflicting rows are
problems, and a caller records nothing while there is any.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dsday_cli.dates import parse_day
from dsday_cli.errors import PlanMissing
from dsday_cli.i18n import _
from dsday_cli.lookup import fold_text
from dsday_cli.model import Plan
from dsday_cli.plan import MAX_BYTES
from dsday_cli.status import Progress

DONE_WORDS = {"done", "done late", "x", "yes", "y", "true", "1", "ok", "xong", "da xong", "hoan thanh", "da hoan thanh"}
_MD_ITEM = re.compile(r"^- \[(?P<tick>[ xX])\] \*\*(?P<id>[^*]+)\*\*.*?(?:\(done (?P<on>[\d/.-]+)\))?\s*$")
_MD_MEMBER = re.compile(
    r"^\s+- \[(?P<tick>[ xX])\] .*\[(?P<member>[A-Za-z0-9._-]+)\](?: \(done (?P<on>[\d/.-]+)\))?\s*$"
)
_FORMULA_GUARD = re.compile(r"^'(?=[=+\-@\t\r\n])")


@dataclass(frozen=True)
class Row:
    """A completion as the returned file states it."""

    where: str
    item: str
    member: str | None
    on: str | None  # as written; None when ticked without a date
    note: str | None


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), else the Vietnamese Windows code page."""
    try:
        with open(path, "rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except OSError as error:
        raise PlanMissing(_("{path}: cannot read: {reason}").format(path=path, reason=error.strerror)) from None
    if len(raw) > MAX_BYTES:
        raise PlanMissing(
            _("{path}: larger than {size} MiB; not a checklist").format(path=path, size=MAX_BYTES // 2**20)
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1258", errors="replace")


def parse_checklist(text: str, name: str) -> tuple[list[Row], list[str]]:
    """The completions a returned CSV or Markdown checklist states, and lines it cannot read."""
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    if first.startswith("#") or first.startswith("- ["):
        return _parse_markdown(text, name)
    return _parse_csv(text, name)


def _parse_csv(text: str, name: str) -> tuple[list[Row], list[str]]:
    header = text.splitlines()[0] if text else ""
    delimiter = max(",;\t", key=header.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    if "id" not in columns:
        return [], [_("{where}: no 'id' column; is this a checklist exported by dsday?").format(where=f"{name}:1")]
    reader.fieldnames = columns
    rows = []
    for number, record in enumerate(reader, start=2):
        cells = {k: (v or "").strip() for k, v in record.items() if isinstance(k, str) and isinstance(v, str)}
        done_on = cells.get("done_on") or ""
        says_done = fold_text(cells.get("status", "")) in DONE_WORDS
        if not done_on and not says_done:
            continue
        note = _FORMULA_GUARD.sub("", cells.get("note", "")) or None
        rows.append(Row(f"{name}:{number}", cells.get("id", ""), cells.get("member") or None, done_on or None, note))
    return rows, []


def _parse_markdown(text: str, name: str) -> tuple[list[Row], list[str]]:
    rows, current = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        if match := _MD_ITEM.match(line):
            current = match["id"].replace("\\", "")
            if match["tick"] != " ":
                rows.append(Row(f"{name}:{number}", current, None, match["on"], None))
        elif (match := _MD_MEMBER.match(line)) and current and match["tick"] != " ":
            rows.append(Row(f"{name}:{number}", current, match["member"], match["on"], None))
    # A ticked group item whose members are listed speaks through its members.
    with_members = {r.item for r in rows if r.member}
    return [r for r in rows if r.member or r.item not in with_members], []


@dataclass
class Completion:
    """A row matched to the plan, ready to be recorded."""

    row: Row
    item: str
    member: str | None
    on: date
    by: str | None


def match_rows(
    plan: Plan, progress: Progress, rows: list[Row], as_of: date
) -> tuple[list[Completion], list[Completion], list[str]]:
    """Rows matched to the plan: (new completions, completions already recorded, problems)."""
    new, known, problems = [], [], []
    seen: dict[tuple[str, str | None], Completion] = {}
    items = {item.id.lower(): item for item in plan.responsibilities}
    for row in rows:
        item = items.get(row.item.lower())
        if item is None:
            problems.append(_("{where}: unknown item '{item}'").format(where=row.where, item=row.item))
            continue
        agency = plan.agencies_by_id.get(item.agency or "")
        members = plan.members_of(item)
        member = next((m for m in members if m.id == row.member), None)
        if row.member and member is None:
            problems.append(
                _("{where}: '{member}' is not a member of {agency} for item {item}").format(
                    where=row.where, member=row.member, agency=item.agency, item=item.id
                )
            )
            continue
        on = as_of
        if row.on:
            text = row.on[:10] if re.match(r"\d{4}-\d{2}-\d{2}[ T]", row.on) else row.on
            try:
                on = parse_day(text, plan.year)
            except ValueError as error:
                problems.append(_("{where}: done_on {error}").format(where=row.where, error=error))
                continue
            if on > as_of:
                problems.append(
                    _("{where}: done_on {day} is in the future").format(where=row.where, day=on.isoformat())
                )
                continue
        key = (item.id, member and member.id)
        who = member or agency
        completion = Completion(row, item.id, member and member.id, on, who.name if who else None)
        if key in seen:
            if seen[key].on != on:
                problems.append(
                    _("{where}: conflicts with {other} ({first} vs {second})").format(
                        where=row.where,
                        other=seen[key].row.where,
                        first=seen[key].on.isoformat(),
                        second=on.isoformat(),
                    )
                )
            continue
        seen[key] = completion
        keys = [key] if member or not members else [(item.id, m.id) for m in members]
        if all(progress.mark(*k) for k in keys):
            known.append(completion)
        else:
            new.append(completion)
    return new, known, problems
