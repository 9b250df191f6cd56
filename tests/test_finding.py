"""Finding things: list by deadline range, text, role, sort and limit; --json FIELDS; log by work day or recorded day."""

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dsday_cli as d
from dsday_cli.views import render

AS_OF = ["--as-of", "20/10/2023"]


def listed(sh, *args: str) -> list[dict]:
    result = sh("list", *args, "--format", "json", *AS_OF)
    assert result.code == 0 and result.err == "", result
    return json.loads(result.out)


def test_json_fields_gh_style(sh):
    full = listed(sh)
    picked = sh("list", "--json", "id,status,due", *AS_OF)
    assert picked.code == 0
    assert json.loads(picked.out) == [{"id": i["id"], "status": i["status"], "due": i["due"]} for i in full]
    assert list(full[0]) == list(render.ITEM_FIELDS)  # every field of the record can be picked


@pytest.mark.parametrize(
    "command, fields",
    [("list", "ITEM_FIELDS"), ("overdue", "ITEM_FIELDS"), ("agencies", "AGENCY_FIELDS"), ("log", "LOG_COLUMNS")],
)
def test_unknown_json_field_names_the_valid_ones(sh, command, fields):
    from dsday_cli.views import logview

    result = sh(command, "--json", "id,nope", *AS_OF)
    valid = ",".join(getattr(logview if command == "log" else render, fields))
    assert (result.code, result.out) == (2, "")
    assert result.err == f"dsday: --json: unknown field 'nope'; available fields: {valid}\n"


def test_json_fields_on_agencies_overdue_and_log(sh):
    agencies = json.loads(sh("agencies", "--format", "json", *AS_OF).out)
    assert json.loads(sh("agencies", "--json", "overdue,id", *AS_OF).out) == [
        {"overdue": a["overdue"], "id": a["id"]} for a in agencies
    ]
    overdue = json.loads(sh("overdue", "--format", "json", *AS_OF).out)
    assert json.loads(sh("overdue", "--json", "id", *AS_OF).out) == [{"id": i["id"]} for i in overdue]
    assert sh("done", "v1-5", "--on", "12/10/2023", *AS_OF).code == 0
    assert json.loads(sh("log", "--json", "item,on").out) == [{"item": "v1-5", "on": "2023-10-12"}]
    assert sh("list", "--json", "id", "--format", "csv").code == 2


def test_search_ignores_accents_and_case(sh):
    assert [i["id"] for i in listed(sh, "--search", "bang ron")] == ["v1-5", "v9-2"]
    assert [i["id"] for i in listed(sh, "--search", "BĂNG rôn")] == ["v1-5", "v9-2"]
    assert [i["id"] for i in listed(sh, "--search", "bang ron sieu thi")] == ["v9-2"]
    assert listed(sh, "--search", "bang ron", "--due-before", "10/10/2023") == []  # both end on 15/10


def test_deadline_range_is_on_the_last_on_time_day(sh):
    full = listed(sh)
    before = listed(sh, "--due-before", "15/10/2023")
    assert before and [i["id"] for i in before] == [
        i["id"] for i in full if i["last_day"] and date.fromisoformat(i["last_day"]) < date(2023, 10, 15)
    ]
    assert {i["id"] for i in before} == {"v1-3"}  # the launch: "trước ngày 10/10", last on-time day 09/10
    after = listed(sh, "--due-after", "15/10/2023")
    assert [i["id"] for i in after] == [
        i["id"] for i in full if i["last_day"] and date.fromisoformat(i["last_day"]) > date(2023, 10, 15)
    ]
    assert "v1-6" in {i["id"] for i in after}
    bad = sh("list", "--due-before", "31/02/2023")
    assert bad.code == 2 and bad.err.startswith("dsday: --due-before: ") and bad.err.count("\n") == 1


def test_sort_limit_and_role(sh):
    by_due = listed(sh, "--sort", "due")
    days = [i["last_day"] or "9999" for i in by_due]
    assert days == sorted(days)
    assert listed(sh, "--sort", "due", "--limit", "2") == by_due[:2]
    by_status = [i["status"] for i in listed(sh, "--sort", "status")]
    order = ["overdue", "due-soon", "open", "done-late", "done"]
    assert by_status == sorted(by_status, key=order.index)
    ids = [i["id"] for i in listed(sh, "--sort", "id")]
    assert ids.index("v1-2") < ids.index("v1-10") if "v1-10" in ids else ids == sorted(ids)
    lead = listed(sh, "-a", "stttt", "--role", "lead")
    partner = listed(sh, "-a", "stttt", "--role", "partner")
    both = listed(sh, "-a", "stttt")
    assert {i["role"] for i in lead} == {"lead"} and all(i["agency"] == "stttt" for i in lead)
    assert {i["role"] for i in partner} <= {"partner"}
    assert sorted(i["id"] for i in lead + partner) == sorted(i["id"] for i in both)
    for args, message in (
        (("--sort", "size"), "--sort: 'size' is not one of due, id, agency, status"),
        (("--role", "lead"), "--role says how an agency takes part: give --agency too"),
        (("-a", "stttt", "--role", "chair"), "--role: 'chair' is not lead or partner"),
    ):
        result = sh("list", *args, *AS_OF)
        assert (result.code, result.err) == (2, f"dsday: {message}\n")


def test_log_by_work_day_or_recorded_day(sh, tmp_path):
    # recorded on 20/10 (the day judged, by the clock of the test: today), work done on 05/10 and 12/10
    assert sh("done", "v1-5", "--on", "05/10/2023", *AS_OF).code == 0
    assert sh("done", "v9-2", "--on", "12/10/2023", *AS_OF).code == 0
    work = json.loads(sh("log", "--by-day", "work", "--until", "10/10/2023", "--json", "item").out)
    assert work == [{"item": "v1-5"}]
    work = json.loads(sh("log", "--by-day", "work", "--since", "10/10/2023", "--json", "item").out)
    assert work == [{"item": "v9-2"}]
    recorded = json.loads(sh("log", "--until", "10/10/2023", "--json", "item").out)
    assert recorded == []  # both were typed in today, long after 10/10/2023
    assert json.loads(sh("log", "--item", "v9-2", "--json", "item,on").out) == [{"item": "v9-2", "on": "2023-10-12"}]
    bad = sh("log", "--by-day", "typed")
    assert (bad.code, bad.err) == (2, "dsday: --by-day: 'typed' is not work or recorded\n")


def test_select_and_log_in_the_api(tmp_path):
    ws = d.open_workspace(as_of="20/10/2023", progress=tmp_path / "p.jsonl")
    found = ws.select(search="bang ron", sort="id", limit=1)
    assert [s.item.id for s in found] == ["v1-5"]
    assert [s.item.id for s in ws.select(due_before=date(2023, 10, 15))] == ["v1-3"]
    ws.done(["v1-5"], on="05/10/2023")
    assert [e.item for e in ws.log(item="v1-5", by_day="work", until="05/10/2023")] == ["v1-5"]


@settings(max_examples=300, derandomize=True)
@given(st.lists(st.text(alphabet=st.sampled_from("aΣσςΑİKĐđ ̣̉́ơƯ\n\t.-x0\u0300\u0345") | st.characters(), max_size=12)))
def test_texts_folded_together_are_folded_as_alone(texts):
    from dsday_cli.core.lookup import fold_text, fold_texts

    assert fold_texts(texts) == [fold_text(text) for text in texts]
