"""The terminal's words and layout say one thing each: issue 25's "terminal" list and issue 27's commune scale.

The dashboard keeps its bars in Vietnamese from 80 columns (a group's members line spans
the row under its agency, so the agency column stays narrow); the not-yet-due column is
named for what it counts; a group item's counts say what they count; overdue and done
late are two marks and two words in the timeline; the campaign's days left read as one
phrase; a milestone not yet reached is not called unmet; `show`'s history heads its day
neutrally. A plan with a group of 130 communes reads on 80×24: `status --brief` fits,
the dashboard and `agencies` count the members by progress band instead of listing them.
Each runs the console script, in a pipe or in a real terminal (tmux).
"""

import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import EMBEDDED, write_plan
from tests.terminal import run_in_terminal

DONE_BEFORE = ["cua-lo", "thai-hoa", "hoang-mai", "anh-son", "con-cuong", "dien-chau", "do-luong", "vinh"]


def record_eight_districts(sh) -> None:
    """Eight of the 21 districts did v7-2 (a window to 15/10/2023) on 10/10/2023: 8 done, 13 overdue on 24/10."""
    for member in DONE_BEFORE:
        assert sh("done", "v7-2", "--member", member, "--on", "10/10/2023").code == 0


def lines_of(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


@pytest.mark.parametrize("width", [80, 100, 120])
def test_vietnamese_dashboard_keeps_its_bars_and_a_narrow_agency_column(sh, tmp_path, width):
    record_eight_districts(sh)
    code, screen = run_in_terminal(
        "status", "--as-of", "24/10/2023", "--lang", "vi", cwd=tmp_path, width=width, height=70, joined=True
    )
    assert code == 0, screen
    lines = lines_of(screen)
    assert all(cell_len(line) <= width for line in lines), screen
    start = lines.index("Các cơ quan, đơn vị")
    rows = [line for line in lines[start:] if line.startswith(("Sở TT&TT", "UBND cấp huyện", "DN BCVT-CNTT"))]
    assert len(rows) == 3, screen
    for row in rows:  # a bar for each agency, and it starts right after the names: the column is the names' width
        assert re.search(r"[█░]{12} \d+/\d+", row), row
        assert row.index("█" if "█" in row else "░") <= 22, row
    # the members line is a row of its own, under its agency, as wide as the screen
    below = lines[lines.index(rows[1]) + 1]
    assert below.startswith("  21 đơn vị thành viên, hoàn thành 8/63 phần việc"), screen
    assert "Chưa hoàn thành" not in screen  # the column counts what is not yet due (checked by name below)
    code, screen = run_in_terminal("agencies", "--as-of", "24/10/2023", "--lang", "vi", cwd=tmp_path, width=width,
                                   height=70, joined=True)  # fmt: skip
    lines = lines_of(screen)
    assert code == 0 and all(cell_len(line) <= width for line in lines), screen
    assert any(re.match(r"│ Báo, Đài, Cổng TTĐT +│ [█░]+ 0/2 ", line) for line in lines), screen  # a name unbroken


def test_the_not_yet_due_column_is_named_for_what_it_counts(sh):
    """'Chưa hoàn thành' means everything not done (as in the report): no column of what is not yet due says it."""
    for args in (["status"], ["agencies"], ["status", "--format", "md"]):
        vi = sh(*args, "--as-of", "24/10/2023", "--lang", "vi", env={"COLUMNS": "140"})
        assert vi.code == 0 and "Chưa đến hạn" in vi.out and "Chưa hoàn thành" not in vi.out, (args, vi.out)
        en = sh(*args, "--as-of", "24/10/2023", "--lang", "en", env={"COLUMNS": "140"})
        assert en.code == 0 and "Not yet due" in en.out and " Open" not in en.out, (args, en.out)
    md = sh("status", "--format", "md", "--as-of", "24/10/2023", "--lang", "vi").out
    # Sở TT&TT on 24/10/2023: 2 items not yet due (open), of its 7
    assert "| Cơ quan | Đúng hạn | Hoàn thành chậm | Quá hạn | Sắp đến hạn | Chưa đến hạn |" in md
    assert "| Sở Thông tin và Truyền thông | 0/7 | 0 | 4 | 1 | 2 |" in md


def test_a_group_items_counts_say_what_they_count(sh):
    record_eight_districts(sh)
    vi = sh("show", "v7-2", "--as-of", "24/10/2023", "--lang", "vi").out
    assert "Trạng thái: quá hạn, hoàn thành 8/21, quá hạn 13" in vi, vi
    en = sh("show", "v7-2", "--as-of", "24/10/2023", "--lang", "en").out
    assert "Status: overdue, 8/21 done, 13 overdue" in en, en
    listed = sh("list", "-a", "ubnd-huyen", "--as-of", "24/10/2023", "--lang", "vi", env={"COLUMNS": "160"}).out
    row = lines_of(listed)
    at = next(n for n, line in enumerate(row) if line.startswith("v7-2"))
    assert "quá hạn 8/21" not in listed and "hoàn thành 8/21" in "\n".join(row[at : at + 3]), listed


def test_the_timeline_marks_overdue_and_done_late_apart(sh):
    """One mark and one word per meaning: 'quá hạn' (overdue), 'hoàn thành chậm' (done late), not 'chậm' for both."""
    write_plan(Path("plan.yaml"), items=2, agencies=2)  # t0 for CQ0, t1 for CQ1, both due by 15/10/2023
    assert sh("done", "t0", "--on", "18/10/2023").code == 0  # done late
    for lang, overdue, late in (("vi", "quá hạn", "hoàn thành chậm"), ("en", "overdue", "done late")):
        result = sh("timeline", "--as-of", "20/10/2023", "--lang", lang, env={"COLUMNS": "80"})
        lines = lines_of(result.out)
        assert result.code == 0 and f"x {overdue}" in result.out and f"% {late}" in result.out, result.out
        done_late = next(line for line in lines if line.startswith("CQ0"))
        behind = next(line for line in lines if line.startswith("CQ1"))
        assert "%" in done_late[4:] and "x" not in done_late[4:], result.out
        assert "x" in behind[4:] and "%" not in behind[4:], result.out
    assert "✖ chậm" not in result.out and "x chậm" not in result.out


def test_the_campaigns_days_left_read_as_one_phrase(sh):
    vi = sh("status", "--as-of", "11/10/2023", "--lang", "vi", env={"COLUMNS": "140"}).out
    assert "ngày thứ 27/31, còn 4 ngày đến khi kết thúc" in vi and "kết thúc (còn" not in vi, vi
    en = sh("status", "--as-of", "11/10/2023", "--lang", "en", env={"COLUMNS": "140"}).out
    assert "day 27 of 31, 4 days left until it ends" in en, en
    last = sh("status", "--as-of", "15/10/2023", "--lang", "vi", env={"COLUMNS": "140"}).out
    assert "ngày thứ 31/31, ngày cuối cùng" in last, last


def test_only_a_past_milestone_can_be_unmet(sh):
    """16/10/2023: the launch (before 10/10) is past and not met; the report (before 25/10) is not yet due."""
    for lang, unmet, ahead in (("en", "not met", "not yet due"), ("vi", "chưa hoàn thành", "chưa đến hạn")):
        screen = lines_of(sh("status", "--as-of", "16/10/2023", "--lang", lang, env={"COLUMNS": "160"}).out)
        launch = next(line for line in screen if line.startswith("Lễ phát động"))
        report = next(line for line in screen if line.startswith("Báo cáo kết quả"))
        assert launch.endswith(unmet), launch
        assert report.endswith(ahead) and unmet not in report, report


def test_shows_history_heads_the_events_day_neutrally(sh):
    assert sh("done", "v1-3", "--on", "09/10/2023", "--note", "Lễ phát động").code == 0
    vi = lines_of(sh("show", "v1-3", "--lang", "vi", "--as-of", "24/10/2023", env={"COLUMNS": "140"}).out)
    header = next(line for line in vi if line.startswith("Thời điểm ghi"))
    assert re.search(r"\bNgày\b", header) and "Ngày thực hiện" not in header, header
    en = lines_of(sh("show", "v1-3", "--lang", "en", "--as-of", "24/10/2023", env={"COLUMNS": "140"}).out)
    header = next(line for line in en if line.startswith("Recorded"))
    assert re.search(r"\bDay\b", header) and "Done on" not in header, header


# ---- commune scale (issue 27): a group of 130 communes -----------------------------------

COMMUNES = [(f"xa-{n:03d}", f"Xã Thử Nghiệm Số {n}") for n in range(1, 120)]
COMMUNES += [(f"phuong-{n:02d}", f"Phường Thử Nghiệm Số {n}") for n in range(1, 12)]


@pytest.fixture
def communes(tmp_path) -> Path:
    """The embedded plan with its district group replaced by 130 communes; 40 did v7-2, 12 also v7-3 (10-12/10/2023)."""
    text = EMBEDDED.read_text(encoding="utf-8")
    members = "".join(f"      - {{id: {i}, name: {name}}}\n" for i, name in COMMUNES)
    group = r"(  - id: ubnd-huyen\n(?:    .*\n)*?    members:\n)(?:      - \{.*\}\n)+"
    text, count = re.subn(group, r"\g<1>" + members, text)
    assert count == 1
    plan = tmp_path / "communes" / "plan.yaml"
    plan.parent.mkdir()
    plan.write_text(text, encoding="utf-8")
    import dsday_cli

    ws = dsday_cli.open_workspace(str(plan), as_of="24/10/2023")
    assert len(ws.plan.agencies_by_id["ubnd-huyen"].members) == 130
    for member, _name in COMMUNES[:40]:
        ws.done(["v7-2"], member=member, on="10/10/2023")
    for member, _name in COMMUNES[:12]:
        ws.done(["v7-3"], member=member, on="12/10/2023")
    return plan.parent


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_brief_fits_80x24_with_130_communes(sh, communes, lang):
    code, screen = run_in_terminal(
        "status", "--brief", "--as-of", "24/10/2023", "--lang", lang, cwd=communes, width=80, height=24, joined=True
    )
    lines = lines_of(screen)
    assert code == 0 and len(lines) <= 23 and all(cell_len(line) <= 80 for line in lines), screen
    assert not any("Thử Nghiệm" in line for line in lines)  # no member named one by one
    piped = sh("status", "--brief", "--as-of", "24/10/2023", "--lang", lang, cwd=communes,
               env={"COLUMNS": "80", "LINES": "24"})  # fmt: skip
    lines = lines_of(piped.out)
    assert piped.code == 0 and len(lines) <= 23 and all(cell_len(line) <= 80 for line in lines), piped.out


def test_dashboard_and_agencies_count_130_communes_by_band(sh, communes):
    band = "130 đơn vị thành viên, hoàn thành 52/390 phần việc: "
    band += "40 đơn vị hoàn thành một phần, 90 đơn vị chưa hoàn thành phần việc nào"
    code, screen = run_in_terminal(
        "status", "--as-of", "24/10/2023", "--lang", "vi", cwd=communes, width=120, height=45, joined=True
    )
    lines = lines_of(screen)
    assert code == 0 and len(lines) <= 44 and all(cell_len(line) <= 120 for line in lines), screen
    group = next(n for n, line in enumerate(lines) if line.startswith("UBND cấp huyện"))
    assert re.search(r"[█░]{12} 0/3", lines[group]) and lines[group + 1].startswith("  130 đơn vị"), screen
    assert lines[group + 2].startswith("    ") and " ".join(lines[group + 1 : group + 3]).split() == band.split(), screen
    code, screen = run_in_terminal(
        "agencies", "--as-of", "24/10/2023", "--lang", "vi", cwd=communes, width=80, height=60, joined=True
    )
    lines = lines_of(screen)
    assert code == 0 and all(cell_len(line) <= 80 for line in lines), screen
    assert band in " ".join(lines) and len(lines) < 70, screen  # not a line for each of 130 communes
    assert sum("Thử Nghiệm" in line for line in lines) <= 4, screen
    some = next(line for line in lines if "Hoàn thành một phần" in line)  # the bands' table: label, count, names
    none = next(line for line in lines if "Chưa hoàn thành phần việc nào" in line)
    assert re.search(r"\b40\b", some) and "Xã Thử Nghiệm Số 1," in some and re.search(r"\+\d+", some), screen
    assert re.search(r"\b90\b", none) and "Xã Thử Nghiệm Số 41," in none, screen
    # every count is in the JSON
    assert '"members": [' in sh("agencies", "--format", "json", "--as-of", "24/10/2023", cwd=communes).out


def test_show_counts_130_communes_by_status(sh, communes):
    vi = sh("show", "v7-2", "--as-of", "24/10/2023", "--lang", "vi", cwd=communes, env={"COLUMNS": "100"})
    lines = lines_of(vi.out)
    assert vi.code == 0 and "Trạng thái: quá hạn, hoàn thành 40/130, quá hạn 90" in lines, vi.out
    overdue = next(line for line in lines if line.startswith("quá hạn "))
    done = next(line for line in lines if line.startswith("đã hoàn thành "))
    assert re.match(r"quá hạn +90 +Xã Thử Nghiệm Số 41, .*\+\d+$", overdue), overdue
    assert re.match(r"đã hoàn thành +40 +Xã Thử Nghiệm Số 1, .*\+\d+$", done), done
    assert "Xã Thử Nghiệm Số 100" not in vi.out  # 130 members are counted, not listed
    assert "dsday show v7-2 --format json" in vi.out
