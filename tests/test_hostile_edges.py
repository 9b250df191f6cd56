"""Hostile edges: other writers of the plan file, caches that cannot be written, outputs that fail, absurd values.

Each case runs the installed ``dsday`` (or the public API) on real files and real
processes, and asks for a documented exit code, one line on stderr and no traceback.
"""

import getpass
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DSDAY, write_plan

AS_OF = ["--as-of", "12/10/2023"]


def run(*args: str, env: dict | None = None, cwd=None, **options) -> subprocess.CompletedProcess:
    """The installed dsday, as a separate process, with bytes out."""
    options.setdefault("timeout", 60)
    return subprocess.run([DSDAY, *args], capture_output=True, env=dict(os.environ) | (env or {}), cwd=cwd, **options)


def one_clean_line(stderr: bytes | str) -> str:
    """stderr holds one 'dsday: …' line and no traceback; that line."""
    text = stderr.decode() if isinstance(stderr, bytes) else stderr
    assert "Traceback" not in text and "internal error" not in text, text
    lines = text.splitlines()
    assert len(lines) == 1 and lines[0].startswith("dsday: "), text
    return lines[0]


@pytest.fixture
def plan(sh, tmp_path) -> Path:
    """A plan file of one's own (the shipped plan, copied by ``dsday init``)."""
    assert sh("init", ".").code == 0
    return tmp_path / "plan.yaml"


# ---- the plan file's other writers: plan add-member, plan members --from ----------------------------------------


def test_concurrent_member_additions_all_land(tmp_path):
    plan = write_plan(tmp_path / "plan.yaml", members=2)
    names = []
    for k in range(3):  # before the lock, each round lost one of the two
        pair = [f"Xã Song Song A{k}", f"Xã Song Song B{k}"]
        runs = [
            subprocess.Popen([DSDAY, "plan", "add-member", "ag0", name, "--plan", str(plan)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for name in pair
        ]  # fmt: skip
        for process in runs:
            out, err = process.communicate(timeout=60)
            assert process.returncode == 0, err
            assert b"added 1 member (" in out
        names += pair
    text = plan.read_text(encoding="utf-8")
    assert [name for name in names if f"{name}}}" not in text] == []  # every acknowledged addition is there


def test_line_ends_and_the_final_newline_are_kept(sh, plan):
    lines = plan.read_bytes().split(b"\n")
    comment = next(n for n, line in enumerate(lines) if line.strip().startswith(b"#"))
    lines[comment] += b"\r"  # one pasted CRLF line in an LF file
    mixed = b"\n".join(lines).rstrip(b"\n")  # and no final newline
    plan.write_bytes(mixed)
    assert sh("plan", "add-member", "ubnd-huyen", "Xã Mới").code == 0
    after = plan.read_bytes()
    assert after.count(b"\r\n") == 1 and not after.endswith(b"\n")
    assert after.startswith(mixed[: mixed.index(b"ubnd-huyen")])
    assert sh("validate").code == 0

    plan.write_bytes(mixed.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") + b"\r\n")  # all CRLF
    assert sh("plan", "add-member", "ubnd-huyen", "Xã Mới Hai").code == 0
    after = plan.read_bytes()
    assert after.endswith(b"\r\n") and after.count(b"\n") == after.count(b"\r\n")
    assert "Xã Mới Hai".encode() in after


def test_hard_links_owner_and_mode_are_kept(sh, plan, tmp_path):
    other = tmp_path / "ban-sao.yaml"
    os.link(plan, other)
    os.chmod(plan, 0o640)
    assert sh("plan", "add-member", "ubnd-huyen", "Xã Liên Kết").code == 0
    assert plan.samefile(other) and "Xã Liên Kết" in other.read_text(encoding="utf-8")
    assert plan.stat().st_mode & 0o777 == 0o640
    if os.geteuid() == 0:  # only root can give a file to another user
        os.unlink(other)
        os.chown(plan, 65534, 65534)
        assert sh("plan", "members", "ubnd-huyen", "--from", str(names_file(tmp_path, "Xã Chủ Khác"))).code == 0
        info = plan.stat()
        assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (65534, 65534, 0o640)
        assert "Xã Chủ Khác" in plan.read_text(encoding="utf-8")


def names_file(tmp_path: Path, *names: str) -> Path:
    path = tmp_path / "ten.txt"
    path.write_text("".join(f"{name}\n" for name in names), encoding="utf-8")
    return path


def test_a_plan_edit_waits_for_the_journal_lock(sh, plan, tmp_path):
    """The lock is the journal's: while another writer (done, sync) holds it, the plan is not replaced."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys, time\n"
         "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\nfcntl.flock(fd, fcntl.LOCK_EX)\n"
         "print('held', flush=True)\ntime.sleep(30)", str(tmp_path / ".plan.progress.jsonl.lock")],
        stdout=subprocess.PIPE,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        before = plan.read_bytes()
        result = sh("plan", "add-member", "ubnd-huyen", "Xã Chờ", env={"DSDAY_LOCK_TIMEOUT": "0.3"})
        assert result.code == 75 and "another dsday" in one_clean_line(result.err), result
        assert plan.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()


# ---- text of the plan never drives the terminal -----------------------------------------------------------------


def test_plan_members_prints_names_harmlessly(sh, plan):
    # A name that would drive the terminal is refused where it stands (validation), and the line saying so is harmless.
    text = plan.read_text(encoding="utf-8")
    text = text.replace("{id: vinh, name: Thành phố Vinh}", '{id: vinh, name: "Thành phố Vinh \\x9b2J \\u202e \\e]52;c;eA==\\a"}')
    plan.write_text(text, encoding="utf-8")
    result = run("plan", "members", "ubnd-huyen")
    assert result.returncode == 65, result.stderr
    assert result.stdout == b""
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", result.stderr.decode()), result.stderr
    assert b"members[" in result.stderr and b"control character" in result.stderr
    # and a name given to add-member never reaches the file or the terminal raw
    plan.write_text(text.replace('"Thành phố Vinh \\x9b2J \\u202e \\e]52;c;eA==\\a"', "Thành phố Vinh"), encoding="utf-8")
    before = plan.read_bytes()
    result = run("plan", "add-member", "ubnd-huyen", "Xã \x1b]52;c;eA==\x07Mới\u202e")
    shown = result.stdout.decode() + result.stderr.decode()
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", shown), shown
    if result.returncode == 0:
        assert "\x1b" not in plan.read_text(encoding="utf-8")
    else:
        assert plan.read_bytes() == before


# ---- who records ------------------------------------------------------------------------------------------------


def login() -> str:
    return getpass.getuser()


def done_by(sh, item: str) -> str:
    return next(i for i in json.loads(sh("list", "--format", "json", *AS_OF).out) if i["id"] == item)["done_by"]


def test_who_records_by_dsday_user_then_the_file_then_the_login(sh, tmp_path):
    config = tmp_path / "config" / "dsday" / "config.toml"  # $XDG_CONFIG_HOME, as the suite sets it
    config.parent.mkdir(parents=True)
    config.write_text('[user]\nname = "Văn thư Sở"\n', encoding="utf-8")
    assert sh("done", "v1-1", *AS_OF).code == 0
    assert done_by(sh, "v1-1") == "tester"  # $DSDAY_USER wins over the file
    assert sh("done", "v1-2", *AS_OF, env={"DSDAY_USER": ""}).code == 0
    assert done_by(sh, "v1-2") == "Văn thư Sở"
    assert sh("done", "v1-3", "--by", "Phòng KH", *AS_OF).code == 0
    assert done_by(sh, "v1-3") == "Phòng KH"
    config.unlink()
    assert sh("done", "v1-4", *AS_OF, env={"DSDAY_USER": ""}).code == 0
    assert done_by(sh, "v1-4") == login()


def test_the_api_records_whom_the_command_line_records(tmp_path, monkeypatch):
    """One answer: a script's ``done`` and ``note`` without ``by`` record the configured name, as ``dsday done`` does."""
    import dsday_cli as d

    config = tmp_path / "config" / "dsday" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[user]\nname = "Văn thư Sở"\n', encoding="utf-8")
    monkeypatch.delenv("DSDAY_USER")
    ws = d.open_workspace(as_of="12/10/2023")
    ws.done(["v1-1"])
    ws.note("v1-1", "đã xong")
    assert [e.by for e in ws.history("v1-1")] == ["Văn thư Sở", "Văn thư Sở"]


def test_without_a_name_the_login_records(sh):
    """Run again by the test below with a developer's configuration around it: it must not be read."""
    assert sh("done", "v2-1", *AS_OF, env={"DSDAY_USER": ""}).code == 0
    assert done_by(sh, "v2-1") == login()


def test_the_suite_never_reads_the_developers_configuration(tmp_path):
    developer = tmp_path / "developer"
    (developer / ".config" / "dsday").mkdir(parents=True)
    (developer / ".config" / "dsday" / "config.toml").write_text('[user]\nname = "Nhà phát triển"\n', encoding="utf-8")
    env = dict(os.environ, HOME=str(developer), XDG_CONFIG_HOME=str(developer / ".config"))
    probe = f"{__file__}::test_without_a_name_the_login_records"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", probe],
        capture_output=True, text=True, env=env, cwd=Path(__file__).parent.parent, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:]  # 5 if the probe were not found


# ---- a cache that cannot be written or read back is never an error --------------------------------------------


def index_file(tmp_path: Path) -> Path:
    found = sorted((tmp_path / "cache" / "dsday" / "index").glob("*.sqlite"))
    assert len(found) == 1, found
    return found[0]


def test_a_cache_on_a_read_only_file_system_is_no_error(plan, tmp_path):
    """The cache directory, index built, mounted read-only: every command answers and ``done`` records."""
    unshare = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-rm"]
    script = (
        'set -u; C="$1"; shift; mount -t tmpfs -o size=8m tmpfs "$C" || exit 90\n'
        '"$@" status --as-of 12/10/2023 >/dev/null || exit 91\n'
        'mount -o remount,ro "$C" || exit 92\n'
        '"$@" status --as-of 12/10/2023 >/dev/null 2>status.err; echo "status $?"\n'
        '"$@" done v1-3 --as-of 12/10/2023 >/dev/null 2>done.err; echo "done $?"\n'
        '"$@" list --format json --as-of 12/10/2023 >list.json 2>list.err; echo "list $?"\n'
    )
    cache = tmp_path / "ro-cache"
    cache.mkdir()
    probe = subprocess.run([*unshare, "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("no mount namespace here (unshare -m) to mount a read-only cache in")
    done = subprocess.run(
        [*unshare, "bash", "-c", script, "ro", str(cache), DSDAY], capture_output=True, text=True, timeout=120,
        env=dict(os.environ, XDG_CACHE_HOME=str(cache)), cwd=tmp_path,
    )  # fmt: skip
    assert done.stdout == "status 0\ndone 0\nlist 0\n", (done.stdout, done.stderr)
    for name in ("status.err", "done.err", "list.err"):
        assert (tmp_path / name).read_text() == ""
    assert next(i for i in json.loads((tmp_path / "list.json").read_text()) if i["id"] == "v1-3")["done_on"] == "2023-10-12"


def test_a_directory_where_the_index_should_be_is_no_error(sh, plan, tmp_path):
    assert sh("status", *AS_OF).code == 0
    index = index_file(tmp_path)
    for name in (index, index.with_name(index.name + "-wal"), index.with_name(index.name + "-shm")):
        name.unlink(missing_ok=True)
    index.mkdir()
    for args in (["list", "--format", "json"], ["status"], ["done", "v1-3"], ["show", "v1-3"]):
        result = sh(*args, *AS_OF)
        assert result.code == 0 and result.err == "", (args, result)


@pytest.mark.parametrize("column", ["data", "progress"])
def test_a_damaged_index_row_is_discarded_and_every_command_answers(sh, plan, tmp_path, column):
    import sqlite3

    assert sh("done", "v1-1", "v1-2", "v2-1", *AS_OF).code == 0
    expected = {args: sh(*args, *AS_OF, env={"DSDAY_NO_INDEX": "1"}).out for args in (
        ("status",), ("list", "--format", "json"), ("show", "v1-1"), ("list", "--status", "overdue"),
    )}  # fmt: skip
    for args, out in expected.items():
        sh("status", *AS_OF)  # the index built (again)
        db = sqlite3.connect(index_file(tmp_path))
        with db:  # one flipped byte in every row's JSON
            db.execute(f"UPDATE items SET {column} = substr({column}, 1, 3) || char(1) || substr({column}, 5) "
                       f"WHERE {column} IS NOT NULL")  # fmt: skip
        db.close()
        result = sh(*args, *AS_OF)
        assert (result.code, result.err, result.out) == (0, "", out), args
    result = sh("done", "v1-3", *AS_OF)
    assert result.code == 0 and result.err == "" and "v1-3: done on 12/10/2023" in result.out


# ---- the plan: a machine's time zone, a file that cannot be read ------------------------------------------------


def test_the_machines_time_zone_is_not_a_plans(sh, plan):
    text = plan.read_text(encoding="utf-8")
    assert "timezone: Asia/Ho_Chi_Minh" in text
    for zone in ("localtime", "posixrules"):
        plan.write_text(text.replace("timezone: Asia/Ho_Chi_Minh", f"timezone: {zone}"), encoding="utf-8")
        result = sh("validate")
        assert result.code == 65, result
        assert f"unknown time zone '{zone}'; write an IANA name such as Asia/Ho_Chi_Minh" in result.err
        assert sh("status", *AS_OF).code == 65


def test_a_plan_that_cannot_be_read_is_missing_input(plan):
    """README: 66 for a plan missing or unreadable, whichever command reads it (never Click's usage error, 2)."""
    import shutil
    import tempfile

    place = Path(tempfile.mkdtemp(prefix="dsday-unreadable-"))
    try:
        place.chmod(0o755)  # another user must reach the file to be refused it
        unreadable = place / "plan.yaml"
        shutil.copy(plan, unreadable)
        unreadable.chmod(0)
        drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
        for args in (["validate", str(unreadable)], ["status", "--plan", str(unreadable)]):
            result = subprocess.run([*drop, DSDAY, *args], capture_output=True, text=True, cwd=place, timeout=60)
            assert result.returncode == 66, result
            assert "cannot read the plan file: Permission denied" in one_clean_line(result.stderr)
    finally:
        shutil.rmtree(place)


# ---- outputs that fail ------------------------------------------------------------------------------------------


def test_stdout_on_a_full_disk_is_an_output_error(plan, tmp_path):
    for args in (["status"], ["list", "--format", "json"], ["export", "--format", "xlsx"], ["done", "v1-3"]):
        with open("/dev/full", "wb") as full:
            result = subprocess.run([DSDAY, *args, *AS_OF], stdout=full, stderr=subprocess.PIPE, timeout=60)
        assert result.returncode == 74, (args, result.stderr)
        assert one_clean_line(result.stderr) == "dsday: cannot write the output: No space left on device"
    journal = (tmp_path / "plan.progress.jsonl").read_text(encoding="utf-8")  # done recorded before it printed
    assert [json.loads(line)["item"] for line in journal.splitlines()] == ["v1-3"]


def test_a_closed_stdout_does_nothing_and_says_so(plan, tmp_path):
    result = subprocess.run(
        [DSDAY, "done", "v1-3", *AS_OF], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60,
        preexec_fn=lambda: os.close(1),
    )  # fmt: skip
    assert result.returncode == 74, result.stderr
    assert one_clean_line(result.stderr) == "dsday: standard output is closed; nothing done"
    assert not (tmp_path / "plan.progress.jsonl").exists()


def test_a_closed_stderr_keeps_the_exit_code(plan):
    result = subprocess.run([DSDAY, "show", "zz-99"], capture_output=True, timeout=60, preexec_fn=lambda: os.close(2))
    assert result.returncode == 2 and result.stdout == b""
    result = subprocess.run([DSDAY, "show", "v1-3", *AS_OF], capture_output=True, timeout=60,
                            preexec_fn=lambda: os.close(2))  # fmt: skip
    assert result.returncode == 0 and "v1-3" in result.stdout.decode()


def test_an_ascii_stdout_still_gets_the_vietnamese_text(plan):
    result = run("status", *AS_OF, env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0 and result.stderr == b"", result.stderr
    assert "Kế hoạch tổ chức Ngày Chuyển đổi số" in result.stdout.decode("utf-8")


# ---- absurd but well-formed values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [["status"], ["export", "--format", "ics"], ["report"], ["report", "--format", "docx", "-o", "r.docx"]]
)
def test_a_day_judged_in_the_year_9999_is_refused_in_one_line(plan, args):
    result = run(*args, "--as-of", "9999-12-31", timeout=30)
    assert result.returncode == 2
    assert one_clean_line(result.stderr) == "dsday: --as-of: 31/12/9999 is more than 100 years after the plan's year 2023"


def test_a_report_judged_a_century_later_has_a_bounded_weekly_table(plan):
    result = run("report", "--as-of", "31/12/2123", timeout=30)
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    weeks = text.split("Progress by week")[1].split("\n## ")[0]
    rows = [line for line in weeks.splitlines() if line.startswith("| ") and "–" in line]
    assert 50 <= len(rows) <= 61 and "31/12" in rows[-1], rows[-3:]  # the last row: the rest, to the day judged


@pytest.mark.parametrize("columns", ["99999999", "9" * 5000])
def test_a_huge_screen_width_is_clamped(plan, columns):
    for args in (["timeline"], ["status"], ["list"], ["log"]):
        result = run(*args, *AS_OF, env={"COLUMNS": columns, "LINES": columns}, timeout=30)
        assert result.returncode == 0 and result.stderr == b"", (args, result.stderr)
        assert max(map(len, result.stdout.decode().splitlines() or [""])) <= 1000
