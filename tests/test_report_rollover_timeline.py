"""The results report, next year's plan, and the timeline."""

import html
import json
import re

import yaml

from dsday_cli.store.plan import load_plan
from dsday_cli.store.rollover import _CITATION
from tests.conftest import EMBEDDED

AS_OF = ["--as-of", "2023-10-26"]


def record_some(cli):
    """Two on time, one late, one member on time, one member late."""
    cli("done", "v1-3", "--on", "09/10/2023", "--note", "<script>alert('x')</script> & co", *AS_OF)
    cli("done", "v2-1", "--on", "15/10/2023", "--by", "Sở GD&ĐT", *AS_OF)
    cli("done", "v1-6", "--on", "25/10/2023", *AS_OF)  # "before 25/10": late
    cli("done", "v7-2", "--member", "vinh", "--on", "14/10/2023", *AS_OF)
    cli("done", "v7-2", "--member", "cua-lo", "--on", "16/10/2023", *AS_OF)  # the window ended on the 15th: late


def test_report_figures_match_the_journal(cli):
    record_some(cli)
    out = cli("report", "--ids", *AS_OF).out
    assert (
        "Of 27 responsibilities, 3 are done (11.1%): 2 on time (7.4%) and 1 late (3.7%); 24 are not done (88.9%)."
        in out
    )
    assert "| 1 | Sở Thông tin và Truyền thông | 7 | 1 | 1 | 5 | 28.6% |" in out
    assert "| 2 | Sở Giáo dục và Đào tạo | 2 | 1 | 0 | 1 | 50.0% |" in out
    assert "|  | **Total** | **27** | **2** | **1** | **24** | **11.1%** |" in out
    assert "| 1 | Thành phố Vinh | 3 | 1 | 0 | 2 | 33.3% |" in out
    assert "| 2 | Thị xã Cửa Lò | 3 | 0 | 1 | 2 | 33.3% |" in out
    assert "Theme: *“Khai thác dữ liệu số để tạo ra giá trị”*" in out
    assert "- Quyết định số 505/QĐ-TTg ngày 22/4/2022 của Thủ tướng Chính phủ về Ngày Chuyển đổi số quốc gia;" in out
    # Recorded under the login-like name "tester": no one's name, so no performer is named.
    assert "- **v1-6** Báo cáo" in out and "(section V.1): done late on 25/10/2023 (1 day late), performer not recorded." in out
    assert (
        "- **v7-3** " in out
        and "(section V.7): from 15/09/2023 to 15/10/2023 (per III), overdue by 11 days; none of its 21 members has done it." in out
    )
    assert (
        "- **v7-1** " in out and "trên địa bàn (section V.7): no deadline; none of its 21 members has done it." in out
    )
    statuses = json.loads(cli("list", "--format", "json", *AS_OF).out)
    assert sum(1 for s in statuses if s["status"] == "done") == 2
    assert sum(1 for s in statuses if s["status"] == "done-late") == 1


def test_report_html_escapes_plan_and_note_text(cli, tmp_path):
    record_some(cli)
    result = cli("report", "--format", "html", "--output", "bao-cao.html", *AS_OF)
    assert result.code == 0
    page = (tmp_path / "bao-cao.html").read_text(encoding="utf-8")
    assert "<script>" not in page
    assert html.escape("<script>alert('x')</script> & co") in page
    assert "Sở GD&amp;ĐT" in page
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert '<td class="l">Sở Giáo dục và Đào tạo</td><td class="r">2</td>' in page  # GD&ĐT total


def test_rollover_2024_validates_with_moved_dates(cli, tmp_path):
    result = cli("rollover", "2024", "--theme", "Số hóa dữ liệu", "--output", "p2024.yaml")
    assert result.code == 0, result
    assert cli("validate", "p2024.yaml").code == 0
    plan = load_plan(tmp_path / "p2024.yaml")
    assert (plan.id, plan.year, plan.theme) == ("nghe-an-2024", 2024, "Số hóa dữ liệu")
    assert (plan.campaign.start.isoformat(), plan.campaign.end.isoformat()) == ("2024-09-15", "2024-10-15")
    report = plan.items_by_id["v1-6"].deadline
    assert (report.due.isoformat(), report.kind, report.last_day.isoformat()) == ("2024-10-25", "before", "2024-10-24")
    window = plan.items_by_id["v2-1"].deadline
    assert (window.start.isoformat(), window.end.isoformat(), window.ref) == ("2024-09-15", "2024-10-15", "III")
    assert plan.items_by_id["ii2-dd"].deadline.month.isoformat() == "2024-10-01"
    assert plan.items_by_id["v7-1"].deadline is None  # still undated: nothing invented
    assert plan.national_day.isoformat() == "2024-10-10"
    launch = next(m for m in plan.milestones if m.id == "launch")
    assert (launch.date.isoformat(), launch.deadline) == ("2024-10-10", "before")
    assert "năm 2024" in plan.title and "năm 2023" not in plan.title
    assert "trước ngày 25/10/2024" in plan.items_by_id["v1-6"].detail  # a date inside a text moves too
    assert plan.legal_basis == load_plan(EMBEDDED).legal_basis  # decisions keep their dates
    citation = "Quyết định số 1080/QĐ-BTTTT ngày 21/6/2023 của Bộ Thông tin và Truyền thông"
    assert citation in plan.items_by_id["ii2-a"].detail and "năm 2023." in plan.items_by_id["ii2-a"].detail
    assert plan.source is None and plan.number is None
    text = (tmp_path / "p2024.yaml").read_text(encoding="utf-8")
    assert "# A district's own plan: the document gives it no date." in text  # comments survive
    assert text.startswith("# Rolled over from plan.yaml (nghe-an-2023) by dsday rollover 2024")
    for item in plan.responsibilities:  # every 2023 left is inside a legal citation
        for field in (item.title, item.detail or ""):
            assert "2023" not in _CITATION.sub("", field), (item.id, field)
    assert "changed title: Kế hoạch tổ chức Ngày Chuyển đổi số quốc gia năm 2023" in result.err
    assert "check responsibilities[0].detail: " in result.err  # the citation's "năm 2023", left for review
    assert json.loads(cli("list", "--plan", "p2024.yaml", "-s", "done", "--format", "json").out) == []


def test_rollover_into_the_same_year_or_back_is_refused(cli):
    for year in ("2023", "2022"):
        result = cli("rollover", year)
        assert result.code == 2 and "is not after the plan's year 2023" in result.err and result.out == ""


def test_rollover_keeps_theme_with_a_warning_and_reports_29_february(cli, tmp_path):
    text = EMBEDDED.read_text(encoding="utf-8").replace("year: 2023", "year: 2024").replace("2023-", "2024-")
    text = text.replace("id: nghe-an-2023", "id: nghe-an-2024").replace("date: 2024-10-25\n", "date: 2024-02-29\n")
    (tmp_path / "leap.yaml").write_text(text, encoding="utf-8")
    assert cli("validate", "leap.yaml").code == 0
    result = cli("rollover", "2025", "--plan", "leap.yaml")
    assert result.code == 0, result
    assert "responsibilities[7].deadline.date: 29/02/2024 does not exist in 2025; moved to 28/02/2025" in result.err
    assert "theme kept from 2024" in result.err
    assert "id: nghe-an-2025" in result.out


def test_rollover_of_an_invalid_plan_stops(cli, tmp_path):
    (tmp_path / "bad.yaml").write_text("id: [\n")
    assert cli("rollover", "2024", "--plan", "bad.yaml").code == 65


def test_timeline(cli):
    record_some(cli)
    out = cli("timeline", "--as-of", "2023-10-09", env={"COLUMNS": "100"}).out
    lines = out.splitlines()
    axis = lines[2].index("=")  # the campaign's bar starts on the first day, where the axis does
    assert lines[0].index("15/09/2023") == axis and lines[0].endswith("31/10/2023")  # II.2.đ: the month of October
    assert re.match(r"Today\s+v 09/10/2023", lines[1])
    today = lines[1].index("v 09/10/2023")
    assert lines[2].startswith("Campaign") and "15/09/2023–15/10/2023" in lines[2]
    # the launch ceremony, "before 10/10", is drawn on its last on-time day: today's column
    launch = next(line for line in lines if "tentatively before 10/10/2023" in line)
    assert launch[today] == "*"
    agency_rows = [line for line in lines if line.startswith("Sở TT&TT")]
    assert agency_rows and "o" in agency_rows[0]
    assert next(line for line in lines if line.startswith("Tỉnh đoàn"))[today] == "|"  # today's line runs down
    assert all(len(line) <= 100 for line in lines)
    late = cli("timeline", "--as-of", "2023-11-30", env={"COLUMNS": "100"}).out
    assert "30/11/2023, after the last date" in late and "x" in late


def test_rollover_never_overwrites_a_plan_without_force(cli, tmp_path):
    (tmp_path / "plan.yaml").write_text(EMBEDDED.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("rollover", "2024", "--output", "plan.yaml")
    assert result.code == 73 and "exists; use --force" in result.err
    assert (tmp_path / "plan.yaml").read_text(encoding="utf-8") == EMBEDDED.read_text(encoding="utf-8")
    forced = cli("rollover", "2024", "--output", "plan.yaml", "--force")  # --force never replaces the plan in use
    assert forced.code == 73 and "plan.yaml is the plan or the journal in use" in forced.err
    assert (tmp_path / "plan.yaml").read_text(encoding="utf-8") == EMBEDDED.read_text(encoding="utf-8")
    (tmp_path / "next.yaml").write_text("old draft\n", encoding="utf-8")
    assert cli("rollover", "2024", "--output", "next.yaml", "--force").code == 0
    assert load_plan(tmp_path / "next.yaml").year == 2024
