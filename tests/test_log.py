"""The audit trail as people read it: titles, agency and member names, times with their zone, day-first dates."""

import json
import re

import pytest

from tests.conftest import write_plan

LONG_TITLE = "Tổ chức Lễ phát động tuyên truyền rộng rãi Ngày Chuyển đổi số quốc gia năm 2023 trên địa bàn tỉnh"


def event(number: int, at: str, kind: str, item: str, on: str | None, member=None, note=None) -> str:
    record = {
        "id": f"00000000-0000-4000-8000-{number:012d}", "at": at, "kind": kind, "item": item, "member": member,
        "on": on, "by": "Văn phòng Sở", "note": note, "plan": "test-plan", "seq": number,
    }  # fmt: skip
    return json.dumps(record, ensure_ascii=False) + "\n"


@pytest.fixture
def plan(tmp_path):
    """A plan whose first agency has two members, a long title, and a journal written as another tool would."""
    path = write_plan(tmp_path / "plan.yaml", items=3, agencies=2, members=2)
    path.write_text(path.read_text(encoding="utf-8").replace("title: Việc số 1,", f"title: {LONG_TITLE},"))
    (tmp_path / "plan.progress.jsonl").write_text(
        event(1, "2023-10-09T15:05:00Z", "done", "t0", "2023-10-09", member="m1", note="Lễ phát động tại Vinh")
        + event(2, "2023-10-12T02:30:00Z", "done", "t1", "2023-10-11")
        + event(3, "2023-10-20T09:00:00Z", "reopen", "t1", "2023-10-20", note="chưa treo băng rôn"),
        encoding="utf-8",
    )
    return path


def test_rows_name_the_item_agency_and_member_with_zoned_times(sh, plan):
    result = sh("log", "--as-of", "25/10/2023", env={"COLUMNS": "160"})
    assert result.code == 0, result
    # 160 columns: each field its own column, the title cut with "…" to what the others leave
    assert result.out.splitlines() == [
        "Recorded              Kind      Item                                                               Agency        "
        "Work day    By            Note",
        "09/10/2023 22:05 +07  done      t0 Việc số 0                                                       Thành viên 1  "
        "09/10/2023  Văn phòng Sở  Lễ phát động tại Vinh",
        "12/10/2023 09:30 +07  done      t1 Tổ chức Lễ phát động tuyên truyền rộng rãi Ngày Chuyển đổi số…  CQ1           "
        "11/10/2023  Văn phòng Sở",
        "20/10/2023 16:00 +07  reopened  t1 Tổ chức Lễ phát động tuyên truyền rộng rãi Ngày Chuyển đổi số…  CQ1           "
        "20/10/2023  Văn phòng Sở  chưa treo băng rôn",
    ]


def test_a_narrow_terminal_stacks_the_fields_and_keeps_the_zone(sh, plan):
    out = sh("log", "--as-of", "25/10/2023", env={"COLUMNS": "60"}).out
    assert out.splitlines() == [
        "Recorded    Kind        Item               By, note",
        "09/10/2023  done        t0 Việc số 0       Văn phòng Sở",
        "22:05 +07   09/10/2023  Thành viên 1       Lễ phát động tại",
        "                                           Vinh",
        "12/10/2023  done        t1 Tổ chức Lễ ph…  Văn phòng Sở",
        "09:30 +07   11/10/2023  CQ1",
        "20/10/2023  reopened    t1 Tổ chức Lễ ph…  Văn phòng Sở",
        "16:00 +07   20/10/2023  CQ1                chưa treo băng",
        "                                           rôn",
    ]
    assert all(len(line) <= 60 for line in out.splitlines())


def test_in_vietnamese(sh, plan):
    out = sh("log", "--as-of", "25/10/2023", env={"COLUMNS": "200", "DSDAY_LANG": "vi"}).out
    header, first = out.splitlines()[:2]
    assert header.split() == ["Thời", "điểm", "ghi", "Nội", "dung", "ghi", "nhận", "Nhiệm", "vụ", "Cơ", "quan", "Ngày", "thực", "hiện", "Người",
                              "thực", "hiện", "Ghi", "chú"]  # fmt: skip
    assert re.match(r"09/10/2023 22:05 \+07  đã hoàn thành +t0 Việc số 0", first)  # the column as wide as its header


def test_json_and_csv_add_the_names_in_full(sh, plan):
    records = json.loads(sh("log", "--format", "json", "--as-of", "25/10/2023").out)
    assert [r["title"] for r in records] == ["Việc số 0", LONG_TITLE, LONG_TITLE]
    assert records[0] == {
        "id": "00000000-0000-4000-8000-000000000001", "at": "2023-10-09T15:05:00Z", "kind": "done", "item": "t0",
        "member": "m1", "on": "2023-10-09", "by": "Văn phòng Sở", "note": "Lễ phát động tại Vinh", "plan": "test-plan",
        "title": "Việc số 0", "agency": "ag0", "agency_name": "Cơ quan số 0", "member_name": "Thành viên 1",
    }  # fmt: skip
    picked = json.loads(sh("log", "--json", "item,member_name,agency_name", "--as-of", "25/10/2023").out)
    assert picked[1] == {"item": "t1", "member_name": None, "agency_name": "Cơ quan số 1"}
    header = sh("log", "--format", "csv", "--as-of", "25/10/2023").out.splitlines()[0]
    assert header == "id,at,kind,item,member,on,by,note,plan,title,agency,agency_name,member_name"


def test_since_until_item_and_by_day(sh, plan):
    def items(*args):
        records = json.loads(sh("log", "--format", "json", "--as-of", "25/10/2023", *args).out)
        return [(r["item"], r["kind"]) for r in records]

    # recorded on 09/10 22:05 in Vietnam (15:05 UTC): the 9th, not the 10th
    assert items("--since", "10/10/2023") == [("t1", "done"), ("t1", "reopen")]
    assert items("--until", "09/10/2023") == [("t0", "done")]
    assert items("--since", "12/10/2023", "--by-day", "work") == [("t1", "reopen")]  # done on the 11th, typed on the 12th
    assert items("--since", "12/10/2023") == [("t1", "done"), ("t1", "reopen")]
    assert items("--item", "t1", "--until", "15/10/2023") == [("t1", "done")]
    assert items("--agency", "m1") == [("t0", "done")]
