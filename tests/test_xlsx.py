"""Excel workbooks: what an office opens, ticks as a person would, and sends back."""

import json
import subprocess
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from dsday_cli.documents.checklist_import import read_checklist
from dsday_cli.views.xlsx import sheet_name, status_choices
from tests.conftest import DSDAY

AS_OF = ["--as-of", "2023-10-20"]


def logged(sh) -> list[tuple]:
    out = sh("log", "--format", "json", *AS_OF).out
    return sorted((e["item"], e["member"], e["on"], e["by"]) for e in json.loads(out))


def header_row(sheet) -> int:
    return next(r for r in range(1, 10) if sheet.cell(row=r, column=1).value == "id")


def test_export_all_one_sheet_per_agency(sh, tmp_path):
    sh("done", "v2-1", "--on", "12/10/2023", *AS_OF)
    assert sh("export", "--format", "xlsx", "-o", "all.xlsx", *AS_OF).code == 0
    book = load_workbook(tmp_path / "all.xlsx")
    plan = json.loads(sh("agencies", "--format", "json", *AS_OF).out)
    visible = [s for s in book.worksheets if s.sheet_state == "visible"]
    assert len(visible) == len(plan) == 9
    for sheet in visible:
        assert len(sheet.title) <= 31 and not set(sheet.title) & set("[]:*?/\\")
        first = header_row(sheet)
        agency = sheet.cell(row=first + 1, column=3).value
        name = next(a["name"] for a in plan if a["id"] == agency)
        assert sheet.cell(row=1, column=1).value.startswith(name)  # the agency's name above the header
        assert sheet.freeze_panes == f"A{first + 1}"
    assert len(book.worksheets) == len(visible)  # the binding is in the workbook's defined names, not a sheet
    assert book.defined_names["dsday_plan"].attr_text == '"nghe-an-2023"'
    assert "dsday_for" not in book.defined_names  # exported for everyone: bound to no one


def test_cells_are_dates_and_status_has_a_drop_down(sh, tmp_path):
    sh("done", "v2-1", "--on", "12/10/2023", *AS_OF)
    assert sh("export", "-a", "so gd", "--format", "xlsx", "-o", "gd.xlsx", *AS_OF).code == 0
    sheet = load_workbook(tmp_path / "gd.xlsx").worksheets[0]
    first = header_row(sheet)
    columns = [c.value for c in sheet[first]]
    row = {c: sheet.cell(row=first + 1, column=i + 1) for i, c in enumerate(columns)}
    assert row["id"].value == "v2-1"
    assert row["done_on"].value == datetime(2023, 10, 12) and row["done_on"].number_format == "DD/MM/YYYY"
    assert row["due"].value == datetime(2023, 10, 15) and row["due"].is_date
    empty = sheet.cell(row=first + 2, column=columns.index("done_on") + 1)
    assert empty.value is None and empty.number_format == "DD/MM/YYYY"  # typed dates show day first
    (validation,) = sheet.data_validations.dataValidation
    letter = chr(ord("A") + columns.index("status"))
    assert validation.type == "list" and str(validation.sqref) == f"{letter}{first + 1}:{letter}{first + 2}"
    assert validation.formula1 == '"' + ",".join(status_choices()) + '"'
    title_width = sheet.column_dimensions[chr(ord("A") + columns.index("title"))].width
    longest = max(len(sheet.cell(row=r, column=columns.index("title") + 1).value) for r in (first + 1, first + 2))
    assert min(longest, 60) <= title_width <= 60 + 1


def test_every_drop_down_word_is_understood(sh, tmp_path):
    from dsday_cli.documents.checklist_import import classify_status

    understood = {w: classify_status(w) for w in status_choices()}
    assert understood == {
        "Hoàn thành": "done",
        "Chưa hoàn thành": "open",  # the open status as dsday exports it: the date column decides
        "Đang thực hiện": "not-done",
        "done": "done",
        "not done": "not-done",
    }


def test_tick_two_rows_with_openpyxl_import_twice(sh, tmp_path):
    assert sh("export", "-a", "ubnd-huyen", "--format", "xlsx", "-o", "huyen.xlsx", *AS_OF).code == 0
    book = load_workbook(tmp_path / "huyen.xlsx")
    sheet = book.worksheets[0]
    first = header_row(sheet)
    columns = [c.value for c in sheet[first]]
    rows = {
        (sheet.cell(row=r, column=1).value, sheet.cell(row=r, column=columns.index("member") + 1).value): r
        for r in range(first + 1, sheet.max_row + 1)
    }
    status, done_on = columns.index("status") + 1, columns.index("done_on") + 1
    sheet.cell(row=rows[("v7-1", "do-luong")], column=status, value="Hoàn thành")
    sheet.cell(row=rows[("v7-1", "do-luong")], column=done_on, value=date(2023, 10, 9))
    sheet.cell(row=rows[("v7-2", "vinh")], column=status, value="Hoàn thành")
    sheet.cell(row=rows[("v7-2", "vinh")], column=done_on, value=datetime(2023, 10, 18, 0, 0))
    book.save(tmp_path / "huyen.xlsx")
    dry = sh("import", "huyen.xlsx", "--dry-run", *AS_OF)
    assert dry.code == 0 and "would record 2 new completions" in dry.out and logged(sh) == []
    result = sh("import", "huyen.xlsx", *AS_OF)
    assert result.code == 0, result.err
    line = rows[("v7-1", "do-luong")]
    assert f"huyen.xlsx[UBND cấp huyện]:{line}: recorded v7-1 [do-luong] done on 09/10/2023" in result.out
    group = "Ủy ban nhân dân các huyện, thành phố, thị xã"  # whom the checklist was exported for
    assert logged(sh) == [("v7-1", "do-luong", "2023-10-09", group), ("v7-2", "vinh", "2023-10-18", group)]
    again = sh("import", "huyen.xlsx", *AS_OF)
    assert again.code == 0 and "nothing new to record" in again.out and len(logged(sh)) == 2


def test_an_unknown_status_in_a_workbook_is_located(sh, tmp_path):
    assert sh("export", "-a", "sct", "--format", "xlsx", "-o", "sct.xlsx", *AS_OF).code == 0
    book = load_workbook(tmp_path / "sct.xlsx")
    sheet = book.worksheets[0]
    first = header_row(sheet)
    columns = [c.value for c in sheet[first]]
    sheet.cell(row=first + 2, column=columns.index("status") + 1, value="sắp xong")
    book.save(tmp_path / "sct.xlsx")
    result = sh("import", "sct.xlsx", *AS_OF)
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        f"sct.xlsx[Sở CT]:{first + 2}: status 'sắp xong' is not a word dsday knows; write 'xong' (done) or leave it empty"
    )


def test_gnumeric_reads_our_workbook_and_its_return_imports(sh, tmp_path):
    sh("done", "v3-1", "--on", "11/10/2023", *AS_OF)
    assert sh("export", "-a", "sct", "--format", "xlsx", "-o", "sct.xlsx", *AS_OF).code == 0
    # Gnumeric opens it and saves it as its own xlsx: another writer, then our reader
    done = subprocess.run(
        ["ssconvert", "sct.xlsx", "saved.xlsx"], check=False, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    book = load_workbook(tmp_path / "saved.xlsx")
    sheet = next(s for s in book.worksheets if s.title == "Sở CT")
    first = header_row(sheet)
    columns = [c.value for c in sheet[first]]
    assert sheet.cell(row=first + 1, column=columns.index("done_on") + 1).value == datetime(2023, 10, 11)
    sheet.cell(row=first + 2, column=columns.index("status") + 1, value="Đã thực hiện")
    sheet.cell(row=first + 2, column=columns.index("done_on") + 1, value=datetime(2023, 10, 20))
    book.save(tmp_path / "saved.xlsx")
    result = sh("import", "saved.xlsx", *AS_OF)
    assert result.code == 0, result.err
    assert "v3-1 already recorded" in result.out and "recorded v3-2 done on 20/10/2023" in result.out


def test_the_checklist_says_whom_it_was_exported_for(sh, tmp_path):
    assert sh("export", "-a", "do luong", "--format", "xlsx", "-o", "dl.xlsx", *AS_OF).code == 0
    checklist = read_checklist(tmp_path / "dl.xlsx", 2023)
    assert (checklist.exported_for, checklist.plan) == ("ubnd-huyen/do-luong", "nghe-an-2023")
    book = load_workbook(tmp_path / "dl.xlsx")
    assert [s.title for s in book.worksheets if s.sheet_state == "visible"] == ["Huyện Đô Lương"]
    sheet = book["Huyện Đô Lương"]
    assert sheet["A1"].value.startswith("Huyện Đô Lương (Ủy ban nhân dân các huyện, thành phố, thị xã)")
    first = header_row(sheet)
    columns = [c.value for c in sheet[first]]
    rows = [
        (sheet.cell(row=r, column=columns.index("role") + 1).value, sheet.cell(row=r, column=columns.index("member") + 1).value)
        for r in range(first + 1, sheet.max_row + 1)
    ]
    assert {member for role, member in rows if role == "lead"} == {"do-luong"}  # its own part of V.7, no other district
    assert [member for role, member in rows if role == "partner"] == [None]  # v6-1, led by Tỉnh đoàn


def test_list_and_agencies_as_workbooks(sh, tmp_path):
    from dsday_cli.views.render import AGENCY_COLUMNS

    sh("done", "v2-1", "--on", "16/10/2023", *AS_OF)  # its window (III) ended on the 15th: late
    sh("done", "v2-2", "--on", "18/10/2023", *AS_OF)  # no deadline: on time
    agencies = subprocess.run([DSDAY, "agencies", "--format", "xlsx", *AS_OF], check=False, capture_output=True)
    assert agencies.returncode == 0, agencies.stderr
    (tmp_path / "agencies.xlsx").write_bytes(agencies.stdout)
    sheet = load_workbook(tmp_path / "agencies.xlsx").active
    columns = tuple(c.value for c in sheet[1])
    assert columns == AGENCY_COLUMNS and sheet.freeze_panes == "A2"
    records = {r[0]: dict(zip(columns, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert (records["sgddt"]["done"], records["sgddt"]["done_late"]) == (1, 1)  # on time and late apart
    listed = subprocess.run(
        [DSDAY, "list", "-a", "sgddt", "--format", "xlsx", *AS_OF], check=False, capture_output=True
    )
    assert listed.returncode == 0 and listed.stdout.startswith(b"PK\x03\x04")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sở TT&TT", "Sở TT&TT"),
        ("Báo/Đài: [tỉnh]*?", "Báo Đài tỉnh"),
        ("Ủy ban nhân dân các huyện, thành phố, thị xã", "Ủy ban nhân dân các huyện, thàn"),
        ("History", "History (2)"),
        ("'quoted'", "quoted"),
    ],
)
def test_sheet_names(text, expected):
    assert sheet_name(text, set()) == expected


def test_sheet_names_stay_unique_within_31_characters():
    taken: set[str] = set()
    names = [sheet_name("Ủy ban nhân dân các huyện, thành phố, thị xã", taken) for _ in range(3)]
    assert names[0] == "Ủy ban nhân dân các huyện, thàn"
    assert len({n.lower() for n in names}) == 3 and all(len(n) <= 31 for n in names)
