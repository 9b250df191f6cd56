"""The rules of recording: who records, which parts a completion or a reopen is for, and what it does to each.

``parts_asked`` reads the items (or the rows a query returned) a writer names: a row keeps
the member it was selected for, and a row selected for a partner is refused. ``decide``
says, from the progress folded, what recording ``done`` or ``reopen`` does to each part:
on a group item named without a member only the members not yet done are recorded; a
different day for a completion already recorded is a correction; what is already so
writes nothing. The caller turns each decision into an event and appends them.
"""

from collections.abc import Callable, Sequence
from datetime import date
from enum import StrEnum
from typing import Literal

from dsday_cli.core.errors import UsageError
from dsday_cli.core.i18n import _
from dsday_cli.core.lookup import find_item, find_member
from dsday_cli.core.model import Event, Member, Plan, Responsibility
from dsday_cli.core.records import record
from dsday_cli.core.status import ItemStatus, Progress, RowId


class Result(StrEnum):
    """What recording did for one item or member's part."""

    RECORDED = "recorded"
    CORRECTED = "corrected"  # a completion's day changed: ``was`` holds the day it replaced
    ALREADY = "already"  # it was already so: nothing written


@record(frozen=True)
class Outcome:
    """The outcome of ``done`` or ``reopen`` for one item (or one member's part of it)."""

    item: str
    member: str | None
    kind: str  # "done" or "reopen"
    result: Result
    day: date | None  # done: the day recorded, or the day it was already done on
    event: Event | None  # the event written, if any
    was: date | None = None  # a correction: the day it replaced
    undone: Event | None = None  # an undo: the event it reverses

    @property
    def label(self) -> str:
        """``v7-1`` or ``v7-1 [do-luong]``."""
        return self.item + (f" [{self.member}]" if self.member else "")


@record(frozen=True)
class Decision:
    """What recording does to one item or member's part: ``result``, the order counter its event takes."""

    item: str
    member: str | None
    result: Result
    day: date | None  # the day recorded, or (already done) the day it was done on
    seq: int = 0
    was: date | None = None  # a correction: the day it replaced


def recorder(by: str | None, user: str | None, user_named: bool, configured: Callable[[], str | None]) -> str | None:
    """Who records an event: ``by``, else the user named ($DSDAY_USER, a caller), else the configured name, else ``user``.

    The one answer of every writer (done, reopen, note, undo, import, remind).
    ``configured()`` (the configuration file's name) is asked only when no one is named.
    """
    if by:
        return by
    if user_named:
        return user
    return configured() or user


def parts_asked(
    plan: Plan, ids: Sequence["str | ItemStatus"], member_text: str | None
) -> list[tuple[Responsibility, Member | None]]:
    """The items (each with the member whose part is meant, if one is) that ``ids`` and ``member_text`` name, once each.

    ``ids`` are item ids or rows a query returned (or their ``id``): a row keeps the member
    it was selected for; a row selected for a partner (phối hợp) is refused, never taken for
    its lead's duty, and so is a member other than the row's.
    """
    asked: dict[tuple[str, str | None], tuple[Responsibility, str | None]] = {}
    for entry in ids:
        row = entry.id if isinstance(entry, ItemStatus) else entry
        item = find_item(plan, str(row))
        part = member_text
        if isinstance(row, RowId):
            if row.role == "partner":
                raise UsageError(
                    _(
                        "{item}: this row was selected for a partner agency (phối hợp); the completion is its lead's to record, not a partner's"
                    ).format(item=item.id)
                )
            if row.member and member_text and find_member(item, plan, member_text).id != row.member:
                raise UsageError(
                    _("{item}: this row is for member {row}, not {member}").format(
                        item=item.id, row=row.member, member=member_text
                    )
                )
            part = part or row.member
        asked.setdefault((item.id, part), (item, part))
    return [(item, find_member(item, plan, text) if text else None) for item, text in asked.values()]


def next_seq(progress: Progress, item: str, parts: Sequence[str | None], most: int) -> int:
    """One more than the highest order counter recorded for any of the item's parts (at most ``most``).

    At the top, an event ties with the highest and its (later) recording time decides.
    """
    seen = [int(stamp[:10]) for part in parts for stamp in progress.stamps(item, part)[-1:]]
    return min(max(seen, default=0) + 1, most)


def decide(
    plan: Plan,
    progress: Progress,
    kind: Literal["done", "reopen"],
    asked: Sequence[tuple[Responsibility, Member | None]],
    day: date,
    day_given: bool,
    most_seq: int,
) -> list[Decision]:
    """What recording ``kind`` on ``day`` does to each part asked, in order.

    ``done`` on a group item without a member records only the members not yet done (all
    of them when none is); on a part already done, a ``day_given`` that differs from the
    day recorded is a correction; otherwise it was already so. ``reopen`` records a part
    that stands done (any member of a group), and nothing where none does.
    """
    decisions: list[Decision] = []
    for item, member in asked:
        group = [m.id for m in plan.members_of(item)]
        parts: list[str | None] = [member.id] if member else [*group] or [None]
        marks = {part: progress.mark(item.id, part) for part in parts}
        seq = next_seq(progress, item.id, parts, most_seq)
        label_part = member.id if member else None
        if kind == "reopen":
            if any(marks.values()):
                decisions.append(Decision(item.id, label_part, Result.RECORDED, day, seq))
            else:
                decisions.append(Decision(item.id, label_part, Result.ALREADY, None))
            continue
        rest = [part for part in parts if marks[part] is None]
        if rest and len(rest) < len(parts) and not member:  # a group's "rest": the members not yet done
            decisions += [Decision(item.id, part, Result.RECORDED, day, seq) for part in rest]
        elif rest:
            decisions.append(Decision(item.id, label_part, Result.RECORDED, day, seq))
        elif day_given and len(parts) == 1 and (mark := marks[parts[0]]) and mark.on != day:
            decisions.append(Decision(item.id, label_part, Result.CORRECTED, day, seq, mark.on))  # a correction
        else:
            done_on = max(m.on for m in marks.values() if m)
            decisions.append(Decision(item.id, label_part, Result.ALREADY, done_on))
    return decisions
