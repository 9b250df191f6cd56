"""Derived data kept in the user's cache directory, verified before every use.

- The plan cache: a validated plan as JSON, keyed by the plan file's path, size,
  modification and change times, inode, a BLAKE2b hash of its content and dsday's
  version. A hit skips YAML and Pydantic entirely; an edit cannot keep an old entry
  alive, whatever it does to the file's times.
- The journal checkpoint: the folded progress and the byte offset it covers, keyed by
  the plan's key, verified in O(1): the journal's device and inode (git replaces the
  file), a hash of its first KiB and the 4 KiB before that offset (a rewrite in place),
  and a file of that very size whose times changed (an edit of the same length) read
  again. A hit parses only the events appended since.

A stale, foreign or corrupt entry is ignored and rebuilt, never trusted. So is a
cache directory or entry that is a symbolic link, a FIFO or not ours: dsday then
runs uncached. Failing to write an entry is not an error: dsday is then as fast as
without it, no slower. The cache directory is given by the caller
(``Environment.cache_dir``); None turns caching off.
"""

import json
import os
import stat
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dsday_cli._version import __version__
from dsday_cli.core.errors import DsdayError
from dsday_cli.store.files import resolved
from dsday_cli.core.model import Plan, plan_from_dict, plan_to_dict
from dsday_cli.store.plan import PlanFile
from dsday_cli.core.status import Progress, fold_events

if TYPE_CHECKING:
    from dsday_cli.store.journal import Resume

# A checkpoint is rewritten once this many new lines have been parsed: re-parsing a few
# lines costs less than rewriting the checkpoint after every `dsday done`.
CHECKPOINT_AFTER_LINES = 256


def _directory(path: Path) -> bool:
    """Whether ``path`` is (or could be made) a real directory of ours: never a symlink or another user's."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            os.mkdir(path, 0o700)
            info = os.lstat(path)
        except OSError:
            return False
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid()


def _entry(cache_dir: Path, kind: str, path: Path) -> Path | None:
    """Where the entry for ``path`` lives, or None if the cache directory cannot be trusted."""
    if not (_directory(cache_dir) and _directory(cache_dir / kind)):
        return None
    name = str(resolved(path)).encode()
    return cache_dir / kind / f"{zlib.crc32(name):08x}{zlib.adler32(name):08x}.json"


def _load(entry: Path, key: dict[str, Any]) -> dict[str, Any] | None:
    """An entry's body if its key matches and the body is intact (its checksum matches)."""
    from dsday_cli.store.files import open_regular

    try:
        with open_regular(entry, follow=False) as stream:
            header, _, body = stream.read().partition(b"\n")
        head = json.loads(header)
        if head.get("key") != key or head.get("crc32") != zlib.crc32(body):
            return None
        data = json.loads(body)
    except (OSError, ValueError, AttributeError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _store(entry: Path, key: dict[str, Any], body: dict[str, Any]) -> None:
    """Write an entry: a header line (key, CRC-32 of the body), then the body."""
    from dsday_cli.store.files import write_atomically

    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    header = json.dumps({"key": key, "crc32": zlib.crc32(text.encode())})
    try:
        write_atomically(entry, f"{header}\n{text}", durable=False)  # a lost entry is rebuilt
    except DsdayError:
        pass


def plan_key(read: PlanFile) -> dict[str, Any]:
    """What a cached plan must match: path, size, times, inode, content hash, dsday's version."""
    info = read.info
    return {
        "path": str(resolved(read.path)),
        "size": info.st_size,
        "mtime_ns": info.st_mtime_ns,
        "ctime_ns": info.st_ctime_ns,
        "ino": info.st_ino,
        "blake2b": read.digest,
        "version": __version__,
    }


def load_plan_cached(path: Path, cache_dir: Path | None) -> tuple[Plan, dict[str, Any] | None]:
    """The plan at ``path``, from the cache in ``cache_dir`` when it is current; and its key.

    The file is read once: the key describes exactly the bytes that are parsed.
    """
    read = PlanFile(path)
    entry = _entry(cache_dir, "plans", path) if cache_dir else None
    if entry is None:
        return read.parse()[0], None
    key = plan_key(read)
    cached = _load(entry, key)
    if cached is not None:
        try:
            return plan_from_dict(cached["plan"]), key
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # corrupt: rebuild
    plan = read.parse()[0]
    _store(entry, key, {"plan": plan_to_dict(plan)})
    return plan, key


def _checkpoint(saved: dict[str, Any] | None) -> "tuple[Resume, Progress, list[tuple[int, str]], int] | None":
    """A saved checkpoint's parts, or None if it is absent or malformed."""
    if saved is None:
        return None
    from dsday_cli.store.journal import Resume
    try:
        file = (int(saved["file"][0]), int(saved["file"][1]))
        resume = Resume(int(saved["end"]), int(saved["lines"]), int(saved["crc32"]), str(saved["sample"]), file)
        skipped = [(int(line), str(why)) for line, why in saved["skipped"]]
        return resume, Progress.from_raw(saved["progress"], saved["strays"]), skipped, int(saved["bad"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def fold_journal(
    plan: Plan, plan_cache_key: dict[str, Any] | None, journal: Path, cache_dir: Path | None
) -> tuple[Progress, list[str]]:
    """The journal folded for ``plan``, resuming from a verified checkpoint; and its unreadable lines, worded.

    Events stream from the file into the fold: memory holds the progress, not the journal.
    """
    # Imported here: the index needs this module's helpers, not the journal reader (~1.5 ms).
    from dsday_cli.store.journal import REPORTED, RULES, JournalScan, describe

    entry = _entry(cache_dir, "journals", journal) if plan_cache_key is not None and cache_dir else None
    key = {"plan": plan_cache_key, "journal": str(resolved(journal)), "version": __version__, "rules": RULES}
    loaded = _load(entry, key) if entry else None
    saved = _checkpoint(loaded)
    if saved and loaded:
        try:
            now = os.lstat(journal)
            if now.st_size == saved[0].end and [now.st_size, now.st_mtime_ns, now.st_ctime_ns] != loaded.get("stat"):
                saved = None  # the same length with other times: rewritten in place, read again
        except OSError:
            saved = None
    with JournalScan(journal, saved[0] if saved else None) as scan:
        progress = saved[1] if saved and scan.resumed else Progress()
        fold_events(plan, scan, progress)
    skipped, bad = scan.skipped, scan.bad
    if saved and scan.resumed:
        skipped, bad = (saved[2] + skipped)[:REPORTED], saved[3] + bad
    if entry and scan.new_lines >= CHECKPOINT_AFTER_LINES:
        info = scan.info
        body = {
            "end": scan.end, "lines": scan.lines, "crc32": scan.crc32, "skipped": skipped, "bad": bad,
            "sample": scan.sample, "file": info and [info.st_dev, info.st_ino],
            "stat": info and [info.st_size, info.st_mtime_ns, info.st_ctime_ns],
        }  # fmt: skip
        _store(entry, key, body | {"progress": progress.raw(), "strays": progress.strays})
    return progress, describe(journal, skipped, bad, scan.torn, scan.unfinished)
