"""Excel workbooks: what an office opens, ticks as a person would, and sends back."""

import json
import re
import subprocess
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from dsday_cli.core.checklist_binding import checklist_headings
from dsday_cli.documents.checklist_import import read_checklist
from dsday_cli.views.xlsx import sheet_name, status_choices
from tests.conftest import DSDAY

AS_OF = ["--as-of", "2023-10-20"]


def logged(sh) -> list[tuple]:
    out = sh("log", "--format", "json", *AS_OF).out
    return sorted((e["item"], e["member"], e["on"], e["by"]) for e in json.loads(out))


def header_row(sheet) -> int:
    return next(r for r in range(1, 10) if sheet.cell(row=r, column=1).value == checklist_headings()["id"])


def fields(sheet, first: int) -> list[str]:
    """The field each column holds: its heading read back (English, the tests' language), or its field name."""
    by_heading = {heading: field for field, heading in checklist_headings().items()}
    return [by_heading.get(c.value, c.value) for c in sheet[first]]


def test_export_all_one_sheet_per_agency_in_the_plans_order(sh, tmp_path):
    sh("done", "v2-1", "--on", "12/10/2023", *AS_OF)
    assert sh("export", "--format", "xlsx", "-o", "all.xlsx", *AS_OF).code == 0
    book = load_workbook(tmp_path / "all.xlsx")
    plan = json.loads(sh("agencies", "--format", "json", *AS_OF).out)
    visible = [s for s in book.worksheets if s.sheet_state == "visible"]
    assert len(visible) == len(plan) == 9
    # V.1 … V.9, as the plan lists its agencies (the enterprises lead V.9 and II.2.đ: last, not second)
    assert [s.title for s in visible] == [
        "Sở TT&TT", "Sở GD&ĐT", "Sở CT", "Sở, ban, ngành", "Báo, Đài, Cổng TTĐT", "Tỉnh đoàn", "UBND cấp huyện",
        "Hội Tin học, HHDN", "DN BCVT-CNTT",
    ]  # fmt: skip
    for sheet in visible:
        assert len(sheet.title) <= 31 and not set(sheet.title) & set("[]:*?/\\")
        first = header_row(sheet)
        columns = fields(sheet, first)
        agency = sheet.cell(row=first + 1, column=columns.index("agency") + 1).value
        name = next(a["name"] for a in plan if a["id"] == agency)
        assert sheet.cell(row=1, column=1).value.startswith(name)  # the agency's name above the header
        assert sheet.freeze_panes == f"A{first + 1}"
    assert len(book.worksheets) == len(visible)  # the binding is in the workbook's defined names, not a sheet
    assert book.defined_names["dsday_plan"].attr_text == '"nghe-an-2023"'
    assert "dsday_for" not in book.defined_names  # exported for everyone: bound to no one


def test_headings_and_values_in_the_interface_language_machine_columns_hidden(sh, tmp_path):
    sh("done", "v7-1", "--member", "do-luong", "--on", "12/10/2023", *AS_OF)
    assert sh("export", "-a", "do luong", "--format", "xlsx", "--lang", "vi", "-o", "dl.xlsx", *AS_OF).code == 0
    sheet = load_workbook(tmp_path / "dl.xlsx").worksheets[0]
    header = [c.value for c in sheet[2]]
    assert header[:9] == ["Mã", "Mục", "Nhiệm vụ", "Đơn vị thực hiện", "Vai trò", "Thời hạn", "Trạng thái",
                          "Ngày hoàn thành", "Ghi chú"]  # fmt: skip
    machine = header[9:]
    assert machine and all(sheet.column_dimensions[chr(ord("A") + 9 + i)].hidden for i in range(len(machine)))
    assert not any(sheet.column_dimensions[chr(ord("A") + i)].hidden for i in range(9))
    shown = [[c.value for c in row[:9]] for row in sheet.iter_rows(min_row=3)]
    words = {str(v) for row in shown for v in row if v is not None}
    assert not words & {"partner", "lead", "window", "cited", "False", "True", "open", "overdue", "done"}
    by_id = {row[0]: row for row in shown}
    # V.6, led by the Tỉnh đoàn: Đô Lương takes part, with whom it works
    assert by_id["v6-1"][3:7] == ["Huyện Đô Lương", "phối hợp với Tỉnh đoàn", "từ ngày 15/09/2023 đến ngày 15/10/2023 (theo mục III Kế hoạch)", "quá hạn"]  # fmt: skip
    assert by_id["v7-1"][3:8] == ["Huyện Đô Lương", "chủ trì", "không quy định thời hạn", "đã hoàn thành", datetime(2023, 10, 12)]  # fmt: skip
    english = sh("export", "-a", "do luong", "--format", "xlsx", "--lang", "en", "-o", "en.xlsx", *AS_OF)
    assert english.code == 0
    header = [c.value for c in load_workbook(tmp_path / "en.xlsx").worksheets[0][2]]
    assert header[:9] == ["ID", "Clause", "Title", "Agency or member", "Role", "Deadline", "Status", "Date done", "Note"]


def test_cells_are_dates_and_status_has_a_drop_down(sh, tmp_path):
    sh("done", "v2-1", "--on", "12/10/2023", *AS_OF)
    assert sh("export", "-a", "so gd", "--format", "xlsx", "-o", "gd.xlsx", *AS_OF).code == 0
    sheet = load_workbook(tmp_path / "gd.xlsx").worksheets[0]
    first = header_row(sheet)
    columns = fields(sheet, first)
    row = {c: sheet.cell(row=first + 1, column=i + 1) for i, c in enumerate(columns)}
    assert row["id"].value == "v2-1"
    assert row["done_on"].value == datetime(2023, 10, 12) and row["done_on"].number_format == "DD/MM/YYYY"
    assert row["due"].value == datetime(2023, 10, 15) and row["due"].is_date
    empty = sheet.cell(row=first + 2, column=columns.index("done_on") + 1)
    assert empty.value is None and empty.number_format == "DD/MM/YYYY"  # typed dates show day first
    (validation,) = sheet.data_validations.dataValidation
    letter = chr(ord("A") + columns.index("status"))
    assert validation.type == "list" and str(validation.sqref) == f"{letter}{first + 1}:{letter}{first + 2}"
    assert validation.formula1 == '"not done,open,due soon,overdue,done,done late"'
    title_width = sheet.column_dimensions[chr(ord("A") + columns.index("title"))].width
    longest = max(len(sheet.cell(row=r, column=columns.index("title") + 1).value) for r in (first + 1, first + 2))
    assert min(longest, 60) <= title_width <= 60 + 1


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_drop_down_holds_exactly_what_the_export_writes_and_the_import_reads(sh, tmp_path, language):
    from dsday_cli.documents.checklist_import import classify_status

    sh("done", "v1-1", "--on", "12/10/2023", *AS_OF)
    sh("done", "v1-3", "--on", "20/10/2023", *AS_OF)  # before 15/10: done late
    assert sh("export", "--format", "xlsx", "--lang", language, "-o", "all.xlsx", *["--as-of", "2023-10-22"]).code == 0
    book = load_workbook(tmp_path / "all.xlsx")
    offered = set()
    written = set()
    for sheet in book.worksheets:
        (validation,) = sheet.data_validations.dataValidation
        offered |= set(validation.formula1.strip('"').split(","))
        column = [c.value for c in sheet[2]].index("Trạng thái" if language == "vi" else "Status")
        written |= {row[column].value for row in sheet.iter_rows(min_row=3)}
    assert written == offered  # not done, open, due soon, overdue, done, done late: each written somewhere, none more
    if language == "vi":
        assert offered == {"chưa hoàn thành", "chưa đến hạn", "sắp đến hạn", "quá hạn", "đã hoàn thành", "hoàn thành chậm"}
    understood = {w: classify_status(w) for w in offered}
    assert sorted(understood.values()) == ["done", "done", "open", "open", "open", "open"]  # the date decides an open row
    by_id = {
        row[0].value: row[column].value for sheet in book.worksheets for row in sheet.iter_rows(min_row=3)
    }  # an item without a deadline is not done, not "not yet due"; one with a deadline ahead is not yet due
    assert by_id["v7-1"] == ("chưa hoàn thành" if language == "vi" else "not done")


def test_a_workbook_prints_landscape_one_page_wide_header_repeated(sh, tmp_path):
    assert sh("export", "-a", "do luong", "--format", "xlsx", "--lang", "vi", "-o", "dl.xlsx", *AS_OF).code == 0
    sheet = load_workbook(tmp_path / "dl.xlsx").worksheets[0]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$2:$2" and sheet.freeze_panes == "A3"
    assert sheet.max_row - 2 == 4  # its four rows (V.6 as partner, its part of V.7's three items)
    # LibreOffice prints it: one landscape page (it was 7 portrait ones, the first showing id, ref, agency)
    printed = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf", "dl.xlsx"],
        check=False, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert printed.returncode == 0 and (tmp_path / "dl.pdf").exists(), printed.stderr
    info = subprocess.run(["pdfinfo", "dl.pdf"], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    width, height = map(float, re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.M).groups())
    assert width > height  # landscape
    text = subprocess.run(["pdftotext", "-layout", "dl.pdf", "-"], check=True, capture_output=True, text=True).stdout
    assert "Ngày hoàn thành" in text and "Huyện Đô Lương" in text
    assert not re.search(r"\b(agency|member|last_day|partner|lead|window)\b", text)  # hidden machine columns not printed


def test_a_group_has_a_sheet_per_member_tick_two_import_twice(sh, tmp_path):
    assert sh("export", "-a", "ubnd-huyen", "--format", "xlsx", "-o", "huyen.xlsx", *AS_OF).code == 0
    book = load_workbook(tmp_path / "huyen.xlsx")
    members = json.loads(sh("agencies", "--format", "json", *AS_OF).out)[6]["members"]
    # the group's own sheet (V.6, where it partners, for no member) and then one sheet per member, in the plan's order
    assert [s.title for s in book.worksheets] == ["UBND cấp huyện", *(m["name"] for m in members)]
    ticks = {}
    for title, item, day in (("Huyện Đô Lương", "v7-1", date(2023, 10, 9)), ("Thành phố Vinh", "v7-2", datetime(2023, 10, 18))):
        sheet = book[title]
        first = header_row(sheet)
        columns = fields(sheet, first)
        rows = {sheet.cell(row=r, column=1).value: r for r in range(first + 1, sheet.max_row + 1)}
        assert sorted(rows) == ["v7-1", "v7-2", "v7-3"]  # only this member's part of V.7
        sheet.cell(row=rows[item], column=columns.index("status") + 1, value="Hoàn thành")
        sheet.cell(row=rows[item], column=columns.index("done_on") + 1, value=day)
        ticks[title] = rows[item]
    book.save(tmp_path / "huyen.xlsx")
    dry = sh("import", "huyen.xlsx", "--dry-run", *AS_OF)
    assert dry.code == 0 and "would record 2 new completions" in dry.out and logged(sh) == []
    result = sh("import", "huyen.xlsx", *AS_OF)
    assert result.code == 0, result.err
    line = ticks["Huyện Đô Lương"]
    assert f"huyen.xlsx[Huyện Đô Lương]:{line}: recorded v7-1 [do-luong] done on 09/10/2023" in result.out
    group = "Ủy ban nhân dân các huyện, thành phố, thị xã"  # whom the checklist was exported for
    assert logged(sh) == [("v7-1", "do-luong", "2023-10-09", group), ("v7-2", "vinh", "2023-10-18", group)]
    again = sh("import", "huyen.xlsx", *AS_OF)
    assert again.code == 0 and "nothing new to record" in again.out and len(logged(sh)) == 2


def test_an_unknown_status_in_a_workbook_is_located(sh, tmp_path):
    assert sh("export", "-a", "sct", "--format", "xlsx", "-o", "sct.xlsx", *AS_OF).code == 0
    book = load_workbook(tmp_path / "sct.xlsx")
    sheet = book.worksheets[0]
    first = header_row(sheet)
    columns = fields(sheet, first)
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
    columns = fields(sheet, first)
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
    columns = fields(sheet, first)
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


def office(tmp_path, *args: str) -> subprocess.CompletedProcess:
    """LibreOffice, headless, with a profile of its own in the test's directory."""
    return subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", *args],
        check=False, capture_output=True, text=True, timeout=180,
    )  # fmt: skip


def test_a_vietnamese_workbook_filled_in_returns_through_gnumeric_and_libreoffice(sh, tmp_path):
    """Filled in as an office does (the drop-down's word, a date cell, a date typed as text), saved by Gnumeric and
    by LibreOffice as .xlsx and as .ods: each imports back with every completion and no problem line."""
    assert sh("export", "-a", "do luong", "--format", "xlsx", "--lang", "vi", "-o", "dl.xlsx", *AS_OF).code == 0
    book = load_workbook(tmp_path / "dl.xlsx")
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[2]]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(3, sheet.max_row + 1)}
    status, day, note = header.index("Trạng thái") + 1, header.index("Ngày hoàn thành") + 1, header.index("Ghi chú") + 1
    (validation,) = [v for v in sheet.data_validations.dataValidation if v.type == "list"]  # not the partner's row
    done_word = "đã hoàn thành"
    assert done_word in validation.formula1.strip('"').split(",")  # chosen from the drop-down
    sheet.cell(row=rows["v7-1"], column=status, value=done_word)
    sheet.cell(row=rows["v7-1"], column=day, value=date(2023, 10, 9))
    sheet.cell(row=rows["v7-2"], column=day, value="12/10/2023")  # typed, status left as exported
    sheet.cell(row=rows["v7-3"], column=status, value=done_word)
    sheet.cell(row=rows["v7-3"], column=day, value=datetime(2023, 10, 15))
    sheet.cell(row=rows["v7-3"], column=note, value="Đã tổ chức 12 buổi")
    book.save(tmp_path / "filled.xlsx")
    (tmp_path / "gnumeric").mkdir()
    gnumeric = subprocess.run(
        ["ssconvert", "filled.xlsx", "gnumeric/filled.xlsx"], check=False, capture_output=True, text=True, timeout=120
    )
    assert gnumeric.returncode == 0, gnumeric.stderr
    for kind in ("xlsx", "ods"):
        saved = office(tmp_path, "--convert-to", kind, "--outdir", "libreoffice", "filled.xlsx")
        assert saved.returncode == 0 and (tmp_path / "libreoffice" / f"filled.{kind}").exists(), saved.stderr
    assert (tmp_path / "libreoffice" / "filled.ods").read_bytes()[30:38] == b"mimetype"  # LibreOffice's own format
    expected = [
        "would record v7-1 [do-luong] done on 09/10/2023 by Huyện Đô Lương",
        "would record v7-2 [do-luong] done on 12/10/2023 by Huyện Đô Lương",
        "would record v7-3 [do-luong] done on 15/10/2023 by Huyện Đô Lương",
        "would record 3 new completions",
    ]
    for path in ("gnumeric/filled.xlsx", "libreoffice/filled.xlsx", "libreoffice/filled.ods"):
        result = sh("import", path, "--dry-run", *AS_OF)
        assert result.code == 0 and result.err == "", (path, result.err)
        assert [line.split(": ", 1)[-1] for line in result.out.splitlines()] == expected, (path, result.out)
    result = sh("import", "libreoffice/filled.ods", *AS_OF)
    assert result.code == 0 and result.err == "" and "recorded 3 new completions" in result.out
    assert f"filled.ods[Huyện Đô Lương]:{rows['v7-1']}: recorded v7-1 [do-luong]" in result.out  # located as in xlsx
    logged_notes = {e["item"]: e["note"] for e in json.loads(sh("log", "--format", "json", *AS_OF).out)}
    assert "Đã tổ chức 12 buổi" in logged_notes["v7-3"]


def test_a_workbook_exported_before_the_headings_changed_still_imports(sh, tmp_path):
    """The English JSON field names as headings, as every workbook exported before this version has them."""
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName

    old_columns = (
        "id", "ref", "agency", "agency_name", "role", "partners", "member", "member_name", "title", "deadline",
        "deadline_source", "deadline_ref", "tentative", "start", "due", "last_day", "status", "done_on", "done_by", "note",
    )  # fmt: skip
    book = Workbook()
    sheet = book.active
    sheet.title = "Huyện Đô Lương"
    sheet.append(["Huyện Đô Lương (Ủy ban nhân dân các huyện, thành phố, thị xã) — Kế hoạch"])
    sheet.append(list(old_columns))
    row = dict.fromkeys(old_columns) | {"id": "v7-1", "agency": "ubnd-huyen", "role": "lead", "member": "do-luong",
                                        "tentative": False, "status": "Hoàn thành", "done_on": date(2023, 10, 9)}  # fmt: skip
    sheet.append([row[c] for c in old_columns])
    other = dict.fromkeys(old_columns) | {"id": "v7-2", "member": "do-luong", "status": "open"}
    sheet.append([other[c] for c in old_columns])
    book.defined_names["dsday_plan"] = DefinedName("dsday_plan", attr_text='"nghe-an-2023"')
    book.defined_names["dsday_for"] = DefinedName("dsday_for", attr_text='"ubnd-huyen/do-luong"')
    book.save(tmp_path / "old.xlsx")
    result = sh("import", "old.xlsx", *AS_OF)
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "old.xlsx[Huyện Đô Lương]:3: recorded v7-1 [do-luong] done on 09/10/2023 by Huyện Đô Lương",
        "recorded 1 new completion",
    ]


def test_a_group_of_130_communes_as_one_workbook_or_one_file_each(sh, tmp_path):
    from tests.conftest import write_plan

    plan = write_plan(tmp_path / "plan.yaml", items=2, members=130)
    text = plan.read_text(encoding="utf-8").replace("name: Thành viên 7}", "name: 'Xã Bảy: [Đông/Tây]*?'}")
    # names that share their first 31 characters, Excel's limit on a sheet's name
    text = re.sub(r"name: Thành viên (1\d\d)}", r"name: Ủy ban nhân dân xã Thành viên có tên dài \1}", text)
    plan.write_text(text, encoding="utf-8")
    assert sh("export", "-a", "ag0", "--format", "xlsx", "-o", "group.xlsx", *AS_OF).code == 0
    book = load_workbook(tmp_path / "group.xlsx")
    titles = [s.title for s in book.worksheets]
    assert len(titles) == 130 and len({t.lower() for t in titles}) == 130  # a sheet per member, each its own name
    assert all(len(t) <= 31 and not set(t) & set("[]:*?/\\") for t in titles)
    assert titles[:3] == ["Thành viên 0", "Thành viên 1", "Thành viên 2"] and titles[7] == "Xã Bảy Đông Tây"
    assert book.worksheets[120]["A1"].value.startswith("Ủy ban nhân dân xã Thành viên có tên dài 120 (Cơ quan số 0)")

    split = sh("export", "-a", "ag0", "--format", "xlsx", "--split", "-o", "communes", *AS_OF)
    assert split.code == 0 and split.err == "dsday: wrote 130 files in communes\n"
    assert sorted(p.name for p in (tmp_path / "communes").iterdir()) == sorted(f"m{m}.xlsx" for m in range(130))

    def fill(name: str, member: str | None = None) -> None:
        book = load_workbook(tmp_path / "communes" / name)
        sheet = book.worksheets[0]
        assert [s.title for s in book.worksheets] == [sheet.title]  # one member, one sheet
        columns = fields(sheet, 2)
        assert [sheet.cell(row=r, column=1).value for r in range(3, sheet.max_row + 1)] == ["t0"]
        sheet.cell(row=3, column=columns.index("done_on") + 1, value=date(2023, 10, 10))
        if member:
            sheet.cell(row=3, column=columns.index("member") + 1, value=member)
        book.save(tmp_path / "communes" / name)

    fill("m5.xlsx")
    fill("m6.xlsx", member="m7")  # a commune speaking for its neighbour
    refused = sh("import", "communes/m6.xlsx", *AS_OF)
    assert refused.code == 2 and "exported for ag0/m6 and cannot record t0 [m7]" in refused.err
    done = sh("import", "communes/m5.xlsx", *AS_OF)
    assert done.code == 0, done.err
    assert logged(sh) == [("t0", "m5", "2023-10-10", "Thành viên 5")]  # its own part, by its own name
    assert sh("export", "--format", "csv", "--split", "-o", "all", *AS_OF).code == 0
    assert len(list((tmp_path / "all").iterdir())) == 131  # every commune, and the other agency
    assert (tmp_path / "all" / "ag1.csv").read_text(encoding="utf-8-sig").splitlines()[-1].startswith(
        "#dsday-checklist plan=test-plan for=ag1"
    )
    missing = sh("export", "--format", "csv", "--split", *AS_OF)
    assert missing.code == 2 and "give --output DIRECTORY" in missing.err


def test_a_partners_rows_are_for_information_and_recorded_only_by_the_lead(sh, tmp_path):
    """Đô Lương partners on V.6 (led by the Tỉnh đoàn): its row is greyed, offers no drop-down, refuses what is typed
    and says the lead records it; filled anyway, the import names the item and the lead, never an id, and so does
    an import for the coordinator: the completion is the lead's to record."""
    assert sh("export", "-a", "do luong", "--format", "xlsx", "--lang", "vi", "-o", "dl.xlsx", *AS_OF).code == 0
    book = load_workbook(tmp_path / "dl.xlsx")
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[2]]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(3, sheet.max_row + 1)}
    status, day = header.index("Trạng thái") + 1, header.index("Ngày hoàn thành") + 1
    filled = [header.index(h) + 1 for h in ("Trạng thái", "Ngày hoàn thành", "Ghi chú")]
    partner = rows["v6-1"]
    for column in filled:
        cell = sheet.cell(row=partner, column=column)
        assert cell.fill.fgColor.rgb.endswith("D9D9D9")  # greyed
        assert sheet.cell(row=rows["v7-1"], column=column).fill.fill_type is None  # its own rows are not
    (drop_down,) = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    (information,) = [v for v in sheet.data_validations.dataValidation if v.type == "custom"]
    assert f"G{partner}" not in drop_down.sqref and "G4" in drop_down.sqref  # no drop-down on the partner's row
    assert {str(r) for r in information.sqref.ranges} == {f"{chr(64 + c)}{partner}" for c in filled}
    assert information.formula1 == "FALSE" and information.prompt == "Để biết, phối hợp: cơ quan chủ trì ghi nhận."
    assert information.showErrorMessage and information.error == information.prompt
    assert b"workbookProtection" not in subprocess.run(
        ["unzip", "-p", "dl.xlsx", "xl/workbook.xml"], capture_output=True, check=True
    ).stdout  # no protection at all: the rest of the sheet stays editable
    gnumeric = subprocess.run(["ssconvert", "dl.xlsx", "g.xlsx"], capture_output=True, text=True, timeout=120)
    assert gnumeric.returncode == 0 and "workbookProtection" not in gnumeric.stderr and "WARNING" not in gnumeric.stderr
    # filled in anyway (pasted over), with the district's own v7-1
    sheet.cell(row=partner, column=status, value="đã hoàn thành")
    sheet.cell(row=partner, column=day, value=date(2023, 10, 12))
    sheet.cell(row=rows["v7-1"], column=status, value="đã hoàn thành")
    sheet.cell(row=rows["v7-1"], column=day, value=date(2023, 10, 9))
    book.save(tmp_path / "back.xlsx")
    refusal = (
        f"back.xlsx[Huyện Đô Lương]:{partner}: nhiệm vụ \"Phối hợp với chính quyền địa phương tổ chức các buổi hướng "
        "dẫn người dân sử dụng dịch vụ công trực tuyến\" (V.6) chỉ để biết: Huyện Đô Lương là cơ quan phối hợp, việc "
        "ghi nhận hoàn thành do cơ quan chủ trì là Tỉnh đoàn Nghệ An thực hiện; đề nghị giữ nguyên dòng này như khi "
        "được gửi"
    )
    for extra in ([], ["--any-agency"]):  # nor for the coordinator
        result = sh("--lang", "vi", "import", "back.xlsx", *extra, *AS_OF)
        assert result.code == 2 and result.err.splitlines()[0] == refusal, result.err
        assert "tinh-doan" not in result.err and "ubnd-huyen" not in result.err
        assert logged(sh) == []
    sheet.cell(row=partner, column=status, value="quá hạn")  # left as it was sent
    sheet.cell(row=partner, column=day).value = None
    book.save(tmp_path / "back.xlsx")
    result = sh("import", "back.xlsx", *AS_OF)
    assert result.code == 0, result.err
    assert logged(sh) == [("v7-1", "do-luong", "2023-10-09", "Huyện Đô Lương")]


@pytest.mark.parametrize(("language", "heading"), [("vi", "Ngày hoàn thành"), ("en", "Date done")])
def test_a_done_row_without_a_day_names_the_column_as_the_workbook_heads_it(sh, tmp_path, language, heading):
    assert sh("export", "-a", "do luong", "--format", "xlsx", "--lang", language, "-o", "dl.xlsx", *AS_OF).code == 0
    book = load_workbook(tmp_path / "dl.xlsx")
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[2]]
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == "v7-1")
    sheet.cell(row=row, column=header.index(checklist_headings()["status"] if language == "en" else "Trạng thái") + 1,
               value="done")  # fmt: skip
    book.save(tmp_path / "nodate.xlsx")
    result = sh("--lang", "vi", "import", "nodate.xlsx", "--dry-run", *AS_OF)  # read in Vietnamese whatever its headings
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        f"nodate.xlsx[Huyện Đô Lương]:{row}: nhiệm vụ v7-1 [do-luong] được đánh dấu hoàn thành nhưng không ghi ngày "
        f"hoàn thành; đề nghị ghi ngày vào cột '{heading}' theo dạng DD/MM/YYYY"
    )
    assert "done_on" not in result.err
