"""The journal replays history faithfully: as-of days, logical order, corrections, undo, notes, who records."""

import json
import subprocess

from openpyxl import load_workbook

from tests.conftest import DSDAY
from tests.test_xlsx import fields, header_row

AS_OF = ["--as-of", "26/10/2023"]


def item(sh, item_id: str, as_of: str = "26/10/2023") -> dict:
    return next(i for i in json.loads(sh("list", "--format", "json", "--as-of", as_of).out) if i["id"] == item_id)


def test_closing_the_rest_of_a_group_keeps_who_was_on_time(sh):
    assert sh("done", "v7-2", "-m", "vinh", "--on", "10/10/2023", *AS_OF).code == 0
    result = sh("done", "v7-2", "--on", "20/10/2023", *AS_OF)
    assert result.code == 0 and "v7-2 [vinh]" not in result.out and result.out.count("\n") == 20
    members = {m["id"]: m for m in item(sh, "v7-2")["members"]}
    assert (members["vinh"]["status"], members["vinh"]["done_on"]) == ("done", "2023-10-10")  # on time (15/10)
    assert (members["cua-lo"]["status"], members["cua-lo"]["done_on"]) == ("done-late", "2023-10-20")


def test_as_of_replays_a_reopen_from_its_own_day(sh):
    sh("done", "v1-6", "--on", "14/10/2023", *AS_OF)
    sh("reopen", "v1-6", *AS_OF)  # reopened on 26/10
    assert item(sh, "v1-6", "15/10/2023")["status"] == "done"
    assert item(sh, "v1-6", "26/10/2023")["status"] == "overdue"


def test_a_fast_or_slow_clock_does_not_decide(sh):
    def at(moment: str, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["faketime", moment, DSDAY, *args, *AS_OF], capture_output=True, text=True, check=False)

    # An office whose clock runs 30 days fast records done; another office then reopens it.
    assert at("2023-11-30 09:00:00", "done", "v2-1", "--on", "14/10/2023").returncode == 0
    reopened = at("2023-10-31 09:00:00", "reopen", "v2-1")
    assert reopened.returncode == 0 and "reopened" in reopened.stdout
    assert item(sh, "v2-1")["status"] == "overdue"  # the reopen saw the completion: it wins
    # A clock two hours slow: the completion it records after the reopen still counts.
    assert at("2023-10-31 07:00:00", "done", "v2-1", "--on", "15/10/2023").returncode == 0
    assert (item(sh, "v2-1")["status"], item(sh, "v2-1")["done_on"]) == ("done", "2023-10-15")


def test_a_different_day_is_a_correction_and_undo_reverses_it(sh):
    sh("done", "v1-6", "--on", "16/10/2023", *AS_OF)
    corrected = sh("done", "v1-6", "--on", "14/10/2023", *AS_OF)
    assert corrected.out == "v1-6: corrected: done on 14/10/2023 (was 16/10/2023)\n"
    assert item(sh, "v1-6")["done_on"] == "2023-10-14"
    undone = sh("undo", "v1-6", *AS_OF)
    assert undone.code == 0 and undone.out.startswith("v1-6: reverses done on 14/10/2023 by tester (event ")
    assert undone.out.endswith(")\nv1-6: undone; done on 16/10/2023 again\n")
    assert item(sh, "v1-6")["done_on"] == "2023-10-16"
    again = sh("undo", "v1-6", *AS_OF).out  # undo the undo
    assert again.startswith("v1-6: reverses done on 16/10/2023 by tester; note: undo of ")
    assert again.endswith("\nv1-6: undone; done on 14/10/2023 again\n")
    history = json.loads(sh("show", "v1-6", "--format", "json", *AS_OF).out)["history"]
    assert len(history) == 4 and history[2]["note"] == "undo of " + history[1]["id"]  # the journal names the event
    shown = sh("show", "v1-6", "--lang", "vi", *AS_OF, env={"COLUMNS": "200"}).out
    assert "hủy lượt ghi nhận " + history[1]["id"][:8] in shown and "undo of" not in shown
    sh("reopen", "v1-6", *AS_OF)
    assert sh("undo", *AS_OF).out.endswith(")\nv1-6: undone; done on 14/10/2023 again\n")


def test_undo_of_a_first_completion_reopens(sh):
    sh("done", "v1-3", "--on", "09/10/2023", *AS_OF)
    assert sh("undo", *AS_OF).out.endswith(")\nv1-3: undone; open again\n")
    assert item(sh, "v1-3")["status"] == "overdue" and item(sh, "v1-3", "09/10/2023")["status"] == "due-soon"
    nothing = sh("undo", "v2-2", *AS_OF)
    assert nothing.code == 2 and "nothing to undo" in nothing.err


def test_a_note_changes_nothing_but_is_kept(sh):
    assert sh("note", "v7-1", "Đã gọi điện nhắc", "-m", "do-luong", *AS_OF).out == "v7-1 [do-luong]: note recorded\n"
    assert item(sh, "v7-1")["members_done"] == 0
    log = json.loads(sh("log", "--format", "json", *AS_OF).out)
    assert [(e["kind"], e["member"], e["note"]) for e in log] == [("note", "do-luong", "Đã gọi điện nhắc")]


def test_implausible_days_are_refused_unless_forced(sh):
    for day in ("01/01/2020", "01/01/1900", "0001-01-01"):
        result = sh("done", "v2-1", "--on", day, *AS_OF)
        assert result.code == 2 and "is before the plan's year 2023; give --force" in result.err, result
    assert json.loads(sh("log", "--format", "json", *AS_OF).out) == []
    assert sh("done", "v2-1", "--on", "30/12/2022", "--force", *AS_OF).code == 0
    assert sh("done", "v2-2", "--on", "27/10/2023", *AS_OF).code == 2  # after the day judged


def test_who_records_comes_from_the_configuration_file(sh, tmp_path):
    config = tmp_path / "home" / ".config" / "dsday" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[user]\nname = "Nguyễn Văn A, Sở TT&TT"\n', encoding="utf-8")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "home" / ".config"), "DSDAY_USER": ""}
    sh("done", "v2-1", "--on", "14/10/2023", *AS_OF, env=env)
    assert item(sh, "v2-1")["done_by"] == "Nguyễn Văn A, Sở TT&TT"
    sh("done", "v3-1", "--on", "14/10/2023", "--by", "Phòng KH", *AS_OF, env=env)
    assert item(sh, "v3-1")["done_by"] == "Phòng KH"
    sh("done", "v3-2", "--on", "14/10/2023", *AS_OF, env=env | {"DSDAY_USER": "Văn thư"})
    assert item(sh, "v3-2")["done_by"] == "Văn thư"  # $DSDAY_USER before the file, as usual


def test_a_checklist_speaks_only_for_whom_it_was_exported_for(sh, tmp_path):
    assert sh("export", "-a", "do luong", "--format", "xlsx", "-o", "dl.xlsx", *AS_OF).code == 0
    book = load_workbook(tmp_path / "dl.xlsx")
    sheet = book["Huyện Đô Lương"]
    header = header_row(sheet)
    columns = fields(sheet, header)
    row = header + 1
    while sheet.cell(row=row, column=1).value != "v7-2":
        row += 1
    sheet.cell(row=row, column=columns.index("member") + 1, value="vinh")  # Đô Lương ticks Vinh's part
    sheet.cell(row=row, column=columns.index("status") + 1, value="Hoàn thành")
    sheet.cell(row=row, column=columns.index("done_on") + 1, value="20/10/2023")
    book.save(tmp_path / "dl.xlsx")
    refused = sh("import", "dl.xlsx", *AS_OF)
    assert refused.code == 2 and "exported for ubnd-huyen/do-luong and cannot record v7-2 [vinh]" in refused.err
    assert json.loads(sh("log", "--format", "json", *AS_OF).out) == []
    assert sh("import", "dl.xlsx", "--any-agency", *AS_OF).code == 0  # the coordinator says so
    (event,) = json.loads(sh("log", "--format", "json", *AS_OF).out)
    assert (event["member"], event["by"]) == ("vinh", "Huyện Đô Lương")  # as Đô Lương's file said, not Vinh


def test_a_row_without_a_member_never_stands_for_every_member(sh, tmp_path):
    (tmp_path / "back.csv").write_text("id,status,done_on\nv7-2,xong,20/10/2023\n", encoding="utf-8")
    result = sh("import", "back.csv", "--any-agency", *AS_OF)
    assert result.code == 2 and "v7-2 is done by each of its 21 members; tick each member's own row" in result.err
