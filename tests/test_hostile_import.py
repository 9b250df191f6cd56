"""Returned checklists that speak for someone else, or try to: bound files, days, floods, escapes.

Each case runs the installed ``dsday`` on real files: a checklist exported for one
addressee, edited as a sender might, imported back.
"""

import csv
import json
import resource
import subprocess
from datetime import datetime

from openpyxl import load_workbook

from tests.conftest import DSDAY, EMBEDDED
from tests.test_xlsx import fields, header_row
from tests.terminal import run_in_terminal

AS_OF = ["--as-of", "2023-10-20"]
DL = "Huyện Đô Lương"


def logged(sh) -> list[tuple]:
    """The journal as (kind, item, member, on, by)."""
    events = json.loads(sh("log", "--format", "json", *AS_OF).out)
    return [(e["kind"], e["item"], e["member"], e["on"], e["by"]) for e in events]


def read_rows(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def write_rows(path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)


def do_luong_csv(sh, tmp_path, name: str = "dl.csv"):
    """Đô Lương's checklist as exported, its rows (header first, binding last), and the header."""
    assert sh("export", "-a", "do luong", "--format", "csv", "-o", name, *AS_OF).code == 0
    rows = read_rows(tmp_path / name)
    return tmp_path / name, rows, rows[0]


def row_of(rows, header, item, member="do-luong") -> list[str]:
    return next(r for r in rows if r[0] == item and r[header.index("member")] == member)


def test_a_district_csv_records_no_other_district_or_agency(sh, tmp_path):
    path, rows, header = do_luong_csv(sh, tmp_path)
    assert rows[-1][0] == "#dsday-checklist plan=nghe-an-2023 for=ubnd-huyen/do-luong"  # the binding, last
    day = header.index("done_on")
    row_of(rows, header, "v7-1")[day] = "09/10/2023"
    other = row_of(rows, header, "v7-2")
    other[header.index("member")], other[day] = "nam-dan", "09/10/2023"  # the member column changed
    sttt = ["ii2-a" if c == "id" else "09/10/2023" if c == "done_on" else "" for c in header]  # Sở TT&TT's item
    rows.insert(len(rows) - 1, sttt)
    write_rows(path, rows)
    refused = sh("import", "dl.csv", *AS_OF)
    assert refused.code == 2
    line_v72, line_ii2 = rows.index(other) + 1, len(rows) - 1
    assert refused.err.splitlines() == [
        f"dl.csv:{line_v72}: this checklist was exported for ubnd-huyen/do-luong and cannot record v7-2 [nam-dan] for "
        "another agency or member; give --any-agency if the coordinator means it",
        f"dl.csv:{line_ii2}: this checklist was exported for ubnd-huyen/do-luong and cannot record ii2-a for "
        "another agency or member; give --any-agency if the coordinator means it",
        "dsday: dl.csv: nothing recorded (2 problems above)",
    ]
    assert logged(sh) == []
    assert sh("import", "dl.csv", "--any-agency", *AS_OF).code == 0  # the coordinator vouches for them
    assert sorted(logged(sh)) == [  # all as Đô Lương reported them: never the item's lead
        ("done", "ii2-a", None, "2023-10-09", DL),
        ("done", "v7-1", "do-luong", "2023-10-09", DL),
        ("done", "v7-2", "nam-dan", "2023-10-09", DL),
    ]


def test_a_district_markdown_checklist_records_no_other_district(sh, tmp_path):
    assert sh("export", "-a", "do luong", "--format", "md", "-o", "dl.md", *AS_OF).code == 0
    path = tmp_path / "dl.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[2] == "`#dsday-checklist plan=nghe-an-2023 for=ubnd-huyen/do-luong`"
    own = lines.index(f"  - [ ] {DL} [do-luong]")
    lines[own] = f"  - [x] {DL} [do-luong] (done 09/10/2023)"
    lines.insert(own + 1, "  - [x] Thành phố Vinh [vinh] (done 09/10/2023)")  # a line for another district
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused = sh("import", "dl.md", *AS_OF)
    assert refused.code == 2
    says = "this checklist was exported for ubnd-huyen/do-luong and cannot record v7-1 [vinh]"
    assert refused.err.startswith(f"dl.md:{own + 2}: {says}")
    del lines[own + 1]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert sh("import", "dl.md", *AS_OF).code == 0
    assert logged(sh) == [("done", "v7-1", "do-luong", "2023-10-09", DL)]


def fill_workbook(path, target, member="do-luong", day=datetime(2023, 10, 9), strip=False, legacy=False) -> None:
    """Đô Lương's workbook, v7-1 filled in for ``member``; without its defined names, or with the old hidden sheet."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    first = header_row(sheet)
    columns = fields(sheet, first)
    row = next(r for r in range(first + 1, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == "v7-1")
    sheet.cell(row=row, column=columns.index("member") + 1, value=member)
    sheet.cell(row=row, column=columns.index("done_on") + 1, value=day)
    if strip or legacy:
        for name in list(book.defined_names):
            del book.defined_names[name]
    if legacy:  # as dsday exported workbooks before: a hidden sheet says whom for
        meta = book.create_sheet("_dsday")
        meta.append(("plan", "nghe-an-2023"))
        meta.append(("exported_for", "ubnd-huyen/do-luong"))
        meta.sheet_state = "hidden"
    book.save(target)


def test_a_workbook_is_bound_by_its_defined_names_and_refused_without(sh, tmp_path):
    assert sh("export", "-a", "do luong", "--format", "xlsx", "-o", "dl.xlsx", *AS_OF).code == 0
    book = load_workbook(tmp_path / "dl.xlsx")
    assert [s.title for s in book.worksheets] == [DL]  # no sheet to delete: the binding is the workbook's
    assert book.defined_names["dsday_for"].attr_text == '"ubnd-huyen/do-luong"'
    fill_workbook(tmp_path / "dl.xlsx", tmp_path / "vinh.xlsx", member="vinh")
    refused = sh("import", "vinh.xlsx", *AS_OF)
    assert refused.code == 2 and "exported for ubnd-huyen/do-luong and cannot record v7-1 [vinh]" in refused.err
    fill_workbook(tmp_path / "dl.xlsx", tmp_path / "stripped.xlsx", member="vinh", strip=True)
    unbound = sh("import", "stripped.xlsx", *AS_OF)
    assert unbound.code == 2
    assert unbound.err.startswith("stripped.xlsx: this checklist does not say whom it was exported for")
    fill_workbook(tmp_path / "dl.xlsx", tmp_path / "old.xlsx", member="vinh", legacy=True)
    old = sh("import", "old.xlsx", *AS_OF)  # a workbook exported before, still bound by its hidden sheet
    assert old.code == 2 and "exported for ubnd-huyen/do-luong and cannot record v7-1 [vinh]" in old.err
    assert logged(sh) == []
    fill_workbook(tmp_path / "dl.xlsx", tmp_path / "own.xlsx")
    assert sh("import", "own.xlsx", *AS_OF).code == 0
    assert logged(sh) == [("done", "v7-1", "do-luong", "2023-10-09", DL)]


def test_an_agency_named_like_the_old_binding_sheet_is_read(sh, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        EMBEDDED.read_text(encoding="utf-8").replace("    short_name: Sở TT&TT\n", '    short_name: "_dsday"\n'),
        encoding="utf-8",
    )
    assert sh("export", "--format", "xlsx", "-o", "all.xlsx", *AS_OF).code == 0
    book = load_workbook(tmp_path / "all.xlsx")
    sheet = book["_dsday"]  # the agency's own sheet, the only one of that name
    first = header_row(sheet)
    columns = fields(sheet, first)
    sheet.cell(row=first + 1, column=columns.index("done_on") + 1, value=datetime(2023, 10, 9))
    item = sheet.cell(row=first + 1, column=1).value
    book.save(tmp_path / "back.xlsx")
    assert sh("import", "back.xlsx", *AS_OF).code == 2  # exported for everyone: bound to no one
    imported = sh("import", "back.xlsx", "--any-agency", *AS_OF)
    assert imported.code == 0 and "recorded 1 new completion" in imported.out
    assert logged(sh) == [("done", item, None, "2023-10-09", "tester")]  # recorded by whoever imports it


def test_an_unbound_file_is_refused_and_recorded_by_the_importer_on_request(sh, tmp_path):
    (tmp_path / "dl.csv").write_text("id,member,done_on\nv7-1,do-luong,2023-10-09\nv7-1,vinh,2023-10-09\n")
    refused = sh("import", "dl.csv", *AS_OF)
    assert refused.code == 2 and len(refused.err.splitlines()) == 2
    assert refused.err.startswith("dl.csv: this checklist does not say whom it was exported for")
    assert "--any-agency" in refused.err and logged(sh) == []
    assert sh("import", "dl.csv", "--any-agency", *AS_OF, env={"DSDAY_USER": "Văn phòng Sở"}).code == 0
    office = "Văn phòng Sở"
    assert [e[2:] for e in logged(sh)] == [("do-luong", "2023-10-09", office), ("vinh", "2023-10-09", office)]


def test_a_binding_from_another_plan_twice_or_damaged_is_refused(sh, tmp_path):
    path, rows, header = do_luong_csv(sh, tmp_path)
    row_of(rows, header, "v7-1")[header.index("done_on")] = "09/10/2023"
    binding = rows[-1][0]
    cases = {
        "plan.csv": rows[:-1] + [[binding.replace("nghe-an-2023", "nghe-an-2022")]],
        "two.csv": [[binding.replace("do-luong", "vinh")]] + rows,
        "bad.csv": rows[:-1] + [["#dsday-checklist for do-luong"]],
        "who.csv": rows[:-1] + [[binding.replace("do-luong", "zz")]],
    }
    says = {
        "plan.csv": "this checklist was exported from plan 'nghe-an-2022', not from 'nghe-an-2023'",
        "two.csv": "a second binding, for ubnd-huyen/do-luong, where two.csv:1 says ubnd-huyen/vinh",
        "bad.csv": "a '#dsday-checklist' line dsday cannot read",
        "who.csv": "this checklist was exported for 'ubnd-huyen/zz', who is not an agency or member of this plan",
    }
    for name, content in cases.items():
        write_rows(tmp_path / name, content)
        result = sh("import", name, "--any-agency", *AS_OF)
        assert result.code == 2 and says[name] in result.err, (name, result)
    assert logged(sh) == []


def test_days_that_are_not_a_completion_of_this_plan(sh, tmp_path):
    assert sh("done", "v7-2", "--member", "do-luong", "--on", "05/10/2023", *AS_OF).code == 0
    path, rows, header = do_luong_csv(sh, tmp_path)
    day = header.index("done_on")
    row_of(rows, header, "v7-1")[day] = "01/01/1900"  # before the plan's year: on time for ever
    row_of(rows, header, "v7-2")[day] = "07/10/2023"  # a recorded completion, another day
    row_of(rows, header, "v7-3")[header.index("status")] = "Hoàn thành"  # ticked, no day
    write_rows(path, rows)
    result = sh("import", "dl.csv", *AS_OF)
    assert result.code == 2
    line = {item: rows.index(row_of(rows, header, item)) + 1 for item in ("v7-1", "v7-2", "v7-3")}
    assert result.err.splitlines() == [
        f"dl.csv:{line['v7-1']}: done_on 01/01/1900 is before the plan's year 2023; if the work was truly done then, "
        "record it with 'dsday done v7-1 --member do-luong --on 01/01/1900 --force'",
        f"dl.csv:{line['v7-2']}: v7-2 [do-luong] is recorded as done on 05/10/2023, but this row says 07/10/2023; "
        "if the day was wrong, correct it with 'dsday done v7-2 --member do-luong --on 07/10/2023'",
        f"dl.csv:{line['v7-3']}: v7-3 [do-luong] is marked done without the day it was done; write it in the column "
        "'done_on' as DD/MM/YYYY",  # a CSV's column, as its header names it
        "dsday: dl.csv: nothing recorded (3 problems above)",
    ]
    assert logged(sh) == [("done", "v7-2", "do-luong", "2023-10-05", "tester")]


def test_a_1900_date_cell_in_a_workbook_is_refused(sh, tmp_path):
    assert sh("export", "-a", "do luong", "--format", "xlsx", "-o", "dl.xlsx", *AS_OF).code == 0
    fill_workbook(tmp_path / "dl.xlsx", tmp_path / "old.xlsx", day=datetime(1900, 1, 1))
    result = sh("import", "old.xlsx", *AS_OF)
    # the workbook's column as its heading names it (the interface language's), not a CSV field name
    assert result.code == 2 and "[Huyện Đô Lương]:4: Date done 01/01/1900 is before the plan's year 2023" in result.err
    assert logged(sh) == []


def test_a_day_the_export_filled_in_is_not_recorded_again_after_a_reopen(sh, tmp_path):
    assert sh("done", "v7-1", "--member", "do-luong", "--on", "05/10/2023", *AS_OF).code == 0
    path, rows, header = do_luong_csv(sh, tmp_path)
    assert row_of(rows, header, "v7-1")[header.index("done_on")] == "2023-10-05"  # filled in by the export
    assert sh("reopen", "v7-1", "--member", "do-luong", *AS_OF).code == 0  # the work was found wanting
    result = sh("import", "dl.csv", *AS_OF)  # the district sends its file back untouched
    assert result.code == 0, result
    line = rows.index(row_of(rows, header, "v7-1")) + 1
    assert result.out.splitlines() == [
        f"dl.csv:{line}: v7-1 [do-luong] was done on 05/10/2023 and has been reopened since; this day, as the export "
        "gave it, is not recorded again (if it is done again, record it with 'dsday done')",
        "nothing new to record",
    ]
    assert [e[0] for e in logged(sh)] == ["done", "reopen"]
    row_of(rows, header, "v7-1")[header.index("done_on")] = "18/10/2023"  # done again, on another day
    write_rows(path, rows)
    assert sh("import", "dl.csv", *AS_OF).code == 0
    assert logged(sh)[-1] == ("done", "v7-1", "do-luong", "2023-10-18", DL)


def limited_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (400 * 2**20, 400 * 2**20))


def run_limited(tmp_path, *args: str) -> subprocess.CompletedProcess:
    """dsday with 400 MiB of address space (a million rows once took 490 MB), as a separate process."""
    return subprocess.run(
        [DSDAY, *args], capture_output=True, text=True, cwd=tmp_path, preexec_fn=limited_memory, timeout=120
    )


def test_a_million_unknown_rows_give_a_few_lines_in_bounded_memory(tmp_path):
    with open(tmp_path / "m1.csv", "w", encoding="utf-8") as stream:
        stream.write("id,member,done_on\n" + "".join(f"zz-{k},,2023-10-09\n" for k in range(1_000_000)))
    result = run_limited(tmp_path, "import", "m1.csv", "--any-agency", *AS_OF)
    assert result.returncode == 2, result.stderr[-400:]
    lines = result.stderr.splitlines()
    assert lines[:2] == ["m1.csv:2: unknown item 'zz-0'", "m1.csv:3: unknown item 'zz-1'"]
    assert len(lines) == 22 and lines[-2].startswith("… and ") and lines[-2].endswith(" more problems")


def test_markdown_floods_are_refused_before_they_are_parsed(tmp_path):
    (tmp_path / "paras.md").write_text("# t\n\n" + "para text\n\n" * 100_000, encoding="utf-8")
    result = run_limited(tmp_path, "import", "paras.md", "--any-agency", *AS_OF)
    assert result.returncode == 2 and "lines, more than this plan's checklist has" in result.stderr
    # one list item of a million emphasis spans: markdown-it's inline parser took 1.7 GB and 100 s on it
    (tmp_path / "spans.md").write_text("# t\n\n- [x] **zz** " + "*a* " * 1_000_000 + "\n", encoding="utf-8")
    result = run_limited(tmp_path, "import", "spans.md", "--any-agency", *AS_OF)
    assert result.returncode == 2, result.stderr[-400:]
    assert result.stderr.startswith("spans.md:3: unknown item 'zz'")


HOSTILE_CSV = (
    "id,member,done_on,note\n"
    "\x1b]0;PWNED-TITLE\x07zz-9,,2023-10-09,x\n"
    "v7-1,\x1b]52;c;Y3VybCBldmlsfHNo\x07,2023-10-09,x\n"
    "v7-1,do-luong,\x1b[2J\u202e2023-10-09,x\n"
    "v7-2,\x9b2J,2023-10-09,x\n"
)


def test_problem_lines_never_drive_the_terminal(sh, tmp_path):
    (tmp_path / "ret.csv").write_text(HOSTILE_CSV, encoding="utf-8")
    result = sh("import", "ret.csv", "--any-agency", *AS_OF)
    assert result.code == 2 and len(result.err.splitlines()) == 5
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in result.err
    assert "␛]52;c;Y3VybCBldmlsfHNo␇" in result.err  # shown, not obeyed
    code, screen = run_in_terminal("import", "ret.csv", "--any-agency", *AS_OF, cwd=tmp_path, escapes=True)
    assert code == 2 and "␛]0;PWNED-TITLE␇zz-9" in screen
    assert "\x1b]" not in screen and "\x07" not in screen


def test_a_partners_row_in_a_csv_is_the_leads_to_record_even_for_the_coordinator(sh, tmp_path):
    path, rows, header = do_luong_csv(sh, tmp_path)
    partner = next(r for r in rows if r[0] == "v6-1")
    assert partner[header.index("role")] == "partner"
    partner[header.index("done_on")] = "09/10/2023"
    row_of(rows, header, "v7-1")[header.index("done_on")] = "09/10/2023"
    write_rows(path, rows)
    line = rows.index(partner) + 1
    for extra in ([], ["--any-agency"]):
        result = sh("import", "dl.csv", *extra, *AS_OF)
        assert result.code == 2
        assert result.err.splitlines() == [
            f'dl.csv:{line}: "Phối hợp với chính quyền địa phương tổ chức các buổi hướng dẫn người dân sử dụng dịch vụ '
            'công trực tuyến" (V.6) is for information only: Huyện Đô Lương works on it as a partner, and its lead, '
            "Tỉnh đoàn Nghệ An, records it done; leave the row as it was sent",
            "dsday: dl.csv: nothing recorded (1 problem above)",
        ]
        assert logged(sh) == []
