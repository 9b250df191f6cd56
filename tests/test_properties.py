"""Invariants over generated plans, journals, days and files (Hypothesis).

The default profile keeps CI quick; HYPOTHESIS_PROFILE=long runs a longer campaign.
"""

import re
import csv
import io
import json
import os
import random
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dsday_cli.core.errors import PlanInvalid
from dsday_cli.store.journal import JournalScan, read_journal
from dsday_cli.store.plan import parse_plan, plan_adapter
from dsday_cli.views.render import ITEM_CSV_COLUMNS, item_record, item_rows, to_csv, to_json
from dsday_cli.core.status import fold_events, item_statuses
from tests.conftest import DSDAY, EMBEDDED
from tests.strategies import LAST, days, journals, plans

settings.register_profile(
    "ci",  # the same examples on every run: CI judges the code, never the draw
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "long",
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

BASE = EMBEDDED.read_text(encoding="utf-8")


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def load(data: dict):
    return parse_plan(dump(data), "plan.yaml")


@given(st.binary(max_size=2000))
def test_any_bytes_are_a_plan_or_a_located_error(raw):
    text = raw.decode("utf-8", errors="replace")
    try:
        parse_plan(text, "plan.yaml")
    except PlanInvalid as error:
        assert error.problems and all(p.startswith("plan.yaml:") for p in error.problems)


@st.composite
def mangled_plans(draw) -> str:
    """The embedded plan with a few edits a careless hand or a bad merge makes."""
    text = BASE
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["delete", "insert", "duplicate", "truncate"]))
        if edit == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 80)) :]
        elif edit == "insert":
            text = (
                text[:at]
                + draw(
                    st.sampled_from(
                        [
                            "&a ",
                            "*a",
                            "!!python/object ",
                            ":",
                            "\t",
                            "- ",
                            "{",
                            "]",
                            "'",
                            "\n  x: 1\n",
                            "31/02/2023",
                            "\x00",
                            "đ",
                        ]
                    )
                )
                + text[at:]
            )
        elif edit == "duplicate":
            line_start = text.rfind("\n", 0, at) + 1
            line_end = text.find("\n", at)
            text = text[:line_end] + text[line_start - 1 : line_end] + text[line_end:] if line_end > 0 else text
        else:
            text = text[:at]
    return text


@given(mangled_plans())
@example("national_day: 2023-10-10\n" * 2)
@example("responsibilities:\n- id: x\n  due: 29/02/2023\n")
def test_mangled_plans_load_or_fail_located(text):
    try:
        parse_plan(text, "plan.yaml")
    except PlanInvalid as error:
        assert error.problems
        for problem in error.problems:
            path, line, column, _rest = problem.split(":", 3)
            assert path == "plan.yaml" and int(line) >= 1 and int(column) >= 1


def test_hostile_files_through_the_cli_exit_65_or_66_in_one_or_two_lines(tmp_path):
    rng = random.Random(5)
    samples = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400))) for _ in range(12)]
    samples += [b"a: &x [*x]\n", b"- " * 5000, b"{" * 100000, b"\xef\xbb\xbf" + BASE.encode()[:500], b"\x00" * 64]
    for number, raw in enumerate(samples):
        path = tmp_path / f"p{number}.yaml"
        path.write_bytes(raw)
        done = subprocess.run([DSDAY, "status", "--plan", str(path)], capture_output=True, text=True, timeout=60)
        assert done.returncode in (0, 65, 66), (raw[:60], done.stderr)
        assert "Traceback" not in done.stderr and 1 <= len(done.stderr.splitlines()) <= 2, done.stderr


REGRESSION_TAB_COMBINING = {  # found by the long profile: "\t" + U+0323 fused into "\ṭ" when the source was normalised
    "id": "0", "title": "\t\u0323", "issuer": "0", "year": 2023, "theme": "0", "national_day": "10/10/2023",
    "campaign": {"start": "1/9/2023", "end": "1/9/2023"},
    "milestones": [{"id": "report", "title": "\t\u0323", "date": "11/9/2023", "deadline": "before"}],
    "agencies": [{"id": "0", "name": "0"}], "responsibilities": [{"id": "0", "ref": "V.1", "agency": "0", "title": "0"}],
}  # fmt: skip


@given(plans())
@example(REGRESSION_TAB_COMBINING)
def test_generated_plans_load_and_match_their_schema(data):
    import jsonschema

    plan = load(data)
    assert [i.id for i in plan.responsibilities] == [r["id"] for r in data["responsibilities"]]
    schema = plan_adapter().json_schema()
    jsonschema.validate(data, schema)


@given(data=st.data())
def test_reading_a_journal_never_raises_and_keeps_every_valid_event(data, tmp_path_factory):
    plan_data = data.draw(plans())
    events, raw = data.draw(journals(plan_data))
    path = tmp_path_factory.mktemp("j") / "j.jsonl"
    path.write_bytes(raw)
    read = read_journal(path)
    assert {e["id"] for e in events} <= {e.id for e in read.events}
    assert len({e.id for e in read.events}) == len(read.events)


@given(data=st.data())
def test_status_is_the_same_in_any_order_and_duplication(data):
    plan_data = data.draw(plans())
    plan = load(plan_data)
    events, raw = data.draw(journals(plan_data))
    parsed = read_journal_bytes(raw)
    shuffled = parsed + parsed[: len(parsed) // 2]
    # a drawn Random shuffles in a few bytes of entropy; st.permutations spends some per element
    data.draw(st.randoms(use_true_random=False)).shuffle(shuffled)
    as_of = data.draw(days)
    first = item_statuses(plan, fold_events(plan, parsed), as_of)
    second = item_statuses(plan, fold_events(plan, shuffled), as_of)
    assert [to_json(item_record(s)) for s in first] == [to_json(item_record(s)) for s in second]


def read_journal_bytes(raw: bytes):
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".jsonl") as stream:
        stream.write(raw)
        stream.flush()
        with JournalScan(Path(stream.name)) as scan:
            return list(scan)


@given(data=st.data())
def test_status_is_monotone_in_time_and_never_done_and_overdue(data):
    plan_data = data.draw(plans())
    plan = load(plan_data)
    _events, raw = data.draw(journals(plan_data))
    events = read_journal_bytes(raw)
    progress = fold_events(plan, events)
    earlier = data.draw(days)
    later = data.draw(st.dates(earlier, LAST + timedelta(days=60)))
    before = {s.item.id: s for s in item_statuses(plan, progress, earlier)}
    after = {s.item.id: s for s in item_statuses(plan, progress, later)}
    # Completions only move forward in time; a reopen or a correction dated between the
    # two days may take one back (that is history replayed, checked below).
    settled = all(e.kind != "reopen" for e in events) and len({(e.item, e.member) for e in events}) == len(events)
    for item_id, status in before.items():
        if not settled:
            break
        if status.status == "overdue":
            assert after[item_id].status in ("overdue", "done-late")
        if status.status in ("done", "done-late"):
            assert after[item_id].status == status.status
            assert all(part.mark for part in status.members)
    for status in after.values():
        assert (status.mark is not None) == (status.status in ("done", "done-late"))  # never both done and overdue
        if status.item.deadline is None:  # a duty the document gives no deadline is never late
            assert status.status in ("open", "done")
            assert all(part.status in ("open", "done") for part in status.members)
        elif status.status == "overdue":
            assert later > status.item.last_day


@given(data=st.data())
def test_as_of_replays_only_the_events_that_had_taken_effect(data):
    """Judged as of a day, the journal answers as if only the events of that day and before existed."""
    plan_data = data.draw(plans())
    plan = load(plan_data)
    _events, raw = data.draw(journals(plan_data))
    events = read_journal_bytes(raw)
    as_of = data.draw(days)
    replayed = item_statuses(plan, fold_events(plan, events), as_of)
    effective = [e for e in events if e.on_day is None or e.on_day <= as_of]
    from_scratch = item_statuses(plan, fold_events(plan, effective), as_of)
    assert [(s.item.id, s.status, s.mark) for s in replayed] == [(s.item.id, s.status, s.mark) for s in from_scratch]


@given(data=st.data())
def test_every_item_is_counted_once_with_or_without_a_lead(data):
    from dsday_cli.views.render import status_record
    from dsday_cli.core.status import dashboard

    plan_data = data.draw(plans())
    plan = load(plan_data)
    _events, raw = data.draw(journals(plan_data))
    as_of = data.draw(days)
    statuses = item_statuses(plan, fold_events(plan, read_journal_bytes(raw)), as_of)
    record = json.loads(to_json(status_record(dashboard(plan, statuses, as_of))))
    leads = {r["id"]: r.get("agency") for r in plan_data["responsibilities"]}
    assert record["total"] == len(statuses) == len(leads)
    assert sorted(i["id"] for i in record["unassigned"]) == sorted(i for i, lead in leads.items() if lead is None)
    assert sum(a["total"] for a in record["agencies"]) + len(record["unassigned"]) == record["total"]
    assert record["finished"] == sum(a["done"] + a["done_late"] for a in record["agencies"]) + sum(
        1 for i in record["unassigned"] if i["status"] in ("done", "done-late")
    )
    overdue = sorted(s.item.id for s in statuses if s.status == "overdue")
    assert sorted(i["id"] for i in record["overdue"]) == overdue
    assert all(plan.items_by_id[i].deadline is not None for i in overdue)


@given(data=st.data())
def test_exports_round_trip_and_never_start_a_cell_with_a_formula(data):
    plan_data = data.draw(plans())
    plan = load(plan_data)
    _events, raw = data.draw(journals(plan_data))
    statuses = item_statuses(plan, fold_events(plan, read_journal_bytes(raw)), data.draw(days))
    rows = item_rows(statuses)
    text = to_csv(rows, ITEM_CSV_COLUMNS, data.draw(st.sampled_from([",", ";"])))
    delimiter = ";" if text.splitlines()[0].count(";") else ","
    read_back = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter))
    assert [r["id"] for r in read_back] == [r["id"] for r in rows]
    for original, back in zip(rows, read_back):
        for column in ITEM_CSV_COLUMNS:
            value = "" if original[column] is None else str(original[column])
            assert back[column] in (value, "'" + value)
            assert not back[column].startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
    records = [item_record(s) for s in statuses]
    assert json.loads(to_json(records)) == records
    for record, status in zip(records, statuses):
        written = next(r for r in plan_data["responsibilities"] if r["id"] == record["id"])
        written_ref = written.get("ref", [])  # left out where the document numbers no clause
        assert record["refs"] == ([written_ref] if isinstance(written_ref, str) else written_ref)
        assert record["ref"] == ", ".join(record["refs"])
        assert record["agency"] == written.get("agency") and record["partners"] == written.get("partners", [])
        assert (record["deadline"] is None) == ("deadline" not in written)
        undated = "deadline" not in written or written["deadline"]["kind"] == "ongoing"  # thường xuyên: no day
        assert undated == (record["last_day"] is None)
        if "deadline" in written:
            assert record["deadline"] == written["deadline"]["kind"]
            assert record["deadline_source"] == written["deadline"].get("source", "stated")
            assert record["tentative"] == bool(written["deadline"].get("tentative"))


@given(data=st.data())
def test_reminders_list_exactly_the_late_and_soon_items_of_each_lead(data):
    """No reminder for an item without a deadline or without a lead; every other late or soon-due part is in one."""
    from dsday_cli.app.remind import coordinator_of, reminders

    plan_data = data.draw(plans())
    plan = load(plan_data)
    _events, raw = data.draw(journals(plan_data))
    events = read_journal_bytes(raw)
    as_of = data.draw(days)
    statuses = item_statuses(plan, fold_events(plan, events), as_of)
    coordinator = coordinator_of(plan, None)
    batch = reminders(plan, statuses, events, as_of, data.draw(st.sampled_from(["en", "vi"])), coordinator)
    listed = set()
    for reminder in batch:
        recipient = reminder.recipient
        assert recipient.agency.id != coordinator.id and reminder.items
        assert all(s.status == "overdue" for s in reminder.overdue)
        assert all(s.status == "due-soon" for s in reminder.due_soon)
        for status in reminder.items:
            assert status.item.last_day is not None and status.item.agency == recipient.agency.id
            clause = f" \\((?:section|mục) {re.escape(status.item.ref_text)} (?:of the plan|Kế hoạch)\\)" if status.item.ref else ""
            assert re.search(re.escape(status.item.title) + clause + "; ", reminder.body), reminder.body
            listed.add((status.item.id, recipient.member.id if recipient.member else None))
    late = set()
    for status in statuses:
        if status.agency is None or status.agency.id == coordinator.id:
            continue
        parts = [(p.member.id, p.status) for p in status.members] or [(None, status.status)]
        late |= {(status.item.id, member) for member, state in parts if state in ("overdue", "due-soon")}
    assert listed == late


@given(data=st.data())
def test_a_ticked_markdown_checklist_reads_back_as_exactly_its_items(data):
    """Every line of dsday's own checklist, whatever its deadline, clauses and role, ticked, names its item and day."""
    from dsday_cli.documents.checklist_import import parse_checklist
    from dsday_cli.core.i18n import choose
    from dsday_cli.views.render import checklist_md

    plan_data = data.draw(plans())
    plan = load(plan_data)
    _events, raw = data.draw(journals(plan_data))
    statuses = item_statuses(plan, fold_events(plan, read_journal_bytes(raw)), data.draw(days))
    choose(data.draw(st.sampled_from(["en", "vi"])))
    try:
        text = checklist_md(plan, statuses)
        checklist = parse_checklist(text.replace("- [ ]", "- [x]").encode(), "back.md", plan.year)
    finally:
        choose(None)
    assert checklist.problems == []
    expected = []
    for status in statuses:
        if status.members:
            expected += [(status.item.id, p.member.id, p.mark and p.mark.on) for p in status.members]
        else:
            expected.append((status.item.id, None, status.mark and status.mark.on))
    # the checklist groups items under their lead agency: the same rows, in that order
    lead_order = list(dict.fromkeys(s.agency.id if s.agency else None for s in statuses))
    lead_of = {s.item.id: lead_order.index(s.agency.id if s.agency else None) for s in statuses}
    expected.sort(key=lambda row: lead_of[row[0]])  # stable: plan order within each agency
    assert [(r.item, r.member, r.on) for r in checklist.rows] == expected


@given(data=st.data())
def test_ics_has_one_event_per_dated_item_and_milestone_for_an_independent_parser(data):
    from ical.calendar_stream import IcsCalendarStream

    from dsday_cli.views.ics import to_ics

    plan = load(data.draw(plans()))
    statuses = item_statuses(plan, fold_events(plan, []), data.draw(days))
    dated = [s for s in statuses if s.item.last_day is not None]  # without a deadline (or ongoing): no date to show
    items = {f"{s.item.id}.{plan.id}@dsday": s.item.last_day for s in dated}
    milestones = {f"milestone+{m.id}.{plan.id}@dsday": m.last_day for m in plan.milestones}
    firsts = {  # a window or a month spans its days, from its first
        f"{s.item.id}.{plan.id}@dsday": min(s.item.deadline.first_day or s.item.last_day, s.item.last_day)
        for s in dated
    }
    campaign = {f"campaign+.{plan.id}@dsday": plan.campaign} if plan.campaign else {}
    calendar = IcsCalendarStream.calendar_from_ics(to_ics(plan, statuses))
    assert len(calendar.events) == len(dated) + len(plan.milestones) + len(campaign)
    assert sorted(e.uid for e in calendar.events) == sorted([*items, *milestones, *campaign])
    events = {e.uid: e for e in calendar.events}
    assert {uid: events[uid].dtstart for uid in [*items, *milestones]} == firsts | milestones
    assert {uid: events[uid].dtend - timedelta(days=1) for uid in items} == items  # DTEND: the day after the last
    for uid, window in campaign.items():
        assert (events[uid].dtstart, events[uid].dtend) == (window.start, window.end + timedelta(days=1))
    todos = IcsCalendarStream.calendar_from_ics(to_ics(plan, statuses, todo=True))
    assert {t.uid: t.due for t in todos.todos} == items and len(todos.todos) == len(dated)
    starts = {t.uid: t.dtstart for t in todos.todos}
    for s in dated:  # a window or a month starts on its first day (a one-day window: see the test below)
        first = s.item.deadline.first_day
        if first is None or first < s.item.last_day:
            assert starts[f"{s.item.id}.{plan.id}@dsday"] == first, s.item.deadline
    assert {e.uid: e.dtstart for e in todos.events if e.uid in milestones} == milestones


def test_a_one_day_window_makes_a_valid_todo():
    from dsday_cli.views.ics import to_ics

    plan = load(
        {
            "id": "p", "title": "T", "issuer": "I", "year": 2023, "agencies": [{"id": "a", "name": "A"}],
            "responsibilities": [
                {"id": "x", "ref": "V.1", "agency": "a", "title": "Việc",
                 "deadline": {"kind": "window", "start": "19/9/2023", "end": "19/9/2023"}},
            ],
        }  # fmt: skip
    )
    text = to_ics(plan, item_statuses(plan, fold_events(plan, []), LAST), todo=True)
    todo = text[text.index("BEGIN:VTODO") : text.index("END:VTODO")].splitlines()
    start = [line.rsplit(":", 1)[1] for line in todo if line.startswith("DTSTART")]
    due = [line.rsplit(":", 1)[1] for line in todo if line.startswith("DUE")]
    assert due == ["20230919"]
    assert start == [] or start[0] < due[0], todo


def test_ics_uids_stay_distinct_when_an_item_id_looks_like_a_milestones():
    from ical.calendar_stream import IcsCalendarStream

    from dsday_cli.views.ics import to_ics

    plan = load(
        {
            "id": "p", "title": "T", "issuer": "I", "year": 2023,
            "milestones": [{"id": "report", "title": "Báo cáo", "date": "25/10/2023", "deadline": "before"}],
            "agencies": [{"id": "a", "name": "A"}],
            "responsibilities": [
                {"id": "milestone-report", "ref": "V.1", "agency": "a", "title": "Việc",
                 "deadline": {"kind": "by", "date": "15/10/2023"}},
            ],
        }  # fmt: skip
    )
    statuses = item_statuses(plan, fold_events(plan, []), LAST)
    uids = [e.uid for e in IcsCalendarStream.calendar_from_ics(to_ics(plan, statuses)).events]
    assert len(uids) == 2 and len(set(uids)) == 2, uids


@settings(max_examples=max(15, settings.default.max_examples // 10))  # each example runs dsday three times
@given(data=st.data())
def test_the_cache_never_changes_an_answer(data, tmp_path_factory):
    plan_data = data.draw(plans())
    _events, raw = data.draw(journals(plan_data))
    root = tmp_path_factory.mktemp("c")
    (root / "plan.yaml").write_text(dump(plan_data), encoding="utf-8")
    (root / "plan.progress.jsonl").write_bytes(raw)
    env = dict(os.environ, XDG_CACHE_HOME=str(root / "cache"), DSDAY_AS_OF=data.draw(days).isoformat())

    def run(extra: dict) -> str:
        done = subprocess.run(
            [DSDAY, "list", "--format", "json", "--plan", str(root / "plan.yaml")],
            env=env | extra,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    cold = run({"DSDAY_NO_CACHE": "1"})
    assert run({}) == cold  # builds the cache
    assert run({}) == cold  # served from it


@settings(max_examples=max(25, settings.default.max_examples // 10))  # each example runs ten commands
@given(data=st.data())
def test_every_view_renders_any_valid_plan(data, tmp_path_factory):
    """Tables, timeline, report and calendar for any plan and journal (see also the markup regression in test_cli_read)."""
    from rich.cells import cell_len
    from typer.testing import CliRunner

    from dsday_cli.cli.commands import app

    plan_data = data.draw(plans())
    _events, raw = data.draw(journals(plan_data))
    as_of = data.draw(days).isoformat()
    root = tmp_path_factory.mktemp("v")
    (root / "plan.yaml").write_text(dump(plan_data), encoding="utf-8")
    (root / "plan.progress.jsonl").write_bytes(raw)
    env = {"XDG_CACHE_HOME": str(root / "cache"), "DSDAY_AS_OF": as_of, "DSDAY_PLAN": str(root / "plan.yaml")}
    for args in (
        ["status"],
        ["list"],
        ["agencies"],
        ["timeline"],
        ["log"],
        ["report"],
        ["export", "--format", "ics"],
        ["export", "--format", "md"],
        ["status", "--format", "md"],
        ["remind", "--dry-run"],
    ):
        result = CliRunner().invoke(app, args, env=env)
        assert result.exit_code == 0, (args, result.stderr, result.exception)
    for args in (["status"], ["status", "--brief"], ["timeline"]):  # laid out for a narrow, short screen
        result = CliRunner().invoke(app, args, env=env | {"COLUMNS": "60", "LINES": "24"})
        assert result.exit_code == 0, (args, result.stderr, result.exception)
        assert max(map(cell_len, result.stdout.splitlines()), default=0) <= 60, (args, result.stdout)
