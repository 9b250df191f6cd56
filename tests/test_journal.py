"""Recording progress: done, reopen, history, and a journal that never loses an entry."""

import fcntl
import itertools
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timezone

import pytest

from dsday_cli.store.journal import append_events, new_event, read_journal
from tests.conftest import DSDAY, write_plan

AS_OF = ["--as-of", "2023-10-20"]


def journal_lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture
def plan(tmp_path):
    return write_plan(tmp_path / "plan.yaml", items=4, members=3)


def test_done_writes_one_documented_event(cli, plan, tmp_path):
    result = cli("done", "t1", "--note", "xong", "--on", "18/10", *AS_OF)
    assert result.code == 0 and result.out == "t1: done on 18/10/2023\n"
    (event,) = journal_lines(tmp_path / "plan.progress.jsonl")
    assert set(event) == {"id", "at", "kind", "item", "member", "on", "by", "note", "plan", "seq"}
    assert event["seq"] == 1  # the first event for the item
    assert (event["kind"], event["item"], event["member"], event["on"], event["by"], event["note"], event["plan"]) == (
        "done",
        "t1",
        None,
        "2023-10-18",
        "tester",
        "xong",
        "test-plan",
    )
    assert event["at"].endswith("Z")


def test_already_done_writes_nothing_and_exits_0(cli, plan, tmp_path):
    cli("done", "t1", *AS_OF)
    again = cli("done", "t1", *AS_OF)
    assert again.code == 0 and "already done" in again.out
    assert cli("reopen", "t3", *AS_OF).out == "t3: already open; nothing recorded\n"
    assert len(journal_lines(tmp_path / "plan.progress.jsonl")) == 1


def test_reopen_keeps_both_events_in_history(cli, plan):
    cli("done", "t1", *AS_OF)
    cli("reopen", "t1", "--note", "not really", *AS_OF)
    shown = json.loads(cli("show", "t1", "--format", "json", *AS_OF).out)
    assert shown["status"] == "overdue" and [e["kind"] for e in shown["history"]] == ["done", "reopen"]
    log = json.loads(cli("log", "--format", "json", *AS_OF).out)
    assert [e["kind"] for e in log] == ["done", "reopen"]


def test_members_of_a_group(cli, plan):
    assert cli("done", "t0", "--member", "m1", *AS_OF).out == "t0 [m1]: done on 20/10/2023\n"
    item = json.loads(cli("show", "t0", "--format", "json", *AS_OF).out)
    assert (item["members_done"], item["members_total"], item["status"]) == (1, 3, "overdue")
    assert "1/3 done" in cli("list", *AS_OF).out  # each number says what it counts
    cli("done", "t0", *AS_OF)
    assert json.loads(cli("show", "t0", "--format", "json", *AS_OF).out)["status"] == "done-late"
    result = cli("done", "t1", "--member", "m1", *AS_OF)
    assert result.code == 2 and "not a group agency" in result.err


@pytest.mark.parametrize(
    "args, message",
    [
        (("done", "t1", "nope"), "unknown item 'nope'"),
        (("done", "t1", "--on", "21/10/2023"), "--on: 21/10/2023 is in the future"),
        (("done", "t1", "--on", "32/10/2023"), "--on: '32/10/2023' is not a day of the calendar"),
        (("done", "t0", "--member", "zz"), "unknown member of ag0 'zz'"),
    ],
)
def test_bad_input_writes_nothing(cli, plan, tmp_path, args, message):
    result = cli(*args, *AS_OF)
    assert result.code == 2 and message in result.err
    assert not (tmp_path / "plan.progress.jsonl").exists()


def test_read_only_journal_exits_74_and_is_untouched(cli, plan, tmp_path):
    cli("done", "t1", *AS_OF)
    journal = tmp_path / "plan.progress.jsonl"
    before = journal.read_bytes()
    journal.chmod(0o444)
    result = cli("done", "t2", *AS_OF)
    assert result.code == 74 and len(result.err.splitlines()) == 1 and "read-only" in result.err
    assert journal.read_bytes() == before


def test_unwritable_directory_exits_74(cli, plan, tmp_path):
    (tmp_path / "file").write_text("x")
    result = cli("done", "t1", "--progress", str(tmp_path / "file" / "j.jsonl"), *AS_OF)
    assert result.code == 74 and "cannot write the journal" in result.err


def test_lock_not_obtained_exits_75(cli, plan, tmp_path):
    journal = tmp_path / "plan.progress.jsonl"
    with open(journal, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = cli("done", "t1", *AS_OF, env={"DSDAY_LOCK_TIMEOUT": "0.2"})
    assert result.code == 75 and "try again later" in result.err
    assert journal.read_text() == ""


def test_eight_processes_fifty_items_each(tmp_path):
    plan = write_plan(tmp_path / "big.yaml", items=400)
    env = dict(os.environ, DSDAY_AS_OF="2023-10-20")
    procs = [
        subprocess.Popen([DSDAY, "done", *[f"t{p * 50 + i}" for i in range(50)], "--plan", str(plan)], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for p in range(8)
    ]  # fmt: skip
    for proc in procs:
        assert proc.wait(timeout=120) == 0, proc.stderr.read()
    read = read_journal(tmp_path / "big.progress.jsonl")
    assert read.problems == []
    assert sorted(e.item for e in read.events if e.kind == "done") == sorted(f"t{i}" for i in range(400))


WRITERS, BATCHES, PER_BATCH = 8, 5, 4
BARRIER_WRITER = f"""
import sys, time
from datetime import date, datetime, timezone
from pathlib import Path
from dsday_cli.store.journal import append_events, new_event
journal, barrier, writer = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
(barrier / f"ready-{{writer}}").touch()
while not (barrier / "go").exists():
    time.sleep(0.001)
for batch in range({BATCHES}):
    note = f"{{writer}}/{{batch}} " + "x" * 3000  # long lines: more to interleave if the lock failed
    items = [f"w{{writer}}-{{batch}}-{{n}}" for n in range({PER_BATCH})]
    append_events(journal, [new_event("done", item, None, date(2023, 10, 1), writer, note, "p", datetime.now(timezone.utc)) for item in items])
"""


def test_many_writers_appending_together(tmp_path):
    """Writers released at once lose nothing, tear nothing, and never split another's append."""
    journal, barrier = tmp_path / "j.jsonl", tmp_path / "barrier"
    barrier.mkdir()
    procs = [
        subprocess.Popen([sys.executable, "-c", BARRIER_WRITER, str(journal), str(barrier), str(w)],
                         stderr=subprocess.PIPE, text=True)
        for w in range(WRITERS)
    ]  # fmt: skip
    while len(list(barrier.glob("ready-*"))) < WRITERS and all(p.poll() is None for p in procs):
        time.sleep(0.01)
    (barrier / "go").touch()
    assert all(p.wait(timeout=120) == 0 for p in procs), [p.stderr.read() for p in procs]
    lines = journal.read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines]  # every line is whole JSON
    total = WRITERS * BATCHES * PER_BATCH
    assert len(events) == total and len({e["id"] for e in events}) == total
    assert sorted(e["item"] for e in events) == sorted(
        f"w{w}-{b}-{n}" for w in range(WRITERS) for b in range(BATCHES) for n in range(PER_BATCH)
    )
    # The lock is held from an append's first line to its fsync: each batch is one run of lines.
    assert len([note for note, _ in itertools.groupby(e["note"] for e in events)]) == WRITERS * BATCHES
    assert len(read_journal(journal).events) == total


WRITER = """
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from dsday_cli.store.journal import append_events, new_event
path = Path(sys.argv[1])
for n in range(100000):
    event = new_event("done", f"t{n}", None, date(2023, 10, 1), "w", "x" * 2000, "test-plan", datetime.now(timezone.utc))
    append_events(path, [event])
    print(event.id, flush=True)
"""


def test_writer_killed_mid_append_loses_nothing_acknowledged(tmp_path):
    journal = tmp_path / "j.jsonl"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(journal)], stdout=subprocess.PIPE, text=True)
    acknowledged = [writer.stdout.readline().strip() for _ in range(200)]
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    acknowledged += [line.strip() for line in writer.stdout if line.strip()]
    ids = {e.id for e in read_journal(journal).events}
    assert set(acknowledged) <= ids


def test_torn_line_is_sealed_reported_and_hides_nothing(cli, plan, tmp_path):
    journal = tmp_path / "plan.progress.jsonl"
    cli("done", "t1", *AS_OF)
    with open(journal, "ab") as stream:
        stream.write(b'{"id":"torn","at":"2023-10-')  # a writer killed mid-line
    warned = cli("list", *AS_OF)
    assert "dsday: warning: plan.progress.jsonl:2: incomplete last line; skipped\n" == warned.err
    assert cli("done", "t2", *AS_OF).code == 0
    read = read_journal(journal)
    assert [e.item for e in read.events] == ["t1", "t2"]
    assert read.problems == [
        f"{journal}:2: unreadable event (Unterminated string starting at: line 1 column 19 (char 18)); skipped"
    ]
    result = cli("validate", "plan.yaml")
    assert result.code == 65 and "plan.progress.jsonl:2: unreadable event" in result.err


def test_readers_deduplicate_and_order_merged_copies(tmp_path):
    journal = tmp_path / "j.jsonl"
    first = new_event("done", "t1", None, date(2023, 10, 1), "a", None, "p", datetime.now(timezone.utc))
    time.sleep(0.001)
    second = new_event("reopen", "t1", None, date(2023, 10, 2), "b", None, "p", datetime.now(timezone.utc))
    append_events(journal, [second, first, second, first])
    with open(journal, "a") as stream:
        stream.write("garbage\n\n[1,2]\n")
    read = read_journal(journal)
    assert [e.id for e in read.events] == [first.id, second.id]
    assert len(read.problems) == 2


def test_events_for_items_gone_from_the_plan_are_kept_and_warned(cli, plan, tmp_path):
    cli("done", "t3", *AS_OF)
    plan.write_text(plan.read_text().replace(
            "  - {id: t3, ref: V.2, agency: ag1, title: Việc số 3, deadline: {kind: by, date: 2023-10-15}}\n", ""
        ))
    result = cli("list", *AS_OF)
    assert result.code == 0 and "names item 't3', not in this plan" in result.err
    assert len(journal_lines(tmp_path / "plan.progress.jsonl")) == 1


def test_log_filters(cli, plan):
    cli("done", "t0", "--member", "m2", *AS_OF)
    cli("done", "t1", *AS_OF)
    assert [e["item"] for e in json.loads(cli("log", "--agency", "ag1", "--format", "json", *AS_OF).out)] == ["t1"]
    assert [e["member"] for e in json.loads(cli("log", "--agency", "m2", "--format", "json", *AS_OF).out)] == ["m2"]
    assert json.loads(cli("log", "--since", "01/01/2099", "--format", "json", *AS_OF).out) == []
    assert "t1" in cli("log", *AS_OF).out


def test_embedded_plan_journal_lives_in_the_state_directory(cli, tmp_path):
    assert cli("done", "v1-1", "--as-of", "2023-10-01").code == 0
    assert (tmp_path / "state" / "dsday" / "nghe-an-2023.progress.jsonl").is_file()


def test_journal_edited_by_hand_with_bom_and_crlf_still_reads(tmp_path):
    journal = tmp_path / "j.jsonl"
    first = new_event("done", "t1", None, date(2023, 10, 1), "a", None, "p", datetime.now(timezone.utc))
    second = new_event("done", "t2", None, date(2023, 10, 2), "b", None, "p", datetime.now(timezone.utc))
    lines = [json.dumps({key: getattr(e, key) for key in e.__dataclass_fields__}) for e in (first, second)]
    journal.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    read = read_journal(journal)
    assert [e.item for e in read.events] == ["t1", "t2"] and read.problems == []
