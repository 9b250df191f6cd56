"""Every comment of a draft agrees with the value it stands beside.

The reader explains each deadline it writes: 'as written: "…"' quotes the words read,
'read as 'by'' names the kind taken for a bare date, 'cited from …' names the clause a
deadline comes from. Here every such comment of the drafts of the evaluation set and of
the fixtures is read again and compared with its field: the quoted words must give that
very deadline, a kind named must be the kind written, a cited deadline must be marked
so; an item with no deadline carries no comment that quotes one.
"""

import re
from pathlib import Path

import pytest

from dsday_cli.documents.draft import draft_plan, read_deadlines
from dsday_cli.documents.draft_sources import read_source
from tests.conftest import ROOT

DOCUMENTS = sorted(p for p in (ROOT / "tests" / "eval").iterdir() if p.suffix in (".txt", ".md", ".docx", ".pdf") and p.name != "README.md")
DOCUMENTS += [ROOT / "tests" / "fixtures" / name for name in ("nghe-an-2023.txt", "do-luong-2023.txt", "ha-tinh-2024-annex.md")]
QUOTED = re.compile(r'as written: "(?P<phrase>[^"]+)"')
KIND_NAMED = re.compile(r"read as '(?P<kind>\w+)'")


def _bare(deadline: dict) -> dict:
    return {k: v for k, v in deadline.items() if k not in ("source", "ref", "tentative")}


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_deadline_comment_agrees_with_its_deadline(path: Path):
    draft = draft_plan(read_source(path))
    year = draft.data["year"]
    checked = 0
    for index, item in enumerate(draft.data["responsibilities"]):
        deadline = item.get("deadline")
        notes = draft.comments.get(("responsibilities", index, "deadline"), [])
        above = draft.comments.get(("responsibilities", index), [])
        where = f"{path.name} {item['id']}"
        if deadline is None:
            assert not notes, where
            assert not any(QUOTED.search(n) or KIND_NAMED.search(n) for n in above), (where, above)
            continue
        assert notes, f"{where}: a deadline with no comment saying where it comes from"
        for note in notes:
            quoted = QUOTED.search(note)
            if quoted:
                # the words of a table's deadline column are read as a column's ("Năm 2026", a bare date: by)
                bare = "by" if item["id"].startswith("pl-") or any(KIND_NAMED.search(n) for n in notes) else ""
                readings, _problems = read_deadlines(quoted["phrase"], year, bare=bare)
                assert any(r.as_data() == _bare(deadline) for r in readings), (where, note, deadline)
                checked += 1
            named = KIND_NAMED.search(note)
            if named:
                assert deadline["kind"] == named["kind"], (where, note, deadline)
            if "cited from" in note:
                assert deadline.get("source") == "cited", (where, note, deadline)
        if deadline.get("source") == "cited":
            assert any("cited from" in n for n in notes), (where, notes)
        else:
            assert any(QUOTED.search(n) for n in notes), (where, notes)
    assert checked > 0
