"""A plan as other documents write it, through every command, in Vietnamese and English.

No campaign window, no theme, a plan number and date of issue, an undated standing
duty, a duty with a partner, one that names no lead, a tentative date and a deadline
the coordinator set: each is shown as written, and nothing the document does not say.
"""

import json

import pytest
from docx import Document

from tests.test_plan_loading import REAL_PLAN

AS_OF = ["--as-of", "01/11/2024"]
WORDS = {
    "en": {
        "undated": "no deadline",
        "no lead": "no lead named",
        "tentative": "tentatively by 30/09/2024",
        "coordinator": "set by the coordinator: last day 30/10/2024",
        "partner": "Partners: Văn phòng Bộ",
        "number": "No. 203/KH-BX of 27/09/2024, Bộ X",
        "no campaign": "the plan sets no campaign window",
    },
    "vi": {
        "undated": "không quy định thời hạn",
        "no lead": "chưa xác định cơ quan chủ trì",
        "tentative": "dự kiến đến ngày 30/09/2024",
        "coordinator": "do cơ quan theo dõi ấn định, hạn cuối 30/10/2024",
        "partner": "Cơ quan phối hợp: Văn phòng Bộ",
        "number": "Số 203/KH-BX ngày 27/09/2024 của Bộ X",
        "no campaign": "kế hoạch không quy định thời gian tổ chức chung",
    },
}


@pytest.fixture
def plan(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(REAL_PLAN, encoding="utf-8")
    return path


def run(sh, lang, *args):
    result = sh(*args, *AS_OF, env={"DSDAY_LANG": lang, "COLUMNS": "250"})
    assert result.code == 0 and "Traceback" not in result.err, (args, result)
    return result.out


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_view_shows_the_plan_as_written(sh, plan, lang, tmp_path):
    words = WORDS[lang]
    status = run(sh, lang, "status")
    assert words["number"] in status and words["no campaign"] in status
    assert "d3" in status and "Theme" not in status and "Chủ đề" not in status  # no theme: none shown
    listed = run(sh, lang, "list")
    assert words["undated"] in listed and words["no lead"] in listed and words["tentative"] in listed
    assert words["coordinator"] in listed
    assert "trước ngày 31/10/2024" not in listed and "before 31/10/2024" not in listed  # never the document's words
    assert words["partner"] in run(sh, lang, "show", "d1")
    assert words["no lead"] in run(sh, lang, "show", "d3")
    for fmt in ("md", "csv", "json"):
        out = run(sh, lang, "export", "--format", fmt)
        assert "d2" in out and "d3" in out
    md = run(sh, lang, "export", "--format", "md")
    assert words["undated"] in md and words["no lead"] in md
    ics = run(sh, lang, "export", "--format", "ics")
    assert "UID:d1.bo-x-2024@dsday" in ics and "UID:d2." not in ics  # an undated duty has no calendar entry
    assert run(sh, lang, "export", "--format", "xlsx", "-o", f"x-{lang}.xlsx") == ""
    report = run(sh, lang, "report", "--ids")  # ids only when asked: the Committee reads titles and clauses
    assert "d2" in report and "d3" in report
    run(sh, lang, "report", "--format", "html", "-o", f"r-{lang}.html")
    run(sh, lang, "report", "--format", "docx", "-o", f"r-{lang}.docx")
    text = "\n".join(p.text for p in Document(tmp_path / f"r-{lang}.docx").paragraphs)
    assert "Tổ chức hội thảo" in text
    timeline = run(sh, lang, "timeline")
    assert timeline.lstrip().startswith("30/09/2024") and words["no lead"] in timeline  # d3's lane, not dropped
    rolled = sh("rollover", "2025", env={"DSDAY_LANG": lang})
    assert rolled.code == 0, rolled
    rolled = rolled.out
    assert "id: bo-x-2025" in rolled and "number:" in rolled and "203/KH-BX" not in rolled


def test_json_says_where_each_deadline_comes_from(sh, plan):
    items = {i["id"]: i for i in json.loads(run(sh, "en", "list", "--format", "json"))}
    assert (items["d1"]["deadline"], items["d1"]["deadline_source"], items["d1"]["tentative"]) == ("by", "stated", True)
    assert items["d1"]["partners"] == ["vp"] and items["d1"]["agency"] == "ttcntt"
    assert items["d2"]["deadline"] is None and items["d2"]["last_day"] is None and items["d2"]["status"] == "open"
    assert items["d3"]["agency"] is None and items["d3"]["refs"] == ["III.3", "Phụ lục"]
    assert (items["d4"]["deadline_source"], items["d4"]["status"]) == ("coordinator", "overdue")
    board = json.loads(run(sh, "en", "status", "--format", "json"))
    assert board["campaign"] is None and [i["id"] for i in board["unassigned"]] == ["d3"]
    assert board["plan"]["number"] == "203/KH-BX" and board["plan"]["issued"] == "2024-09-27"
    vp = json.loads(run(sh, "en", "list", "-a", "vp", "--format", "json"))
    assert [(i["id"], i["role"]) for i in vp] == [("d1", "partner"), ("d2", "lead"), ("d4", "lead")]
