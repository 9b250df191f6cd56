"""A derived SQLite index of a plan and its journal: what commands ask, answered in O(answer).

The YAML plan and the JSONL journal stay the source of truth; this is derived from them
and verified against them before every use, in the user's cache directory, one file
per (plan file, journal). It holds the plan's header (everything but the items), each
item (plan order, lead, last on-time day, accent-folded text for search, its JSON) with
its folded journal state (the exact ``Progress`` verdicts, so a status as of any day
comes out as the full fold gives it) and its final state (done, done late or open
once every recorded verdict has taken effect), counts per agency, last day and final
state, members' parts done, and an index of open items by last day.

Counts and lists by status use the final state, which is exact for a day on or after
the latest day any verdict takes effect (``latest``); for an earlier ``--as-of`` the
caller takes the exact path instead. An item's own status is exact for any day.

Verification, before any answer:

- the plan: dsday's version and the index schema, the path, device, inode, size,
  modification and change times; a file changed within ``RACY_NS`` of the moment the
  index last read it (git's "racy" rule), or whose times look wrong, is hashed
  (BLAKE2b, as the plan cache does): a same-size edit with its mtime restored still
  changes the ctime, and a change the clock cannot show changes the hash;
- the journal: device and inode (git replaces the file), the offset folded no larger
  than the file, a hash of its first KiB and the 4 KiB before that offset (a rewrite in
  place), the same size with other times (an edit of the same length) refolded; lines
  appended since are folded in, under the journal's own lock rules (an append a killed
  writer left unfinished is never read).

Anything else (another version, a corrupt, truncated or foreign file: a symbolic
link, a FIFO, another user's) is discarded and rebuilt. The index is written in
transactions (SQLite, write-ahead log), so a reader sees the state before or after a
change; failing to read or write it is never an error: the caller answers the exact
way (``state.Store`` falls back to it at the first SQLite error).
"""

import json
import os
import sqlite3
import stat
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import fields
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeGuard, cast, overload

from dsday_cli._version import __version__
from dsday_cli.core.model import Deadline, Plan, Responsibility, Status, _data, _trusted, plan_from_dict
from dsday_cli.core.status import (
    DONE,
    DONE_LATE,
    DUE_SOON,
    OPEN,
    OVERDUE,
    STATUSES,
    AgencyCounts,
    Dashboard,
    ItemStatus,
    Progress,
    Stray,
    campaign_phase,
    fold_events,
    item_status,
)
from dsday_cli.core.status import milestones as status_milestones

if TYPE_CHECKING:
    from dsday_cli.core.model import Member
    from dsday_cli.core.status import Key, Mark
    from dsday_cli.store.plan import PlanFile
    from dsday_cli.store.plan_chunks import Cut

# 3: the journal's reading rules of journal.RULES 2 (a fold made under the older ones is rebuilt);
# 4: items keep quarter and year deadlines
SCHEMA = 4
RACY_NS = 2_000_000_000  # a file changed this close to when it was read may change again unseen
BATCH = 500

_DDL = """
CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE items(
    pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, lid TEXT NOT NULL, agency TEXT, last_day TEXT,
    folded TEXT NOT NULL, data TEXT NOT NULL, progress TEXT, state TEXT NOT NULL DEFAULT 'o', parts TEXT,
    chunk TEXT
);
CREATE TABLE partners(agency TEXT NOT NULL, pos INTEGER NOT NULL, PRIMARY KEY(agency, pos)) WITHOUT ROWID;
CREATE TABLE counts(
    agency TEXT NOT NULL, last_day TEXT NOT NULL, state TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY(agency, last_day, state)
) WITHOUT ROWID;
CREATE TABLE parts(agency TEXT NOT NULL, member TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(agency, member))
    WITHOUT ROWID;
"""
_INDEXES = """
CREATE INDEX items_lid ON items(lid);
CREATE INDEX items_agency ON items(agency, pos);
CREATE INDEX items_open ON items(last_day, pos) WHERE state = 'o';
"""
_TABLES = ("meta", "items", "partners", "counts", "parts")
# Each status as of :day (:soon = :day + due_soon_days) of an item row: what status.judge says of its final state.
_STATUS_SQL = {
    "overdue": "(state = 'o' AND last_day < :day)",
    "due-soon": "(state = 'o' AND last_day >= :day AND last_day <= :soon)",
    "open": "(state = 'o' AND (last_day IS NULL OR last_day > :soon))",
    "done": "state = 'd'",
    "done-late": "state = 'l'",
}
# The same over the counts table, where no last day is ''.
# Counts per agency by status as of :day, in one pass over the counts in key order (grouping by a computed
# status sorted them first: 7 ms at 100,000 items); what status.judge says of each row's final state.
_COUNTS_BY_STATUS_SQL = """
SELECT agency,
    sum(CASE WHEN state = 'd' THEN n ELSE 0 END),
    sum(CASE WHEN state = 'l' THEN n ELSE 0 END),
    sum(CASE WHEN state NOT IN ('d', 'l') AND last_day != '' AND last_day < :day THEN n ELSE 0 END),
    sum(CASE WHEN state NOT IN ('d', 'l') AND last_day != '' AND last_day >= :day AND last_day <= :soon
        THEN n ELSE 0 END),
    sum(CASE WHEN state NOT IN ('d', 'l') AND (last_day = '' OR last_day > :soon) THEN n ELSE 0 END)
FROM counts GROUP BY agency
"""
_COUNTED = (DONE, DONE_LATE, OVERDUE, DUE_SOON, OPEN)  # the columns of _COUNTS_BY_STATUS_SQL
_SEVERITY_SQL = (
    "CASE WHEN state = 'd' THEN 4 WHEN state = 'l' THEN 3 WHEN last_day IS NULL THEN 2 "
    "WHEN last_day < :day THEN 0 WHEN last_day <= :soon THEN 1 ELSE 2 END"
)


class Unusable(Exception):
    """The index cannot answer: the caller takes the exact path."""


def _blake2b(data: bytes) -> str:
    from dsday_cli.store.plan import digest

    return digest(data)


def location(cache_dir: Path, plan_file: Path, progress: Path | None, state_dir: Path | None) -> Path | None:
    """The index file for this plan and journal, or None if the cache directory cannot be trusted."""
    from dsday_cli.store.cache import _directory

    if not (_directory(cache_dir) and _directory(cache_dir / "index")):
        return None
    from dsday_cli.store.files import resolved

    name = f"{resolved(plan_file)}\0{resolved(progress) if progress else ''}\0{state_dir or ''}".encode()
    return cache_dir / "index" / f"{zlib.crc32(name):08x}{zlib.adler32(name):08x}.sqlite"


# ---- the plan as the index keeps it ------------------------------------------------


_RAW_DECODE = json.JSONDecoder().raw_decode


FAILED: tuple[type[Exception], ...] = (sqlite3.Error,)  # what a failing index raises: the caller answers the exact way


class Damaged(sqlite3.DatabaseError):
    """A row of the index that does not read back (a flipped byte): the index is discarded, the exact path answers."""


def _row_json(text: str) -> Any:
    """``json.loads`` of a row's JSON as the index wrote it (no white space around): half its cost, per row read.

    A row that does not decode raises Damaged, an ``sqlite3.Error`` like any other failure of the index.
    """
    try:
        value, end = _RAW_DECODE(text)
    except (ValueError, TypeError):
        raise Damaged("a row of the index does not read back") from None
    if end != len(text):
        raise Damaged("extra data after a row's JSON")
    return value


def item_from_data(data: dict[str, Any]) -> Responsibility:
    """A responsibility from its JSON in the index (as ``plan_from_dict`` builds one), trusted."""
    deadline = data["deadline"]
    if deadline:
        for key in ("date", "start", "end", "month"):
            deadline[key] = date.fromisoformat(deadline[key]) if deadline[key] else None
        data["deadline"] = _trusted(Deadline, deadline)
    return _trusted(Responsibility, data)


class _Items(Mapping[str, Responsibility]):
    """``items_by_id`` of an indexed plan: items read from the index one by one, kept once read."""

    def __init__(self, index: "Index"):
        self._index = index

    def __getitem__(self, key: str) -> Responsibility:
        item = self._index.item_by_id(key)
        if item is None:
            raise KeyError(key)
        return item

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._index.item_by_id(key) is not None

    def __iter__(self) -> Iterator[str]:
        return (item.id for item in self._index.plan.responsibilities)

    def __len__(self) -> int:
        return self._index.count()


class IndexedPlan(Plan):
    """A plan whose header is at hand and whose items are read from the index as they are asked for.

    ``responsibilities`` reads them all (plan order) the first time it is used;
    ``items_by_id`` and ``item_by_lower_id`` read one.
    """

    _index: "Index"

    @property
    def responsibilities(self) -> list[Responsibility]:
        items = self.__dict__.get("_all")
        if items is None:
            items = self.__dict__["_all"] = self._index.all_items()
        return items

    @responsibilities.setter
    def responsibilities(self, value: list[Responsibility]) -> None:
        self.__dict__["_all"] = value

    @property
    def items_by_id(self) -> Mapping[str, Responsibility]:  # type: ignore[override]
        items = self.__dict__.get("_all")
        if items is not None:
            by_id = self.__dict__.get("_by_id_all")
            if by_id is None:
                by_id = self.__dict__["_by_id_all"] = {item.id: item for item in items}
            return by_id
        return _Items(self._index)

    def item_by_lower_id(self, lower: str) -> Responsibility | None:
        """The item whose id is ``lower`` ignoring case (ids are unique so), or None."""
        return self._index.item_by_lower(lower)


class IndexedProgress(Progress):
    """Progress whose items' verdicts are read from the index when an item is first asked for."""

    def __init__(self, index: "Index | _IndexReader", strays: list[Stray]):
        super().__init__(strays)
        self._index = index
        self._fetched: set[str] = set()
        self._all = False
        self.touched: set[str] = set()

    def prime(self, item: str, raw: str | None) -> None:
        """Take an item's verdicts as the index gave them (once)."""
        if item not in self._fetched:
            self._fetched.add(item)
            if raw:
                self._raw[item] = _row_json(raw)

    def _need(self, item: str) -> None:
        if item not in self._fetched and not self._all:
            self.prime(item, self._index.progress_of(item))

    def mark(self, item: str, member: str | None = None, as_of: date | None = None) -> "Mark | None":
        self._need(item)
        return super().mark(item, member, as_of)

    def stamps(self, item: str, member: str | None = None) -> list[str]:
        self._need(item)
        return super().stamps(item, member)

    def decide(self, key: "Key", stamp: str, day: date | None, mark: "Mark | None") -> None:
        self._need(key[0])
        self.touched.add(key[0])
        super().decide(key, stamp, day, mark)

    def forget(self, item: str, members: "list[Member]") -> None:
        """Drop what was read of an item's verdicts (it was only passing through), unless it is needed still."""
        if self._all or item in self.touched:
            return
        self._fetched.discard(item)
        self._raw.pop(item, None)
        self._verdicts.pop((item, None), None)
        for member in members:
            self._verdicts.pop((item, member.id), None)

    def load_all(self) -> None:
        """Read every item's verdicts now (one query), before a whole-plan question."""
        if not self._all:
            for item, raw in self._index.all_progress():
                self.prime(item, raw)
            self._all = True

    def raw(self) -> dict[str, Any]:
        self.load_all()
        return super().raw()


class _Ref(NamedTuple):
    """What folding needs of an item: its id and its lead."""

    id: str
    agency: str | None


class _Shape:
    """What ``fold_events`` needs of a plan: its id, its items (id and lead) and the members of each lead."""

    def __init__(self, plan: Plan, items: Mapping[str, Any]):
        self.id = plan.id
        self.items_by_id = items
        self._agencies = plan.agencies_by_id

    def members_of(self, item: Any) -> "list[Member]":
        agency = self._agencies.get(item.agency or "")
        return agency.members if agency else []


class _LazyRefs(Mapping[str, _Ref]):
    def __init__(self, db: sqlite3.Connection):
        self._db, self._seen = db, {}  # type: ignore[var-annotated]

    def __getitem__(self, key: str) -> _Ref:
        found: _Ref | None = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def get(self, key: str, default: Any = None) -> Any:
        if key not in self._seen:
            row = self._db.execute("SELECT id, agency FROM items WHERE id = ?", (key,)).fetchone()
            self._seen[key] = _Ref(*row) if row else None
        return self._seen[key] if self._seen[key] is not None else default

    def __iter__(self) -> Iterator[str]:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError


# ---- final state ------------------------------------------------------------------


def _final(plan: Plan, progress: Progress, item: str, agency: str | None, last_day: str | None) -> tuple[str, list[str]]:
    """An item's state once every verdict has taken effect ('o', 'd' done, 'l' done late) and its members done."""
    group = plan.agencies_by_id[agency].members if agency in plan.agencies_by_id else []
    if group:
        marks = {m.id: progress.mark(item, m.id) for m in group}
        done = [member for member, mark in marks.items() if mark]
        on = max(mark.on for mark in marks.values() if mark) if len(done) == len(group) else None
    else:
        mark = progress.mark(item, None)
        done, on = [], mark.on if mark else None
    if on is None:
        return "o", done
    return ("d" if last_day is None or on.isoformat() <= last_day else "l"), done


def _latest(raw: dict[str, Any]) -> str:
    """The latest day any verdict of an item takes effect or any completion is dated (ISO; '' for none)."""
    latest = ""
    for verdicts in raw.values():
        for verdict in verdicts:
            for day in (verdict[1], verdict[2] if len(verdict) > 2 else None):
                if day and day > latest:
                    latest = day
    return latest


class Rows(Sequence[ItemStatus]):
    """Items of a dashboard list, read from the index as far as they are read: ``len`` and a slice cost O(slice)."""

    def __init__(self, count: int, fetch: Callable[[int, int], list[ItemStatus]]):
        self._count, self._fetch = count, fetch
        self._every: list[ItemStatus] | None = None

    def __len__(self) -> int:
        return self._count

    def _all(self) -> list[ItemStatus]:
        if self._every is None:
            self._every = self._fetch(0, self._count)
        return self._every

    @overload
    def __getitem__(self, index: int) -> ItemStatus: ...
    @overload
    def __getitem__(self, index: slice) -> list[ItemStatus]: ...
    def __getitem__(self, index: int | slice) -> ItemStatus | list[ItemStatus]:
        if self._every is not None:
            return self._every[index]
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            if step != 1:
                return self._all()[index]
            return self._fetch(start, max(0, stop - start))
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        return self._fetch(index, 1)[0]

    def __iter__(self) -> Iterator[ItemStatus]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    def __repr__(self) -> str:
        return f"Rows({self._all()!r})"


# ---- the index -------------------------------------------------------------------


class Index:
    """An open, verified index: the plan header, the journal's warnings, and the queries."""

    def __init__(self, db: sqlite3.Connection, path: Path, journal: Path, lock_timeout: float):
        self.db, self.path, self.journal, self.lock_timeout = db, path, journal, lock_timeout
        self.plan: IndexedPlan = None  # type: ignore[assignment]
        self.progress: IndexedProgress = None  # type: ignore[assignment]
        self.latest = ""
        self._items: dict[str, Responsibility | None] = {}
        self.warnings: list[str] = []

    # -- reading

    def _meta(self, key: str) -> Any:
        row = self.db.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def count(self) -> int:
        return cast(int, self.db.execute("SELECT count(*) FROM items").fetchone()[0])

    def _item_row(self, row: tuple[Any, ...]) -> Responsibility:
        ident, data, raw = row
        item = self._items.get(ident)
        if item is None:
            try:
                item = self._items[ident] = item_from_data(_row_json(data))
            except (ValueError, KeyError, TypeError, AttributeError):
                raise Damaged(f"the row of {ident} does not read back") from None
        self.progress.prime(ident, raw)
        return item

    def item_by_id(self, ident: str) -> Responsibility | None:
        if ident not in self._items:
            row = self.db.execute("SELECT id, data, progress FROM items WHERE id = ?", (ident,)).fetchone()
            if row is None:
                self._items[ident] = None
                return None
            return self._item_row(row)
        return self._items[ident]

    def item_by_lower(self, lower: str) -> Responsibility | None:
        row = self.db.execute("SELECT id, data, progress FROM items WHERE lid = ? ORDER BY pos LIMIT 1", (lower,)).fetchone()
        return self._item_row(row) if row else None

    def progress_of(self, ident: str) -> str | None:
        row = self.db.execute("SELECT progress FROM items WHERE id = ?", (ident,)).fetchone()
        return row[0] if row else None

    def all_items(self) -> list[Responsibility]:
        # streamed, not fetched all at once: each row's text is freed once its item is built
        return [self._item_row(row) for row in self.db.execute("SELECT id, data, progress FROM items ORDER BY pos")]

    def all_progress(self) -> Iterator[tuple[str, str | None]]:
        return iter(self.db.execute("SELECT id, progress FROM items WHERE progress IS NOT NULL").fetchall())

    def load_everything(self) -> int:
        """Read every item and its verdicts now (one query), for a question about the whole plan; how many items."""
        count = len(self.plan.responsibilities)  # all_items() gives every item's verdicts to the progress too
        self.progress._all = True
        return count

    def final(self, as_of: date) -> bool:
        """Whether every verdict has taken effect by ``as_of``: counts and lists by status are exact then."""
        return as_of.isoformat() >= self.latest

    def statuses(self, rows: Iterator[tuple[Any, ...]], as_of: date) -> list[ItemStatus]:
        plan, progress = self.plan, self.progress
        return [item_status(plan, progress, self._item_row(row), as_of) for row in rows]

    def stream(self, rows: Iterator[tuple[Any, ...]], as_of: date) -> Iterator[ItemStatus]:
        """Each row's item judged as of ``as_of``, then forgotten unless it was read before: memory follows a row."""
        plan, progress, items = self.plan, self.progress, self._items
        for row in rows:
            ident = row[0]
            kept = ident in items or ident in progress._fetched
            item = self._item_row(row)
            yield item_status(plan, progress, item, as_of)
            if not kept:
                del items[ident]
                progress.forget(ident, plan.members_of(item))

    def _days(self, as_of: date) -> dict[str, Any]:
        return {"day": as_of.isoformat(), "soon": (as_of + timedelta(days=self.plan.due_soon_days)).isoformat()}

    def agency_counts(self, as_of: date) -> tuple[list[AgencyCounts], int, int, int]:
        """Counts per agency (plan order) and the plan's totals (all items, finished, done late); needs ``final``."""
        plan = self.plan
        table = {a.id: AgencyCounts(a, dict.fromkeys(STATUSES, 0), {m.id: 0 for m in a.members}) for a in plan.agencies}
        total = finished = late = 0
        for agency, *numbers in self.db.execute(_COUNTS_BY_STATUS_SQL, self._days(as_of)):  # a row an agency
            total += sum(numbers)
            finished += numbers[0] + numbers[1]
            late += numbers[1]
            if agency in table:
                counts = table[agency].counts
                for status, n in zip(_COUNTED, numbers):
                    counts[status] += n
        for agency, member, n in self.db.execute("SELECT agency, member, n FROM parts WHERE n > 0"):
            if agency in table and member in table[agency].members_done:
                table[agency].members_done[member] += n
        return list(table.values()), total, finished, late

    def _listed(self, status: str, as_of: date) -> Rows:
        days = self._days(as_of)
        where = _STATUS_SQL[status]
        count = self.db.execute(
            f"SELECT coalesce(sum(n), 0) FROM counts WHERE last_day != '' AND {where}", days
        ).fetchone()[0]  # from the counts: O(agencies x days), not a scan of the items

        def fetch(offset: int, limit: int) -> list[ItemStatus]:
            rows = self.db.execute(
                f"SELECT id, data, progress FROM items WHERE {where} ORDER BY last_day, pos "
                "LIMIT :limit OFFSET :offset",
                days | {"limit": limit, "offset": offset},
            ).fetchall()
            return self.statuses(iter(rows), as_of)

        return Rows(count, fetch)

    def dashboard(self, as_of: date) -> Dashboard:
        """The coordinator's view as data, as ``status.dashboard`` gives it; needs ``final``."""
        plan = self.plan
        agencies, total, finished, late = self.agency_counts(as_of)
        overdue = self._listed("overdue", as_of)
        due_soon = self._listed("due-soon", as_of)
        unassigned = self.statuses(
            iter(self.db.execute("SELECT id, data, progress FROM items WHERE agency IS NULL ORDER BY pos").fetchall()),
            as_of,
        )
        linked = sorted({i for m in plan.milestones for i in m.items})
        finished_ids: set[str] = set()
        for start in range(0, len(linked), BATCH):
            chunk = linked[start : start + BATCH]
            marks = ",".join("?" * len(chunk))
            finished_ids |= {
                row[0] for row in self.db.execute(f"SELECT id FROM items WHERE id IN ({marks}) AND state != 'o'", chunk)
            }
        milestones = status_milestones(plan, finished_ids, as_of)
        return Dashboard(
            plan, as_of, campaign_phase(plan, as_of), milestones, agencies, overdue, due_soon, unassigned,
            total, finished, late,
        )  # fmt: skip

    def stream_candidates(
        self,
        as_of: date,
        agencies: list[str] | None,
        statuses: set[Status] | None,
        before: date | None,
        after: date | None,
        words: list[str],
        order: str | None,
        limit: int | None,
    ) -> Iterator[ItemStatus]:
        """Items that may pass a ``select``, in plan order (or ``order``: due, status), each judged as of ``as_of``.

        Every condition given is exact (``statuses`` only with ``final``); the caller filters again. Rows are
        read, judged and forgotten one at a time (the query runs at the first row).
        """
        yield from self.stream(self._candidates(as_of, agencies, statuses, before, after, words, order, limit), as_of)

    def _candidates(
        self,
        as_of: date,
        agencies: list[str] | None,
        statuses: set[Status] | None,
        before: date | None,
        after: date | None,
        words: list[str],
        order: str | None,
        limit: int | None,
    ) -> sqlite3.Cursor:
        where, params = [], self._days(as_of)
        if agencies is not None:
            names = {f"a{n}": a for n, a in enumerate(agencies)}
            listed = ",".join(f":{k}" for k in names)
            where.append(f"(agency IN ({listed}) OR pos IN (SELECT pos FROM partners WHERE agency IN ({listed})))")
            params |= names
        if statuses is not None:
            where.append("(" + " OR ".join(_STATUS_SQL[str(s)] for s in sorted(statuses)) + ")")
        if before is not None:
            where.append("last_day IS NOT NULL AND last_day < :before")
            params["before"] = before.isoformat()
        if after is not None:
            where.append("last_day IS NOT NULL AND last_day > :after")
            params["after"] = after.isoformat()
        for n, word in enumerate(words):
            where.append(f"instr(folded, :w{n}) > 0")
            params[f"w{n}"] = word
        sql = "SELECT id, data, progress FROM items" + (" WHERE " + " AND ".join(where) if where else "")
        if order == "due":
            sql += " ORDER BY last_day IS NULL, last_day, pos"
        elif order == "status":
            sql += f" ORDER BY {_SEVERITY_SQL}, pos"
        elif statuses is not None and {str(s) for s in statuses} <= {"overdue", "due-soon"}:
            sql += " ORDER BY pos + 0"  # found by the index of open items by last day, then sorted: O(answer)
        else:
            sql += " ORDER BY pos"
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        return self.db.execute(sql, params)

    def close(self) -> None:
        try:
            self.db.close()
        except sqlite3.Error:
            pass

    # -- writing

    def refresh(self) -> None:
        """Fold what was appended since (under the journal's lock, after ``dsday done``), in one transaction."""
        db = self.db
        if db.in_transaction:
            db.execute("ROLLBACK")
        db.execute("BEGIN IMMEDIATE")
        try:
            self.warnings = _sync_journal(db, self.plan, self.journal)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self.latest = (self._meta("journal") or {}).get("latest", "")
        db.execute("BEGIN")


# ---- opening, verifying, building ------------------------------------------------


def _connect(path: Path, timeout: float) -> sqlite3.Connection:
    """A connection to the index file, after making sure no link, FIFO or other user's file stands in its way."""
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            info = os.lstat(name)
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
            _remove(path)  # foreign: never opened, rebuilt
            break
    db = sqlite3.connect(str(path), timeout=timeout, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    return db


def _remove(path: Path) -> None:
    """Remove the index file and its companions, as far as it can be (a read-only cache, a directory there: left)."""
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            os.unlink(name)
        except OSError:
            pass


def discard(index: "Index") -> None:
    """Close a damaged index and remove its file: the next run builds it again."""
    index.close()
    _remove(index.path)


def _read_meta(db: sqlite3.Connection) -> dict[str, Any]:
    """The index's metadata if it is this version's, else {} (to be rebuilt)."""
    try:
        meta = {k: json.loads(v) for k, v in db.execute("SELECT k, v FROM meta")}
    except (sqlite3.Error, ValueError):
        return {}
    if meta.get("schema") != SCHEMA or meta.get("version") != __version__:
        return {}
    if not all(key in meta for key in ("plan", "header", "shape")):
        return {}
    return meta


def _plan_stat(path: Path, info: os.stat_result, digest: str, seen_ns: int) -> dict[str, Any]:
    return {
        "path": str(path.resolve()), "dev": info.st_dev, "ino": info.st_ino, "size": info.st_size,
        "mtime_ns": info.st_mtime_ns, "ctime_ns": info.st_ctime_ns, "blake2b": digest, "seen_ns": seen_ns,
    }  # fmt: skip


def _racy(saved: dict[str, Any]) -> bool:
    """Whether the file may have changed after it was read without its times showing it."""
    latest: int = max(saved["mtime_ns"], saved["ctime_ns"])
    return latest <= 0 or latest >= saved["seen_ns"] - RACY_NS


def _same_stat(saved: dict[str, Any], info: os.stat_result) -> bool:
    return (saved["dev"], saved["ino"], saved["size"], saved["mtime_ns"], saved["ctime_ns"]) == (
        info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns,
    )  # fmt: skip


def _shape(plan: Plan) -> str:
    """What the journal's fold depends on: the plan's id, its items and the members of each item's lead."""
    agencies = plan.agencies_by_id
    parts = [plan.id]
    for item in sorted(plan.responsibilities, key=lambda i: i.id):
        lead = agencies.get(item.agency or "")
        parts.append(item.id + "\t" + ",".join(m.id for m in lead.members) if lead else item.id)
    return _blake2b("\n".join(parts).encode())


def _write_meta(db: sqlite3.Connection, values: dict[str, Any]) -> None:
    db.executemany(
        "INSERT OR REPLACE INTO meta(k, v) VALUES (?, ?)",
        [(k, json.dumps(v, ensure_ascii=False, separators=(",", ":"))) for k, v in values.items()],
    )


def _header(meta: dict[str, Any]) -> Plan:
    return plan_from_dict(dict(meta["header"], responsibilities=[]))


def _search_texts(items: Sequence[Responsibility]) -> list[str]:
    """What ``--search`` looks in, folded: each item's id, title and detail."""
    from dsday_cli.core.lookup import fold_texts

    return fold_texts([" ".join((item.id, item.title, item.detail or "")) for item in items])


def _last_day(item: Responsibility) -> str | None:
    return item.last_day.isoformat() if item.last_day else None


def _build_plan(
    db: sqlite3.Connection, plan: Plan, plan_stat: dict[str, Any], old: dict[str, Any], pieces: "_Pieces | None"
) -> None:
    """Replace everything with ``plan``'s items; keep the journal's fold from ``old`` if the plan's shape allows.

    ``pieces``: the plan's text cut at its items, where the parser found them on the same lines.
    """
    shape = _shape(plan)
    kept: dict[str, tuple[Any, ...]] = {}  # id: (verdicts, last day, final state, members done) of the fold kept
    if old and old.get("shape") == shape and old.get("journal"):
        kept = {
            row[0]: row[1:]
            for row in db.execute("SELECT id, progress, last_day, state, parts FROM items WHERE progress IS NOT NULL")
        }
    for table in reversed(_TABLES):
        db.execute(f"DROP TABLE IF EXISTS {table}")
    for statement in _DDL.split(";"):  # not executescript(), which would commit the transaction
        if statement.strip():
            db.execute(statement)
    rows, partners, derive = [], [], []
    from dsday_cli.core.json_encoder import json_encoder

    encode = json_encoder((",", ":"))
    every = plan.responsibilities
    chunks = pieces.hashes if pieces else [None] * len(every)
    for pos, (item, folded, chunk) in enumerate(zip(every, _search_texts(every), chunks)):
        last = _last_day(item)
        verdicts, last_before, state, parts = kept.get(item.id) or (None, None, "o", None)
        if verdicts and last != last_before:  # its deadline moved: done on time or late again
            state, parts = "o", None
            derive.append(item.id)
        rows.append(
            (pos, item.id, item.id.lower(), item.agency, last, folded, encode(_item_data(item)), verdicts, state, parts, chunk)
        )
        partners += [(partner, pos) for partner in dict.fromkeys(item.partners)]
    db.executemany(
        "INSERT INTO items(pos, id, lid, agency, last_day, folded, data, progress, state, parts, chunk) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    db.executemany("INSERT INTO partners(agency, pos) VALUES (?, ?)", partners)
    for statement in _INDEXES.split(";"):
        if statement.strip():
            db.execute(statement)
    header = {f.name: _data(getattr(plan, f.name)) for f in fields(Plan) if f.name != "responsibilities"}
    _write_meta(db, {"schema": SCHEMA, "version": __version__, "plan": plan_stat, "header": header, "shape": shape,
                     "chunks": pieces.ends if pieces else None})  # fmt: skip
    if kept:
        _write_meta(db, {"journal": old["journal"], "strays": old.get("strays", [])})
        _derive(db, plan, derive)
    _recount(db)


class _Pieces(NamedTuple):
    """A plan's text cut at its items (``plan_chunks``): the cut, each item's hash, and what the rest hashes to."""

    cut: "Cut"
    hashes: list[str]
    ends: dict[str, Any]


def _pieces(text: str) -> _Pieces | None:
    from dsday_cli.store.plan_chunks import cut

    found = cut(text)
    if found is None:
        return None
    ends = {"head": _blake2b(found.head.encode()), "tail": _blake2b(found.tail.encode()), "count": len(found.items)}
    return _Pieces(found, [_blake2b(chunk.encode()) for chunk in found.items], ends)


def _agrees(pieces: _Pieces, lines: list[int]) -> bool:
    """Whether a full read started the items on the lines the cut found, and the last item reads alone.

    Between items the first holds: a quote left open in one item would hide the next
    item's first line from the parser. After the last item there is no item to hide,
    so it must read alone: libyaml does not check the indentation of a quoted text's
    lines, which could otherwise run on into the tail, so that closing the quote inside
    the item changes what the tail says.
    """
    return pieces.cut.lines == lines and _read_alone(pieces.cut.items[-1]) is not None


def _read_alone(chunk: str) -> object | None:
    """The one item a chunk holds, as YAML data; None if it does not read cleanly on its own."""
    from dsday_cli.store.yamldoc import YamlProblem, read_yaml

    try:
        data = read_yaml(chunk, positions=False).data
    except YamlProblem:
        return None
    return data[0] if isinstance(data, list) and len(data) == 1 else None


def _reread(db: sqlite3.Connection, old: dict[str, Any], pieces: _Pieces, plan_stat: dict[str, Any]) -> bool:
    """Bring the index up to ``pieces``, an edit of its plan, by reading again only the items whose text changed.

    Only where nothing else changed (the text around the items, their number, each
    one's id and lead): the plan's header, the journal's fold and every cross-check
    between items then stand as they were. False, with nothing written, whenever
    that is not so or a changed item does not read and validate cleanly alone: the
    caller reads the whole plan, which also words any problem as a full read does.
    """
    if (
        old.get("schema") != SCHEMA
        or old.get("version") != __version__
        or (old.get("plan") or {}).get("path") != plan_stat["path"]
        or old.get("chunks") != pieces.ends
    ):
        return False
    rows = db.execute("SELECT pos, id, agency, last_day, chunk, progress IS NOT NULL FROM items ORDER BY pos").fetchall()
    if len(rows) != len(pieces.hashes):
        return False
    changed = [pos for pos, row in enumerate(rows) if row[4] != pieces.hashes[pos]]
    if 2 * len(changed) > len(rows):
        return False  # most of it changed: an item read alone costs what it does in a whole read (~70 µs)
    from pydantic import TypeAdapter, ValidationError

    from dsday_cli.core.model import item_problems
    from dsday_cli.core.json_encoder import json_encoder

    header = _header(old)
    adapter = TypeAdapter(Responsibility)
    items = {}
    for pos in changed:
        data = _read_alone(pieces.cut.items[pos])
        if data is None:
            return False
        try:
            item = adapter.validate_python(data)
        except ValidationError:
            return False
        if (item.id, item.agency) != rows[pos][1:3] or item_problems(header, pos, item):
            return False
        items[pos] = item
    encode = json_encoder((",", ":"))
    moved, recount = [], False
    for (pos, item), folded in zip(items.items(), _search_texts(list(items.values()))):
        last = _last_day(item)
        db.execute(
            "UPDATE items SET last_day = ?, folded = ?, data = ?, chunk = ? WHERE pos = ?",
            (last, folded, encode(_item_data(item)), pieces.hashes[pos], pos),
        )
        db.execute("DELETE FROM partners WHERE pos = ?", (pos,))
        db.executemany("INSERT INTO partners(agency, pos) VALUES (?, ?)", [(p, pos) for p in dict.fromkeys(item.partners)])
        if last != rows[pos][3]:
            recount = True
            if rows[pos][5]:  # its deadline moved: done on time or late again
                moved.append(item.id)
    _derive(db, header, moved)
    if recount:
        _recount(db)
    _write_meta(db, {"plan": plan_stat})
    return True


def _recount(db: sqlite3.Connection) -> None:
    db.execute("DELETE FROM counts")
    db.execute("DELETE FROM parts")
    db.execute(
        "INSERT INTO counts(agency, last_day, state, n) SELECT coalesce(agency, ''), coalesce(last_day, ''), state, "
        "count(*) FROM items GROUP BY 1, 2, 3"
    )
    parts: dict[tuple[str, str], int] = {}
    for agency, done in db.execute("SELECT agency, parts FROM items WHERE parts IS NOT NULL"):
        for member in json.loads(done):
            parts[(agency, member)] = parts.get((agency, member), 0) + 1
    db.executemany("INSERT INTO parts(agency, member, n) VALUES (?, ?, ?)", [(a, m, n) for (a, m), n in parts.items()])


def _derive(db: sqlite3.Connection, plan: Plan, items: list[str]) -> None:
    """The final state of ``items`` from their stored verdicts (the counts are the caller's)."""
    updates = []
    for ident in items:
        agency, last_day, raw = db.execute("SELECT agency, last_day, progress FROM items WHERE id = ?", (ident,)).fetchone()
        progress = Progress.from_raw({ident: json.loads(raw)} if raw else {}, [])
        state, done = _final(plan, progress, ident, agency, last_day)
        updates.append((state, json.dumps(done) if done else None, ident))
    db.executemany("UPDATE items SET state = ?, parts = ? WHERE id = ?", updates)


def _item_data(item: Responsibility) -> dict[str, Any]:
    """An item as JSON-ready data, as ``model._data`` gives it, without its generic walk."""
    deadline = item.deadline
    return {
        "id": item.id, "ref": list(item.ref), "title": item.title, "agency": item.agency,
        "partners": list(item.partners), "detail": item.detail,
        "deadline": deadline and {
            "kind": deadline.kind, "date": deadline.date and deadline.date.isoformat(),
            "start": deadline.start and deadline.start.isoformat(), "end": deadline.end and deadline.end.isoformat(),
            "month": deadline.month and deadline.month.isoformat(), "quarter": deadline.quarter, "year": deadline.year,
            "source": deadline.source, "ref": deadline.ref,
            "tentative": deadline.tentative, "note": deadline.note,
        },
    }  # fmt: skip


def _store_fold(db: sqlite3.Connection, plan: Plan, progress: Progress, items: set[str] | None) -> str:
    """Write the verdicts of ``items`` (None: every item, counts recounted) and their final states; the latest day.

    For a few items (a tail of the journal) the counts change by what each item's change is.
    """
    if items is None:
        raw = progress.raw()
        wanted: list[str] = list(raw)
    else:
        wanted = sorted(items)
        raw = {ident: progress.item_raw(ident) for ident in wanted}
    latest = ""
    rows, changed = [], []
    counts: dict[tuple[str, str, str], int] = {}
    parts: dict[tuple[str, str], int] = {}
    for ident in wanted:
        found = db.execute("SELECT agency, last_day, state, parts FROM items WHERE id = ?", (ident,)).fetchone()
        if found is None:
            continue
        agency, last_day, old_state, old_parts = found
        verdicts = raw.get(ident)
        latest = max(latest, _latest(verdicts or {}))
        rows.append((json.dumps(verdicts, ensure_ascii=False, separators=(",", ":")) if verdicts else None, ident))
        state, done = _final(plan, progress, ident, agency, last_day)
        changed.append((state, json.dumps(done) if done else None, ident))
        if items is not None:
            key = (agency or "", last_day or "")
            counts[(*key, old_state)] = counts.get((*key, old_state), 0) - 1
            counts[(*key, state)] = counts.get((*key, state), 0) + 1
            for member in json.loads(old_parts) if old_parts else []:
                parts[(agency, member)] = parts.get((agency, member), 0) - 1
            for member in done:
                parts[(agency, member)] = parts.get((agency, member), 0) + 1
    db.executemany("UPDATE items SET progress = ? WHERE id = ?", rows)
    db.executemany("UPDATE items SET state = ?, parts = ? WHERE id = ?", changed)
    if items is None:
        _recount(db)
    else:
        db.executemany(
            "INSERT INTO counts(agency, last_day, state, n) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(agency, last_day, state) DO UPDATE SET n = n + excluded.n",
            [(*key, n) for key, n in counts.items() if n],
        )
        db.executemany(
            "INSERT INTO parts(agency, member, n) VALUES (?, ?, ?) "
            "ON CONFLICT(agency, member) DO UPDATE SET n = n + excluded.n",
            [(*key, n) for key, n in parts.items() if n],
        )
    return latest


def _meta_value(db: sqlite3.Connection, key: str) -> Any:
    row = db.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else None


def _sync_journal(db: sqlite3.Connection, plan: Plan, journal: Path) -> list[str]:
    """Make the index cover the journal as it is now (inside a write transaction); its warnings."""
    from dsday_cli.store.journal import REPORTED, JournalScan, Resume, describe

    saved = _meta_value(db, "journal")
    strays = _meta_value(db, "strays") or []
    resume = None
    if saved and saved.get("path") == os.path.abspath(journal) and saved.get("ino") is not None:
        resume = Resume(saved["end"], saved["lines"], saved["crc32"], saved["sample"], (saved["dev"], saved["ino"]))
    try:
        before = os.lstat(journal)
    except FileNotFoundError:
        before = None
    if before is not None and not stat.S_ISREG(before.st_mode):
        raise Unusable("journal")
    if resume and before is not None and before.st_size == saved["end"] and not _same_stat(saved, before):
        resume = None  # rewritten to the same length: fold it again
    seen_ns = time.time_ns()
    with JournalScan(journal, resume) as scan:
        if scan.resumed:
            progress: Progress = IndexedProgress(_IndexReader(db), [tuple(s) for s in strays])
            shape = _Shape(plan, _LazyRefs(db))
        else:
            progress = Progress()
            refs = {i: _Ref(i, a) for i, a in db.execute("SELECT id, agency FROM items")}
            shape = _Shape(plan, refs)
        fold_events(shape, scan, progress)  # type: ignore[arg-type]
    if scan.info is None and scan.skipped:
        raise Unusable("journal")  # cannot be read: the exact path words it
    skipped, bad = scan.skipped, scan.bad
    if scan.resumed:
        skipped, bad = ([tuple(s) for s in saved["skipped"]] + skipped)[:REPORTED], saved["bad"] + bad
        touched = progress.touched  # type: ignore[attr-defined]
        latest = max(saved.get("latest", ""), _store_fold(db, plan, progress, touched))
    else:
        db.execute("UPDATE items SET progress = NULL, state = 'o', parts = NULL")
        latest = _store_fold(db, plan, progress, None)
    info = scan.info
    record = {
        "path": os.path.abspath(journal), "end": scan.end, "lines": scan.lines, "crc32": scan.crc32,
        "sample": scan.sample, "skipped": skipped, "bad": bad, "latest": latest, "seen_ns": seen_ns,
        "dev": info and info.st_dev, "ino": info and info.st_ino, "size": info and info.st_size,
        "mtime_ns": info and info.st_mtime_ns, "ctime_ns": info and info.st_ctime_ns,
    }  # fmt: skip
    _write_meta(db, {"journal": record, "strays": progress.strays})
    return describe(journal, [tuple(s) for s in skipped], bad, scan.torn, scan.unfinished)  # type: ignore[misc]


class _IndexReader:
    """The part of ``Index`` that ``IndexedProgress`` uses, over a bare connection."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def progress_of(self, ident: str) -> str | None:
        row = self.db.execute("SELECT progress FROM items WHERE id = ?", (ident,)).fetchone()
        return row[0] if row else None

    def all_progress(self) -> Iterator[tuple[str, str | None]]:
        return iter(self.db.execute("SELECT id, progress FROM items WHERE progress IS NOT NULL").fetchall())


def _journal_current(saved: dict[str, Any] | None, journal: Path) -> TypeGuard[dict[str, Any]]:
    """Whether the journal is, by its inode, size and times, as the index last folded it (nothing to read)."""
    if not saved or saved.get("path") != os.path.abspath(journal):
        return False
    try:
        info = os.lstat(journal)
    except FileNotFoundError:
        return saved.get("ino") is None
    except OSError:
        return False
    if saved.get("ino") is None or not stat.S_ISREG(info.st_mode):
        return False
    return _same_stat(saved, info) and info.st_size == saved["end"] and not _racy(saved)


def open_index(
    plan_file: Path, progress: Path | None, cache_dir: Path, state_dir: Path | None, lock_timeout: float,
    journal_of: Callable[[Plan], Path],
) -> Index | None:  # fmt: skip
    """The verified index of this plan and journal, built or brought up to date; None where it cannot serve.

    Errors that the exact path would raise (a plan missing or invalid) are raised the same.
    """
    from dsday_cli.store.plan import PlanFile

    try:
        info = os.stat(plan_file)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    where = location(cache_dir, plan_file, progress, state_dir)
    if where is None:
        return None
    try:
        db = _connect(where, lock_timeout)
    except sqlite3.Error:
        _remove(where)
        return None
    try:
        return _open(db, where, plan_file, info, lock_timeout, journal_of, PlanFile)
    except (sqlite3.Error, Unusable, OSError, ValueError, KeyError, TypeError) as error:
        db.close()
        if isinstance(error, Damaged):
            _remove(where)  # built again by the next run
        return None
    except BaseException:
        db.close()
        raise


def _change(db: sqlite3.Connection, change: Callable[[dict[str, Any]], bool | None]) -> bool:
    """Run ``change`` on the index's meta in a write transaction: rolled back if it says False, else committed."""
    db.execute("BEGIN IMMEDIATE")
    try:
        done = change(_read_meta(db)) is not False
        db.execute("COMMIT" if done else "ROLLBACK")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return done


def _open(
    db: sqlite3.Connection, where: Path, plan_file: Path, info: os.stat_result, lock_timeout: float,
    journal_of: Callable[[Plan], Path],
    read_plan: "Callable[[Path], PlanFile]",
) -> Index:  # fmt: skip
    try:
        db.execute("BEGIN")
        meta = _read_meta(db)
    except sqlite3.DatabaseError:  # not a database, truncated: start again
        db.close()
        _remove(where)
        db = _connect(where, lock_timeout)
        db.execute("BEGIN")
        meta = {}
    saved = meta.get("plan")
    current = (
        saved is not None
        and saved["path"] == str(plan_file.resolve())
        and _same_stat(saved, info)
        and not _racy(saved)
    )
    if not current:
        seen_ns = time.time_ns()
        read = read_plan(plan_file)  # PlanMissing, PlanInvalid: as the exact path says
        digest = read.digest
        plan_stat = _plan_stat(plan_file, read.info, digest, seen_ns)
        db.execute("ROLLBACK")
        if saved is not None and saved["path"] == plan_stat["path"] and saved["blake2b"] == digest:
            # the same bytes (touched, checked out again, or read too soon after a change)
            _change(db, lambda old: _write_meta(db, {"plan": plan_stat}))
        else:
            text = read.text()
            pieces = _pieces(text)
            if not (pieces and _change(db, lambda old: _reread(db, old, pieces, plan_stat))):
                plan, lines = read.parse(text)
                trusted = pieces if pieces and _agrees(pieces, lines) else None
                _change(db, lambda old: _build_plan(db, plan, plan_stat, old, trusted))
        db.execute("BEGIN")
        meta = _read_meta(db)
        if not meta:
            raise Unusable("plan")
    index = Index(db, where, Path(), lock_timeout)
    header = object.__new__(IndexedPlan)
    header.__dict__.update(_header(meta).__dict__)
    header.__dict__.pop("responsibilities", None)
    header._index = index
    index.plan = header
    journal = index.journal = journal_of(header)
    saved_journal = meta.get("journal")
    if _journal_current(saved_journal, journal):
        if saved_journal["skipped"] or saved_journal["bad"]:
            from dsday_cli.store.journal import describe

            index.warnings = describe(journal, [tuple(s) for s in saved_journal["skipped"]], saved_journal["bad"])
        else:
            index.warnings = []  # a clean journal: nothing to word, and no journal module to load (~1.5 ms)
    else:
        db.execute("ROLLBACK")
        db.execute("BEGIN IMMEDIATE")
        try:
            index.warnings = _sync_journal(db, header, journal)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("BEGIN")
        meta = _read_meta(db)
    index.latest = (meta.get("journal") or {}).get("latest", "")
    index.progress = IndexedProgress(index, [tuple(s) for s in meta.get("strays") or []])
    return index
