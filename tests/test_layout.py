"""The dashboard, its one-screen form and the timeline as a user sees them, in real terminals.

Each of `status`, `status --brief` and `timeline` runs in a tmux pane of 60×24, 80×24 and
120×45, in Vietnamese and English, for the embedded plan as of 16/10/2023 (20 items
overdue) and 01/10/2023 (none), and the screen read back must show: the agency of every
overdue item listed, and as many listed plus the "… and N more" as there are; every date
whole; the summary line; no line wider than the pane; and, on a 45-line screen and for the
one-screen forms, everything (nothing scrolled off the top). What is expected comes from
`dsday status --format json` and `dsday agencies --format json`, not from the views.
A few captures are pinned as golden files (DSDAY_UPDATE_GOLDEN=1 rewrites them).
"""

import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import DSDAY, write_plan
from tests.terminal import run_in_terminal
from tests.test_golden import check_golden

SIZES = [(60, 24), (80, 24), (120, 45)]
DAYS = ["16/10/2023", "01/10/2023"]
VIEWS = {"status": ["status"], "brief": ["status", "--brief"], "timeline": ["timeline"]}
PINNED = {  # (view, width, height, lang, day): the captures kept as golden files
    ("brief", 60, 24, "vi", "16/10/2023"),
    ("status", 120, 45, "vi", "16/10/2023"),
    ("timeline", 80, 24, "en", "16/10/2023"),
}
WORDS = {
    "en": {
        "overdue": "Overdue ({count})",
        "overdue by agency": "Overdue ({count}), by lead agency:",
        "more": r"… and (\d+) more:",
        "in full": "In full:",
        "summary": ["Done {done} on time and {late} late, of {total}", "overdue {overdue}", "due soon {soon}"],
        "nothing": "Nothing overdue, nothing due soon.",
        "today": "Today",
    },
    "vi": {
        "overdue": "Quá hạn ({count})",
        "overdue by agency": "Quá hạn ({count}), theo cơ quan chủ trì:",
        "more": r"… và (\d+) nhiệm vụ khác, xem bằng lệnh:",
        "in full": "Xem đầy đủ:",
        "summary": [
            "Tổng số {total} nhiệm vụ: hoàn thành đúng hạn {done}, hoàn thành chậm {late}",
            "quá hạn {overdue}",
            "sắp đến hạn {soon}",
        ],
        "nothing": "Không có nhiệm vụ quá hạn hay sắp đến hạn.",
        "today": "Hôm nay",
    },
}


@dataclass
class Facts:
    """What the JSON says of a day: the overdue items' ids with their agency's label, and the summary's figures."""

    overdue: dict[str, str]
    figures: dict[str, int]


@dataclass
class Workspace:
    """One directory, state and cache for every capture: the embedded plan is loaded and cached once."""

    root: Path
    env: dict[str, str]
    facts: dict[str, Facts]


def dsday_json(env: dict[str, str], *args: str) -> object:
    done = subprocess.run([DSDAY, *args, "--format", "json"], capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Workspace:
    root = tmp_path_factory.mktemp("layout")
    settings = {"XDG_STATE_HOME": str(root / "state"), "XDG_CACHE_HOME": str(root / "cache"), "HOME": str(root)}
    env = {k: v for k, v in os.environ.items() if not k.startswith("DSDAY_") and k not in ("COLUMNS", "LINES")}
    env |= settings
    labels = {a["id"]: a["short_name"] or a["name"] for a in dsday_json(env, "agencies")}  # type: ignore[union-attr]
    facts = {}
    for day in DAYS:
        board = dsday_json(env, "status", "--as-of", day)
        assert isinstance(board, dict)
        facts[day] = Facts(
            {item["id"]: labels[item["agency"]] for item in board["overdue"]},
            {
                "done": sum(a["done"] for a in board["agencies"]),
                "late": sum(a["done_late"] for a in board["agencies"]),
                "total": board["total"],
                "overdue": len(board["overdue"]),
                "soon": len(board["due_soon"]),
            },
        )
    assert len(facts["16/10/2023"].overdue) == 20 and not facts["01/10/2023"].overdue  # the days the issue names
    return Workspace(root, settings, facts)


def check_dates(lines: list[str], width: int) -> None:
    """Every date on the screen is whole: DD/MM/YYYY, never cut short, by an ellipsis or at the pane's edge."""
    for line in lines:
        for found in re.finditer(r"\d+/\d+/\d*|\d+/\d*…", line):
            assert re.fullmatch(r"\d\d/\d\d/\d{4}", found[0]), (found[0], line)
            assert not line[found.end() :].startswith(("…", "/")) and not line[found.end() :][:1].isdigit(), line
        if cell_len(line) == width:  # a line that fills the pane must not end in the middle of a date
            assert not re.search(r"\d+/\d*$", line) or re.search(r"\d\d/\d\d/\d{4}$", line), line


def more_count(line: str, lang: str) -> int:
    """N in '… and N more:' (0 for 'In full:')."""
    found = re.match(WORDS[lang]["more"], line)
    assert found or line.startswith(WORDS[lang]["in full"]), line
    return int(found[1]) if found else 0


def check_status(lines: list[str], facts: Facts, lang: str, day: str) -> None:
    """The overdue table: each row shows its item's agency; rows shown and '… and N more' make up all."""
    words = WORDS[lang]
    heading = words["overdue"].format(count=len(facts.overdue))
    if not facts.overdue:
        assert heading not in lines
        return
    start = lines.index(heading) + 2  # the heading, then the table's header
    rows = []
    for line in lines[start:]:
        if not line or not line.split()[0] in facts.overdue:
            break
        rows.append(line)
        item = line.split()[0]
        assert facts.overdue[item] in line, (item, facts.overdue[item], line)
    more = lines[start + len(rows)]
    shown = len(rows) + (more_count(more, lang) if more else 0)
    assert rows and shown == len(facts.overdue), lines
    if len(rows) < len(facts.overdue):
        assert f"dsday overdue --as-of {day} --lang {lang}" in "\n".join(lines[start + len(rows) :][:2])


def check_brief(lines: list[str], facts: Facts, lang: str, day: str) -> None:
    """Who is late, an agency a line, each line starting with the agency of the ids it lists; with the rest, all."""
    heading = WORDS[lang]["overdue by agency"].format(count=len(facts.overdue))
    if not facts.overdue:
        assert not any(line.startswith(heading.split(" (")[0]) for line in lines)
        return
    start = lines.index(heading) + 1
    rows = []
    for line in lines[start:]:
        ids = [token for token in line.split() if token in facts.overdue]
        if not ids:
            break
        rows.append(line)
        assert all(line.startswith(facts.overdue[item]) for item in ids), line
    listed = sum(token in facts.overdue for line in rows for token in line.split())
    rest = more_count(lines[start + len(rows)], lang)
    assert listed >= 1 and listed + rest == len(facts.overdue), lines
    assert f"dsday overdue --as-of {day} --lang {lang}" in "\n".join(lines[start + len(rows) :][:2])


def check_timeline(lines: list[str], facts: Facts, lang: str, day: str) -> None:
    """Today marked with its date; every agency with an overdue item has its row, with a late mark."""
    assert any(line.startswith(WORDS[lang]["today"]) and day in line for line in lines)
    for label in set(facts.overdue.values()):
        assert any(line.startswith(label) and "✖" in line for line in lines), label
    if not facts.overdue:
        rows = lines[: len(lines) - lines[::-1].index("")]  # above the legend, which shows the mark
        assert "✖" not in "\n".join(rows)


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("view", VIEWS)
def test_a_screen_shows_who_is_late_and_every_date_whole(workspace, view, width, height, lang, day):
    code, screen = run_in_terminal(
        *VIEWS[view], "--as-of", day, "--lang", lang, cwd=workspace.root, env=workspace.env, width=width,
        height=height, joined=True,
    )  # fmt: skip
    assert code == 0, screen
    lines = [line.rstrip() for line in screen.splitlines()]
    assert all(cell_len(line) <= width for line in lines), screen  # read with wrapped lines joined: none was wider
    check_dates(lines, width)
    facts = workspace.facts[day]
    if view == "status" and height < 45 and len(lines) > height - 1:  # it ends by pointing to the one-screen form
        assert f"dsday status --brief --as-of {day} --lang {lang}" in "\n".join(lines[-2:]), screen
    else:  # the prompt takes the last line
        assert len(lines) <= height - 1, f"{len(lines)} lines, the screen has {height}:\n{screen}"
    if view != "timeline":
        text = "\n".join(lines)
        for part in WORDS[lang]["summary"]:  # a part wider than the screen is broken after a comma
            assert part.format(**facts.figures) in " ".join(text.split()), (part, screen)
        if not facts.overdue and not facts.figures["soon"]:
            assert WORDS[lang]["nothing"] in lines
    {"status": check_status, "brief": check_brief, "timeline": check_timeline}[view](lines, facts, lang, day)
    if (view, width, height, lang, day) in PINNED:
        check_golden(f"layout.{view}.{lang}.{width}x{height}.txt", "".join(line + "\n" for line in lines))


def test_following_a_hint_gives_the_same_answer(sh, monkeypatch):
    """The '… and N more' command, typed as shown, lists exactly the items the dashboard counted."""
    monkeypatch.setenv("COLUMNS", "160")
    plan = write_plan(Path("mine.yaml"), items=30, agencies=3)
    board = json.loads(sh("status", "--plan", "mine.yaml", "--as-of", "20/10/2023", "--format", "json").out)
    screen = sh("status", "--plan", str(plan), "--as-of", "20/10", "--lang", "vi", env={"LINES": "24"}).out
    command = next(line for line in screen.splitlines() if line.startswith("… và")).split(": ", 1)[1]
    assert command == "dsday overdue --plan mine.yaml --as-of 20/10/2023 --lang vi"
    listed = json.loads(sh(*command.split()[1:], "--format", "json").out)
    assert [item["id"] for item in listed] == [item["id"] for item in board["overdue"]] and len(listed) == 30
    # set by the environment, an option is not repeated: the next command has the same environment
    screen = sh("status", "--brief", env={"DSDAY_PLAN": str(plan), "DSDAY_AS_OF": "20/10/2023", "LINES": "24"}).out
    assert screen.splitlines()[-1] in ("In full: dsday overdue", "… and 0 more: dsday overdue"), screen


def test_brief_fits_a_plan_with_many_agencies(sh):
    """More agencies late than lines: the form still fits, and says how many more and where to see them."""
    write_plan(Path("plan.yaml"), items=60, agencies=30)
    result = sh("status", "--brief", "--as-of", "20/10/2023", env={"COLUMNS": "60", "LINES": "24"})
    lines = result.out.splitlines()
    assert result.code == 0 and len(lines) <= 23, result.out
    more = next(line for line in lines if line.startswith("… and"))
    listed = sum(len(re.findall(r"(?<![\w+])t\d+\b", line)) for line in lines)
    assert listed + int(re.search(r"(\d+) more", more)[1]) == 60
    assert lines[-1].strip() == "dsday overdue --as-of 20/10/2023" or more.endswith("dsday overdue --as-of 20/10/2023")


def test_status_markdown_is_written_for_people(sh):
    """Headers in words, dates day first, countdowns in words: no '-31', no ISO date, no English in Vietnamese."""
    vi = sh("status", "--format", "md", "--as-of", "16/10/2023", "--lang", "vi").out
    assert "| Mốc thời gian | Thời gian | So với hôm nay |" in vi
    assert "| 15/09/2023 | 31 ngày trước |" in vi and "| trước ngày 25/10/2023 | còn 8 ngày · chưa đến hạn |" in vi
    assert "| ID | Cơ quan | Nhiệm vụ | Thời hạn | Hạn cuối | Quá hạn |" in vi
    assert "| 09/10/2023 | 7 ngày |" in vi  # the launch ceremony, "before 10/10": late since its last day, 9/10
    assert not re.search(r"\|\s*-\d+\s*\|", vi) and not re.search(r"\d{4}-\d\d-\d\d", vi)
    for english in ("ended", "before", " by ", "days", "Days left", "last_day", "days_left", "Status"):
        assert english not in vi, english
    en = sh("status", "--format", "md", "--as-of", "16/10/2023", "--lang", "en").out
    assert "| 15/09/2023 | 31 days ago |" in en and "| before 25/10/2023 | in 8 days · not yet due |" in en
    assert "| Milestone | When | Countdown |" in en and "| Last day | Overdue |" in en


def test_mistakes_are_one_line(sh):
    brief = sh("status", "--brief", "--format", "json")
    assert brief.code == 2 and brief.out == "" and brief.err.count("\n") == 1 and "--brief" in brief.err
    lines = sh("status", env={"LINES": "abc"})
    assert lines.code == 2 and lines.err == "dsday: LINES: 'abc' is not a number of lines\n"


def test_timeline_in_a_pipe_and_without_agencies(sh, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    piped = sh("timeline", "--as-of", "16/10/2023")
    assert piped.code == 0 and max(map(cell_len, piped.out.splitlines())) <= 80  # a page, not 184 columns
    Path("bare.yaml").write_text(
        "id: bare\ntitle: Kế hoạch\nissuer: UBND xã\nyear: 2023\nagencies: []\nresponsibilities: []\n"
        "milestones:\n  - {id: m, title: Một mốc, date: 2023-10-10, deadline: before}\n",
        encoding="utf-8",
    )
    bare = sh("timeline", "--plan", "bare.yaml", "--as-of", "05/10/2023", "--lang", "vi")
    assert bare.code == 0 and bare.err == "", bare
    assert "Kế hoạch chưa xác định cơ quan, đơn vị nào: không có dòng theo cơ quan." in bare.out.splitlines()
    assert "trước ngày 10/10/2023 Một mốc" in bare.out  # drawn on its last on-time day, worded as written
