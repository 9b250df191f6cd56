"""Loading plan files: the embedded plan's fidelity, and every kind of bad file."""

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from dsday_cli.core.errors import PlanInvalid, PlanMissing
from dsday_cli.store.plan import EMBEDDED_PLAN, MAX_BYTES, load_plan, parse_plan
from tests.conftest import EMBEDDED, write_plan


def test_embedded_plan_is_the_top_level_file():
    assert EMBEDDED_PLAN.read_bytes() == EMBEDDED.read_bytes()


def test_every_duty_of_section_v_and_every_activity_of_ii2_is_one_item():
    plan = load_plan(EMBEDDED)
    per_clause = Counter(item.ref[0] for item in plan.responsibilities)
    # V.6: the lead-in duty and its four bullets; the others as the document's bullets and clauses.
    expected = {"V.1": 6, "V.2": 2, "V.3": 2, "V.4": 2, "V.5": 2, "V.6": 5, "V.7": 3, "V.8": 1, "V.9": 2}
    assert {ref: n for ref, n in per_clause.items() if ref.startswith("V.")} == expected
    cited = sorted(ref for item in plan.responsibilities for ref in item.ref if ref.startswith("II.2"))
    assert cited == sorted([f"II.2.{c}" for c in "abcde"] + ["II.2.đ", "II.2.đ"])  # đ: the month, and the banners
    assert plan.items_by_id["v1-3"].ref == ["V.1", "II.2.e"]  # the launch ceremony, one item
    assert plan.items_by_id["v6-0"].ref == ["V.6", "II.2.d"] and plan.items_by_id["v6-0"].agency == "tinh-doan"


# What the document dates, clause by clause: (kind, first day, last on-time day, source, cited clause, tentative).
WINDOW = ("window", date(2023, 9, 15), date(2023, 10, 15), "cited", "III", False)
DATED = {
    "v1-6": ("before", None, date(2023, 10, 24), "stated", None, False),
    "v1-3": ("before", None, date(2023, 10, 9), "cited", "III", True),
    "ii2-dd": ("month", date(2023, 10, 1), date(2023, 10, 31), "stated", None, False),
}
UNDATED = {"v1-2", "v1-4", "v2-2", "v3-2", "v7-1"}


def test_embedded_plan_dates_only_what_the_document_dates():
    plan = load_plan(EMBEDDED)
    assert (plan.campaign.start, plan.campaign.end) == (date(2023, 9, 15), date(2023, 10, 15))
    for item in plan.responsibilities:
        d = item.deadline
        if item.id in UNDATED:
            assert d is None, item.id
            continue
        got = (d.kind, d.first_day, d.last_day, d.source, d.ref, d.tentative)
        assert got == DATED.get(item.id, WINDOW), item.id
    assert plan.items_by_id["v1-6"].deadline.due == date(2023, 10, 25)  # "trước ngày 25/10/2023"
    milestones = {m.id: (m.date, m.deadline, m.tentative, m.items) for m in plan.milestones}
    assert milestones["launch"] == (date(2023, 10, 10), "before", True, ["v1-3"])
    assert milestones["report"] == (date(2023, 10, 25), "before", False, ["v1-6"])
    assert milestones["national-day"][:2] == (date(2023, 10, 10), "on")
    assert plan.theme == "Khai thác dữ liệu số để tạo ra giá trị"
    assert plan.items_by_id["v6-1"].partners == ["ubnd-huyen"]


def test_group_agencies_have_their_members():
    agencies = load_plan(EMBEDDED).agencies_by_id
    assert [m.name for m in agencies["bao-dai-cong"].members] == [
        "Báo Nghệ An",
        "Đài Phát thanh và Truyền hình tỉnh",
        "Cổng thông tin điện tử tỉnh",
    ]
    districts = agencies["ubnd-huyen"].members
    assert len(districts) == 21
    assert sum(m.name.startswith("Thị xã") for m in districts) == 3
    assert sum(m.name.startswith("Thành phố") for m in districts) == 1


def test_day_first_dates_are_accepted(tmp_path):
    path = write_plan(tmp_path / "p.yaml")
    path.write_text(path.read_text().replace("2023-10-10", "10/10/2023"))
    assert load_plan(path).national_day == date(2023, 10, 10)


def test_an_item_without_a_deadline_takes_none(tmp_path):
    path = write_plan(tmp_path / "p.yaml")
    path.write_text(path.read_text().replace(", deadline: {kind: by, date: 2023-10-15}}", "}", 1))
    plan = load_plan(path)
    assert plan.responsibilities[0].deadline is None and plan.responsibilities[0].last_day is None
    assert plan.responsibilities[1].deadline.last_day == date(2023, 10, 15)


def problems_of(text: str) -> list[str]:
    with pytest.raises(PlanInvalid) as caught:
        parse_plan(text, "plan.yaml")
    return caught.value.problems


def base_text(tmp_path) -> str:
    return write_plan(tmp_path / "base.yaml").read_text()


@pytest.mark.parametrize(
    "change, expected",
    [
        (("year: 2023", "year: 2023\nyear: 2024"), "plan.yaml:5:1: duplicate key 'year'"),
        (("theme: Dữ liệu số", "theme: [unclosed"), "plan.yaml:6:13: YAML syntax: did not find expected ',' or ']'"),
        (
            ("national_day: 2023-10-10", "national_day: 31/02/2023"),
            "plan.yaml:6:15: national_day: '31/02/2023' is not a day of the calendar",
        ),
        (("national_day: 2023-10-10", "national_day: soon"), "plan.yaml:6:15: national_day: 'soon' is not a date"),
        (("title: Kế hoạch thử", "title: Kế hoạch thử\ncolour: red"), "plan.yaml:3:1: colour: unknown key"),
        (
            ("issuer: UBND tỉnh Thử", "issuer: &a UBND\nsigned_by: *a"),
            "plan.yaml:3:9: YAML anchors and aliases are not allowed",
        ),
        (("issuer: UBND tỉnh Thử", "issuer: !!python/object:os.system ls"), "plan.yaml:3:9: YAML tags are not allowed"),
        (
            ("agency: ag1, title: Việc số 1", "agency: nobody, title: Việc số 1"),
            "plan.yaml:19:32: responsibilities[1].agency: unknown agency 'nobody'",
        ),
        (("year: 2023\n", ""), "plan.yaml:1:1: year: required: add year: here"),
        (("id: t0,", "id: t1,"), "plan.yaml:19:10: responsibilities[1].id: duplicate id 't1'"),
        (
            ("national_day: 2023-10-10", "national_day: 2093-10-10"),
            "plan.yaml:6:15: national_day: 2093-10-10 is far from the plan's year 2023",
        ),
        (
            ("campaign: {start: 2023-09-15, end: 2023-10-15}", "campaign: {start: 2023-10-15, end: 2023-09-15}"),
            "plan.yaml:7:36: campaign.end: the campaign ends before it starts",
        ),
        (("year: 2023", "year: twenty"), "plan.yaml:4:7: year: Input should be a valid integer"),
    ],
)
def test_bad_plans_give_located_problems(tmp_path, change, expected):
    old, new = change
    text = base_text(tmp_path)
    assert old in text
    problems = problems_of(text.replace(old, new, 1))
    assert any(p.startswith(expected) for p in problems), problems


def test_unknown_time_zone(tmp_path):
    text = base_text(tmp_path) + "timezone: Mars/Olympus\n"
    assert problems_of(text) == [
        "plan.yaml:21:11: timezone: unknown time zone 'Mars/Olympus'; write an IANA name such as Asia/Ho_Chi_Minh"
    ]


@pytest.mark.parametrize("zone", ["''", "UTC+99", "../../etc/passwd", "/etc/localtime", "' Asia/Ho_Chi_Minh'"])
def test_time_zones_must_be_iana_names(tmp_path, zone):
    problems = problems_of(base_text(tmp_path) + f"timezone: {zone}\n")
    assert len(problems) == 1 and "write an IANA name such as Asia/Ho_Chi_Minh" in problems[0], problems


def test_not_a_mapping():
    assert problems_of("- a\n- b\n") == ["plan.yaml:1:1: a plan is a YAML mapping of keys such as id, title, agencies"]


def test_two_documents(tmp_path):
    assert problems_of(base_text(tmp_path) + "---\nid: x\n")[0].startswith(
        "plan.yaml:21:1: a plan file holds one YAML document"
    )


def test_deep_nesting_is_refused_not_recursed():
    assert "nest" in problems_of("a: " + "[" * 5000 + "]" * 5000)[0]
    assert problems_of("a: " + "[" * 40 + "]" * 40) == ["plan.yaml:1:35: nested deeper than 32 levels"]


def test_billion_laughs_is_refused_at_the_first_anchor():
    text = 'a: &a ["lol","lol"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n'
    assert problems_of(text) == ["plan.yaml:1:4: YAML anchors and aliases are not allowed in a plan"]


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(PlanMissing, match="no such plan file"):
        load_plan(tmp_path / "nope.yaml")
    with pytest.raises(PlanMissing, match="is a directory"):
        load_plan(tmp_path)


def test_not_utf8_is_located(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_bytes(b"id: x\ntitle: K\xe1 ho\xe1ch\n")
    with pytest.raises(PlanInvalid) as caught:
        load_plan(path)
    assert caught.value.problems == [f"{path}:2:9: not UTF-8 text"]


def test_huge_file_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "p.yaml"
    with open(path, "wb") as stream:
        stream.write(b"# " + b"x" * MAX_BYTES + b"\n")
    with pytest.raises(PlanInvalid, match=r":1:1: larger than 64 MiB"):
        load_plan(path)


def test_every_problem_is_reported_at_once(tmp_path):
    text = base_text(tmp_path).replace("year: 2023", "year: x").replace("theme: Dữ liệu số", "theme: ''\nfoo: 1")
    # three problems: a year that is no number, an empty theme (leave it out instead), an unknown key
    problems = problems_of(text)
    assert len(problems) == 3, problems


def test_text_is_normalised_to_nfc(tmp_path):
    import unicodedata

    path = write_plan(tmp_path / "p.yaml")
    path.write_text(unicodedata.normalize("NFD", path.read_text()), encoding="utf-8")
    assert load_plan(path).title == unicodedata.normalize("NFC", "Kế hoạch thử")


def test_path_is_in_every_message(tmp_path):
    path = Path(tmp_path / "x.yaml")
    path.write_text("id: [\n")
    with pytest.raises(PlanInvalid) as caught:
        load_plan(path)
    assert caught.value.problems[0].startswith(f"{path}:")


def test_escapes_before_combining_marks_survive_normalisation(tmp_path):
    # Regression (property tests): normalising the source fused the escape "\t" with a
    # following U+0323 into "\ṭ", an unknown escape; values are normalised, not the source.
    path = write_plan(tmp_path / "p.yaml")
    path.write_text(path.read_text().replace("title: Kế hoạch thử", 'title: "\\t\u0323"'), encoding="utf-8")
    assert load_plan(path).title == "\t\u0323"


def test_columns_are_the_files_own_in_a_decomposed_file(tmp_path):
    import unicodedata

    path = tmp_path / "p.yaml"
    raw = unicodedata.normalize("NFD", "{id: x, title: Kế hoạch thử, year: x}\n")
    path.write_text(raw, encoding="utf-8")
    with pytest.raises(PlanInvalid) as caught:
        load_plan(path)
    column = raw.index("year: x") + len("year: ") + 1
    assert f"{path}:1:{column}: year: Input should be a valid integer" in "\n".join(caught.value.problems)


DEADLINE = "deadline: {kind: by, date: 2023-10-15}"


@pytest.mark.parametrize(
    "new, expected",
    [
        (
            "due: 2023-10-15",
            "responsibilities[0].due: a deadline is written as a mapping, e.g. deadline: {kind: before, date: 25/10/2023}",
        ),
        ("deadline: by", "responsibilities[0].deadline: a deadline is written as a mapping"),
        ("deadline: {kind: by}", "responsibilities[0].deadline.date: a 'by' deadline needs date: DD/MM/YYYY"),
        (
            "deadline: {kind: by, date: 2023-10-15, end: 2023-10-20}",
            "responsibilities[0].deadline.end: a 'by' deadline takes date:, not end:; write kind: window",
        ),
        (
            "deadline: {kind: window, start: 2023-10-20, end: 2023-10-01}",
            "responsibilities[0].deadline.end: the window ends before it starts; end: is its last day",
        ),
        (
            "deadline: {kind: by, date: 2023-10-15, source: cited}",
            "responsibilities[0].deadline.ref: a cited deadline names the clause that states it: add ref: (e.g. III)",
        ),
        (
            "deadline: {kind: by, date: 2023-10-15, ref: III}",
            "responsibilities[0].deadline.source: ref: names the clause a deadline is cited from; add source: cited",
        ),
        ("deadline: {kind: month, month: 2023-13}", "responsibilities[0].deadline.month: '2023-13' is not a month"),
        (
            "deadline: {kind: soon, date: 2023-10-15}",
            "responsibilities[0].deadline.kind: 'soon' is not one of these; write one of: before, by, on, window, month, "
            "quarter, year, ongoing",
        ),
        (
            DEADLINE + ", partners: [nobody]",
            "responsibilities[0].partners[0]: unknown agency 'nobody'; partners: lists ids from agencies:",
        ),
        (DEADLINE + ", partners: [ag0]", "responsibilities[0].partners[0]: 'ag0' leads this item"),
    ],
)
def test_validate_says_what_to_write_instead(sh, tmp_path, new, expected):
    path = write_plan(tmp_path / "plan.yaml")
    text = path.read_text()
    assert DEADLINE in text
    path.write_text(text.replace(DEADLINE, new, 1))
    result = sh("validate", str(path))
    assert result.code == 65 and "Traceback" not in result.err, result
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}:18:") and expected in lines[0], result.err


def test_a_plan_as_other_documents_write_them_validates(sh, tmp_path):
    """No campaign, no theme, a plan number, an undated duty, partners, no lead, a tentative date."""
    path = tmp_path / "plan.yaml"
    path.write_text(REAL_PLAN, encoding="utf-8")
    result = sh("validate", str(path))
    assert result.code == 0 and "valid plan 'bo-x-2024': 2 agencies (0 members), 4 responsibilities" in result.out


REAL_PLAN = """\
id: bo-x-2024
title: "Kế hoạch hưởng ứng Ngày Chuyển đổi số quốc gia năm 2024: Bộ X"
issuer: Bộ X
number: 203/KH-BX
issued: 27/9/2024
year: 2024
source:
  note: Trích mục III và phụ lục
  partial: true
agencies:
  - id: vp
    name: Văn phòng Bộ
  - id: ttcntt
    name: Trung tâm Công nghệ thông tin
responsibilities:
  - id: d1
    ref: III.1
    agency: ttcntt
    partners: [vp]
    title: "Nâng cấp Cổng thông tin điện tử, chuyên mục: Chuyển đổi số"
    deadline:
      kind: by
      date: 30/9/2024
      tentative: true
  - id: d2
    ref: III.2
    agency: vp
    title: Thường xuyên theo dõi, đôn đốc
  - id: d3
    ref: [III.3, Phụ lục]
    title: Tổ chức hội thảo
    deadline:
      kind: "on"
      date: 10/10/2024
  - id: d4
    ref: III.4
    agency: vp
    title: Báo cáo kết quả
    deadline:
      kind: before
      date: 2024-10-31
      source: coordinator
      note: Văn bản không nêu thời hạn; Văn phòng Bộ đề nghị
"""
