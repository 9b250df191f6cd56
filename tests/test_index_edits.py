"""After an edit of the plan, the index reads again only the items whose lines changed, and answers as before.

An edit in place (items keep their ids and leads, the text around them is untouched)
is read item by item; anything else, or anything a changed item cannot say alone, is
read whole. Either way every answer is byte-identical to the exact path's, problems
included (located as a full read locates them).
"""

import unicodedata
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from dsday_cli.store import plan as plan_module
from dsday_cli.app.environment import Environment
from dsday_cli.store.journal import append_events, new_event
from dsday_cli.store.plan_chunks import cut
from dsday_cli.app.workspace import open_workspace

ITEMS = 40
READS = [
    ["status", "--format", "json"],
    ["list", "--format", "json"],
    ["list", "-a", "ag1", "--role", "partner", "--format", "json"],
    ["list", "--search", "viec so", "--format", "csv"],
    ["agencies", "--format", "csv"],
    ["validate"],
]
OFF = {"DSDAY_NO_INDEX": "1"}


def block_plan(items: int = ITEMS) -> str:
    """A plan written as people write one: block style, comments, a group agency, some partners."""
    lines = [
        "# Kế hoạch thử", "id: edit-plan", "title: Kế hoạch thử", "issuer: UBND tỉnh Thử", "year: 2023",
        "campaign: {start: 2023-09-15, end: 2023-10-15}", "milestones:",
        "  - {id: report, title: Báo cáo, date: 2023-10-25, deadline: before, items: [t1]}", "agencies:",
        "  - id: ag0", "    name: Cơ quan số 0", "    members:",
        *[f"      - {{id: m{m}, name: Thành viên {m}}}" for m in range(3)],
        "  - {id: ag1, name: Cơ quan số 1}", "  - {id: ag2, name: Cơ quan số 2}",
        "responsibilities:", "  # V. Tổ chức thực hiện",
    ]  # fmt: skip
    for i in range(items):
        lines += [f"  - id: t{i}", f"    ref: V.{i % 3 + 1}", f"    agency: ag{i % 3}"]
        if i % 4 == 1:
            lines.append(f"    partners: [ag{(i + 1) % 3}]")
        lines += [f"    title: Việc số {i}", f"    deadline: {{kind: by, date: 2023-10-{10 + i % 8}}}"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def plan(tmp_path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(block_plan(), encoding="utf-8")
    now = datetime.now(timezone.utc)
    append_events(
        tmp_path / "plan.progress.jsonl",
        [new_event("done", f"t{i}", f"m{i % 3}" if i % 3 == 0 else None, date(2023, 10, 1 + i % 15), "b", None,
                   "edit-plan", now) for i in range(0, ITEMS, 2)],  # fmt: skip
    )
    return path


def same_answers(plan: Path, reads: list = READS, days: tuple = ("2023-10-12", "2023-10-25")) -> None:
    """Every read on each day: exit code, stdout and stderr equal with the index and without."""
    from typer.testing import CliRunner

    from dsday_cli.cli.commands import app

    for day in days:
        for args in reads:
            given = [*args, "--plan", str(plan)] + ([] if args == ["validate"] else ["--as-of", day])  # no day to judge
            on = CliRunner().invoke(app, given)
            off = CliRunner().invoke(app, given, env=OFF)
            assert (on.exit_code, on.stdout, on.stderr) == (off.exit_code, off.stdout, off.stderr), (args, day)
            assert on.exit_code in (0, 65), (args, day, on.stdout, on.stderr)  # an answer, or the plan's problems


def reread_only(plan: Path, monkeypatch) -> None:
    """Open the workspace with a full read of the plan forbidden: the index must bring itself up to date alone."""

    def full_read(*_args):
        raise AssertionError("the whole plan was read again")

    with monkeypatch.context() as patch:
        patch.setattr(plan_module, "parse_plan_lines", full_read)
        ws = open_workspace(plan, as_of="2023-10-25", env=Environment.from_os())
        assert ws._index is not None
        ws._index.close()


def edit(plan: Path, old: str, new: str) -> None:
    text = plan.read_text(encoding="utf-8")
    assert old in text, old
    plan.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_cut_puts_the_text_back_together_and_finds_the_items():
    text = block_plan()
    pieces = cut(text)
    assert pieces is not None and len(pieces.items) == ITEMS
    assert pieces.head + "".join(pieces.items) + pieces.tail == text
    assert pieces.head.endswith("  # V. Tổ chức thực hiện\n") and pieces.items[3].startswith("  - id: t3\n")
    assert [text.splitlines()[line - 1] for line in pieces.lines[:2]] == ["  - id: t0", "  - id: t1"]
    crlf = cut(text.replace("\n", "\r\n"))
    assert crlf is not None and len(crlf.items) == ITEMS
    for odd in ("", "responsibilities: []\n", text + "responsibilities:\n  - id: x\n", text.replace("  - id: t0", "  -\n    id: t0")):
        found = cut(odd)
        assert found is None or found.head + "".join(found.items) + found.tail == odd


def test_edits_in_place_read_only_the_items_they_touch(plan, monkeypatch):
    same_answers(plan)
    edits = [
        ("    title: Việc số 7\n", "    title: Việc số 7 (đã sửa)\n    detail: |\n      Chi tiết\n        thêm\n\n"),
        ("    title: Việc số 2\n", "    title: \"Việc số 2,\n      viết trên hai dòng\"\n"),
        ("  - id: t3\n    ref: V.1\n    agency: ag0\n", "  - id: t3\n    ref: V.1\n    agency: ag0\n    partners: [ag1, ag2]\n"),
        ("date: 2023-10-12}\n", "date: 2023-10-02}\n"),  # a deadline moved on a group item done by members
        ("date: 2023-10-14}\n", "date: 2023-10-30}\n"),  # and on an item done alone, which is no longer late
        ("  - id: t9\n", "# Phần hai\n  - id: t9\n"),
        ("    title: Việc số 5\n", "    title: " + unicodedata.normalize("NFD", "Việc số 5 mới") + "\n"),
    ]
    for old, new in edits:
        edit(plan, old, new)
        reread_only(plan, monkeypatch)
        same_answers(plan)
    plan.write_text(plan.read_text(encoding="utf-8") + "# sửa lần cuối\n", encoding="utf-8")
    reread_only(plan, monkeypatch)
    same_answers(plan)


@pytest.mark.parametrize(
    "old, new",
    [
        ("    title: Việc số 4\n", '    title: "Việc số 4\n'),  # a quote left open runs into the next item
        ("    title: Việc số 4\n", '    title: "Việc số 4\n  - id: t99"\n'),  # a quoted line that looks like an item
        ("    title: Việc số 4\n", "    partners: [ag1,\n  - ag2]\n    title: Việc số 4\n"),  # a bracket left open
        ("    title: Việc số 4\n", "    title: Việc số 4\n    title: lần hai\n"),  # a duplicate key
        ("    title: Việc số 4\n", "    title: &a Việc số 4\n"),
        ("    title: Việc số 4\n", "    title: !!str Việc số 4\n"),
        ("    title: Việc số 4\n", "    title: ~\n"),
        ("    title: Việc số 4\n", "    title: 44\n"),
        ("    title: Việc số 4\n", "    title:\tViệc số 4\n"),
        ("    agency: ag1\n    title: Việc số 4\n", "    agency: ag9\n    title: Việc số 4\n"),  # unknown lead
        ("    agency: ag1\n    title: Việc số 4\n", "    agency: ag2\n    title: Việc số 4\n"),  # another lead
        ("  - id: t4\n", "  - id: t3\n"),  # a duplicate id
        ("  - id: t4\n", "  - id: t4b\n"),  # renamed: journal events for t4 now stray
        ("  - id: t4\n", "  - id: new\n    ref: V.1\n    title: Việc mới\n  - id: t4\n"),  # inserted
        ("date: 2023-10-14}\n", "date: 1999-10-14}\n"),  # far from the plan's year
        ("date: 2023-10-14}\n", "date: 2023-10-14, start: 2023-10-01}\n"),  # what a 'by' deadline does not take
        ("  - id: t9\n", "---\n  - id: t9\n"),
        ("title: Kế hoạch thử\n", "title: Kế hoạch thử (sửa)\n"),  # the header
        ("  - {id: ag2, name: Cơ quan số 2}\n", "  - {id: ag2, name: Cơ quan số 2, members: [{id: x, name: X}]}\n"),
    ],
)
def test_any_other_edit_answers_as_a_full_read(plan, old, new):
    same_answers(plan, READS[:1], ("2023-10-25",))  # the index built, its cut trusted
    edit(plan, old, new)
    same_answers(plan, [READS[0], READS[1], READS[-1]], ("2023-10-25",))  # tests/test_index_edits_attack.py: more
