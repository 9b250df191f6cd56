"""The journal under real offices: replaced files, killed writers, hostile paths, huge and broken journals.

Every case runs real processes on real files: lock holders, writers killed by a
signal, FIFOs, devices, symbolic links.
"""

import json
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from dsday_cli.store.journal import append_events, encode, lock_path, new_event, read_journal
from tests.conftest import DSDAY, write_plan

AS_OF = {"DSDAY_AS_OF": "2023-10-20"}


@pytest.fixture
def plan(tmp_path):
    return write_plan(tmp_path / "plan.yaml", items=200, members=3)


def lines_of(path: Path) -> list[dict]:
    """Every line of a journal, parsed: fails on a torn or bad line."""
    return [json.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def event(item: str, note: str = "", by: str = "other office") -> bytes:
    return encode(new_event("done", item, None, date(2023, 10, 1), by, note, "test-plan", datetime.now(timezone.utc)))


def json_event(item: str):
    return new_event("done", item, None, date(2023, 10, 1), "x", None, "test-plan", datetime.now(timezone.utc))


def has_open(pid: int, path: Path) -> bool:
    """Whether process ``pid`` has ``path`` open."""
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(path) for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


def wait_until(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.01)


# ---- appends that survive replacement ----------------------------------------------

HOLDER = """
import fcntl, os, sys
held, journal, replacement = sys.argv[1:4]
fd = os.open(held, os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.readline()
os.replace(replacement, journal)  # what git checkout and rebase do: a new file under the old name
if len(sys.argv) > 4:
    os.replace(sys.argv[4], held)  # the lock file replaced too
print("replaced", flush=True)
"""


@pytest.mark.parametrize("held", ["journal", "lock file", "lock file, then replaced"])
def test_done_waiting_for_the_lock_lands_in_the_file_that_replaced_the_journal(sh, plan, tmp_path, held):
    journal = tmp_path / "plan.progress.jsonl"
    journal.write_bytes(event("t5"))
    replacement = tmp_path / "from-git"
    replacement.write_bytes(journal.read_bytes() + event("t6"))  # the journal as the other office left it
    lock = journal if held == "journal" else lock_path(journal)
    extra = [str(tmp_path / "new-lock")] if held.endswith("replaced") else []
    if extra:
        Path(extra[0]).write_bytes(b"")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock), str(journal), str(replacement), *extra],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout.readline() == "locked\n"
    writer = subprocess.Popen(
        [DSDAY, "done", "t1"], env=dict(os.environ, **AS_OF), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # The writer is waiting: it holds the lock file open (and, in the first case, the journal it wants to lock).
    wait_until(lambda: has_open(writer.pid, lock_path(journal)) and has_open(writer.pid, lock), "the writer waits")
    holder.stdin.write("go\n")
    holder.stdin.flush()
    assert holder.stdout.readline() == "replaced\n" and holder.wait(timeout=60) == 0
    out, err = writer.communicate(timeout=60)
    assert (writer.returncode, out, err) == (0, "t1: done on 20/10/2023\n", "")
    assert [(e["item"], e["by"]) for e in lines_of(journal)] == [
        ("t5", "other office"),
        ("t6", "other office"),
        ("t1", "tester"),
    ]


BATCH_WRITER = """
import resource, signal, sys
from datetime import date, datetime, timezone
from pathlib import Path
from dsday_cli.store.journal import append_events, new_event
path, batches, size, limit = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
if limit:  # past this size a write kills the process, as SIGKILL would in the middle of an append
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
for b in range(batches):
    tag = f"{sys.argv[5]}-{b}"
    now = datetime.now(timezone.utc)
    note = f"{tag} " + "x" * 1000
    append_events(path, [new_event("done", f"t{n}", None, date(2023, 10, 1), "w", note, "test-plan", now)
                         for n in range(size)], lock_timeout=60)
    print(tag, flush=True)
"""


def batches_in(path: Path) -> dict[str, int]:
    """How many events of each batch (tagged in the note) the file's lines hold."""
    counts: dict[str, int] = {}
    for e in lines_of(path):
        if e["by"] == "w":
            counts[e["note"].split()[0]] = counts.get(e["note"].split()[0], 0) + 1
    return counts


def test_a_writer_killed_in_the_middle_of_an_append_leaves_all_or_none(sh, plan, tmp_path):
    journal = tmp_path / "plan.progress.jsonl"
    assert sh("done", "t0", env=AS_OF).code == 0
    limit = journal.stat().st_size + 30_000  # the 100-event batch (100 kB) is cut after 30 kB
    killed = subprocess.run(
        [sys.executable, "-c", BATCH_WRITER, str(journal), "1", "100", str(limit), "cut"], capture_output=True
    )
    assert killed.returncode == -signal.SIGXFSZ and killed.stdout == b""
    assert journal.stat().st_size == limit  # part of the batch is in the file...
    log = sh("log", "--format", "json", env=AS_OF)  # ...but no reader counts it
    assert log.code == 0 and [e["item"] for e in json.loads(log.out)] == ["t0"]
    assert "the last 30,000 bytes are an append its writer did not finish" in log.err
    assert json.loads(sh("show", "t1", "--format", "json", env=AS_OF).out)["status"] == "overdue"
    checked = sh("validate", "plan.yaml")
    assert checked.code == 65 and "did not finish" in checked.err
    assert sh("done", "t2", env=AS_OF).code == 0  # the next writer removes it
    assert [e["item"] for e in lines_of(journal)] == ["t0", "t2"]
    assert lock_path(journal).read_bytes() == b""
    assert sh("validate", "plan.yaml").code == 0


def test_sigkill_at_any_moment_leaves_only_whole_batches(plan, tmp_path):
    journal = tmp_path / "plan.progress.jsonl"
    acknowledged: list[str] = []
    for cycle in range(12):
        writer = subprocess.Popen(
            [sys.executable, "-c", BATCH_WRITER, str(journal), "1000", "150", "0", f"c{cycle}"],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        acknowledged += [writer.stdout.readline().strip() for _ in range(1 + cycle % 3)]
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        acknowledged += [line.strip() for line in writer.stdout if line.strip()]
        seen: dict[str, int] = {}
        for e in read_journal(journal).events:  # what readers see between kills
            seen[e.note.split()[0]] = seen.get(e.note.split()[0], 0) + 1
        assert set(seen.values()) == {150} and set(acknowledged) <= set(seen)
    append_events(journal, [json_event("t1")])
    counts = batches_in(journal)  # every line parses: no torn line is left either
    assert set(counts.values()) == {150} and set(acknowledged) <= set(counts)


def test_a_write_error_in_the_middle_of_a_batch_records_nothing(sh, plan, tmp_path):
    journal = tmp_path / "plan.progress.jsonl"
    assert sh("done", "t0", env=AS_OF).code == 0
    before = journal.read_bytes()
    limit = len(before) + 500  # room for two events of the hundred

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    ids = [f"t{n}" for n in range(1, 101)]
    done = subprocess.run(
        [DSDAY, "done", *ids], env=dict(os.environ, **AS_OF), capture_output=True, text=True, preexec_fn=small_files
    )
    assert done.returncode == 74
    assert done.stderr == "dsday: plan.progress.jsonl: cannot write the journal: File too large; nothing recorded\n"
    assert journal.read_bytes() == before


@pytest.fixture
def small_disk(tmp_path):
    """A 256 kB tmpfs (needs root: skipped where mounting is not allowed)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("mounting a tmpfs needs root")
    yield disk
    subprocess.run(["umount", str(disk)], check=True)


def test_a_full_disk_records_nothing_of_the_batch(sh, plan, small_disk):
    journal = small_disk / "j.jsonl"
    filler = small_disk / "filler"
    filler.write_bytes(b"x" * (256_000 - 40_000))
    assert sh("done", "t0", "--progress", str(journal), env=AS_OF).code == 0
    before = journal.read_bytes()
    ids = [f"t{n}" for n in range(1, 200)]
    done = sh("done", *ids, "--note", "x" * 300, "--progress", str(journal), env=AS_OF)
    assert (done.code, done.err) == (74, f"dsday: {journal}: cannot write the journal: disk full; nothing recorded\n")
    assert journal.read_bytes() == before


def test_a_device_is_never_used_as_the_journal(sh, plan):
    result = sh("done", "t1", "--progress", "/dev/full", env=AS_OF)
    assert result.code == 74
    assert result.err.endswith(
        "dsday: /dev/full: cannot write the journal: it is a character device, not a regular file; nothing recorded\n"
    )
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode) and not os.path.exists("/dev/.full.lock")


# ---- files opened safely -------------------------------------------------------------


def test_a_symlinked_journal_is_neither_read_nor_written(sh, plan, tmp_path):
    victim = tmp_path / "bashrc"
    victim.write_text("# my shell\n")
    (tmp_path / "plan.progress.jsonl").symlink_to(victim)
    done = sh("done", "t1", "--note", "$(touch pwned)", env=AS_OF)
    assert done.code == 74 and "it is a symbolic link, which dsday does not follow here; nothing recorded" in done.err
    status = sh("list", "--format", "json", env=AS_OF)
    assert status.code == 0
    assert status.err == (
        "dsday: warning: plan.progress.jsonl: cannot read the journal: it is a symbolic link, "
        "which dsday does not follow here\n"
    )
    assert sh("validate", "plan.yaml").code == 65
    assert victim.read_text() == "# my shell\n"


def test_a_symlinked_lock_file_is_refused(sh, plan, tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("keep\n")
    lock_path(tmp_path / "plan.progress.jsonl").symlink_to(victim)
    done = sh("done", "t1", env=AS_OF)
    assert done.code == 74 and ".plan.progress.jsonl.lock: cannot write the journal: it is a symbolic link" in done.err
    assert victim.read_text() == "keep\n" and not (tmp_path / "plan.progress.jsonl").exists()


def run_bounded(*args: str, env: dict | None = None, seconds: float = 20) -> subprocess.CompletedProcess:
    """Run dsday; a hang fails the test instead of stopping the suite."""
    return subprocess.run(
        [DSDAY, *args], env=dict(os.environ, **(env or {})), capture_output=True, text=True, timeout=seconds
    )


def test_fifos_are_refused_at_once(plan, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    as_plan = run_bounded("status", "--plan", str(fifo))
    assert (as_plan.returncode, as_plan.stderr) == (
        66,
        f"dsday: {fifo}: cannot read the plan file: it is a FIFO, not a regular file\n",
    )
    as_journal = run_bounded("list", "--progress", str(fifo), env=AS_OF)
    assert as_journal.returncode == 0 and "it is a FIFO, not a regular file" in as_journal.stderr
    written = run_bounded("done", "t1", "--progress", str(fifo), env=AS_OF)
    assert written.returncode == 74 and "cannot write the journal: it is a FIFO" in written.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def cache_entries(tmp_path: Path, kind: str) -> list[Path]:
    return sorted((tmp_path / "cache" / "dsday" / kind).glob("*.json"))


def test_a_fifo_or_symlink_in_the_cache_is_passed_over(plan, tmp_path):
    append_events(tmp_path / "plan.progress.jsonl", [new_event("done", f"t{n}", None, date(2023, 10, 1), "b", None,
                  "test-plan", datetime.now(timezone.utc)) for n in range(200)])  # fmt: skip
    cold = run_bounded("list", "--format", "json", env=AS_OF | {"DSDAY_NO_CACHE": "1"}).stdout
    assert run_bounded("list", "--format", "json", env=AS_OF).stdout == cold
    for entry in cache_entries(tmp_path, "plans") + cache_entries(tmp_path, "journals"):
        entry.unlink()
        os.mkfifo(entry)
    result = run_bounded("list", "--format", "json", env=AS_OF)
    assert (result.returncode, result.stdout, result.stderr) == (0, cold, "")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache = tmp_path / "cache" / "dsday"
    cache.rename(tmp_path / "old-cache")
    cache.symlink_to(elsewhere)
    result = run_bounded("list", "--format", "json", env=AS_OF)
    assert (result.returncode, result.stdout, result.stderr) == (0, cold, "")
    assert list(elsewhere.iterdir()) == []  # not followed: nothing written there


def test_output_never_replaces_a_device_a_link_the_plan_or_the_journal(sh, plan, tmp_path):
    assert sh("done", "t1", env=AS_OF).code == 0
    device = sh("export", "--format", "csv", "-o", "/dev/full", env=AS_OF)
    assert (device.code, device.err) == (
        73,
        "dsday: /dev/full: it is a character device, not a regular file; not replaced\n",
    )
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "target.csv")
    linked = sh("export", "--format", "csv", "-o", str(link), env=AS_OF)
    assert linked.code == 73 and "symbolic link" in linked.err and link.is_symlink()
    assert not (tmp_path / "target.csv").exists()
    plan_before = plan.read_bytes()
    journal_before = (tmp_path / "plan.progress.jsonl").read_bytes()
    os.link(plan, tmp_path / "hard-link.yaml")
    for target, args in [
        ("plan.yaml", ("report",)),
        ("plan.progress.jsonl", ("export", "--format", "json")),
        ("hard-link.yaml", ("report", "--format", "html")),
    ]:
        result = sh(*args, "-o", target, env=AS_OF)
        assert (result.code, result.err) == (
            73,
            f"dsday: {target} is the plan or the journal in use; write the output to another file\n",
        )
    rolled = sh("rollover", "2024", "--force", "-o", "plan.yaml")
    assert rolled.code == 73 and "in use" in rolled.err
    assert plan.read_bytes() == plan_before
    assert (tmp_path / "plan.progress.jsonl").read_bytes() == journal_before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [".plan.progress.jsonl.lock"]


def test_outputs_respect_the_umask_and_keep_an_existing_mode(plan, tmp_path):
    def umask_027():
        os.umask(0o027)

    env = dict(os.environ, **AS_OF)
    run = subprocess.run([DSDAY, "export", "-o", "new.md"], env=env, capture_output=True, preexec_fn=umask_027)
    assert run.returncode == 0 and stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o640
    existing = tmp_path / "kept.md"
    existing.write_text("old")
    existing.chmod(0o604)
    run = subprocess.run([DSDAY, "export", "-o", "kept.md"], env=env, capture_output=True, preexec_fn=umask_027)
    assert run.returncode == 0 and stat.S_IMODE(existing.stat().st_mode) == 0o604
    assert existing.read_text().startswith("#")


def _crc_collision(original: bytes, edited: bytes, free: slice) -> bytes:
    """``edited`` with the low five bits of each character in ``free`` chosen so its CRC-32 equals ``original``'s."""
    import zlib

    target = zlib.crc32(original)
    base = bytearray(edited)
    for i in range(free.start, free.stop):
        base[i] = 0x40  # '@': the low five bits are free, the character stays printable ASCII
    positions = [(i, bit) for i in range(free.start, free.stop) for bit in range(5)]
    zero = zlib.crc32(bytes(base))
    # CRC-32 is affine over GF(2): crc(base ^ delta) = crc(base) ^ linear(delta); solve for target ^ crc(base).
    rows = []
    for i, bit in positions:
        flipped = bytearray(base)
        flipped[i] ^= 1 << bit
        rows.append(zlib.crc32(bytes(flipped)) ^ zero)
    want = target ^ zero
    basis: list[tuple[int, int]] = []  # (vector, mask of positions combined)
    for index, row in enumerate(rows):
        mask = 1 << index
        for vector, combined in basis:
            if row ^ vector < row:
                row, mask = row ^ vector, mask ^ combined
        if row:
            basis.append((row, mask))
            basis.sort(reverse=True)
    chosen = 0
    for vector, combined in basis:
        if want ^ vector < want:
            want, chosen = want ^ vector, chosen ^ combined
    assert want == 0, "no collision with these free bits"
    for index, (i, bit) in enumerate(positions):
        if chosen >> index & 1:
            base[i] ^= 1 << bit
    assert zlib.crc32(bytes(base)) == target
    return bytes(base)


def test_a_forged_crc32_and_restored_mtime_cannot_keep_an_edited_plan_stale(plan, tmp_path, monkeypatch):
    monkeypatch.setenv("DSDAY_NO_INDEX", "1")  # the plan cache's key is tested (the index's: tests/test_index.py)
    plan.write_text(plan.read_text(encoding="utf-8") + "# @@@@@@@@@@@@\n", encoding="utf-8")
    first = run_bounded("list", "--format", "json", env=AS_OF)
    assert "Việc số 7" in first.stdout and len(cache_entries(tmp_path, "plans")) == 1
    original = plan.read_bytes()
    edited = original.replace("Việc số 7,".encode(), "Việc số 9,".encode())
    start = edited.rindex(b"# ") + 2
    forged = _crc_collision(original, edited, slice(start, start + 12))
    assert len(forged) == len(original) and forged != original
    info = plan.stat()
    plan.write_bytes(forged)
    os.utime(plan, ns=(info.st_atime_ns, info.st_mtime_ns))  # same size, same mtime, same CRC-32
    again = run_bounded("list", "--format", "json", env=AS_OF)
    assert again.stdout == run_bounded("list", "--format", "json", env=AS_OF | {"DSDAY_NO_CACHE": "1"}).stdout
    assert again.stdout.count('"Việc số 9"') == 2


def test_a_checkpoint_describes_exactly_the_bytes_it_folded(plan, tmp_path, monkeypatch):
    from dsday_cli.store import cache
    from dsday_cli.app.environment import Environment
    from dsday_cli.app.workspace import open_workspace

    journal = tmp_path / "plan.progress.jsonl"
    lines = [event(f"t{n}", by="b") for n in range(300)]
    journal.write_bytes(b"".join(lines))
    merged = tmp_path / "merged"  # what a git merge leaves: a line in the middle, then the rest
    merged.write_bytes(b"".join(lines[:100]) + event("t150", by="merged in") + b"".join(lines[100:]))
    fold = cache.fold_events

    def replaced_while_folding(plan_, events, progress=None):
        os.replace(merged, journal)  # git replaces the file while dsday reads the old one
        return fold(plan_, events, progress)

    monkeypatch.setenv("DSDAY_NO_INDEX", "1")  # the checkpoint is tested (the index: tests/test_index.py)
    monkeypatch.setattr(cache, "fold_events", replaced_while_folding)
    open_workspace(plan, as_of="2023-10-20", env=Environment.from_os())
    assert cache_entries(tmp_path, "journals")
    warm = run_bounded("show", "t150", "--format", "json", env=AS_OF).stdout
    assert warm == run_bounded("show", "t150", "--format", "json", env=AS_OF | {"DSDAY_NO_CACHE": "1"}).stdout
    assert json.loads(warm)["done_by"] == "merged in"


# ---- no home -------------------------------------------------------------------------


def test_no_home_and_no_passwd_entry_asks_where_the_journal_goes(cli, tmp_path, monkeypatch):
    import pwd

    def no_entry(uid):
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    for name in ("HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name)
    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    result = cli("done", "v1-1", "--as-of", "2023-10-01")
    assert result.code == 2
    assert result.err == (
        "dsday: no home directory to keep the embedded plan's journal in (HOME is unset and the user has no "
        "passwd entry): give --progress FILE or set XDG_STATE_HOME\n"
    )
    assert cli("status", "--as-of", "2023-10-01").code == 2
    assert cli("done", "v1-1", "--as-of", "2023-10-01", "--progress", "j.jsonl").code == 0
    monkeypatch.setenv("XDG_STATE_HOME", "relative/state")  # ignored, as the XDG specification says
    assert cli("status", "--as-of", "2023-10-01").code == 2
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert cli("done", "v1-2", "--as-of", "2023-10-01").code == 0
    assert (tmp_path / "state" / "dsday" / "nghe-an-2023.progress.jsonl").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".j.jsonl.lock", "j.jsonl", "state"]  # no ./~ anywhere


def test_home_unset_uses_the_passwd_home(tmp_path):
    from dsday_cli.app.environment import Environment

    import pwd

    home = Path(pwd.getpwuid(os.getuid()).pw_dir)
    assert Environment.from_os({}).state_dir == home / ".local" / "state" / "dsday"
    assert Environment.from_os({"HOME": ""}).cache_dir == home / ".cache" / "dsday"
    assert Environment.from_os({"HOME": "rel"}).state_dir is None


# ---- bounded reading -----------------------------------------------------------------


def test_hostile_lines_never_stop_a_command(sh, plan, tmp_path):
    journal = tmp_path / "plan.progress.jsonl"
    good = event("t1")
    record = json.loads(good)
    with open(journal, "wb") as stream:
        stream.write(good)
        stream.write(b"[" * 200_000 + b"]" * 200_000 + b"\n")  # deeper than the parser's recursion limit
        stream.write(json.dumps(record | {"id": "x1", "at": "9999-12-31T23:59:59-05:00"}).encode() + b"\n")
        stream.write(json.dumps(record | {"id": "x2", "at": "0001-01-01T00:00:00+01:00"}).encode() + b"\n")
        stream.write(b'{"note": "' + b"x" * (3 << 20) + b'"}\n')  # 3 MiB on one line
        stream.write(b"garbage\n" * 100_000)
    listed = sh("list", "--format", "json", env=AS_OF)
    assert listed.code == 0
    warnings = listed.err.splitlines()
    assert warnings[:5] == [
        "dsday: warning: plan.progress.jsonl:2: unreadable event "
        "(maximum recursion depth exceeded while decoding a JSON array from a unicode string); skipped",
        "dsday: warning: plan.progress.jsonl:3: unreadable event (date value out of range); skipped",
        "dsday: warning: plan.progress.jsonl:4: unreadable event (date value out of range); skipped",
        f"dsday: warning: plan.progress.jsonl:5: unreadable event (line longer than {1 << 20} bytes); skipped",
        "dsday: warning: plan.progress.jsonl:6: unreadable event (Expecting value: line 1 column 1 (char 0)); skipped",
    ]
    assert warnings[5:] == [
        "dsday: warning: plan.progress.jsonl: … and 99,999 more unreadable lines; run 'dsday validate'"
    ]
    assert [i["id"] for i in json.loads(listed.out) if i["status"] == "done"] == ["t1"]
    assert sh("done", "t2", env=AS_OF).code == 0
    checked = sh("validate", "plan.yaml")
    assert checked.code == 65
    assert checked.out.endswith("plan.progress.jsonl: 2 events, 100004 unreadable lines\n")
    assert len(checked.err.splitlines()) == 101 and checked.err.endswith(
        "plan.progress.jsonl: … and 99,904 more unreadable lines\n"
    )
    assert sh("status", env=AS_OF).code == 0


PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_kib(*args: str, env: dict) -> int:
    """The peak resident memory of one dsday run, in KiB."""
    done = subprocess.run([sys.executable, "-c", PEAK, DSDAY, *args], env=dict(os.environ, **env), capture_output=True,
                          text=True, check=True)  # fmt: skip
    return int(done.stdout)


def test_memory_is_bounded_by_the_plan_not_the_journal(plan, tmp_path):
    uncached = {**AS_OF, "DSDAY_NO_CACHE": "1"}
    status = ("status", "--format", "json")
    baseline = {"status": peak_kib(*status, env=uncached), "validate": peak_kib("validate", "plan.yaml", env=uncached)}
    journal = tmp_path / "plan.progress.jsonl"
    record = json.loads(event("t1"))
    with open(journal, "w", encoding="utf-8") as stream:  # ~50 MB: 200,000 events
        for n in range(200_000):
            line = record | {"id": f"{n:08d}", "item": f"t{n % 200}", "note": "ghi chú " * 12}
            stream.write(json.dumps(line) + "\n")
    assert journal.stat().st_size > 45_000_000
    for env in (uncached, AS_OF, AS_OF):  # no cache; cold cache; warm cache
        assert peak_kib(*status, env=env) < baseline["status"] + 20_000
    assert peak_kib("validate", "plan.yaml", env=uncached) < baseline["validate"] + 20_000
