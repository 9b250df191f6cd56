"""The one door to a plan's stored state: ``Store`` opens a plan and its journal, answers queries and appends.

Behind the door are three ways to the same answers: the derived SQLite index
(``index.py``), the plan cache and journal checkpoint (``cache.py``), and the exact
fold of every event. ``Store`` chooses among them and falls back, at the first
failure of the index, to the exact way for the rest of the run (a damaged index is
removed, so the next run builds it again); its callers see statuses, selections,
counts, the dashboard, an item, the events, and never which way answered. Nothing
outside the store imports the index, the cache or ``sqlite3``.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from dsday_cli.core.model import Event, Plan
from dsday_cli.core.query import Query, SortKey
from dsday_cli.core.status import (
    STATUSES,
    AgencyCounts,
    Dashboard,
    ItemStatus,
    Progress,
    agency_counts,
    dashboard,
    describe_strays,
    item_status,
    item_statuses,
)
from dsday_cli.store.plan import PathLike, journal_path

if TYPE_CHECKING:
    from dsday_cli.store.index import Index, Rows

_T = TypeVar("_T")


def cached_plan(plan_file: Path, cache_dir: Path | None) -> Plan:
    """The plan at ``plan_file``, from the plan cache in ``cache_dir`` when it is current (None: no cache)."""
    from dsday_cli.store.cache import load_plan_cached

    return load_plan_cached(plan_file, cache_dir)[0]


class Store:
    """A plan and its journal, opened: the plan, the progress folded, the journal's warnings, and the queries.

    Open one with ``Store.open``. ``plan`` and ``progress`` may be replaced when the
    index fails (by the same plan and progress, read the exact way): read them from
    the store each time rather than keeping them.
    """

    def __init__(
        self, plan_file: Path, journal: Path, plan: Plan, progress: Progress, warnings: list[str],
        cache_dir: Path | None, lock_timeout: float, index: "Index | None" = None,
    ) -> None:  # fmt: skip
        self.plan_file, self.journal, self.plan, self.progress = plan_file, journal, plan, progress
        self.warnings = warnings
        self.cache_dir, self.lock_timeout = cache_dir, lock_timeout
        self.derived = index  # the derived index answering queries, if any
        self._statuses: tuple[date, list[ItemStatus]] | None = None

    @classmethod
    def open(
        cls,
        plan_file: Path,
        progress: PathLike | None,
        cache_dir: Path | None,
        state_dir: Path | None,
        lock_timeout: float,
        use_index: bool = True,
    ) -> "Store":
        """The plan at ``plan_file`` and its journal (``progress``, else the plan's own), through the index if it can serve.

        Errors of the plan (missing, invalid) are raised as the exact way raises them.
        """
        if cache_dir is not None and use_index:
            from dsday_cli.store.index import open_index

            given = Path(progress) if progress is not None else None
            index = open_index(
                plan_file, given, cache_dir, state_dir, lock_timeout,
                lambda header: journal_path(progress, plan_file, header, state_dir),
            )  # fmt: skip
            if index is not None:
                warnings = index.warnings + describe_strays(index.progress.strays)
                return cls(plan_file, index.journal, index.plan, index.progress, warnings, cache_dir, lock_timeout, index)
        from dsday_cli.store.cache import fold_journal, load_plan_cached  # here: an answer from the index needs neither

        loaded, key = load_plan_cached(plan_file, cache_dir)
        journal = journal_path(progress, plan_file, loaded, state_dir)
        folded, problems = fold_journal(loaded, key, journal, cache_dir)
        return cls(plan_file, journal, loaded, folded, problems + describe_strays(folded.strays), cache_dir, lock_timeout)

    def close(self) -> None:
        """Close the index, if one is open; the store is not asked anything after."""
        index, self.derived = self.derived, None
        if index is not None:
            index.close()

    # ---- the index and its fall-back -----------------------------------------------

    def _from_index(self, ask: Callable[["Index"], _T]) -> _T | None:
        """``ask(index)``'s answer, or None when there is no index or it fails (the exact way answers then)."""
        if self.derived is None:
            return None
        from dsday_cli.store.index import FAILED

        try:
            return ask(self.derived)
        except FAILED as error:
            self._without_index(error)
            return None

    def _without_index(self, error: Exception | None = None) -> None:
        """Leave the index (it failed): the plan loaded and the journal folded the exact way, for the rest of the run.

        A damaged index (``error`` a row that does not read back) is removed: the next run builds it again.
        """
        from dsday_cli.store.index import Damaged, discard

        index, self.derived = self.derived, None
        if index is not None:
            if isinstance(error, Damaged):
                discard(index)
            index.close()
        self._exact()

    def _exact(self) -> None:
        from dsday_cli.store.cache import fold_journal, load_plan_cached

        self.plan, key = load_plan_cached(self.plan_file, self.cache_dir)
        self.progress, _problems = fold_journal(self.plan, key, self.journal, self.cache_dir)
        self._statuses = None

    def _final(self, as_of: date) -> bool:
        """Whether the index's counts and lists by status are exact for ``as_of``."""
        return self.derived is not None and self.derived.final(as_of)

    def _resilient(
        self, indexed: Callable[[], Iterable[ItemStatus]], exact: Callable[[], Iterable[ItemStatus]]
    ) -> Iterator[ItemStatus]:
        """``indexed()``'s items; if the index fails on the way, the rest from ``exact()`` (same items, same order)."""
        from itertools import islice

        from dsday_cli.store.index import FAILED

        given = 0
        try:
            for status in indexed():
                yield status
                given += 1
        except FAILED as error:
            self._without_index(error)
            yield from islice(exact(), given, None)

    def _resilient_rows(self, rows: "Rows", as_of: date, exact: Callable[[Dashboard], Sequence[ItemStatus]]) -> "Rows":
        """A dashboard list of the index whose pages, if the index fails, come from the exact dashboard."""
        from dsday_cli.store.index import FAILED, Rows

        def fetch(offset: int, limit: int) -> list[ItemStatus]:
            if self.derived is not None:
                try:
                    return rows._fetch(offset, limit)
                except FAILED as error:
                    self._without_index(error)
            return list(exact(dashboard(self.plan, self.statuses(as_of), as_of))[offset : offset + limit])

        return Rows(len(rows), fetch)

    # ---- queries -------------------------------------------------------------------

    def statuses(self, as_of: date) -> list[ItemStatus]:
        """Every item's status as of ``as_of``, in plan order (held until the journal or the day changes)."""
        if self._statuses is None or self._statuses[0] != as_of:
            if self.derived is not None:  # read everything in two queries (if they fail, the exact plan and fold are here)
                self._from_index(lambda index: index.load_everything())
            self._statuses = (as_of, item_statuses(self.plan, self.progress, as_of))
        return self._statuses[1]

    def select(self, query: Query, as_of: date) -> Iterable[ItemStatus]:
        """The rows ``query`` shows as of ``as_of``, one at a time: the index finds candidates, ``query`` decides."""
        if self.derived is None:
            return query.chosen(self.statuses(as_of))
        # the index narrows exactly where it can; the query decides every row all the same
        final, every = self._final(as_of), query.statuses == set(STATUSES)
        by_status = final and not every and not query.members
        sort = query.sort
        ordered = not query.agencies and (every or final) and (
            sort in (None, SortKey.DUE) or (sort == SortKey.STATUS and final)
        )
        index = self.derived

        def candidates() -> Iterator[ItemStatus]:
            return index.stream_candidates(
                as_of, [a.id for a, _m in query.agencies] if query.agencies else None,
                set(query.statuses) if by_status else None, query.due_before, query.due_after, list(query.words),
                str(sort) if ordered and sort else None, query.limit if ordered else None,
            )  # fmt: skip

        return self._resilient(lambda: query.chosen(candidates()), lambda: query.chosen(self.statuses(as_of)))

    def item(self, text: str, as_of: date) -> ItemStatus:
        """The status of the item ``text`` names (its id, as ``lookup.find_item`` reads it) as of ``as_of``."""
        from dsday_cli.core.lookup import find_item

        if self.derived is not None:
            found = self._from_index(lambda index: item_status(self.plan, self.progress, find_item(self.plan, text), as_of))
            if found is not None:
                return found
        wanted = find_item(self.plan, text).id
        return next(s for s in self.statuses(as_of) if s.item.id == wanted)

    def agency_counts(self, as_of: date) -> list[AgencyCounts]:
        """Each agency's items by status as of ``as_of``, and its members' parts."""
        if self._final(as_of):
            found = self._from_index(lambda index: index.agency_counts(as_of)[0])
            if found is not None:
                return found
        return agency_counts(self.plan, self.statuses(as_of))

    def dashboard(self, as_of: date) -> Dashboard:
        """The coordinator's view as of ``as_of``, as data."""
        if self._final(as_of):
            found = self._from_index(lambda index: index.dashboard(as_of))
            if found is not None:  # its lists are read as they are shown: if the index fails then, the exact lists
                found.overdue = self._resilient_rows(found.overdue, as_of, lambda board: board.overdue)  # type: ignore[arg-type]
                found.due_soon = self._resilient_rows(found.due_soon, as_of, lambda board: board.due_soon)  # type: ignore[arg-type]
                return found
        return dashboard(self.plan, self.statuses(as_of), as_of)

    def events(self, keep: Callable[[Event], bool] | None = None) -> list[Event]:
        """The journal's events that ``keep`` accepts (all without), in the order they count; only those are held."""
        from dsday_cli.store.journal import read_journal

        return read_journal(self.journal, keep).events

    def last_recorded(self, keep: Callable[[Event], bool]) -> Event | None:
        """The last event in the journal's file order (the order they were recorded here) that ``keep`` accepts."""
        from dsday_cli.store.journal import JournalScan

        found: Event | None = None
        with JournalScan(self.journal) as scan:  # streamed: only the last candidate is held
            for event in scan:
                if keep(event):
                    found = event
        return found

    # ---- writing -------------------------------------------------------------------

    def append(self, events: list[Event]) -> None:
        """Write events in one append under the journal's lock, then fold them so later queries see them."""
        from dsday_cli.store.journal import append_events

        if not events:
            return
        index, failed = self.derived, []

        def fold_into_index() -> None:  # under the journal's lock: no other writer between
            from dsday_cli.store.index import FAILED

            failures: tuple[type[Exception], ...] = (*FAILED, OSError, ValueError, KeyError, TypeError)
            try:
                index.refresh()  # type: ignore[union-attr]
            except failures:
                failed.append(True)

        append_events(self.journal, events, self.lock_timeout, after=fold_into_index if index else None)
        if failed:
            self._without_index()  # it reads the journal as now written
            return
        self.folded(events)

    def folded(self, events: Iterable[Event]) -> None:
        """Fold events written to the journal (here or by a writer of this run), so later queries see them."""
        from dsday_cli.core.status import fold_events

        fold_events(self.plan, events, self.progress)
        self._statuses = None
