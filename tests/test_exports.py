"""Checklists that leave the program, read back by independent readers, and their return."""

import csv
import io
import json
import os
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta, timezone

import pytest

from tests.conftest import DSDAY, write_plan
from tests.terminal import run_in_terminal

AS_OF = ["--as-of", "2023-10-20"]
MILESTONES = ("milestone+campaign-start", "milestone+launch", "milestone+national-day", "milestone+campaign-end", "milestone+report")


def test_ics_parses_with_an_independent_reader_and_keeps_uids(cli, tmp_path):
    from ical.calendar_stream import IcsCalendarStream

    first = cli("export", "--format", "ics", *AS_OF).out
    calendar = IcsCalendarStream.calendar_from_ics(first)
    items = [e for e in calendar.events if "+" not in e.uid]
    assert len(items) == 22  # the 27 items less the 5 the document gives no deadline
    assert "v7-1.nghe-an-2023@dsday" not in {e.uid for e in items}  # a district's own plan: undated
    assert len(calendar.events) - len(items) == 6  # the milestones and the campaign
    report = next(e for e in calendar.events if e.uid == "v1-6.nghe-an-2023@dsday")
    assert report.dtstart == date(2023, 10, 24) and report.dtend == date(2023, 10, 25)
    assert "Báo cáo kết quả" in report.summary
    cli("done", "v1-6", *AS_OF)
    second = IcsCalendarStream.calendar_from_ics(cli("export", "--format", "ics", *AS_OF).out)
    assert sorted(e.uid for e in second.events) == sorted(e.uid for e in calendar.events)
    assert next(e for e in second.events if e.uid == report.uid).summary.startswith("✓ ")


def test_ics_todo_option(cli):
    from ical.calendar_stream import IcsCalendarStream

    calendar = IcsCalendarStream.calendar_from_ics(cli("export", "--format", "ics", "--todo", "-a", "sct", *AS_OF).out)
    assert [t.uid for t in calendar.todos] == ["v3-1.nghe-an-2023@dsday"]  # v3-2 has no deadline
    assert calendar.todos[0].due == date(2023, 10, 15)  # the last on-time day, as calendar apps show it
    concerning = {m for m in MILESTONES if m not in ("milestone+launch", "milestone+report")}  # not the Sở's
    assert {e.uid for e in calendar.events} == {f"{m}.nghe-an-2023@dsday" for m in (*concerning, "campaign+")}


def test_csv_neutralises_formulas_and_reads_back(cli, tmp_path):
    plan = write_plan(tmp_path / "plan.yaml", items=2)
    plan.write_text(plan.read_text().replace("title: Việc số 0", 'title: \'=HYPERLINK("http://x","click")\''))
    out = cli("export", "--format", "csv", *AS_OF).out
    assert out.startswith("id,")  # no BOM in a pipe: cut, awk and csvkit see 'id'
    assert cli("export", "--format", "csv", "--bom", *AS_OF).out == "\ufeff" + out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == ["t0", "t1"]
    assert rows[0]["title"] == '\'=HYPERLINK("http://x","click")'
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n")) for cell in row.values())


def test_an_item_without_a_lead_has_no_role_in_csv_json_or_a_workbook(cli, tmp_path):
    unassigned = "  - {id: u1, ref: V.3, title: Việc chưa giao cho ai, deadline: {kind: by, date: 2023-10-15}}\n"
    write_plan(tmp_path / "plan.yaml", items=2, extra=unassigned)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(cli("export", "--format", "csv", *AS_OF).out))}
    assert (rows["u1"]["agency"], rows["u1"]["role"]) == ("", "")  # was role=lead with an empty agency
    assert (rows["t0"]["agency"], rows["t0"]["role"]) == ("ag0", "lead")
    records = {r["id"]: r for r in json.loads(cli("list", "--format", "json", *AS_OF).out)}
    assert (records["u1"]["agency"], records["u1"]["role"]) == (None, None)
    from openpyxl import load_workbook

    assert cli("--lang", "vi", "export", "--format", "xlsx", "-o", "all.xlsx", *AS_OF).code == 0
    book = load_workbook(tmp_path / "all.xlsx")
    # items without a lead come last, on a sheet of their own, saying so
    assert [s.title for s in book.worksheets] == ["CQ0", "CQ1", "chưa xác định cơ quan chủ trì"]
    row = [c.value for c in book.worksheets[-1][3]]
    assert row[0] == "u1" and row[3:5] == ["chưa xác định cơ quan chủ trì", None]  # no role where nobody leads


def test_csv_with_semicolons(cli):
    out = cli("export", "--format", "csv", "--delimiter", ";", "-a", "sct", *AS_OF).out
    assert (
        out.splitlines()[0]
        == "id;ref;agency;agency_name;role;partners;member;member_name;title;deadline;deadline_source;deadline_ref;"
        "tentative;start;due;last_day;status;done_on;done_by;note"
    )


def test_markdown_checklist(cli):
    cli("done", "v7-1", "--member", "vinh", "--on", "12/10", *AS_OF)
    out = cli("export", "--format", "md", "-a", "ubnd-huyen", *AS_OF).out
    # v6-1 (Tỉnh đoàn leads, the districts partner) and V.7's three duties, each with its 21 districts
    assert out.count("- [ ] **") == 4 and out.count("  - [x] ") == 1 and out.count("  - [ ] ") == 62
    assert "from 15/09/2023 to 15/10/2023 (per III) (partner)" in out and "(done 12/10/2023)" in out
    assert "**v7-1** (V.7) Xây dựng Kế hoạch" in out and "— no deadline" in out


def test_markdown_neutralises_plan_text(cli, tmp_path):
    plan = write_plan(tmp_path / "plan.yaml", items=1)
    plan.write_text(plan.read_text().replace("title: Việc số 0", "title: '[x](javascript:alert(1)) <b>'"))
    out = cli("export", "--format", "md", *AS_OF).out
    assert "\\[x\\](javascript:alert(1)) \\<b\\>" in out


def test_json_export_has_the_documented_fields(cli):
    data = json.loads(cli("export", "--format", "json", "-a", "bao-dai-cong", *AS_OF).out)
    for field in (
        "id",
        "ref",
        "agency",
        "agency_name",
        "title",
        "start",
        "due",
        "deadline",
        "last_day",
        "status",
        "done_on",
        "done_by",
        "note",
    ):
        assert field in data[0]
    assert [m["id"] for m in data[0]["members"]] == ["bao-nghe-an", "dai-ptth", "cong-ttdt"]
    assert set(data[0]["members"][0]) >= {"id", "name", "status", "done_on"}


def test_json_output_is_the_same_bytes_in_two_offices(cli, tmp_path):
    assert cli("done", "v1-1", *AS_OF).code == 0
    here_run = cli("list", "--format", "json", *AS_OF)
    shutil.copy(tmp_path / "state" / "dsday" / "nghe-an-2023.progress.jsonl", tmp_path / "copy.jsonl")
    os.chdir(tmp_path.parent)
    there_run = cli("list", "--format", "json", "--progress", str(tmp_path / "copy.jsonl"), *AS_OF)
    assert here_run.code == there_run.code == 0, (here_run, there_run)
    here, there = here_run.out, there_run.out
    assert next(i for i in json.loads(here) if i["id"] == "v1-1")["done_on"] == "2023-10-20"  # the copy was read
    assert here == there


def test_output_file_is_written_whole(cli, tmp_path):
    result = cli("export", "--format", "csv", "--output", "out/x.csv", *AS_OF)
    assert result.code == 0 and (tmp_path / "out" / "x.csv").read_text(encoding="utf-8").startswith("\ufeffid,")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["x.csv"]
    (tmp_path / "blocker").write_text("")
    failed = cli("export", "--output", "blocker/x.md", *AS_OF)
    assert failed.code == 73 and failed.err.startswith("dsday: blocker/x.md: cannot write")


def tick_rows(path, ticks: dict[int, dict]) -> None:
    """Edit a CSV as a person would in a spreadsheet, saving it back as CSV UTF-8."""
    with open(path, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    header = rows[0]
    for index, cells in ticks.items():
        for column, value in cells.items():
            rows[index][header.index(column)] = value
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream, delimiter=";").writerows(rows)


def test_export_tick_two_rows_import_twice(cli, tmp_path):
    cli("export", "-a", "ubnd-huyen", "--format", "csv", "--output", "huyen.csv", *AS_OF)
    # row 1 is v6-1, where the districts partner; rows 2-22 are v7-1's districts (Vinh first, Anh Sơn fifth)
    tick_rows(
        tmp_path / "huyen.csv",
        {2: {"done_on": "18/10/2023"}, 6: {"status": "Xong", "done_on": "20/10/2023", "note": "=cmd"}},
    )
    dry = cli("import", "huyen.csv", "--dry-run", *AS_OF)
    assert dry.code == 0 and "would record 2 new completions" in dry.out
    assert json.loads(cli("log", "--format", "json", *AS_OF).out) == []
    result = cli("import", "huyen.csv", *AS_OF)
    assert result.code == 0 and "recorded 2 new completions" in result.out
    events = json.loads(cli("log", "--format", "json", *AS_OF).out)
    group = "Ủy ban nhân dân các huyện, thành phố, thị xã"  # whom the checklist was exported for
    assert [(e["item"], e["member"], e["on"], e["by"]) for e in events] == [
        ("v7-1", "vinh", "2023-10-18", group),
        ("v7-1", "anh-son", "2023-10-20", group),
    ]
    assert events[1]["note"] == "=cmd" and events[0]["note"] is None  # as typed in the file, or none
    journal = next((tmp_path / "state" / "dsday").glob("*.progress.jsonl"))
    assert [json.loads(line)["source"] for line in journal.read_text(encoding="utf-8").splitlines()] == ["huyen.csv"] * 2
    again = cli("import", "huyen.csv", *AS_OF)
    assert again.code == 0 and "nothing new to record" in again.out
    assert len(json.loads(cli("log", "--format", "json", *AS_OF).out)) == 2


def test_import_with_bad_rows_records_nothing(cli, tmp_path):
    cli("export", "-a", "sct", "--format", "csv", "--output", "sct.csv", *AS_OF)
    path = tmp_path / "sct.csv"
    header = path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    row = ["zz-9" if c == "id" else "done" if c == "status" else "" for c in header]
    path.write_text(path.read_text(encoding="utf-8-sig") + ",".join(row) + "\n", encoding="utf-8")
    tick_rows(path, {1: {"done_on": "18/10/2023"}, 2: {"done_on": "31/02/2023"}})
    result = cli("import", "sct.csv", *AS_OF)
    assert result.code == 2
    assert "sct.csv:3: done_on '31/02/2023' is not a day of the calendar" in result.err
    assert "sct.csv:5: unknown item 'zz-9'" in result.err  # after the checklist's binding, its last line
    assert "nothing recorded" in result.err
    assert json.loads(cli("log", "--format", "json", *AS_OF).out) == []


def test_import_conflicting_rows(cli, tmp_path):
    path = tmp_path / "back.csv"
    path.write_text("id,done_on\nv2-1,18/10/2023\nv2-1,19/10/2023\n")
    result = cli("import", str(path), "--any-agency", *AS_OF)
    assert result.code == 2 and "back.csv:3: conflicts with back.csv:2" in result.err


def test_import_markdown_ticks(cli, tmp_path):
    cli("export", "-a", "tinh doan", "--output", "td.md", *AS_OF)
    path = tmp_path / "td.md"
    text = path.read_text()
    line = next(line for line in text.splitlines() if "- [ ] **v6-2**" in line)
    path.write_text(text.replace(line, line.replace("- [ ]", "- [x]") + " (done 20/10/2023)"))
    assert "recorded 1 new completion" in cli("import", "td.md", *AS_OF).out
    assert json.loads(cli("show", "v6-2", "--format", "json", *AS_OF).out)["done_by"] == "Tỉnh đoàn Nghệ An"


def vietnam_today() -> date:
    return (datetime.now(timezone.utc) + timedelta(hours=7)).date()


def cron_plan(tmp_path, overdue: bool):
    """A plan of this year whose one item is overdue, or not yet due, today in Vietnam."""
    today = vietnam_today()
    due = today - timedelta(days=30) if overdue else today + timedelta(days=30)
    path = write_plan(tmp_path / "cron.yaml", items=1)
    text = (
        path.read_text()
        .replace("date: 2023-10-15", f"date: {due}")
        .replace("2023-09-15", str(today - timedelta(days=60)))
        .replace("2023-10-15", str(today + timedelta(days=60)))
    )
    text = text.replace("2023", str(today.year))
    path.write_text(text)
    return path


@pytest.mark.parametrize("overdue", [True, False])
def test_overdue_exit_code_under_cron(tmp_path, overdue):
    path = cron_plan(tmp_path, overdue)
    bare = {"PATH": "/usr/bin:/bin"}  # cron: no HOME, no locale, no terminal
    done = subprocess.run(
        [DSDAY, "overdue", "--exit-code", "--plan", str(path)],
        env=bare,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == (1 if overdue else 0), done.stderr
    assert done.stderr == ""
    if overdue:
        assert "t0" in done.stdout and "Việc số 0" in done.stdout
    else:
        assert done.stdout == ""


def test_overdue_formats(cli):
    quiet = cli("overdue", "--as-of", "2023-09-20")
    assert quiet.code == 0 and quiet.err == ""  # silent because nothing is overdue, not because it failed
    assert quiet.out == ""
    assert cli("overdue", "--as-of", "2023-09-20", "--format", "json").out == "[]\n"
    late = cli("overdue", "--as-of", "2023-10-12", "--format", "json", "--exit-code")
    assert late.code == 1 and [i["id"] for i in json.loads(late.out)] == ["v1-3"]  # the launch ceremony, once
    assert cli("overdue", "--as-of", "2023-10-12", "--format", "csv").out.count("\n") == 2


def list_on(moment_utc: str) -> list[dict]:
    """``dsday list --format json`` on a machine whose clock (in UTC) reads ``moment_utc``."""
    done = subprocess.run(
        ["faketime", moment_utc, DSDAY, "list", "--format", "json"],
        env=dict(os.environ, TZ="UTC"),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and done.stderr == "", done
    return json.loads(done.stdout)


def test_today_is_vietnams_day_not_the_machines():
    # 20:00 UTC on 24/10 is already 03:00 on 25/10 in Vietnam: the report is overdue.
    report = next(i for i in list_on("2023-10-24 20:00:00") if i["id"] == "v1-6")
    assert report["status"] == "overdue"
    report = next(i for i in list_on("2023-10-24 16:00:00") if i["id"] == "v1-6")  # 23:00 in Vietnam, still the 24th
    assert report["status"] == "due-soon"


DASHBOARD = (  # what the dashboard of 12/10/2023 cannot be without
    "Kế hoạch tổ chức Ngày Chuyển đổi số quốc gia năm 2023",
    "day 28 of 31, 3 days left until it ends",
    "Overdue (1)",
    "v1-3",
)
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def colour_codes(screen: str) -> list[str]:
    """The SGR parameters in ``screen`` that set a colour (39/49, back to the default, do not)."""
    colours = {*range(30, 39), *range(40, 49), *range(90, 98), *range(100, 108)}
    return [p for params in SGR.findall(screen) for p in params.split(";") if p and int(p) in colours]


def test_no_color_and_pipes_have_no_escape_codes(sh):
    for env in ({}, {"NO_COLOR": "1", "TERM": "xterm-256color"}):
        result = sh("status", "--as-of", "2023-10-12", env=env)
        assert result.code == 0 and result.err == "", result
        out = result.out
        assert all(text in out for text in DASHBOARD), out  # the real dashboard, not an empty or failed run
        assert "\x1b[" not in out


def test_no_color_on_a_terminal_has_no_colour_codes(tmp_path):
    coloured_code, coloured = run_in_terminal("status", "--as-of", "2023-10-12", cwd=tmp_path, escapes=True)
    assert coloured_code == 0 and colour_codes(coloured)  # the check sees colour when there is some
    code, screen = run_in_terminal("status", "--as-of", "2023-10-12", cwd=tmp_path, env={"NO_COLOR": "1"}, escapes=True)
    text = SGR.sub("", screen)
    assert code == 0 and all(part in text for part in DASHBOARD), text
    assert colour_codes(screen) == []
    assert not set(text) & set("╭│─╰█░")  # plain aligned text, as in a pipe


def test_narrow_terminal_with_tmux(tmp_path):
    code, screen = run_in_terminal("list", "--as-of", "2023-10-12", "-a", "stttt", cwd=tmp_path, width=60, height=200)
    assert code == 0, screen
    assert "v1-6" in screen and "overdue" in screen
    assert all(len(line) <= 60 for line in screen.splitlines())
    assert "╭" in screen  # a real terminal gets the boxes


def test_split_names_each_file_for_whom_it_speaks_even_when_ids_collide(sh, tmp_path):
    """Member 'x' of two agencies, and a member whose id is the name the second 'x' would take."""
    (tmp_path / "plan.yaml").write_text(
        "id: split-test\ntitle: Kế hoạch thử\nissuer: UBND tỉnh Thử\nyear: 2023\nnational_day: 2023-10-10\n"
        "agencies:\n"
        "  - {id: ag0, name: Cơ quan A, members: [{id: x, name: Đơn vị X}]}\n"
        "  - {id: ag1, name: Cơ quan B, members: [{id: ag1-x, name: Đơn vị Giả}, {id: x, name: Đơn vị Thật}]}\n"
        "responsibilities:\n"
        "  - {id: t0, agency: ag0, title: Việc A}\n"
        "  - {id: t1, agency: ag1, title: Việc B}\n",
        encoding="utf-8",
    )
    done = sh("export", "--split", "-o", "out", "--format", "csv", cwd=tmp_path)
    assert done.code == 0, done
    bound = {p.name: p.read_text(encoding="utf-8").splitlines()[-1].split(",")[0] for p in (tmp_path / "out").iterdir()}
    assert len(bound) == 3  # one file for each of the three members: none lost, none overwritten
    assert sorted(b.split("for=")[1] for b in bound.values()) == ["ag0/x", "ag1/ag1-x", "ag1/x"]
    assert bound["ag1-x.csv"].endswith("for=ag1/ag1-x")  # the file named for a member speaks for that member
