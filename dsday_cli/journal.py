"""The progress journal: append-only JSON Lines, one event per line.

Writers take an exclusive lock, seal a torn last line left by a killed writer, write
each event in one call and fsync before acknowledging. Readers never stop on a bad
line: they skip it with a warning naming PATH:LINE, deduplicate by event id and order
by recording time, so copies merged by git or by hand read correctly.
"""

import errno
import json
import os
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from dsday_cli.errors import JournalWriteError, LockTimeout
from dsday_cli.i18n import _
from dsday_cli.model import Event

LOCK_TIMEOUT_SECONDS = 5.0
KINDS = ("done", "reopen", "remind")  # remind: a reminder sent about the item; it changes no status


def new_event(
    kind: str, item: str, member: str | None, on: date, by: str | None, note: str | None, plan: str, now: datetime
) -> Event:
    """A fresh event with a unique id, recorded at ``now`` (made UTC)."""
    at = now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return Event(str(uuid.uuid4()), at, kind, item, member, on.isoformat(), by, note, plan)


def _event_from(record: object) -> Event:
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    for key in ("id", "at", "kind", "item", "plan"):
        if not isinstance(record.get(key), str) or not record[key]:
            raise ValueError(f"missing or empty '{key}'")
    if record["kind"] not in KINDS:
        raise ValueError(f"unknown kind '{record['kind']}'")
    for key in ("member", "on", "by", "note"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise ValueError(f"'{key}' is not text")
    event = Event(**{key: record.get(key) for key in Event.__dataclass_fields__})  # type: ignore[arg-type]
    event.order  # the recording time must be readable
    if event.on:
        date.fromisoformat(event.on)  # and so must the day
    return event


Skipped = tuple[int, str]  # (line number, why); line 0: the file could not be read


@dataclass
class Chunk:
    """A stretch of the journal: valid events in file order, lines skipped, where it ends.

    Skipped lines are kept as data (line numbers and reasons) so that a checkpoint can
    hold them and ``describe`` words them in the reader's language and path.
    """

    events: list[Event]
    skipped: list[Skipped]
    torn: int | None  # the line number of a last line whose write did not finish
    end: int  # byte offset just after the last complete line
    lines: int  # complete lines read


def read_chunk(path: Path, start: int = 0, first_line: int = 1) -> Chunk:
    """Events from byte ``start`` (a line start) on; a torn last line is reported, not consumed."""
    events: list[Event] = []
    skipped: list[Skipped] = []
    torn = None
    end, number = start, first_line - 1
    try:
        if not path.is_file():  # absent, or a device or FIFO that would never end: no events
            return Chunk([], [], None, start, 0)
        with open(path, "rb") as stream:
            stream.seek(start)
            for line in stream:  # line by line: a long journal is never held whole
                if not line.endswith(b"\n"):
                    torn = number + 1 if line.strip() else None
                    break
                number += 1
                end += len(line)
                if not line.strip():
                    continue
                if number == 1 and line.startswith(b"\xef\xbb\xbf"):  # saved by an editor that adds a BOM
                    line = line[3:]
                try:
                    events.append(_event_from(json.loads(line[:-1])))
                except (ValueError, TypeError, UnicodeDecodeError) as error:
                    skipped.append((number, str(error)))
    except OSError as error:
        skipped.append((0, error.strerror or str(error)))
    return Chunk(events, skipped, torn, end, number - first_line + 1)


def describe(path: Path, skipped: list[Skipped], torn: int | None = None) -> list[str]:
    """Skipped lines as warnings naming PATH:LINE, in the interface language."""
    out = []
    for line, why in skipped:
        if line == 0:
            out.append(_("{path}: cannot read the journal: {reason}").format(path=path, reason=why))
        else:
            out.append(_("{where}: unreadable event ({error}); skipped").format(where=f"{path}:{line}", error=why))
    if torn:
        out.append(_("{where}: incomplete last line; skipped").format(where=f"{path}:{torn}"))
    return out


@dataclass
class JournalRead:
    """The valid events of a journal, deduplicated and in order, and the lines skipped."""

    events: list[Event]
    problems: list[str]


def read_journal(path: Path) -> JournalRead:
    """Every valid event of the journal at ``path`` (none if it does not exist), in order."""
    chunk = read_chunk(path)
    unique = {event.id: event for event in reversed(chunk.events)}  # the first copy of an id wins
    return JournalRead(sorted(unique.values(), key=lambda e: e.order), describe(path, chunk.skipped, chunk.torn))


def _lock(fd: int, path: Path, timeout: float) -> None:
    import fcntl

    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockTimeout(
                    _("{path}: another dsday is writing the journal; try again later").format(path=path)
                ) from None
            time.sleep(0.02)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def append_events(path: Path, events: list[Event], lock_timeout: float = LOCK_TIMEOUT_SECONDS) -> None:
    """Append ``events`` durably; raises JournalWriteError or LockTimeout, never half-writes."""
    try:
        if path.exists() and not path.is_file() and not path.is_char_device():
            raise JournalWriteError(_("{path}: not a file; cannot write the journal").format(path=path))
        if path.is_file() and not path.stat().st_mode & 0o222:
            raise JournalWriteError(_("{path}: the journal is read-only; nothing recorded").format(path=path))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError as error:
        raise JournalWriteError(
            _("{path}: cannot write the journal: {reason}; nothing recorded").format(path=path, reason=error.strerror)
        ) from None
    try:
        _lock(fd, path, lock_timeout)
        size = os.fstat(fd).st_size
        try:
            if size and os.pread(fd, 1, size - 1) != b"\n":
                _write_all(fd, b"\n")  # seal a torn line so it cannot swallow ours
            for event in events:
                line = json.dumps(asdict(event), ensure_ascii=False, separators=(",", ":")) + "\n"
                _write_all(fd, line.encode("utf-8"))
            os.fsync(fd)
        except OSError as error:
            _restore(fd, size)
            reason = _("disk full") if error.errno == errno.ENOSPC else error.strerror
            raise JournalWriteError(
                _("{path}: cannot write the journal: {reason}; nothing recorded").format(path=path, reason=reason)
            ) from None
    finally:
        os.close(fd)


def _restore(fd: int, size: int) -> None:
    """Cut off what a failed append left, so the journal is as it was."""
    try:
        if os.fstat(fd).st_size > size:
            os.ftruncate(fd, size)
    except OSError:
        pass
