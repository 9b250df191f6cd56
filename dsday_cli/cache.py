"""Derived data kept in the user's cache directory, verified before every use.

- The plan cache: a validated plan as JSON, keyed by the plan file's path, size,
  modification time, content checksum and dsday's version. A hit skips YAML and
  Pydantic entirely.
- The journal checkpoint: the folded progress and the byte offset it covers, keyed by
  the plan's key and a checksum of the journal up to that offset. A hit parses only the
  events appended since.

A stale, foreign or corrupt entry is ignored and rebuilt, never trusted. Failing to
write one is not an error: dsday is then as fast as without it, no slower. The cache
directory is given by the caller (``Environment.cache_dir``); None turns caching off.
"""

import json
import zlib
from pathlib import Path

from dsday_cli import __version__
from dsday_cli.errors import DsdayError
from dsday_cli.journal import describe, read_chunk
from dsday_cli.model import Plan, plan_from_dict, plan_to_dict
from dsday_cli.plan import MAX_BYTES, load_plan, parse_plan, read_plan_text
from dsday_cli.status import Progress, fold_events

# A checkpoint is rewritten once this many new lines have been parsed: re-parsing a few
# lines costs less than rewriting the checkpoint after every `dsday done`.
CHECKPOINT_AFTER_LINES = 256


def _entry(cache_dir: Path, kind: str, path: Path) -> Path:
    name = str(path.resolve()).encode()
    return cache_dir / kind / f"{zlib.crc32(name):08x}{zlib.adler32(name):08x}.json"


def _load(entry: Path, key: dict) -> dict | None:
    """An entry's body if its key matches and the body is intact (its checksum matches)."""
    try:
        header, _, body = entry.read_bytes().partition(b"\n")
        head = json.loads(header)
        if head.get("key") != key or head.get("crc32") != zlib.crc32(body):
            return None
        data = json.loads(body)
    except (OSError, ValueError, AttributeError):
        return None
    return data if isinstance(data, dict) else None


def _store(entry: Path, key: dict, body: dict) -> None:
    """Write an entry: a header line (key, CRC-32 of the body), then the body."""
    from dsday_cli.files import write_atomically

    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    header = json.dumps({"key": key, "crc32": zlib.crc32(text.encode())})
    try:
        write_atomically(entry, f"{header}\n{text}", durable=False)  # a lost entry is rebuilt
    except DsdayError:
        pass


def plan_key(path: Path) -> dict | None:
    """What a cached plan must match: path, size, mtime, content checksum, dsday's version."""
    try:
        stat = path.stat()
        if not path.is_file() or stat.st_size > MAX_BYTES:
            return None
        content = path.read_bytes()
    except OSError:
        return None
    return {
        "path": str(path.resolve()),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "crc32": zlib.crc32(content),
        "version": __version__,
    }


def load_plan_cached(path: Path, cache_dir: Path | None) -> tuple[Plan, dict | None]:
    """The plan at ``path``, from the cache in ``cache_dir`` when it is current; and its key."""
    key = plan_key(path) if cache_dir else None
    if cache_dir is None or key is None:
        return load_plan(path), None
    entry = _entry(cache_dir, "plans", path)
    cached = _load(entry, key)
    if cached is not None:
        try:
            return plan_from_dict(cached["plan"]), key
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # corrupt: rebuild
    plan = parse_plan(read_plan_text(path), str(path))
    _store(entry, key, {"plan": plan_to_dict(plan)})
    return plan, key


def _prefix_checksum(path: Path, end: int) -> int | None:
    """CRC-32 of the journal's first ``end`` bytes, or None if it has fewer."""
    checksum = 0
    try:
        with open(path, "rb") as stream:
            remaining = end
            while remaining > 0:
                block = stream.read(min(remaining, 1 << 20))
                if not block:
                    return None
                checksum = zlib.crc32(block, checksum)
                remaining -= len(block)
    except OSError:
        return None
    return checksum


def fold_journal(
    plan: Plan, plan_cache_key: dict | None, journal: Path, cache_dir: Path | None
) -> tuple[Progress, list[str]]:
    """The journal folded for ``plan``, resuming from a verified checkpoint; and its skipped lines, worded."""
    if plan_cache_key is None or cache_dir is None or not journal.is_file():
        chunk = read_chunk(journal)
        return fold_events(plan, chunk.events), describe(journal, chunk.skipped, chunk.torn)
    entry = _entry(cache_dir, "journals", journal)
    key = {"plan": plan_cache_key, "journal": str(journal.resolve()), "version": __version__}
    saved = _load(entry, key)
    progress, start, lines, skipped = Progress(), 0, 0, []
    if saved is not None:
        try:
            if saved["end"] <= journal.stat().st_size and _prefix_checksum(journal, saved["end"]) == saved["crc32"]:
                progress = Progress.from_raw(saved["progress"], saved["strays"])
                start, lines, skipped = saved["end"], saved["lines"], [tuple(s) for s in saved["skipped"]]
        except (KeyError, TypeError, ValueError, AttributeError, OSError):
            progress, start, lines, skipped = Progress(), 0, 0, []
    chunk = read_chunk(journal, start, lines + 1)
    fold_events(plan, chunk.events, progress)
    skipped += chunk.skipped
    if chunk.lines >= CHECKPOINT_AFTER_LINES:
        checksum = _prefix_checksum(journal, chunk.end)
        if checksum is not None:
            body = {"end": chunk.end, "lines": lines + chunk.lines, "crc32": checksum, "skipped": skipped}
            _store(entry, key, body | {"progress": progress.raw(), "strays": progress.strays})
    return progress, describe(journal, skipped, chunk.torn)
