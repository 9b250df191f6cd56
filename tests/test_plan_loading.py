"""Loading plan files: the embedded plan's fidelity, and every kind of bad file."""

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from dsday_cli.errors import PlanInvalid, PlanMissing
from dsday_cli.plan import EMBEDDED_PLAN, load_plan, parse_plan
from tests.conftest import EMBEDDED, write_plan


def test_embedded_plan_is_the_top_level_file():
    assert EMBEDDED_PLAN.read_bytes() == EMBEDDED.read_bytes()


def test_every_bullet_of_section_v_and_every_activity_of_ii2_is_an_item():
    plan = load_plan(EMBEDDED)
    per_ref = Counter(item.ref for item in plan.responsibilities)
    expected = {"V.1": 6, "V.2": 2, "V.3": 2, "V.4": 2, "V.5": 2, "V.6": 4, "V.7": 3, "V.8": 1, "V.9": 2}
    assert {ref: n for ref, n in per_ref.items() if ref.startswith("V.")} == expected
    assert sorted(ref for ref in per_ref if ref.startswith("II.2")) == [f"II.2.{c}" for c in "abcde"] + ["II.2.đ"]


def test_embedded_plan_dates_are_the_documents():
    plan = load_plan(EMBEDDED)
    assert (plan.campaign.start, plan.campaign.end) == (date(2023, 9, 15), date(2023, 10, 15))
    items = plan.items_by_id
    assert (items["v1-6"].due, items["v1-6"].deadline, items["v1-6"].last_day) == (
        date(2023, 10, 25),
        "before",
        date(2023, 10, 24),
    )
    assert (items["v1-3"].due, items["v1-3"].deadline) == (date(2023, 10, 10), "before")
    assert (items["v5-1"].due, items["v5-1"].deadline) == (date(2023, 10, 15), "by")
    milestones = {m.id: (m.date, m.deadline) for m in plan.milestones}
    assert milestones["launch"] == (date(2023, 10, 10), "before")
    assert milestones["report"] == (date(2023, 10, 25), "before")
    assert milestones["national-day"] == (date(2023, 10, 10), "on")
    assert plan.theme == "Khai thác dữ liệu số để tạo ra giá trị"


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


def test_item_without_dates_takes_the_campaign_window(tmp_path):
    plan = load_plan(write_plan(tmp_path / "p.yaml"))
    assert (plan.responsibilities[0].start, plan.responsibilities[0].due) == (date(2023, 9, 15), date(2023, 10, 15))


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
        (("year: 2023\n", ""), "plan.yaml:1:1: year: Field required"),
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
    assert problems_of(text) == ["plan.yaml:21:11: timezone: unknown time zone 'Mars/Olympus'"]


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
        stream.write(b"# " + b"x" * (17 * 2**20) + b"\n")
    with pytest.raises(PlanInvalid, match=r":1:1: larger than 16 MiB"):
        load_plan(path)


def test_every_problem_is_reported_at_once(tmp_path):
    text = base_text(tmp_path).replace("year: 2023", "year: x").replace("theme: Dữ liệu số", "theme: ''\nfoo: 1")
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
