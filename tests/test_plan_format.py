"""The format as real plans word them: items without ref, a month of issue, quarter, year and ongoing deadlines.

One small plan holds all five (and is a partial copy of its document); each command that
reads deadlines is run on it through the installed console script.
"""

import csv
import io
import json
from datetime import datetime

from openpyxl import load_workbook

PLAN = """\
id: bo-thu-2026
title: Kế hoạch thử năm 2026
issuer: Bộ Thử
year: 2026
number: 12/KH-BT
issued: 06/2026
source:
  note: chỉ có Phụ lục, thiếu phần I-IV
  partial: true
agencies:
  - id: cuc-a
    name: Văn phòng Bộ
    email: vp@example.org
  - id: cuc-b
    name: Cục Công nghệ thông tin
    email: cuc-b@example.org
  - id: vu-c
    name: Vụ Kế hoạch - Tài chính
    email: vu-c@example.org
responsibilities:
  - id: r-noref
    title: Việc không có số mục
    agency: cuc-b
    deadline: {kind: by, date: 2026-10-15}
  - id: r-quarter
    ref: PL.1
    title: Việc trong Quý III/2026
    agency: cuc-b
    deadline: {kind: quarter, quarter: 2026-Q3}
  - id: r-year
    ref: PL.2
    title: Việc trong năm 2026
    agency: vu-c
    deadline: {kind: year, year: 2026}
  - id: r-ongoing
    ref: PL.3
    title: Việc thường xuyên
    agency: vu-c
    deadline: {kind: ongoing}
"""


def plan_in(tmp_path, text: str = PLAN):
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "plan.yaml"


def rows(sh, *args: str) -> dict[str, dict]:
    result = sh("list", "--format", "json", *args)
    assert result.code == 0, result.err
    return {row["id"]: row for row in json.loads(result.out)}


def test_validate_accepts_no_ref_a_month_of_issue_quarter_year_and_ongoing(sh, tmp_path):
    result = sh("validate", str(plan_in(tmp_path)))
    assert result.code == 0, result.err
    assert "4 responsibilities" in result.out
    also = PLAN.replace("issued: 06/2026", "issued: 2026-06").replace("quarter: 2026-Q3", "quarter: Q3/2026")
    assert sh("validate", str(plan_in(tmp_path, also))).code == 0


def test_quarter_is_on_time_through_its_last_day_and_ongoing_is_never_overdue(sh, tmp_path):
    plan_in(tmp_path)
    last = rows(sh, "--as-of", "30/09/2026")
    assert last["r-quarter"]["status"] == "due-soon"
    assert (last["r-quarter"]["start"], last["r-quarter"]["last_day"]) == ("2026-07-01", "2026-09-30")
    after = rows(sh, "--as-of", "01/10/2026")
    assert after["r-quarter"]["status"] == "overdue"
    assert (after["r-year"]["start"], after["r-year"]["last_day"], after["r-year"]["status"]) == (
        "2026-01-01", "2026-12-31", "open"
    )
    late = rows(sh, "--as-of", "05/01/2027")
    assert late["r-year"]["status"] == "overdue"
    assert late["r-ongoing"]["status"] == "open" and late["r-ongoing"]["last_day"] is None
    assert late["r-ongoing"]["deadline"] == "ongoing"
    assert late["r-noref"]["ref"] == "" and late["r-noref"]["refs"] == []
    overdue = sh("overdue", "--as-of", "05/01/2027", "--format", "json", cwd=tmp_path).out
    assert "r-ongoing" not in overdue and "r-year" in overdue


def test_list_words_each_deadline_as_the_document_does(sh, tmp_path):
    plan_in(tmp_path)
    en = sh("list", "--as-of", "01/10/2026", "--lang", "en").out
    assert "in quarter III/2026" in en and "in 2026" in en and "ongoing" in en
    assert "no deadline" not in en
    narrow = sh("list", "--as-of", "01/10/2026", "--lang", "en", env={"COLUMNS": "70"}).out
    assert "30/09/2026" in narrow and "31/12/2026" in narrow and "ongoing" in narrow  # last days, ongoing in words
    vi = sh("list", "--as-of", "01/10/2026", "--lang", "vi").out
    assert "trong Quý III/2026" in vi and "trong năm 2026" in vi and "thường xuyên" in vi
    md = sh("export", "--format", "md", "--as-of", "01/10/2026", "--lang", "en").out
    assert "**r-noref** Việc không có số mục" in md and "()" not in md
    assert "**r-quarter** (PL.1) Việc trong Quý III/2026 — in quarter III/2026" in md


def test_status_flags_the_partial_copy_names_the_month_of_issue_and_counts_down_to_the_national_day(sh, tmp_path):
    plan_in(tmp_path)
    out = sh("status", "--as-of", "01/10/2026", "--lang", "en").out
    assert "No. 12/KH-BT of June 2026, Bộ Thử" in out
    assert "Partial copy of the document: chỉ có Phụ lục, thiếu phần I-IV" in out
    assert "National Digital Transformation Day" in out and "in 9 days" in out  # no milestone in the plan for it
    vi = sh("status", "--as-of", "01/10/2026", "--lang", "vi").out
    assert "Số 12/KH-BT tháng 6/2026 của Bộ Thử" in vi
    assert "Bản sao không đầy đủ của văn bản: chỉ có Phụ lục" in vi
    data = json.loads(sh("status", "--as-of", "01/10/2026", "--format", "json").out)
    assert data["plan"]["issued"] == "2026-06" and data["plan"]["partial"] is True
    assert [m["id"] for m in data["milestones"]] == ["national-day"]
    assert [s["id"] for s in data["overdue"]] == ["r-quarter"]


def test_show_flags_the_partial_copy_and_cites_nothing_without_ref(sh, tmp_path):
    plan_in(tmp_path)
    out = sh("show", "r-noref", "--as-of", "01/10/2026", "--lang", "en").out
    assert out.splitlines()[0] == "r-noref · Cục Công nghệ thông tin"
    assert "Partial copy of the document" in out
    ongoing = sh("show", "r-ongoing", "--as-of", "01/10/2026", "--lang", "en").out
    assert "Deadline: ongoing" in ongoing and "last on-time day" not in ongoing
    quarter = sh("show", "r-quarter", "--as-of", "01/10/2026", "--lang", "en").out
    assert "Deadline: in quarter III/2026; last on-time day 30/09/2026" in quarter


def test_csv_and_xlsx_give_the_quarter_and_year_their_days_and_ongoing_none(sh, tmp_path):
    plan_in(tmp_path)
    text = sh("export", "--format", "csv", "--as-of", "01/10/2026").out
    by_id = {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
    assert (by_id["r-quarter"]["start"], by_id["r-quarter"]["due"]) == ("2026-07-01", "2026-09-30")
    assert (by_id["r-year"]["start"], by_id["r-year"]["due"]) == ("2026-01-01", "2026-12-31")
    assert (by_id["r-ongoing"]["deadline"], by_id["r-ongoing"]["due"], by_id["r-ongoing"]["last_day"]) == (
        "ongoing", "", ""
    )
    assert by_id["r-noref"]["ref"] == ""
    assert sh("export", "--format", "xlsx", "-o", "all.xlsx", "--as-of", "01/10/2026", cwd=tmp_path).code == 0
    cells = {}
    for sheet in load_workbook(tmp_path / "all.xlsx").worksheets:
        header = next(r for r in range(1, 10) if sheet.cell(row=r, column=1).value == "ID")
        columns = [c.value for c in sheet[header]]
        for row in sheet.iter_rows(min_row=header + 1, values_only=True):
            if row[0]:
                cells[row[0]] = dict(zip(columns, row))
    assert cells["r-quarter"]["due"] == datetime(2026, 9, 30) and cells["r-quarter"]["Status"] == "overdue"
    assert cells["r-year"]["last_day"] == datetime(2026, 12, 31)
    assert cells["r-ongoing"]["due"] is None and cells["r-ongoing"]["Status"] == "not done"  # never overdue


def test_ics_spans_a_quarter_and_a_year_and_leaves_ongoing_out(sh, tmp_path):
    plan_in(tmp_path)
    ics = sh("export", "--format", "ics", "--as-of", "01/10/2026").out.replace("\r\n ", "").replace("\r\n", "\n")
    events = {e.split("SUMMARY:")[1].split(":")[0]: e for e in ics.split("BEGIN:VEVENT")[1:]}
    assert set(events) == {"r-noref", "r-quarter", "r-year"}  # an ongoing duty has no day for a calendar
    assert "DTSTART;VALUE=DATE:20260701\n" in events["r-quarter"] and "DTEND;VALUE=DATE:20261001\n" in events["r-quarter"]
    assert "DTSTART;VALUE=DATE:20260101\n" in events["r-year"] and "DTEND;VALUE=DATE:20270101\n" in events["r-year"]
    assert "DTSTART;VALUE=DATE:20261015\n" in events["r-noref"]
    assert "DESCRIPTION:Cục Công nghệ thông tin\\n" in events["r-noref"]  # no "()" for an item without ref
    todo = sh("export", "--format", "ics", "--todo", "--as-of", "01/10/2026").out
    assert todo.count("BEGIN:VTODO") == 3 and "DUE;VALUE=DATE:20260930" in todo


def test_report_flags_the_partial_copy_and_words_each_deadline(sh, tmp_path):
    plan_in(tmp_path)
    md = sh("report", "--format", "md", "--as-of", "05/01/2027", "--lang", "en").out
    assert "**Partial copy of the document: chỉ có Phụ lục, thiếu phần I-IV.**" in md
    assert "- Việc không có số mục: by 15/10/2026, overdue by 82 days." in md  # no clause: nothing in brackets
    assert "- Việc trong Quý III/2026 (section PL.1): in quarter III/2026, overdue by 97 days." in md
    assert "- Việc trong năm 2026 (section PL.2): in 2026, overdue by 5 days." in md
    assert "- Việc thường xuyên (section PL.3): ongoing." in md
    vi = sh("report", "--format", "md", "--as-of", "05/01/2027", "--lang", "vi").out
    assert "Bản sao không đầy đủ của văn bản" in vi and "Việc thường xuyên (mục PL.3 Kế hoạch): thường xuyên." in vi


def test_remind_lists_quarter_and_year_when_late_and_never_an_ongoing_duty(sh, tmp_path):
    plan_in(tmp_path)
    out = sh("remind", "--as-of", "05/01/2027", "--lang", "en").out
    assert "1. Việc trong năm 2026 (section PL.2 of the plan); deadline: in 2026; overdue by 5 days." in out
    assert "1. Việc trong Quý III/2026 (section PL.1 of the plan); deadline: in quarter III/2026; overdue by 97 days." in out
    assert "2. Việc không có số mục; deadline: by 15/10/2026; overdue by 82 days." in out  # no "()"
    assert "Việc thường xuyên" not in out  # ongoing: never overdue, never reminded of


def test_answers_are_the_same_with_the_index_and_without(sh, tmp_path):
    plan_in(tmp_path)
    reads = [("list", "--as-of", "05/01/2027", "--format", "json"), ("status", "--as-of", "01/10/2026")]
    for args in reads:
        first, second = sh(*args).out, sh(*args).out  # the second from the index the first built
        assert first == second == sh(*args, env={"DSDAY_NO_INDEX": "1"}).out


def test_a_before_milestone_has_passed_on_the_day_it_names(sh, tmp_path):
    plan_in(tmp_path, PLAN + "milestones:\n  - {id: launch, title: Lễ phát động, date: 2026-10-10, deadline: before}\n")
    on_the_day = sh("status", "--as-of", "10/10/2026", "--lang", "en").out
    launch = next(line for line in on_the_day.splitlines() if line.startswith("Lễ phát động"))
    assert "before 10/10/2026" in launch and "passed" in launch and "ago" not in launch
    last_day = sh("status", "--as-of", "09/10/2026", "--lang", "en").out
    assert "last day today" in next(line for line in last_day.splitlines() if line.startswith("Lễ phát động"))


def test_bad_new_values_say_what_to_write_instead(sh, tmp_path):
    cases = [
        ("quarter: 2026-Q3", "quarter: 2026-Q5", "'2026-Q5' is not a quarter; write YYYY-Qn, e.g. 2026-Q4"),
        ("year: 2026}", "year: hai nghìn}", "'hai nghìn' is not a year; write the year alone, e.g. year: 2026"),
        ("{kind: ongoing}", "{kind: ongoing, date: 2026-10-10}", "an ongoing deadline has no day; remove date:"),
        ("{kind: quarter, quarter: 2026-Q3}", "{kind: quarter}", "a 'quarter' deadline needs quarter: YYYY-Qn"),
        ("issued: 06/2026", "issued: 13/2026", "issued: '13/2026' is not a day or a month; write DD/MM/YYYY, or MM/YYYY"),
        ("ref: PL.1", "ref: {muc: 1}", "ref: names the clause (or clauses) that give this duty: write ref: V.1"),
        ("title: Kế hoạch thử năm 2026", "title: Kế hoạch: thử", "a value holding ': ' is written in quotes"),
    ]
    for old, new, expected in cases:
        assert old in PLAN
        result = sh("validate", str(plan_in(tmp_path, PLAN.replace(old, new, 1))), "--lang", "en")
        assert result.code == 65 and expected in result.err, (new, result.err)
        assert "Traceback" not in result.err and "Input should" not in result.err and "Field required" not in result.err
    missing = sh("validate", str(plan_in(tmp_path, PLAN.replace("    title: Việc thường xuyên\n", ""))), "--lang", "en")
    assert missing.code == 65 and "responsibilities[3].title: required: add title: here" in missing.err


def test_the_schema_takes_the_new_values_and_refuses_bad_ones(sh):
    import jsonschema
    import yaml

    class EditorLoader(yaml.SafeLoader):
        """YAML as an editor's language server reads it: dates stay strings."""

    EditorLoader.yaml_implicit_resolvers = {
        key: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    schema = json.loads(sh("schema").out)
    document = yaml.load(PLAN, Loader=EditorLoader)
    jsonschema.validate(document, schema)
    document["responsibilities"][1]["deadline"]["quarter"] = "2026-Q5"
    document["issued"] = "x06/2026"
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document))
    assert len(errors) == 2


def test_a_quarter_at_the_end_of_the_calendar_is_a_located_line_not_an_internal_error(sh, tmp_path):
    from tests.conftest import write_plan

    extra = '  - {id: t9, agency: ag0, title: Việc xa, deadline: {kind: quarter, quarter: 9999-Q4}}\n'
    write_plan(tmp_path / "plan.yaml", extra=extra)
    done = sh("validate", "plan.yaml", cwd=tmp_path)
    assert done.code == 65 and "internal error" not in done.err, done
    assert "quarter" in done.err and len(done.err.splitlines()) == 1, done.err
