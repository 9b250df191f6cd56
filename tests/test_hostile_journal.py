"""Hostile and careless journals, undo and the API's rows, through the installed `dsday` and the public API.

Each case is one that once changed an answer silently, lost an acknowledged event or
exited 70: an `undo` that reversed another item, a `seq` or time from another writer
that won forever or made the next write unreadable, lenient reads, a flood of warnings,
a journal path in a symbolic-link loop, a selected row that forgot whose part it was.
"""

import json
import os

import pytest

import dsday_cli as d

AS_OF = ["--as-of", "26/10/2023"]
PLAN_ID = "nghe-an-2023"


@pytest.fixture
def plan_dir(sh, tmp_path):
    """The embedded plan copied to ./plan.yaml, its journal ./plan.progress.jsonl."""
    assert sh("init", ".").code == 0
    return tmp_path


def journal(tmp_path) -> list[dict]:
    return [json.loads(line) for line in (tmp_path / "plan.progress.jsonl").read_text(encoding="utf-8").splitlines()]


def line(ident: str, kind: str, item: str, on: str | None, at: str = "2023-10-09T01:00:00.000000Z", **more) -> str:
    event = {"id": ident, "at": at, "kind": kind, "item": item, "member": None, "on": on, "by": "x", "note": None}
    return json.dumps(event | {"plan": PLAN_ID} | more, ensure_ascii=False)


def status_of(sh, item: str, env: dict | None = None) -> tuple[str, str | None]:
    shown = json.loads(sh("show", item, "--format", "json", *AS_OF, env=env).out)
    return shown["status"], shown.get("done_on")


def no_crash(result) -> None:
    assert result.code != 70 and "Traceback" not in result.err and "internal error" not in result.err, result


# ---- undo ---------------------------------------------------------------------------


def test_undo_reverses_the_event_recorded_last_not_the_highest_seq(sh, plan_dir):
    for args in (("done", "v1-1", "--on", "01/10/2023"), ("reopen", "v1-1"), ("done", "v1-1", "--on", "02/10/2023"),
                 ("done", "v1-2", "--on", "03/10/2023")):  # fmt: skip
        assert sh(*args, *AS_OF).code == 0
    before = (plan_dir / "plan.progress.jsonl").read_bytes()
    dry = sh("undo", "--dry-run", *AS_OF)
    assert dry.code == 0 and dry.out.startswith("v1-2: would reverse done on 03/10/2023 by tester (event "), dry
    assert dry.out.endswith("\nv1-2: would be open again\n") and "nothing recorded (--dry-run)" in dry.err
    assert (plan_dir / "plan.progress.jsonl").read_bytes() == before  # a dry run records nothing
    undone = sh("undo", *AS_OF)
    assert undone.code == 0 and undone.out.startswith("v1-2: reverses done on 03/10/2023 by tester (event ")
    assert status_of(sh, "v1-2")[0] != "done" and status_of(sh, "v1-1") == ("done", "2023-10-02")
    again = sh("undo", *AS_OF)  # the undo is now the last event: undoing it brings v1-2's completion back
    assert again.code == 0 and again.out.startswith("v1-2: reverses reopened on 03/10/2023 by tester; note: undo of ")
    assert status_of(sh, "v1-2") == ("done", "2023-10-03")


def test_undo_after_a_group_item_reverses_that_item_not_an_older_one(sh, plan_dir):
    assert sh("done", "v1-5", "--on", "05/10/2023", *AS_OF).code == 0
    assert sh("done", "v7-2", "-m", "do-luong", "--on", "06/10/2023", *AS_OF).code == 0
    undone = sh("undo", *AS_OF)
    assert undone.code == 0 and undone.out.startswith("v7-2 [do-luong]: reverses done on 06/10/2023"), undone
    assert status_of(sh, "v1-5")[0] == "done"
    named = sh("undo", "v1-5", "--dry-run", *AS_OF)  # the last event of one item
    assert named.code == 0 and named.out.startswith("v1-5: would reverse done on 05/10/2023")


# ---- what a reader accepts, every writer writes --------------------------------------


def test_an_absurd_seq_is_a_located_problem_and_never_blocks_a_write(sh, plan_dir):
    path = plan_dir / "plan.progress.jsonl"
    path.write_text(line("o1", "reopen", "v1-5", "2023-10-09", seq=9999999999) + "\n", encoding="utf-8")
    done = sh("done", "v1-5", *AS_OF)
    assert done.code == 0 and "plan.progress.jsonl:1: unreadable event ('seq'" in done.err
    assert journal(plan_dir)[-1]["seq"] == 1  # readable: it counts
    assert status_of(sh, "v1-5") == ("done-late", "2023-10-26")
    checked = sh("validate")
    assert checked.code == 65 and "plan.progress.jsonl:1:" in checked.err and "'seq'" in checked.err


def test_the_highest_seq_does_not_win_forever(sh, plan_dir):
    path = plan_dir / "plan.progress.jsonl"
    path.write_text(line("o1", "reopen", "v1-5", "2023-10-09", seq=999_999_999) + "\n", encoding="utf-8")
    for kind in ("done", "reopen", "done"):  # each write ties on seq and its later recording time decides
        assert sh(kind, "v1-5", *AS_OF).code == 0
        assert journal(plan_dir)[-1]["seq"] == 999_999_999
        assert status_of(sh, "v1-5")[0].startswith("done") == (kind == "done")
    assert sh("validate").code == 0


@pytest.mark.parametrize("args", [("--on", "01/01/1900", "--force"), ("--as-of", "01/01/3000")])
def test_a_writer_refuses_a_day_its_readers_would_skip(sh, plan_dir, args):
    result = sh("done", "v1-5", *(args if "--as-of" in args else (*args, *AS_OF)))
    no_crash(result)
    if "--as-of" in args:  # refused sooner: a day judged more than a century after the plan's year
        assert result.code == 2 and "more than 100 years after" in result.err, result
    else:
        assert result.code == 2 and "cannot be recorded" in result.err and "nothing recorded" in result.err, result
    assert not (plan_dir / "plan.progress.jsonl").exists() or journal(plan_dir) == []


BAD_LINES = [  # (line, what the problem says), lines 2 to 8 of the journal
    (line("t2", "done", "v1-4", None), "a 'done' without its day 'on'"),
    (line("s2", "reopen", "v1-4", "2023-10-09", at="2023-10-09 23:00:00.000000Z"), "is not a time written"),
    (line("p1", "reopen", "v1-4", "2023-10-09", at="2023-13-45T99:99:99.999999Z"), "is not a time: month must be"),
    (line("p2", "reopen", "v1-4", "2023-10-09", at="zzzzzzzzzzzzzzzzzzzzzzzzzzZ"), "is not a time written"),
    (line("p3", "reopen", "v1-4", "2023-10-09", at="9999-12-31T23:59:59.999999Z"), "is not between 1970 and 2999"),
    (line("p4", "reopen", "v1-4", "0001-01-01"), "'on' 0001-01-01 is not a day between"),
    (line("p5", "reopen", "v1-4", "20231009"), "'on' 20231009 is not a day between"),
]


def test_lenient_and_poison_lines_are_located_problems_the_same_on_every_path(sh, plan_dir):
    good = line("s1", "done", "v1-4", "2023-10-08")
    text = "".join(f"{bad}\n" for bad, _why in BAD_LINES)
    (plan_dir / "plan.progress.jsonl").write_text(good + "\n" + text, encoding="utf-8")
    checked = sh("validate")
    problems = checked.err.splitlines()
    assert checked.code == 65 and len(problems) == len(BAD_LINES), checked
    for number, ((_bad, why), problem) in enumerate(zip(BAD_LINES, problems), start=2):
        assert problem.startswith(f"plan.progress.jsonl:{number}: unreadable event (") and why in problem, problem
    for env in (None, {"DSDAY_NO_INDEX": "1"}, {"DSDAY_NO_CACHE": "1"}):
        shown = sh("show", "v1-4", "--format", "json", *AS_OF, env=env)
        no_crash(shown)
        assert "plan.progress.jsonl:2: unreadable event" in shown.err and "… and 2 more unreadable lines" in shown.err
        assert (json.loads(shown.out)["status"], json.loads(shown.out)["done_on"]) == ("done", "2023-10-08")
        log = sh("log", env=env)  # the recording times are shown in the plan's zone: none overflows
        no_crash(log)
        assert log.code == 0 and log.out.count("v1-4") == 1


def test_two_events_with_one_id_are_named_and_read_alike_by_status_and_history(sh, plan_dir):
    (plan_dir / "plan.progress.jsonl").write_text(
        line("dup-1", "done", "v1-4", "2023-10-08", at="2023-10-08T01:00:00.000000Z") + "\n"
        + line("dup-1", "reopen", "v1-4", "2023-10-09", at="2023-10-09T01:00:00.000000Z") + "\n"
        + line("dup-1", "done", "v1-4", "2023-10-08", at="2023-10-08T01:00:00.000000Z") + "\n",  # a plain copy
        encoding="utf-8",
    )  # fmt: skip
    checked = sh("validate")
    assert checked.code == 65 and checked.err.count("event id dup-1") == 1, checked
    assert "plan.progress.jsonl:2: event id dup-1 is also used at line 1 by an event with other content" in checked.err
    for env in (None, {"DSDAY_NO_INDEX": "1"}, {"DSDAY_NO_CACHE": "1"}):
        shown = json.loads(sh("show", "v1-4", "--format", "json", *AS_OF, env=env).out)
        assert [e["kind"] for e in shown["history"]] == ["done", "reopen"]  # the copy is one event; both kinds listed
        assert not shown["status"].startswith("done")  # and the status follows the later of the two


# ---- many strays, a journal that is a link loop ----------------------------------------


def test_events_the_plan_cannot_place_are_warned_five_then_counted(sh, plan_dir):
    lines = [line(f"x{i}", "done", f"renamed-{i % 50}", "2023-10-09") for i in range(3000)]
    (plan_dir / "plan.progress.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for env in (None, {"DSDAY_NO_INDEX": "1"}):
        result = sh("status", *AS_OF, env=env)
        warnings = result.err.splitlines()
        assert result.code == 0 and len(warnings) == 6, (env, warnings[:8])
        assert "… and 2,995 more events the plan cannot place; 'dsday validate' lists the first 100" in warnings[-1]
    listed = sh("validate").err.splitlines()
    assert len(listed) == 101 and listed[-1].endswith("… and 2,900 more events the plan cannot place")


def test_a_journal_path_in_a_symbolic_link_loop_is_refused_not_a_crash(sh, plan_dir):
    os.symlink("loop.jsonl", plan_dir / "loop.jsonl")
    done = sh("done", "v1-3", "--progress", "loop.jsonl", *AS_OF)
    no_crash(done)
    assert done.code == 74 and done.err.splitlines()[-1].endswith(
        "loop.jsonl: cannot write the journal: it is a symbolic link, which dsday does not follow here; nothing recorded"
    )
    for env in (None, {"DSDAY_NO_INDEX": "1"}, {"DSDAY_NO_CACHE": "1"}):
        status = sh("status", "--progress", "loop.jsonl", *AS_OF, env=env)
        no_crash(status)
        assert status.code == 0 and "loop.jsonl: cannot read the journal" in status.err


# ---- the API's rows --------------------------------------------------------------------


def test_a_selected_row_keeps_its_member_and_done_records_only_that_part(plan_dir):
    ws = d.open_workspace("plan.yaml", as_of="26/10/2023")
    rows = ws.select(["do luong"], ["overdue"])
    assert ws.select("do luong", "overdue") == rows  # one name, not its letters
    group = [r for r in rows if r.role == "lead"]
    assert group and all(r.member == "do-luong" and r.id.member == "do-luong" for r in group)
    outcomes = ws.done(group)
    assert outcomes and {o.member for o in outcomes} == {"do-luong"}
    events = journal(plan_dir)
    assert len(events) == len(group) and {e["member"] for e in events} == {"do-luong"}
    v7 = ws.item("v7-2")
    assert v7.members_done == 1  # Đô Lương's part, not all 21 districts
    ws.reopen([r.id for r in group])  # the ids of the rows keep the member too
    assert {e["member"] for e in journal(plan_dir)[len(events):]} == {"do-luong"} and ws.item("v7-2").members_done == 0


def test_a_partners_row_is_refused_not_recorded_as_the_leads_duty(plan_dir):
    ws = d.open_workspace("plan.yaml", as_of="26/10/2023")
    partner = [r for r in ws.select(["do luong"]) if r.role == "partner"]
    assert partner and partner[0].item.id == "v6-1"
    for given in (partner[:1], [partner[0].id]):
        with pytest.raises(d.UsageError) as refused:
            ws.done(given)
        assert "v6-1: this row was selected for a partner agency" in str(refused.value)
        assert "--" not in str(refused.value)
    assert not (plan_dir / "plan.progress.jsonl").exists() or journal(plan_dir) == []
    (outcome,) = ws.done(["v6-1"])  # the item's own id is the lead's, as before
    assert outcome.member is None and ws.item("v6-1").status.finished


def test_the_api_cannot_write_a_line_readers_would_skip(plan_dir):
    ws = d.open_workspace("plan.yaml", as_of="26/10/2023")
    for text in ("x" * (1 << 20), "\udcff"):  # longer than a reader reads; not UTF-8
        with pytest.raises(d.UsageError) as refused:
            ws.note("v1-5", text)
        assert "v1-5: cannot be recorded: " in str(refused.value) and "nothing recorded" in str(refused.value)
    assert not (plan_dir / "plan.progress.jsonl").exists() or journal(plan_dir) == []
