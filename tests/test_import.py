"""Returned checklists as offices really send them: through a spreadsheet, in any date form and word."""

import csv
import json
import subprocess
import textwrap
import unicodedata
from datetime import date

import pytest

from dsday_cli.documents.checklist_import import classify_status, parse_checklist, read_day

AS_OF = ["--as-of", "2023-10-20"]


def events(sh) -> list[tuple]:
    """The journal as (kind, item, member, on, by), read back through the CLI."""
    out = sh("log", "--format", "json", *AS_OF).out
    return [(e["kind"], e["item"], e["member"], e["on"], e["by"]) for e in json.loads(out)]


def edit_csv(path, changes: dict[tuple[str, str], dict[str, str]], encoding="utf-8") -> None:
    """Fill in cells of the rows named by (id, member), as a clerk does, keeping the file's separator."""
    text = path.read_text(encoding=encoding)
    delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    rows = list(csv.reader(text.splitlines(), delimiter=delimiter))
    header = next(row for row in rows if "id" in row)
    found = set()
    for row in rows:
        key = (row[header.index("id")], row[header.index("member")]) if len(row) == len(header) else None
        if key in changes:
            found.add(key)
            for column, value in changes[key].items():
                row[header.index(column)] = value
    assert found == set(changes), "the rows to edit are in the file"
    with open(path, "w", encoding=encoding, newline="") as stream:
        csv.writer(stream, delimiter=delimiter).writerows(rows)


def ssconvert(source, target) -> None:
    done = subprocess.run(
        ["ssconvert", str(source), str(target)], check=False, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and target.exists(), done.stderr


def test_csv_through_gnumeric_and_back_records_exactly_the_clerks_ticks(sh, tmp_path):
    assert sh("done", "v7-1", "--member", "vinh", "--on", "12/10/2023", *AS_OF).code == 0
    assert sh("export", "-a", "ubnd-huyen", "--format", "csv", "-o", "huyen.csv", *AS_OF).code == 0
    ssconvert(tmp_path / "huyen.csv", tmp_path / "huyen.xlsx")
    ssconvert(tmp_path / "huyen.xlsx", tmp_path / "back.csv")
    back = tmp_path / "back.csv"
    assert "2023/10/12" in back.read_text(encoding="utf-8")  # the spreadsheet rewrote the recorded date
    edit_csv(
        back,
        {
            ("v7-1", "do-luong"): {"done_on": "9/10/23"},
            ("v7-2", "do-luong"): {"status": "Hoàn tất", "done_on": "45208"},
            ("v7-3", "anh-son"): {"status": "✓", "done_on": "9-Oct-23"},
        },
    )
    before = events(sh)
    result = sh("import", "back.csv", *AS_OF)
    assert result.code == 0, result.err
    assert "v7-1 [vinh] already recorded; skipped" in result.out
    assert "recorded 3 new completions" in result.out
    group = "Ủy ban nhân dân các huyện, thành phố, thị xã"  # whom the checklist was exported for
    assert sorted(set(events(sh)) - set(before)) == [
        ("done", "v7-1", "do-luong", "2023-10-09", group),
        ("done", "v7-2", "do-luong", "2023-10-09", group),
        ("done", "v7-3", "anh-son", "2023-10-09", group),
    ]
    again = sh("import", "back.csv", *AS_OF)
    assert again.code == 0 and "nothing new to record" in again.out
    assert len(events(sh)) == len(before) + 3


@pytest.mark.parametrize(
    "text",
    ["2023-10-09", "2023/10/09", "2023.10.9", "09/10/2023", "9/10/23", "09.10.2023", "9-10-2023", "09-10-23",
     "45208", "45208.0", "9-Oct-23", "09-Oct-2023", "9 October 2023", "Oct 9, 2023", "2023-10-09 00:00:00",
     "09/10/2023 00:00", "ngày 9 tháng 10 năm 2023", "9 thg 10, 2023"],
)  # fmt: skip
def test_every_date_form_a_spreadsheet_writes(text):
    assert read_day(text, 2023) == date(2023, 10, 9)


def test_excel_serials_and_cells():
    assert read_day(45208) == date(2023, 10, 9)  # the 1900 date system, as Excel and Gnumeric count
    assert read_day(45208.75) == date(2023, 10, 9)
    assert read_day("9/10", 2023) == date(2023, 10, 9)
    for bad in ("31/02/2023", "13/13/2023", "next week", "12345", "9-Foo-23"):
        with pytest.raises(ValueError):
            read_day(bad, 2023)


DONE = ["xong", "Xong", "đã xong", "Hoàn thành", "hoàn thành", "HOÀN TẤT", "Hoàn tất", "Đã thực hiện", "Có", "có",
        "x", "X", "✓", "✔", "done", "Done", "completed", "Completed", "yes", "Đã hoàn thành", "xong muộn", "done-late"]  # fmt: skip
NOT_DONE = ["", "chưa", "Chưa xong", "chưa thực hiện", "không", "Đang thực hiện", "no", "open", "pending", "overdue",
            "quá hạn", "due-soon"]  # fmt: skip


@pytest.mark.parametrize("word", DONE)
def test_words_that_mean_done(word):
    assert classify_status(unicodedata.normalize("NFD", word)) == "done"
    assert classify_status(word) == "done"


@pytest.mark.parametrize("word", NOT_DONE)
def test_words_that_mean_not_done(word):
    assert classify_status(word) in ("open", "not-done")


def test_every_done_word_is_recorded_and_no_other(sh, tmp_path):
    items = [f"v{n}" for n in ("1-1", "1-2", "1-4", "1-5", "1-6", "2-1", "2-2", "3-1", "3-2", "4-1", "4-2")]
    words = ["Hoàn tất", "Đã thực hiện", "Có", "✓", "Completed", "x", "đã xong", "yes", "chưa", "không", ""]
    days = ["18/10/2023"] * 8 + [""] * 3
    lines = ["id,status,done_on"] + [f"{item},{word},{day}" for item, word, day in zip(items, words, days)]
    (tmp_path / "back.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = sh("import", "back.csv", "--any-agency", *AS_OF)
    assert result.code == 0 and "recorded 8 new completions" in result.out
    assert [e[1] for e in events(sh)] == items[:8]


def test_unknown_status_and_unreadable_dates_are_listed_and_nothing_recorded(sh, tmp_path):
    path = tmp_path / "back.csv"
    path.write_text(
        "id;status;done_on\nv2-1;Hoàn tất;18/10/2023\nv2-2;gần xong;\nv3-1;;hôm qua\nv3-2;chưa;18/10/2023\n",
        encoding="utf-8",
    )
    result = sh("import", "back.csv", "--any-agency", *AS_OF)
    assert result.code == 2
    assert result.err.splitlines() == [
        "back.csv:3: status 'gần xong' is not a word dsday knows; write 'xong' (done) or leave it empty",
        "back.csv:4: done_on 'hôm qua' is not a date; write YYYY-MM-DD or DD/MM/YYYY",
        "back.csv:5: status 'chưa' says not done, but done_on is '18/10/2023'; clear one of them",
        "dsday: back.csv: nothing recorded (3 problems above)",
    ]
    assert events(sh) == []


def test_a_row_split_on_another_separator_is_a_problem(sh, tmp_path):
    assert sh("export", "-a", "ubnd-huyen", "--format", "csv", "--delimiter", ";", "-o", "h.csv", *AS_OF).code == 0
    path = tmp_path / "h.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    cells = next(csv.reader([lines[5]], delimiter=";"))
    cells[header.index("done_on")] = "18/10/2023"
    lines[5] = io_line(cells, ",")  # one row typed in by hand with commas
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = sh("import", "h.csv", *AS_OF)
    assert result.code == 2, result
    assert "h.csv:6: this row is separated by another character than the header's ';'" in result.err
    assert events(sh) == []


def io_line(cells: list[str], delimiter: str) -> str:
    import io

    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow(cells)
    return out.getvalue()


def test_a_recorded_completion_is_recognised_whatever_its_date_says(sh, tmp_path):
    sh("done", "v2-1", "--on", "18/10/2023", *AS_OF)
    (tmp_path / "back.csv").write_text("id,status,done_on\nv2-1,done,2023/10/18 00:00:00\nv2-2,xong,19/10/2023\n")
    result = sh("import", "back.csv", "--any-agency", *AS_OF)
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "back.csv:2: v2-1 already recorded; skipped",
        "back.csv:3: recorded v2-2 done on 19/10/2023 by tester",  # a file bound to no one: whoever imports it
        "recorded 1 new completion",
    ]


@pytest.mark.parametrize(
    "name, content, says",
    [
        ("cal.ics", b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "an iCalendar file (ICS)"),
        ("u16.csv", "id,status\nv2-1,xong\n".encode("utf-16-le"), "UTF-16 text without a byte-order mark"),
        ("bin.csv", bytes(range(256)) * 4, "a binary file"),
        ("doc.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "Excel 97-2003 workbook (.xls)"),
        ("list.json", b'[{"id": "v2-1"}]', "a JSON file"),
    ],
)
def test_a_file_of_another_kind_is_named(sh, tmp_path, name, content, says):
    (tmp_path / name).write_bytes(content)
    result = sh("import", name, *AS_OF)
    assert result.code == 2 and says in result.err.splitlines()[0] and result.err.startswith(f"{name}: ")
    assert events(sh) == []


def test_xlsx_named_csv_is_named(sh, tmp_path):
    assert sh("export", "-a", "sct", "--format", "xlsx", "-o", "sct.xlsx", *AS_OF).code == 0
    (tmp_path / "sct.xlsx").rename(tmp_path / "sct.csv")
    result = sh("import", "sct.csv", *AS_OF)
    assert result.code == 2
    assert "sct.csv: this is an Excel workbook (.xlsx), not a CSV file; name it .xlsx" in result.err


def test_utf16_with_bom_as_excel_saves_unicode_text(sh, tmp_path):
    (tmp_path / "back.txt").write_bytes("id\tstatus\tdone_on\r\nv2-1\tHoàn thành\t18/10/2023\r\n".encode("utf-16"))
    result = sh("import", "back.txt", "--any-agency", *AS_OF)
    assert result.code == 0 and "recorded v2-1 done on 18/10/2023" in result.out


def test_huge_cells_and_broken_quotes_give_located_errors_not_crashes(sh, tmp_path):
    big = "x" * 300_000
    (tmp_path / "big.csv").write_text(f'id,title,status,done_on\nv2-1,"{big}",xong,18/10/2023\n', encoding="utf-8")
    result = sh("import", "big.csv", "--any-agency", *AS_OF)
    assert result.code == 0 and "recorded 1 new completion" in result.out
    (tmp_path / "quote.csv").write_text('id,note,done_on\nv2-2,ok,18/10/2023\nv3-1,"unbalanced,18/10/2023\nv3-2,,18/10/2023\n')
    result = sh("import", "quote.csv", "--any-agency", *AS_OF)
    assert result.code == 2
    assert result.err.splitlines()[0] == 'quote.csv:3: a quoted cell opened here is never closed (unbalanced ")'
    (tmp_path / "stray.csv").write_text('id,note,done_on\nv3-1,"ab"c,18/10/2023\n')
    result = sh("import", "stray.csv", "--any-agency", *AS_OF)
    assert result.code == 2 and result.err.startswith("stray.csv:2: broken quoting")
    assert [e[1] for e in events(sh)] == ["v2-1"]


def cp1258(text: str) -> bytes:
    """Text as a Vietnamese Windows program saves it: base letters, then combining tone marks."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:  # a letter with its vowel mark precomposed, the tone mark after it
            base, *marks = unicodedata.normalize("NFD", char)
            forms = [unicodedata.normalize("NFC", base + m) + "".join(o for o in marks if o != m) for m in marks]
            out += next(f.encode("cp1258") for f in [*forms, base + "".join(marks)] if _encodes(f))
    return out


def _encodes(text: str) -> bool:
    try:
        text.encode("cp1258")
        return True
    except UnicodeEncodeError:
        return False


def test_cp1258_notes_are_stored_composed(sh, tmp_path):
    note = "Đã tổ chức hội nghị tại huyện Đô Lương"
    raw = cp1258(f"id;status;done_on;note\nv2-1;xong;18/10/2023;{note}\n")
    assert unicodedata.normalize("NFC", raw.decode("cp1258")) == f"id;status;done_on;note\nv2-1;xong;18/10/2023;{note}\n"
    assert raw.decode("cp1258") != unicodedata.normalize("NFC", raw.decode("cp1258"))  # decomposed on disk
    (tmp_path / "back.csv").write_bytes(raw)
    assert sh("import", "back.csv", "--any-agency", *AS_OF).code == 0
    stored = json.loads(sh("log", "--format", "json", *AS_OF).out)[0]["note"]
    assert stored == note  # as the person wrote it: no English prefix in the note
    journal = next((tmp_path / "state" / "dsday").glob("*.progress.jsonl"))
    assert json.loads(journal.read_text(encoding="utf-8").splitlines()[-1])["source"] == "back.csv"
    assert unicodedata.is_normalized("NFC", stored)


def test_vietnamese_markdown_ticked_with_its_own_date(sh, tmp_path):
    vi = {"DSDAY_LANG": "vi"}
    assert sh("export", "-a", "tinh doan", "-o", "td.md", *AS_OF, env=vi).code == 0
    path = tmp_path / "td.md"
    text = path.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if "**v6-2**" in line)
    assert line.endswith(" — từ ngày 15/09/2023 đến ngày 15/10/2023 (theo mục III Kế hoạch)")  # the deadline, cited
    path.write_text(text.replace(line, line.replace("- [ ]", "- [x]") + " (xong ngày 12/10/2023)"), encoding="utf-8")
    result = sh("import", "td.md", *AS_OF)
    assert result.code == 0, result.err
    assert events(sh) == [("done", "v6-2", None, "2023-10-12", "Tỉnh đoàn Nghệ An")]
    # its own export, ticked and dated in Vietnamese, reads back as already recorded
    assert sh("export", "-a", "tinh doan", "-o", "td2.md", *AS_OF, env=vi).code == 0
    assert "(hoàn thành ngày 12/10/2023)" in (tmp_path / "td2.md").read_text(encoding="utf-8")
    again = sh("import", "td2.md", *AS_OF)
    assert again.code == 0 and "already recorded" in again.out and "nothing new to record" in again.out


def test_markdown_any_bullet_and_no_code_blocks(tmp_path):
    text = textwrap.dedent(
        """\
        # Kế hoạch

        * [x] **v2-1** (V.2) Chỉ đạo — by 15/10/2023 (done 12/10/2023)
        + [X] **v2-2** (V.2) Nhân rộng — by 15/10/2023
        1. [x] **v3-1** (V.3) Tuyên truyền
        - [ ] **v7-1** (V.7) Xây dựng Kế hoạch
          * [x] Huyện Đô Lương [do-luong] (xong ngày 11/10/2023)

        ```
        - [x] **v3-2** in a fenced block
        ```

            - [x] **v4-1** in an indented code block

        ~~~md
        - [x] **v4-2** in a tilde fence
        ~~~
        """
    )
    checklist = parse_checklist(text.encode(), "back.md", 2023)
    assert checklist.problems == []
    assert [(r.where, r.item, r.member, r.on) for r in checklist.rows] == [
        ("back.md:3", "v2-1", None, date(2023, 10, 12)),
        ("back.md:4", "v2-2", None, None),
        ("back.md:5", "v3-1", None, None),
        ("back.md:7", "v7-1", "do-luong", date(2023, 10, 11)),
    ]


def test_markdown_lines_of_every_deadline_and_role_read_back(tmp_path):
    text = textwrap.dedent(
        """\
        # Kế hoạch

        - [x] **c1** (V.1) Việc trích dẫn — by 20/10/2023 (per III.2.1) (partner) (done 12/10/2023)
        - [x] **c2** (V.1, II.2.b) Việc khác — đến ngày 20/10/2023 (theo mục V.12 Kế hoạch)
        - [x] **c3** (V.6) Việc — từ ngày 15/09/2023 đến ngày 15/10/2023 (theo mục III Kế hoạch) (phối hợp) (xong ngày 11/10/2023)
        - [x] **c4** (V.1) Việc — không quy định thời hạn
        - [x] **c5** (V.1) Việc — dự kiến trước ngày 10/10/2023 (theo mục III.2) (xong ngày 09/10/2023)
        - [x] **c6** (II.2.đ) Việc — in 10/2023 (per V.12) (partner)
        """
    )
    checklist = parse_checklist(text.encode(), "back.md", 2023)
    assert checklist.problems == []  # a cited clause such as V.12 is not a day of completion
    assert [(r.item, r.on) for r in checklist.rows] == [
        ("c1", date(2023, 10, 12)),
        ("c2", None),
        ("c3", date(2023, 10, 11)),
        ("c4", None),
        ("c5", date(2023, 10, 9)),
        ("c6", None),
    ]


def test_markdown_ticks_that_cannot_be_placed_are_problems(sh, tmp_path):
    (tmp_path / "back.md").write_text(
        "# Kế hoạch\n\n- [x] Đã treo băng rôn\n- [x] **v2-1** (V.2) Chỉ đạo — by 15/10/2023 (vào khoảng 12/10)\n"
    )
    result = sh("import", "back.md", *AS_OF)
    assert result.code == 2
    assert result.err.splitlines()[:2] == [
        "back.md:3: a ticked box dsday cannot match to an item (no **id** or [member])",
        "back.md:4: cannot tell whether '(vào khoảng 12/10)' is the day it was done",
    ]
