"""The derived index never changes an answer: every read is byte-identical with it on and off.

On: the cache directory of the test (the index is built there). Off: DSDAY_NO_INDEX=1,
the exact path (plan cache and journal checkpoint, tested in test_cache.py).
"""

import json
import os
import shutil
import sqlite3
import subprocess
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsday_cli.store import index as index_module
from dsday_cli.app.environment import Environment
from dsday_cli.core.errors import UsageError
from dsday_cli.store.journal import append_events, new_event
from dsday_cli.views.render import agency_record, item_record, status_record, to_json
from dsday_cli.app.workspace import open_workspace
from tests.conftest import DSDAY, write_plan
from tests.strategies import days, journals, plans

ITEMS = 120
OFF = {"DSDAY_NO_INDEX": "1"}
# Days before, among and after the events' days: before the latest the exact path answers, after it the index.
DAYS = ["2023-10-05", "2023-10-16", "2023-10-25"]
READS = [
    ["status"],
    ["status", "--format", "json"],
    ["status", "--format", "md"],
    ["list", "--format", "json"],
    ["list", "-s", "overdue", "--format", "json"],
    ["list", "-s", "done", "-s", "due-soon", "--sort", "due", "--limit", "7", "--format", "json"],
    ["list", "--sort", "status", "--limit", "9", "--format", "csv"],
    ["list", "--sort", "id", "--limit", "5", "--format", "json"],
    ["list", "--search", "viec so 1", "--due-before", "14/10/2023", "--format", "json"],
    ["list", "-a", "ag0", "-s", "done", "--format", "json"],
    ["list", "-a", "m1", "--format", "json"],
    ["list", "-a", "ag1", "--role", "partner", "--format", "json"],
    ["overdue", "--format", "json"],
    ["overdue", "-a", "ag2"],
    ["agencies", "--format", "csv"],
    ["show", "t4", "--format", "json"],
    ["show", "T7"],
    ["show", "t9999"],
    ["export", "--format", "csv"],
]


def plan_text(items: int = ITEMS) -> str:
    """Three agencies (the first a group of four members), partners, two deadlines, one item with no lead."""
    lines = [
        "id: test-plan", "title: Kế hoạch thử", "issuer: UBND tỉnh Thử", "year: 2023", "theme: Dữ liệu số",
        "national_day: 2023-10-10", "campaign: {start: 2023-09-15, end: 2023-10-15}", "milestones:",
        "  - {id: report, title: Báo cáo, date: 2023-10-25, deadline: before, items: [t1, t2]}", "agencies:",
        "  - id: ag0\n    name: Cơ quan số 0\n    members:",
        *[f"      - {{id: m{m}, name: Thành viên {m}}}" for m in range(4)],
        "  - {id: ag1, name: Cơ quan số 1}", "  - {id: ag2, name: Cơ quan số 2}", "responsibilities:",
    ]  # fmt: skip
    for i in range(items):
        lead = "" if i == 5 else f"agency: ag{i % 3}, "
        partners = f"partners: [ag{(i + 1) % 3}], " if i % 4 == 0 and i != 5 else ""
        lines.append(
            f"  - {{id: t{i}, ref: V.{i % 3 + 1}, {lead}{partners}title: Việc số {i}, "
            f"deadline: {{kind: by, date: 2023-10-{10 + i % 8}}}}}"
        )
    return "\n".join(lines) + "\n"


@pytest.fixture
def plan(tmp_path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(plan_text(), encoding="utf-8")
    return path


def events(count: int, seed: int = 0, plan_id: str = "test-plan") -> list:
    out = []
    for n in range(count):
        i = (n * 7 + seed) % ITEMS
        member = f"m{n % 4}" if i % 3 == 0 and n % 3 else None
        kind = "reopen" if n % 5 == 0 else "done"
        item = "gone" if n % 97 == 13 else f"t{i}"
        on = date(2023, 10, 1 + (n * 3 + seed) % 19)
        out.append(new_event(kind, item, member, on, "b", None, plan_id, datetime.now(timezone.utc)))
    return out


def run(*args: str, env: dict | None = None) -> tuple[int, str, str]:
    done = subprocess.run([DSDAY, *args], capture_output=True, text=True, env=dict(os.environ) | (env or {}), timeout=120)
    return done.returncode, done.stdout, done.stderr


def same_with_and_without(reads=READS, day_list=DAYS, indexed: bool = True) -> None:
    """Every read, on every day: exit code, stdout and stderr equal with the index and without; the index served."""
    from typer.testing import CliRunner

    from dsday_cli.cli.commands import app

    for day in day_list:
        for args in reads:
            on = CliRunner().invoke(app, [*args, "--as-of", day])
            off = CliRunner().invoke(app, [*args, "--as-of", day], env=OFF)
            assert (on.exit_code, on.stdout, on.stderr) == (off.exit_code, off.stdout, off.stderr), (args, day)
            assert on.exit_code in (0, 2) and (on.stdout or on.stderr), (args, day, on.stdout, on.stderr)
    ws = open_workspace(None, None, day_list[-1], Environment.from_os())
    assert (ws._index is not None) == indexed  # the answers above came from it
    if ws._index is not None:
        ws._index.close()


def index_files(tmp_path) -> list[Path]:
    return sorted((tmp_path / "cache" / "dsday" / "index").glob("*.sqlite"))


def index_meta(tmp_path) -> dict:
    (path,) = index_files(tmp_path)
    with sqlite3.connect(path) as db:
        return {k: json.loads(v) for k, v in db.execute("SELECT k, v FROM meta")}


def test_built_once_and_answers_as_the_exact_path(plan, tmp_path):
    journal = tmp_path / "plan.progress.jsonl"
    append_events(journal, events(400))
    same_with_and_without()
    meta = index_meta(tmp_path)
    assert meta["journal"]["end"] == journal.stat().st_size  # it covers the whole journal
    assert meta["journal"]["latest"] == "2023-10-19"  # after that day counts come from the index
    assert len(meta["strays"]) == len([e for e in events(400) if e.item == "gone"])


def test_appends_done_and_undo_are_folded_in(plan, tmp_path):
    journal = tmp_path / "plan.progress.jsonl"
    append_events(journal, events(300))
    same_with_and_without(READS[:6], DAYS[-1:])
    append_events(journal, events(50, seed=3))  # another writer, without the index
    same_with_and_without()
    for args in (["done", "t10", "t11"], ["reopen", "t12"], ["done", "t0", "-m", "m2"], ["note", "t3", "ghi chú"],
                 ["undo"], ["done", "t13", "--on", "2023-10-24"]):  # fmt: skip
        code, _out, err = run(*args, "--as-of", "2023-10-25", "--plan", str(plan))
        assert code == 0, err
        assert index_meta(tmp_path)["journal"]["end"] == journal.stat().st_size  # folded in the same locked step
    assert index_meta(tmp_path)["journal"]["latest"] == "2023-10-25"
    same_with_and_without()


def test_journal_replaced_shorter_or_rewritten_in_place(plan, tmp_path):
    journal = tmp_path / "plan.progress.jsonl"
    append_events(journal, events(600))
    same_with_and_without(READS[:5], DAYS[-1:])
    lines = journal.read_bytes().splitlines(keepends=True)
    other = tmp_path / "other.jsonl"  # git checkout of another version: a new file renamed over it
    other.write_bytes(b"".join(lines[:200] + lines[300:]))
    os.replace(other, journal)
    same_with_and_without()
    journal.write_bytes(b"".join(lines[:100]))  # shorter, same inode
    same_with_and_without(READS[:5])
    full = b"".join(lines)
    journal.write_bytes(full)
    same_with_and_without(READS[:5], DAYS[-1:])
    swapped = list(lines)  # rewritten in place to the same size: history in the middle changed
    swapped[250], swapped[251] = swapped[251].replace(b'"done"', b'"xxxx"'), swapped[250]
    swapped[300] = swapped[300].replace(b'"done"', b'"note"')
    rewritten = b"".join(swapped)
    stat = journal.stat()
    with open(journal, "r+b") as stream:
        stream.write(rewritten)
    os.utime(journal, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert journal.stat().st_size == len(full) and journal.stat().st_ino == stat.st_ino
    same_with_and_without()


def test_plan_edits_of_the_same_size_and_mtime_are_seen(plan, tmp_path):
    append_events(tmp_path / "plan.progress.jsonl", events(200))
    same_with_and_without(READS[:4], DAYS[-1:])
    stat = plan.stat()
    plan.write_text(plan.read_text(encoding="utf-8").replace("Việc số 7,", "Việc số 8,"), encoding="utf-8")
    os.utime(plan, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert plan.stat().st_size == stat.st_size
    same_with_and_without()
    assert json.loads(run("show", "t7", "--format", "json")[1])["title"] == "Việc số 8"
    plan.write_text(plan.read_text(encoding="utf-8").replace("date: 2023-10-12", "date: 2023-10-02"))  # deadlines
    same_with_and_without()
    plan.write_text(plan.read_text(encoding="utf-8").replace("{id: ag2, name: Cơ quan số 2}",
                    "{id: ag2, name: Cơ quan số 2, members: [{id: x1, name: Xã 1}]}"))  # fmt: skip
    same_with_and_without()  # the shape changed: the journal is folded again for the new members


def test_a_journal_replaced_while_it_is_folded_is_folded_again(plan, tmp_path, monkeypatch):
    journal = tmp_path / "plan.progress.jsonl"
    append_events(journal, events(300))
    lines = journal.read_bytes().splitlines(keepends=True)
    merged = tmp_path / "merged"  # what a git merge leaves: a line in the middle, then the rest
    extra = new_event("done", "t119", None, date(2023, 10, 3), "merged in", None, "test-plan", datetime.now(timezone.utc))
    from dsday_cli.store.journal import encode

    merged.write_bytes(b"".join(lines[:100]) + encode(extra) + b"".join(lines[100:]))
    fold = index_module.fold_events

    def replaced_while_folding(plan_, events_, progress=None):
        os.replace(merged, journal)  # git replaces the file while dsday reads the old one
        return fold(plan_, events_, progress)

    monkeypatch.setattr(index_module, "fold_events", replaced_while_folding)
    open_workspace(plan, as_of="2023-10-25", env=Environment.from_os())._index.close()  # type: ignore[union-attr]
    monkeypatch.setattr(index_module, "fold_events", fold)
    same_with_and_without([["show", "t119", "--format", "json"], *READS[:3]], DAYS[-1:])
    assert '"done_by": "merged in"' in run("show", "t119", "--format", "json", "--as-of", "2023-10-25")[1]


@pytest.mark.parametrize("spoil", ["garbage", "empty", "truncated", "symlink", "fifo", "version", "schema", "meta"])
def test_corrupt_foreign_or_other_version_index_is_rebuilt(plan, tmp_path, spoil, monkeypatch):
    append_events(tmp_path / "plan.progress.jsonl", events(300))
    same_with_and_without(READS[:3], DAYS[-1:])
    (path,) = index_files(tmp_path)
    if spoil == "garbage":
        path.write_bytes(b"SQLite format 3\x00" + os.urandom(5000))
    elif spoil == "empty":
        path.write_bytes(b"")
    elif spoil == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3])
    elif spoil == "symlink":
        decoy = tmp_path / "decoy.sqlite"
        shutil.copy(path, decoy)
        path.unlink()
        path.symlink_to(decoy)
    elif spoil == "fifo":
        path.unlink()
        os.mkfifo(path)
    elif spoil == "version":
        monkeypatch.setattr(index_module, "__version__", "99.0")
    elif spoil == "schema":
        monkeypatch.setattr(index_module, "SCHEMA", 99)
    else:  # right version, counts tampered with: not detectable by design, but the journal is
        with sqlite3.connect(path) as db:
            db.execute("UPDATE meta SET v = json_set(v, '$.ino', 1) WHERE k = 'journal'")
    same_with_and_without()
    (rebuilt,) = index_files(tmp_path)
    assert not rebuilt.is_symlink() and rebuilt.is_file()
    if spoil == "symlink":
        assert (tmp_path / "decoy.sqlite").is_file()  # followed never, changed never


def test_unwritable_cache_is_no_error(plan, tmp_path):
    append_events(tmp_path / "plan.progress.jsonl", events(100))
    (tmp_path / "cache").write_text("not a directory")
    same_with_and_without(READS[:6], DAYS[-1:], indexed=False)
    code, out, err = run("done", "t1", "--as-of", "2023-10-25", "--plan", str(plan))
    assert (code, out) == (0, "t1: done on 25/10/2023\n") and "names item 'gone'" in err and "Traceback" not in err


def test_read_only_index_still_answers(plan, tmp_path):
    append_events(tmp_path / "plan.progress.jsonl", events(100))
    same_with_and_without(READS[:2], DAYS[-1:])
    append_events(tmp_path / "plan.progress.jsonl", events(10, seed=5))
    directory = tmp_path / "cache" / "dsday" / "index"
    directory.chmod(0o500)
    try:
        for path in index_files(tmp_path):
            path.chmod(0o400)
        same_with_and_without(READS[:6], DAYS[-1:])
    finally:
        directory.chmod(0o700)


def test_eight_writers_with_the_index(plan, tmp_path):
    journal = tmp_path / "plan.progress.jsonl"
    before = events(100)
    append_events(journal, before)
    run("status", "--as-of", "2023-10-25")  # the index exists before the writers start
    fresh = [f"t{i}" for i in range(ITEMS) if i % 3 and f"t{i}" not in {e.item for e in before}][:8]
    assert len(fresh) == 8  # single bodies with nothing recorded: each `done` writes one event
    writers = [
        subprocess.Popen([DSDAY, "done", item, "--as-of", "2023-10-25", "--on", "2023-10-20"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
        for item in fresh
    ]  # fmt: skip
    results = [(w.wait(timeout=120), w.stdout.read(), w.stderr.read()) for w in writers]  # type: ignore[union-attr]
    assert [(code, out) for code, out, _err in results] == [(0, f"{item}: done on 20/10/2023\n") for item in fresh]
    recorded = [json.loads(line) for line in journal.read_text().splitlines()[100:]]
    assert sorted(e["item"] for e in recorded) == sorted(fresh)  # every acknowledged event, once
    assert index_meta(tmp_path)["journal"]["end"] == journal.stat().st_size
    same_with_and_without(READS, DAYS[-1:])


def test_torn_line_and_bad_lines_warn_alike(plan, tmp_path):
    journal = tmp_path / "plan.progress.jsonl"
    append_events(journal, events(20))
    with open(journal, "a") as stream:
        stream.write("garbage\n")
    append_events(journal, events(20, seed=1))
    with open(journal, "a") as stream:
        stream.write('{"id": "torn')
    same_with_and_without(READS[:3])
    code, _out, err = run("status", "--as-of", "2023-10-25")
    assert code == 0 and "plan.progress.jsonl:21: unreadable event" in err and ":42: incomplete last line" in err


# ---- the index's answers against a fold from scratch, for generated plans and journals ----------------


def answers(ws, items: list[str], agencies: list[str]) -> list:
    out = [to_json(status_record(ws.dashboard())), [agency_record(e) for e in ws.agency_counts()], ws.warnings]
    out += [item_record(ws.item(i)) for i in items]
    selections = [
        {}, {"statuses": ["overdue"]}, {"statuses": ["done", "due-soon"], "sort": "due", "limit": 3},
        {"sort": "status", "limit": 4}, {"search": "a"}, {"due_before": date(2023, 10, 15)},
        {"due_after": date(2023, 10, 1), "sort": "id"},
    ]  # fmt: skip
    selections += [{"agencies": [a], "statuses": ["open", "done"]} for a in agencies]
    for selection in selections:
        try:
            out.append([item_record(s) for s in ws.select(**selection)])
        except UsageError as error:  # an agency name two agencies share: the same refusal either way
            out.append(str(error))
    return out


@settings(  # as test_properties' "ci" profile: the same examples on every run
    max_examples=max(25, settings.default.max_examples // 3) if os.environ.get("HYPOTHESIS_PROFILE") else 25,
    derandomize=not os.environ.get("HYPOTHESIS_PROFILE"),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_the_index_answers_as_a_fold_from_scratch(data, tmp_path_factory):
    plan_data = data.draw(plans())
    _events, whole = data.draw(journals(plan_data))
    lines = whole.splitlines(keepends=True)
    cut = data.draw(st.integers(0, len(lines)))
    raw, tail = b"".join(lines[:cut]), b"".join(lines[cut:])  # folded first, then appended
    root = tmp_path_factory.mktemp("ix")
    plan_file = root / "plan.yaml"
    plan_file.write_text(yaml.safe_dump(plan_data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    journal = root / "plan.progress.jsonl"
    journal.write_bytes(raw)
    as_of = data.draw(st.one_of(days, st.just(date(2023, 12, 31))))
    items = [i["id"] for i in plan_data["responsibilities"]]
    agencies = [a["id"] for a in plan_data["agencies"]] + [
        m["id"] for a in plan_data["agencies"] for m in a.get("members", [])[:1]
    ]
    base = Environment(root / "state", root / "cache", "tester", root / "config.toml")

    def both() -> None:
        on = open_workspace(plan_file, None, as_of, base)
        off = open_workspace(plan_file, None, as_of, Environment(root / "state", None, "tester", root / "c.toml"))
        assert on._index is not None and off._index is None
        assert answers(on, items, agencies) == answers(off, items, agencies)
        on._index.close()

    from dsday_cli.store.index import _item_data
    from dsday_cli.core.model import _data
    from dsday_cli.store.plan import load_plan

    assert all(_item_data(item) == _data(item) for item in load_plan(plan_file).responsibilities)
    both()  # built
    both()  # read back
    with open(journal, "ab") as stream:  # appended: the tail is folded in
        stream.write(tail)
    both()


# Streamed output: more rows than one written piece (a thousand), groups and members across pieces.
STREAMED = [
    ["export", "--format", "csv"],
    ["export", "--format", "json"],
    ["export", "--format", "md"],
    ["export", "-a", "ag0", "--format", "csv", "--delimiter", ";"],
    ["export", "-a", "m1", "--format", "md"],
    ["export", "-a", "ag1", "--format", "json"],
    ["list", "--format", "csv", "--bom"],
    ["list", "--format", "json"],
    ["list", "--format", "md"],
    ["list", "-s", "open", "-s", "overdue", "--format", "json"],
    ["list", "--sort", "agency", "--limit", "1500", "--format", "csv"],
    ["list", "-s", "done", "--format", "json"],
]


def test_streamed_exports_and_lists_are_the_same_with_and_without_the_index(tmp_path):
    (tmp_path / "plan.yaml").write_text(plan_text(2_500), encoding="utf-8")
    append_events(tmp_path / "plan.progress.jsonl", events(600))
    same_with_and_without(STREAMED)
    for env, name in (({}, "on.csv"), (OFF, "off.csv")):
        assert run("export", "--format", "csv", "--as-of", "2023-10-25", "--output", name, env=env)[0] == 0
    on, off = (tmp_path / "on.csv").read_bytes(), (tmp_path / "off.csv").read_bytes()
    # the group ag0 leads every third item: a row per member
    assert on == off and on.startswith("\ufeffid,".encode()) and on.count(b"\r\n") == 1 + 2_500 + 3 * 834
    assert not list(tmp_path.glob(".on.csv.*"))  # no temporary file left beside it


def test_an_index_failing_in_the_middle_of_a_stream_gives_the_rest_the_exact_way(tmp_path, monkeypatch):
    (tmp_path / "plan.yaml").write_text(plan_text(2_500), encoding="utf-8")
    append_events(tmp_path / "plan.progress.jsonl", events(600))
    exact = open_workspace(None, None, "2023-10-25", Environment.from_os(OFF))
    expected = {fmt: exact.export(fmt) for fmt in ("csv", "json", "md")}
    served = index_module.Index.stream

    def failing(self, rows, as_of):
        for n, status in enumerate(served(self, rows, as_of)):
            if n == 1_234:
                raise sqlite3.DatabaseError("database disk image is malformed")
            yield status

    monkeypatch.setattr(index_module.Index, "stream", failing)
    for fmt, text in expected.items():
        ws = open_workspace(None, None, "2023-10-25", Environment.from_os())
        assert ws._index is not None
        assert "".join(ws.export(fmt, stream=True)) == text, fmt  # type: ignore[arg-type]
        assert ws._index is None  # it left the index on the way
