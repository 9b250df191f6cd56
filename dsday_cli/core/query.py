"""A selection of items as a value: agencies, statuses, days, words, role, order and limit, and the one test of a row.

``Query.row`` says what a status looks like to the query (a member's part, a partner's
row) or that it is left out; ``Query.chosen`` narrows, orders and cuts a stream of
statuses. The exact path (every item judged) and the index (candidates found in SQL)
both hand their statuses to the same ``Query``, so they cannot disagree.
"""

from collections.abc import Callable, Iterable
from datetime import date
from enum import StrEnum
from itertools import islice
from typing import Any

from dsday_cli.core.lookup import fold_text
from dsday_cli.core.model import Agency, Member, Status
from dsday_cli.core.records import record
from dsday_cli.core.status import ItemStatus, as_partner, for_member


class Role(StrEnum):
    """How an agency takes part in an item: it leads it (chủ trì) or partners on it (phối hợp)."""

    LEAD = "lead"
    PARTNER = "partner"


class SortKey(StrEnum):
    """The orders of a selection (plan order without one)."""

    DUE = "due"
    ID = "id"
    AGENCY = "agency"
    STATUS = "status"


# The statuses from the most to the least pressing: what ``SortKey.STATUS`` orders by.
SEVERITY: dict[Status, int] = {
    Status.OVERDUE: 0,
    Status.DUE_SOON: 1,
    Status.OPEN: 2,
    Status.DONE_LATE: 3,
    Status.DONE: 4,
}


def natural(text: str) -> list[tuple[int, int, str]]:
    """'v1-10' after 'v1-9': numbers compared as numbers."""
    import re

    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.findall(r"\d+|\D+", text)]


SORT_KEYS: dict[SortKey, Callable[[ItemStatus], Any]] = {
    SortKey.DUE: lambda s: (s.item.last_day is None, s.item.last_day or date.max),
    SortKey.ID: lambda s: natural(s.item.id),
    SortKey.AGENCY: lambda s: (s.agency is None, s.agency.label.casefold() if s.agency else ""),
    SortKey.STATUS: lambda s: SEVERITY[s.status],
}


@record(frozen=True)
class Query:
    """Which items a list shows, and how.

    ``agencies``: the agencies (or one member of a group each) whose items are wanted,
    those they lead and those they partner on (none: every item); ``statuses``: the
    statuses wanted; ``due_before``/``due_after``: the last on-time day strictly
    before/after that day (items without one are left out); ``words``: every word
    (folded, as ``lookup.fold_text`` gives it) in the id, title or detail; ``role``:
    only the rows of that role (with ``agencies``); ``sort``: the order (plan order
    without; equals keep it); ``limit``: the first N.
    """

    agencies: tuple[tuple[Agency, Member | None], ...] = ()
    statuses: frozenset[Status] = frozenset(Status)
    due_before: date | None = None
    due_after: date | None = None
    words: tuple[str, ...] = ()
    role: Role | None = None
    sort: SortKey | None = None
    limit: int | None = None

    def row(self, status: ItemStatus) -> ItemStatus | None:
        """The row this query shows for an item (a member's part, a partner's row), or None if it leaves it out."""
        if self.agencies:
            for agency, member in self.agencies:
                if status.agency is not None and status.agency.id == agency.id:
                    status = for_member(status, member) if member else status
                    break
                if agency.id in status.item.partners:
                    status = as_partner(status)
                    break
            else:
                return None
        if status.status not in self.statuses or (self.role is not None and status.role != self.role):
            return None
        last_day = status.item.last_day
        if self.due_before is not None and (last_day is None or not last_day < self.due_before):
            return None
        if self.due_after is not None and (last_day is None or not last_day > self.due_after):
            return None
        if self.words:
            text = fold_text(" ".join((status.item.id, status.item.title, status.item.detail or "")))
            if not all(word in text for word in self.words):
                return None
        return status

    def matches(self, status: ItemStatus) -> bool:
        """Whether the query shows this item."""
        return self.row(status) is not None

    def chosen(self, statuses: Iterable[ItemStatus]) -> Iterable[ItemStatus]:
        """The rows shown of ``statuses`` (in plan order), ordered and cut as asked; lazily unless sorted."""
        found: Iterable[ItemStatus] = (row for row in map(self.row, statuses) if row is not None)
        if self.sort is not None:
            found = sorted(found, key=SORT_KEYS[self.sort])  # stable: plan order among equals
        return islice(found, self.limit) if self.limit is not None else found

    @property
    def members(self) -> bool:
        """Whether a member of a group is asked for (its rows are that member's parts)."""
        return any(member is not None for _agency, member in self.agencies)
