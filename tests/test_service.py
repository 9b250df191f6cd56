"""The service speaks values, not flags, and its recording rules hold without a journal.

A script that passes ``on=date(2030, 1, 1)`` is told about ``on``, never ``--on``; the
command line words the same errors with its options, as before. ``parts_asked`` and
``decide`` (core/recording.py) say what ``done`` and ``reopen`` record from a plan and a fold.
"""

from datetime import date, datetime, timezone

import pytest

from dsday_cli import Role, SortKey, UsageError, open_workspace
from dsday_cli.app.environment import Environment
from dsday_cli.core.model import Event
from dsday_cli.core.recording import Result, decide, parts_asked
from dsday_cli.core.status import fold_events, item_statuses
from dsday_cli.store.journal import new_event
from dsday_cli.store.plan import parse_plan
from tests.test_index import plan_text

AS_OF = "2023-10-20"


@pytest.fixture
def ws(tmp_path):
    (tmp_path / "plan.yaml").write_text(plan_text(12), encoding="utf-8")
    return open_workspace(tmp_path / "plan.yaml", as_of=AS_OF, env=Environment.from_os())


WRONG = [
    (lambda ws: ws.done(["t1"], on=date(2030, 1, 1)), "on.future", "on: 01/01/2030 is in the future"),
    (lambda ws: ws.done(["t1"], on=date(2022, 1, 1)), "on.before-year", "force=True"),
    (lambda ws: ws.done(["t1"], on="32/13/2023"), "day.unreadable", "on: "),
    (lambda ws: ws.select(role="boss", agencies=["ag0"]), "role.unknown", "role: 'boss'"),
    (lambda ws: ws.select(role=Role.LEAD), "role.without-agency", "name the agency"),
    (lambda ws: ws.select(sort="size"), "sort.unknown", "sort: 'size'"),
    (lambda ws: ws.select(limit=-1), "limit.negative", "limit: -1"),
    (lambda ws: ws.select(statuses=["late"]), "status.unknown", "unknown status 'late'"),
    (lambda ws: ws.select(due_before="1/1/2999"), "day.far", "due_before: 01/01/2999"),
    (lambda ws: ws.log(by_day="typed"), "by-day.unknown", "by_day: 'typed'"),
    (lambda ws: ws.export("csv", alarm=3), "alarm.not-ics", "ics format"),
    (lambda ws: ws.export("csv", delimiter="ab"), "delimiter.bad", "delimiter: 'ab'"),
]


@pytest.mark.parametrize("call, problem, words", WRONG)
def test_the_api_names_its_parameters_never_a_flag(ws, call, problem, words):
    with pytest.raises(UsageError) as raised:
        call(ws)
    assert raised.value.problem == problem
    assert words in str(raised.value) and "--" not in str(raised.value)


def test_the_command_line_words_the_same_errors_with_its_options(cli, tmp_path):
    (tmp_path / "plan.yaml").write_text(plan_text(12), encoding="utf-8")
    for args, message in (
        (("done", "t1", "--on", "01/01/2030"), "--on: 01/01/2030 is in the future (today is 20/10/2023)"),
        (("done", "t1", "--on", "01/01/2022"), "--on: 01/01/2022 is before the plan's year 2023; give --force"),
        (("list", "--due-before", "1/1/2999"), "--due-before: 01/01/2999 is more than 100 years"),
        (("list", "-s", "late"), "--status: unknown status 'late'; choose from"),
        (("list", "--limit", "3", "--sort", "size"), "--sort: 'size' is not one of due, id, agency, status"),
        (("export", "--format", "csv", "--delimiter", "ab"), "--delimiter: 'ab' is not one character"),
        (("list", "--json", "nothing"), "--json: unknown field 'nothing'"),
    ):
        result = cli(*args, "--as-of", AS_OF)
        assert result.code == 2 and result.err.startswith(f"dsday: {message}"), (args, result)
    vietnamese = cli("done", "t1", "--on", "01/01/2030", "--as-of", AS_OF, env={"DSDAY_LANG": "vi"})
    assert vietnamese.err == "dsday: --on: 01/01/2030 là ngày trong tương lai (hôm nay là 20/10/2023)\n"


def test_typed_roles_and_orders_select_what_their_words_do(ws):
    typed = ws.select(["ag1"], ["open", "overdue"], role=Role.PARTNER, sort=SortKey.DUE, limit=3)
    words = ws.select(["ag1"], ["open", "overdue"], role="partner", sort="due", limit=3)
    assert typed == words and typed and {s.role for s in typed} == {Role.PARTNER}


# ---- recording rules, without a journal --------------------------------------------------------


def event(item: str, member: str | None, on: str, seq: int = 1) -> Event:
    day = date.fromisoformat(on)
    return new_event("done", item, member, day, "b", None, "test-plan", datetime(2023, 10, 9, tzinfo=timezone.utc), seq)


def test_done_on_a_group_records_only_the_members_not_yet_done():
    plan = parse_plan(plan_text(12), "plan.yaml")
    progress = fold_events(plan, [event("t0", "m1", "2023-10-05"), event("t0", "m3", "2023-10-06")])
    asked = parts_asked(plan, ["t0"], None)  # t0 is ag0's: a group of four
    steps = decide(plan, progress, "done", asked, date(2023, 10, 9), False, 999)
    assert [(s.item, s.member, s.result) for s in steps] == [
        ("t0", "m0", Result.RECORDED), ("t0", "m2", Result.RECORDED),
    ]  # fmt: skip
    assert {s.seq for s in steps} == {2}  # after the highest counter of the item's parts
    again = decide(plan, progress, "done", parts_asked(plan, ["t0"], "m1"), date(2023, 10, 5), True, 999)
    assert [(s.member, s.result, s.day) for s in again] == [("m1", Result.ALREADY, date(2023, 10, 5))]
    moved = decide(plan, progress, "done", parts_asked(plan, ["t0"], "m1"), date(2023, 10, 7), True, 999)
    assert [(s.result, s.day, s.was) for s in moved] == [(Result.CORRECTED, date(2023, 10, 7), date(2023, 10, 5))]
    reopened = decide(plan, progress, "reopen", parts_asked(plan, ["t3", "t0"], None), date(2023, 10, 9), False, 999)
    assert [(s.item, s.result) for s in reopened] == [("t3", Result.ALREADY), ("t0", Result.RECORDED)]


def test_a_selected_row_keeps_its_member_and_a_partners_row_is_refused():
    plan = parse_plan(plan_text(12), "plan.yaml")
    statuses = {s.item.id: s for s in item_statuses(plan, fold_events(plan, []), date(2023, 10, 9))}
    from dsday_cli.core.query import Query

    ag0, ag1 = plan.agencies_by_id["ag0"], plan.agencies_by_id["ag1"]
    m2 = next(m for m in ag0.members if m.id == "m2")
    row = Query(agencies=((ag0, m2),)).row(statuses["t3"])
    assert [(item.id, member and member.id) for item, member in parts_asked(plan, [row], None)] == [("t3", "m2")]
    with pytest.raises(UsageError, match="this row is for member m2, not m1"):
        parts_asked(plan, [row], "m1")
    partner = Query(agencies=((ag1, None),)).row(statuses["t0"])
    with pytest.raises(UsageError, match="selected for a partner agency") as refused:
        parts_asked(plan, [partner], None)
    assert "--" not in str(refused.value)


# ---- notes and problems the API hands back: no flag in them, the command line's words on screen ----------------


def test_notes_and_problems_name_no_flag_and_the_command_line_words_them(cli, tmp_path, monkeypatch):
    from dsday_cli import rollover_plan, sync_journal

    plan = tmp_path / "plan.yaml"
    plan.write_text(plan_text(12), encoding="utf-8")
    theme = [note for note in rollover_plan(plan, 2024).notes if note.startswith("theme kept")]
    assert theme == ["theme kept from 2023 ('Dữ liệu số'); give next year's theme"]
    result = cli("rollover", "2024", "--plan", str(plan))
    assert "dsday: warning: theme kept from 2023 ('Dữ liệu số'); give next year's with --theme\n" in result.err

    (tmp_path / "cal.ics").write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
    ws = open_workspace(plan, as_of=AS_OF, env=Environment.from_os())
    assert ws.import_checklist(tmp_path / "cal.ics").problems == [
        "cal.ics: this is an iCalendar file (ICS), not a checklist; export one as csv, xlsx or md"
    ]
    result = cli("import", str(tmp_path / "cal.ics"), "--plan", str(plan), "--as-of", AS_OF)
    assert "export one with --format csv, xlsx or md\n" in result.err and result.code == 2

    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    (tmp_path / "gitconfig").write_text("[user]\n\tname = Văn phòng\n\temail = vp@example.org\n")
    assert cli("init", "office", "--git").code == 0
    report = sync_journal(tmp_path / "office" / "plan.yaml", push=False)
    assert report.held and not any("--" in line for line in report.lines)
    result = cli("sync", "--plan", str(tmp_path / "office" / "plan.yaml"), "--no-push")
    assert result.code == 0 and result.out.endswith("not pulled or pushed (--no-push)\n"), result


def test_who_records_by_default_is_one_rule():
    from dsday_cli.core.recording import recorder

    def configured() -> str:
        raise AssertionError("the configuration is read only when no one is named")

    assert recorder("Văn phòng", "login", False, configured) == "Văn phòng"
    assert recorder(None, "dsday-user", True, configured) == "dsday-user"
    assert recorder(None, "login", False, lambda: "Sở TT&TT") == "Sở TT&TT"
    assert recorder(None, "login", False, lambda: None) == "login"
