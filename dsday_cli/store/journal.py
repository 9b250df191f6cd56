"""The progress journal: append-only JSON Lines, one event per line.

Writers take an exclusive lock on a lock file beside the journal (``.NAME.lock``,
which git never replaces) and then on the journal itself, check that the path still
names the file they locked, and write all the events of one command in one append
that is whole or absent: before writing they note in the lock file where the append
starts and ends, so an append cut short by a killed writer is ignored by readers and
removed by the next writer. They fsync before acknowledging. ``dsday sync`` holds
the same lock while git replaces the file; with the lock held, a writer refuses
while git is in the middle of a rebase or merge there.

Readers never stop on a bad line: they skip it with a warning naming PATH:LINE
(the first few; then a count), read lines with a length cap, and stream the events
so memory is bounded by what the caller keeps, not by the journal. Symbolic links
and special files are refused, never followed or waited on.
"""

import errno
import json
import os
import re
import stat
import time
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date, datetime, timezone
from pathlib import Path
from typing import BinaryIO

from dsday_cli.core.errors import JournalWriteError, LockTimeout, RepositoryBusy, UsageError
from dsday_cli.store.files import NotRegularFile, open_append, open_descriptor, open_regular, refusal
from dsday_cli.core.i18n import _, n_
from dsday_cli.core.model import Event
from dsday_cli.core.records import record

LOCK_TIMEOUT_SECONDS = 5.0
KINDS = ("done", "reopen", "remind", "note")  # remind: a reminder sent; note: an annotation; neither changes a status
MAX_LINE_BYTES = 1 << 20  # longer lines are skipped as bad without being held in memory
REPORTED = 5  # bad lines worded one by one in a warning; the rest are counted
_BOM = b"\xef\xbb\xbf"

# What git leaves in its directory while an operation that rewrites the working tree is stopped midway.
IN_PROGRESS = (
    ("rebase-merge", "rebase"),
    ("rebase-apply", "rebase"),
    ("MERGE_HEAD", "merge"),
    ("CHERRY_PICK_HEAD", "cherry-pick"),
    ("REVERT_HEAD", "revert"),
)


def new_event(
    kind: str,
    item: str,
    member: str | None,
    on: date,
    by: str | None,
    note: str | None,
    plan: str,
    now: datetime,
    seq: int = 0,
    source: str | None = None,
) -> Event:
    """A fresh event with a unique id, recorded at ``now`` (made UTC), ``seq`` after every event it has seen."""
    at = now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return Event(str(uuid.uuid4()), at, kind, item, member, on.isoformat(), by, note, plan, seq or None, source)


# What a reader accepts, and so what every writer must write (``checked`` refuses anything else):
# a seq no higher than SEQ_MAX (writers never go above it: at the top, the recording time decides),
# and days and recording times within [EARLIEST, LATEST], so that none takes effect forever or never.
SEQ_MAX = 999_999_999
RULES = 2  # these rules' edition: folds kept by an earlier one (a checkpoint, the index) are not reused
EARLIEST, LATEST = date(1970, 1, 1), date(2999, 12, 31)
_AT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})", re.ASCII)


def _moment(at: str) -> datetime:
    """A recording time as written: ISO 8601 with ``T``, seconds and a zone (``Z`` or ±HH:MM), within the bounds."""
    if not _AT.fullmatch(at):
        raise ValueError(f"'at' {at[:40]!r} is not a time written YYYY-MM-DDTHH:MM:SS.ffffffZ")
    try:
        moment = datetime.fromisoformat(at[:-1] + "+00:00" if at[-1] == "Z" else at)
    except ValueError as error:
        raise ValueError(f"'at' {at} is not a time: {error}") from None
    if not EARLIEST <= moment.astimezone(timezone.utc).date() <= LATEST:  # a year 9999 time overflows in +07:00
        raise ValueError(f"'at' {at} is not between {EARLIEST.year} and {LATEST.year}")
    return moment


def _event_from(record: object) -> Event:
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    for key in ("id", "at", "kind", "item", "plan"):
        if not isinstance(record.get(key), str) or not record[key]:
            raise ValueError(f"missing or empty '{key}'")
    if record["kind"] not in KINDS:
        raise ValueError(f"unknown kind '{record['kind']}'")
    for key in ("member", "on", "by", "note", "source"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise ValueError(f"'{key}' is not text")
    seq = record.get("seq")
    if seq is not None and (type(seq) is not int or not 0 <= seq <= SEQ_MAX):
        raise ValueError(f"'seq' is not a whole number from 0 to {SEQ_MAX}")
    event = Event(**{key: record.get(key) for key in Event.__dataclass_fields__})  # type: ignore[arg-type]
    _moment(event.at)  # the recording time must be readable, and plausible
    if event.on:
        day = date.fromisoformat(event.on)  # and so must the day
        if not (len(event.on) == 10 and EARLIEST <= day <= LATEST):
            raise ValueError(f"'on' {event.on} is not a day between {EARLIEST.year} and {LATEST.year}")
    elif event.kind in ("done", "reopen"):  # without its day it would take effect on no day, or on every day
        raise ValueError(f"a '{event.kind}' without its day 'on'")
    return event


def checked(event: Event) -> Event:
    """``event`` if a reader accepts it as written; ValueError naming what it would reject if not."""
    line = encode(event)
    if len(line) > MAX_LINE_BYTES:
        raise ValueError(f"line longer than {MAX_LINE_BYTES} bytes")
    return _event_from(json.loads(line))


# What a line can throw at the parser: bad JSON or text, nesting deeper than the
# parser's recursion limit, a timestamp beyond the calendar.
_BAD_LINE = (ValueError, TypeError, RecursionError, OverflowError)


# ---- git stopped midway -----------------------------------------------------------


def git_directory(directory: Path) -> tuple[Path, Path] | None:
    """The top of the working tree holding ``directory`` and its git directory (a linked worktree's own).

    Found without running git, as git finds them: the nearest ``.git`` upwards, a directory
    or a file saying ``gitdir: PATH``.
    """
    start = Path(os.path.realpath(directory))
    for folder in (start, *start.parents):
        dot = folder / ".git"
        try:
            mode = os.stat(dot).st_mode
        except OSError:
            continue
        if stat.S_ISDIR(mode):
            return folder, dot
        if stat.S_ISREG(mode):
            try:
                with open(dot, "rb") as stream:
                    text = stream.read(4096).decode("utf-8", errors="replace").strip()
            except OSError:
                return None
            if text.startswith("gitdir:"):
                return folder, folder / text.removeprefix("gitdir:").strip()
        return None
    return None


def operation_in_progress(directory: Path) -> tuple[Path, str] | None:
    """The working tree holding ``directory`` and the git operation (rebase, merge…) stopped midway there, if any."""
    found = git_directory(directory)
    if found is None:
        return None
    top, gitdir = found
    try:
        present = set(os.listdir(gitdir))  # one read of the directory, not a stat per name
    except OSError:
        return None
    for name, operation in IN_PROGRESS:
        if name in present:
            if name == "rebase-apply" and os.path.lexists(gitdir / name / "applying"):
                operation = "am"
            return top, operation
    return None


def refuse_during_git_operation(path: Path) -> None:
    """RepositoryBusy if git is in the middle of a rebase or merge in the repository holding ``path``.

    Aborting it resets the working tree: a line written meanwhile would be in no file
    and no commit. Called by every writer once it holds the journal's lock.
    """
    busy = operation_in_progress(path.parent)
    if busy is not None:
        repository, operation = busy
        raise RepositoryBusy(
            _(
                "{repo}: git is in the middle of a {operation}; dsday records nothing until it is finished ('git status' says how) or stopped ('git {operation} --abort'), then try again"
            ).format(repo=repository, operation=operation)
        )


def lock_path(journal: Path) -> Path:
    """The lock file of a journal: ``.NAME.lock`` beside it."""
    return journal.with_name(f".{journal.name}.lock")


# ---- reading ---------------------------------------------------------------------

Skipped = tuple[int, str]  # (line number, why); line 0: the file could not be read


@record(frozen=True)
class Resume:
    """Where a checkpoint left off: the bytes it folded, their line count and CRC-32.

    With ``sample`` (``sample_of`` those bytes) and ``file`` (device, inode), resuming
    checks only the file's identity and the sampled bytes, in O(1), instead of the
    CRC-32 of the whole prefix.
    """

    end: int
    lines: int
    crc32: int
    sample: str | None = None
    file: tuple[int, int] | None = None


SAMPLE_HEAD, SAMPLE_TAIL = 1024, 4096


def sample_of(fd: int, end: int) -> str:
    """A hash of a file's first KiB and of the 4 KiB before ``end`` (and of ``end``): O(1) to check.

    git replaces the journal (a new inode); a rewrite in place of the same file changes
    bytes at the head (history rewritten) or just before the end a reader had reached
    (a rebase or an edit of the latest lines); either changes this hash.
    """
    try:
        from _blake2 import blake2b  # CPython's built-in: no OpenSSL import
    except ImportError:  # another Python
        from hashlib import blake2b
    head = os.pread(fd, min(SAMPLE_HEAD, end), 0)
    tail = os.pread(fd, min(SAMPLE_TAIL, end), end - min(SAMPLE_TAIL, end))
    return blake2b(b"%d\n%s\n%s" % (end, head, tail), digest_size=16).hexdigest()


def _unfinished_append(journal: Path, size: os.stat_result) -> tuple[int, bool] | None:
    """Where an append noted in the lock file began, if it has not finished; and whether its writer is gone."""
    import fcntl

    try:
        with open_regular(lock_path(journal), follow=False) as stream:
            note = json.loads(stream.read(4096) or b"null")
            if not isinstance(note, dict) or (note.get("dev"), note.get("ino")) != (size.st_dev, size.st_ino):
                return None
            start, end = int(note["start"]), int(note["end"])
            if not start < size.st_size < end:
                return None
            try:  # a free lock means the writer was killed; a held one, that it is still writing
                fcntl.flock(stream.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
                gone = True
            except BlockingIOError:
                gone = False
            return start, gone
    except (OSError, *_BAD_LINE, KeyError):
        return None


class JournalScan:
    """The events of a journal, read once, line by line, from one open file.

    Iterate it once (inside ``with``); afterwards it tells what was skipped, where
    reading ended and the CRC-32 of exactly the bytes read, so a checkpoint can never
    describe other bytes than those it folded. Given ``resume``, it first checks that
    the file still starts with those bytes and, if so, reads on from there.
    """

    def __init__(self, path: Path, resume: Resume | None = None, report: int = REPORTED):
        self.path = path
        self.report = report
        self.skipped: list[Skipped] = []  # the first ``report`` bad lines
        self.bad = 0  # bad lines in all
        self.torn: int | None = None  # the line number of a last line whose write did not finish
        self.unfinished: tuple[int, int] | None = None  # bytes of an append cut short by a killed writer
        self.resumed = False
        self.count = 0  # valid events read
        self.line = 0  # the line of the event last given
        self.end = 0  # byte offset just after the last complete line read
        self.lines = 0  # complete lines up to ``end``
        self.new_lines = 0  # of which read by this scan
        self.crc32 = 0  # of bytes [0, end)
        self.sample: str | None = None  # sample_of bytes [0, end), once iterated
        self.info: os.stat_result | None = None  # the file read, as fstat saw it when opened
        self._stream = None
        self._stop = 0
        try:
            stream = open_regular(path, follow=False)
        except FileNotFoundError:
            return
        except OSError as error:
            self._skip(0, error.strerror or str(error))
            return
        self._stream = stream
        try:
            info = self.info = os.fstat(stream.fileno())
            self._stop = info.st_size
            unfinished = _unfinished_append(path, info)
            if unfinished is not None:
                self._stop = unfinished[0]
                if unfinished[1]:
                    self.unfinished = (unfinished[0], info.st_size)
            if resume is not None and 0 < resume.end <= self._stop and resume.sample is not None:
                if resume.file == (info.st_dev, info.st_ino) and sample_of(stream.fileno(), resume.end) == resume.sample:
                    self.resumed = True
                    self.end, self.lines, self.crc32 = resume.end, resume.lines, resume.crc32
            elif resume is not None and 0 < resume.end <= self._stop:
                checksum = _crc_of_prefix(stream, resume.end)
                if checksum == resume.crc32:
                    self.resumed = True
                    self.end, self.lines, self.crc32 = resume.end, resume.lines, checksum
            stream.seek(self.end)
        except OSError as error:
            self._skip(0, error.strerror or str(error))
            self.close()

    def __enter__(self) -> "JournalScan":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file (done at the end of the iteration too)."""
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def _skip(self, line: int, why: str) -> None:
        self.bad += 1
        if len(self.skipped) < self.report:
            self.skipped.append((line, why))

    def __iter__(self) -> Iterator[Event]:
        stream = self._stream
        if stream is None:
            return
        readline = stream.readline
        position, number, checksum, limit = self.end, self.lines, self.crc32, self._stop
        try:
            while position < limit:
                line = readline(min(MAX_LINE_BYTES + 1, limit - position))
                if not line:
                    break
                length = len(line)
                if not line.endswith(b"\n"):
                    if length <= MAX_LINE_BYTES:  # the last line, its write not finished
                        self.torn = number + 1 if line.strip() else None
                        break
                    # Too long to be an event: pass over the rest without keeping it.
                    partial = zlib.crc32(line, checksum)
                    while not line.endswith(b"\n") and position + length < limit:
                        line = readline(min(MAX_LINE_BYTES, limit - position - length))
                        if not line:
                            break
                        length += len(line)
                        partial = zlib.crc32(line, partial)
                    if not line.endswith(b"\n"):
                        self.torn = number + 1
                        break
                    number, position, checksum = number + 1, position + length, partial
                    self._skip(number, f"line longer than {MAX_LINE_BYTES} bytes")
                    continue
                number, position = number + 1, position + length
                checksum = zlib.crc32(line, checksum)
                if number == 1 and line.startswith(_BOM):  # saved by an editor that adds a BOM
                    line = line[3:]
                if not line.strip():
                    continue
                try:
                    event = _event_from(json.loads(line[:-1]))
                except _BAD_LINE as error:
                    self._skip(number, str(error) or type(error).__name__)
                    continue
                self.count += 1
                self.line = number
                yield event
        except OSError as error:
            self._skip(0, error.strerror or str(error))
        finally:
            self.new_lines += number - self.lines
            self.end, self.lines, self.crc32 = position, number, checksum
            try:
                self.sample = sample_of(stream.fileno(), position)
            except OSError:
                self.sample = None
            self.close()

    def problems(self, hint: bool = True) -> list[str]:
        """What could not be read, as warnings naming PATH:LINE, in the interface language."""
        return describe(self.path, self.skipped, self.bad, self.torn, self.unfinished, hint)

    @property
    def problem_lines(self) -> int:
        """How many lines (or whole-file problems) could not be read."""
        return self.bad + (1 if self.torn else 0) + (1 if self.unfinished else 0)


def _crc_of_prefix(stream: BinaryIO, end: int) -> int | None:
    """CRC-32 of the stream's first ``end`` bytes, or None if it has fewer."""
    stream.seek(0)
    checksum, remaining = 0, end
    while remaining > 0:
        block = stream.read(min(remaining, 1 << 20))
        if not block:
            return None
        checksum = zlib.crc32(block, checksum)
        remaining -= len(block)
    return checksum


def describe(
    path: Path,
    skipped: list[Skipped],
    bad: int | None = None,
    torn: int | None = None,
    unfinished: tuple[int, int] | None = None,
    hint: bool = True,
) -> list[str]:
    """Skipped lines as warnings naming PATH:LINE, in the interface language: the first few, then a count."""
    out = []
    for line, why in skipped:
        if line == 0:
            out.append(_("{path}: cannot read the journal: {reason}").format(path=path, reason=why))
        else:
            out.append(_("{where}: unreadable event ({error}); skipped").format(where=f"{path}:{line}", error=why))
    more = (bad if bad is not None else len(skipped)) - len(skipped)
    if more > 0:
        text = (
            n_(
                "{path}: … and {count} more unreadable line; run 'dsday validate'",
                "{path}: … and {count} more unreadable lines; run 'dsday validate'",
                more,
            )
            if hint
            else n_("{path}: … and {count} more unreadable line", "{path}: … and {count} more unreadable lines", more)
        )
        out.append(text.format(path=path, count=f"{more:,}"))
    if torn:
        out.append(_("{where}: incomplete last line; skipped").format(where=f"{path}:{torn}"))
    if unfinished:
        start, size = unfinished
        out.append(
            _(
                "{path}: the last {size} bytes are an append its writer did not finish (it was stopped); ignored, and removed by the next writer"
            ).format(path=path, size=f"{size - start:,}")
        )
    return out


class SameIds:
    """Events that reuse an id read earlier with other content: each still counts (as its own event).

    Ids are kept as 64-bit hashes with the line and a hash of the content, 16 bytes a
    slot and no object per id, so that ``validate`` can check a journal of millions of lines.
    """

    def __init__(self, path: Path, report: int = 100):
        from array import array

        self.path, self.report, self.count = path, report, 0
        self.found: list[str] = []  # the first ``report`` problems, worded
        self._keys, self._values, self._used = array("q", bytes(8 * 1024)), array("Q", bytes(8 * 1024)), 0

    def check(self, event: Event, line: int) -> None:
        """Note ``event`` read at ``line``; a problem if its id was read before with other content."""
        key, content = hash(event.id) | 1, hash(event) & 0xFFFFFFFF
        keys, mask = self._keys, len(self._keys) - 1
        slot = key & mask
        while keys[slot]:
            if keys[slot] == key:
                first = self._values[slot]
                if first & 0xFFFFFFFF != content:
                    self.count += 1
                    if len(self.found) < self.report:
                        self.found.append(
                            _(
                                "{where}: event id {id} is also used at line {first} by an event with other content; both count: give one of them a new id"
                            ).format(where=f"{self.path}:{line}", id=event.id, first=first >> 32)
                        )
                return
            slot = (slot + 1) & mask
        keys[slot], self._values[slot] = key, (line << 32) | content
        self._used += 1
        if self._used * 3 > len(keys) * 2:
            self._grow()

    def _grow(self) -> None:
        from array import array

        keys, values = self._keys, self._values
        self._keys, self._values = array("q", bytes(16 * len(keys))), array("Q", bytes(16 * len(keys)))
        mask = len(self._keys) - 1
        for key, value in zip(keys, values):
            if key:
                slot = key & mask
                while self._keys[slot]:
                    slot = (slot + 1) & mask
                self._keys[slot], self._values[slot] = key, value


@record
class JournalRead:
    """The valid events of a journal kept by the reader, deduplicated and in order, and the lines skipped."""

    events: list[Event]
    problems: list[str]


def read_journal(path: Path, keep: Callable[[Event], bool] | None = None) -> JournalRead:
    """The valid events of the journal at ``path`` (none if it does not exist) that ``keep`` accepts, in order.

    Only the events kept are held in memory: ``keep`` lets ``log`` and ``show`` hold
    what they print, not the whole journal.
    """
    unique: dict[str, Event] = {}
    with JournalScan(path) as scan:
        for event in scan:
            if keep is None or keep(event):
                unique.setdefault(event.order, event)  # copies of one event are one, as the fold counts them
    return JournalRead(sorted(unique.values(), key=lambda e: e.order), scan.problems())


# ---- writing ---------------------------------------------------------------------


def _cannot_write(path: Path, reason: str | None) -> JournalWriteError:
    return JournalWriteError(
        _("{path}: cannot write the journal: {reason}; nothing recorded").format(path=path, reason=reason)
    )


def _flock(fd: int, deadline: float, path: Path) -> None:
    """An exclusive flock on ``fd`` before ``deadline``; LockTimeout if not."""
    import fcntl

    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockTimeout(
                    _("{path}: another dsday is writing or syncing the journal; try again later").format(path=path)
                ) from None
            time.sleep(0.02)


def _names(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file open as ``fd`` (not replaced or removed meanwhile)."""
    try:
        held, now = os.fstat(fd), os.lstat(path)
    except OSError:
        return False
    return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)


def _locked(path: Path, opener: Callable[[], int], deadline: float, journal: Path) -> int:
    """Open ``path`` and lock it; retry until the path still names the file locked."""
    while True:
        fd = opener()
        try:
            _flock(fd, deadline, journal)
        except BaseException:
            os.close(fd)
            raise
        if _names(fd, path):
            return fd
        os.close(fd)  # replaced while we waited (git, an editor): lock the file there now


class JournalLock:
    """The journal's lock, held: notes the append in progress and removes one a killed writer left."""

    def __init__(self, journal: Path, fd: int | None, deadline: float, writable: bool = True):
        # A lock file we may not write (another user's) still locks; appends are then not noted.
        self.journal, self.deadline = journal, deadline
        self.fd = fd if writable else None

    def note(self, written: int, start: int, end: int) -> None:
        """Note in the lock file that bytes [start, end) of the journal open as ``written`` are being appended."""
        if self.fd is None:
            return
        info = os.fstat(written)
        record = json.dumps({"dev": info.st_dev, "ino": info.st_ino, "start": start, "end": end}).encode()
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, record, 0)

    def clear(self) -> None:
        """The append noted is whole (or undone)."""
        if self.fd is not None:
            os.ftruncate(self.fd, 0)

    def repair(self) -> None:
        """Cut off an append that a killed writer left unfinished, so the journal holds whole appends only."""
        if self.fd is None or not os.fstat(self.fd).st_size:
            return
        try:
            note = json.loads(os.pread(self.fd, 4096, 0))
            fd = open_descriptor(self.journal, os.O_WRONLY, follow=False)
        except (OSError, *_BAD_LINE):
            self.clear()
            return
        try:
            info = os.fstat(fd)
            if (note.get("dev"), note.get("ino")) == (info.st_dev, info.st_ino) and (
                note["start"] < info.st_size < note["end"]
            ):
                os.ftruncate(fd, note["start"])
                os.fsync(fd)
        except (OSError, KeyError, TypeError, AttributeError):
            pass
        finally:
            os.close(fd)
        self.clear()


@contextmanager
def journal_lock(journal: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[JournalLock]:
    """Hold the journal's lock (its lock file, which git never replaces); LockTimeout after ``timeout`` seconds.

    Where the lock file cannot be created (a read-only directory), the journal alone is locked.
    RepositoryBusy, once locked, while git is in the middle of a rebase or merge in the journal's repository.
    """
    deadline = time.monotonic() + timeout
    lock = lock_path(journal)
    try:
        fd: int | None = _locked(
            lock, lambda: open_descriptor(lock, os.O_RDWR | os.O_CREAT, follow=False), deadline, journal
        )
    except NotRegularFile as error:
        raise _cannot_write(lock, error.strerror) from None
    except OSError as error:
        if error.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise _cannot_write(journal, error.strerror) from None
        try:  # flock needs no write access
            fd = _locked(lock, lambda: open_descriptor(lock, os.O_RDONLY, follow=False), deadline, journal)
        except FileNotFoundError:
            fd = None
        except OSError as again:
            raise _cannot_write(lock, again.strerror) from None
        held = JournalLock(journal, fd, deadline, writable=False)
    else:
        held = JournalLock(journal, fd, deadline)
    try:
        refuse_during_git_operation(journal)  # git stopped midway would throw away what is written now
        held.repair()
        yield held
    finally:
        if fd is not None:
            os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def encode(event: Event) -> bytes:
    """An event as one journal line (``source`` only when there is one: lines typed stay as they were)."""
    fields = asdict(event)
    if fields["source"] is None:
        del fields["source"]
    return (json.dumps(fields, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _read_only(path: Path) -> JournalWriteError:
    return JournalWriteError(_("{path}: the journal is read-only; nothing recorded").format(path=path))


def check_writable(path: Path) -> None:
    """JournalWriteError, as ``append_events`` would raise it, if the journal cannot be written now; writes nothing.

    For a command that acts outside before it records (``remind`` sends mail): it asks
    first, so nothing goes out that could not be recorded. A journal not yet made needs
    a directory it can be made in, and no git operation stopped midway around it.
    """
    refuse_during_git_operation(path)  # what goes out now could not be recorded
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        found = None
    except OSError as error:
        raise _cannot_write(path, error.strerror) from None
    if found is None:
        parent = path.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not os.access(parent, os.W_OK | os.X_OK):
            raise _cannot_write(path, os.strerror(errno.EROFS if _read_only_mount(parent) else errno.EACCES))
        return
    if not stat.S_ISREG(found.st_mode):
        raise _cannot_write(path, refusal(found.st_mode))
    if not found.st_mode & 0o222:  # read-only even for root, as append_events has it
        raise _read_only(path)
    try:
        os.close(open_descriptor(path, os.O_WRONLY | os.O_APPEND, follow=False))
    except PermissionError:
        raise _cannot_write(path, os.strerror(errno.EACCES)) from None
    except OSError as error:
        raise _cannot_write(path, error.strerror) from None


def _read_only_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def append_events(
    path: Path,
    events: list[Event],
    lock_timeout: float = LOCK_TIMEOUT_SECONDS,
    after: Callable[[], None] | None = None,
) -> None:
    """Append ``events`` durably in one append, whole or not at all; raises JournalWriteError or LockTimeout.

    ``after`` runs once the append is durable, the lock still held (the index folds it
    then, so no other writer comes between); whatever it raises is not the append's failure.
    """
    if not events:
        return
    for event in events:  # no writer appends a line its readers would skip
        try:
            checked(event)
        except _BAD_LINE as error:
            raise UsageError(
                _("{item}: cannot be recorded: {reason}; nothing recorded").format(
                    item=event.item + (f" [{event.member}]" if event.member else ""), reason=error
                )
            ) from None
    data = b"".join(encode(event) for event in events)
    try:
        found = os.lstat(path)
        if not stat.S_ISREG(found.st_mode):  # refused before a lock file is made beside a device
            raise _cannot_write(path, refusal(found.st_mode))
    except FileNotFoundError:
        found = None
    except OSError as error:
        raise _cannot_write(path, error.strerror) from None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _cannot_write(path, error.strerror) from None
    with journal_lock(path, lock_timeout) as held:
        try:  # the journal itself is locked too, for tools that lock only it
            fd = _locked(path, lambda: open_append(path), held.deadline, path)
        except PermissionError:
            if found is not None and not found.st_mode & 0o222:
                raise _read_only(path) from None
            raise _cannot_write(path, os.strerror(errno.EACCES)) from None
        except OSError as error:
            raise _cannot_write(path, error.strerror) from None
        try:
            info = os.fstat(fd)
            if not info.st_mode & 0o222:  # no write permission: read-only even for root
                raise _read_only(path)
            size = info.st_size
            try:
                seal = b"\n" if size and os.pread(fd, 1, size - 1) != b"\n" else b""  # a torn line cannot swallow ours
                held.note(fd, size, size + len(seal) + len(data))
                _write_all(fd, seal + data)
                os.fsync(fd)
            except OSError as error:
                if _restore(fd, size):
                    held.clear()
                reason = _("disk full") if error.errno == errno.ENOSPC else error.strerror
                raise _cannot_write(path, reason) from None
            held.clear()
            if after is not None:
                try:
                    after()
                except Exception:  # derived data only: the events are recorded
                    pass
        finally:
            os.close(fd)


def _restore(fd: int, size: int) -> bool:
    """Cut off what a failed append left, so the journal is as it was; whether it is."""
    try:
        if os.fstat(fd).st_size > size:
            os.ftruncate(fd, size)
        return True
    except OSError:
        return False

