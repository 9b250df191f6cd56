"""The store is the one door to stored state, and a selection is one ``Query`` whichever way answers it.

``Store`` opened with the index and without it (the exact fold) gives the same rows for the
same queries; ``Query`` decides a row without any journal; the layers above the store
import neither the index, the cache nor SQLite.
"""

import itertools
import subprocess
from datetime import date
from pathlib import Path

import pytest

from dsday_cli.core.model import Status
from dsday_cli.core.query import Query, Role, SortKey
from dsday_cli.core.status import fold_events, item_statuses
from dsday_cli.store.journal import append_events
from dsday_cli.store.plan import load_plan
from dsday_cli.store.state import Store
from tests.test_index import events, plan_text

ROOT = Path(__file__).resolve().parent.parent
AS_OF = [date(2023, 10, 5), date(2023, 10, 16), date(2023, 10, 25)]  # before the latest verdict, and after it


def queries(plan) -> list[Query]:
    ag0, ag1, ag2 = (plan.agencies_by_id[a] for a in ("ag0", "ag1", "ag2"))
    m1 = next(m for m in ag0.members if m.id == "m1")
    return [
        Query(),
        Query(statuses=frozenset({Status.OVERDUE})),
        Query(statuses=frozenset({Status.DONE, Status.DONE_LATE, Status.DUE_SOON}), sort=SortKey.DUE, limit=7),
        Query(sort=SortKey.STATUS, limit=9),
        Query(sort=SortKey.ID, limit=5),
        Query(sort=SortKey.AGENCY),
        Query(words=("viec", "so", "1"), due_before=date(2023, 10, 14)),
        Query(due_after=date(2023, 10, 12), statuses=frozenset({Status.OPEN, Status.OVERDUE})),
        Query(agencies=((ag0, None),), statuses=frozenset({Status.DONE, Status.DONE_LATE})),
        Query(agencies=((ag0, m1),)),
        Query(agencies=((ag0, m1),), statuses=frozenset({Status.OVERDUE}), sort=SortKey.STATUS),
        Query(agencies=((ag1, None),), role=Role.PARTNER),
        Query(agencies=((ag1, None), (ag2, None)), role=Role.LEAD, sort=SortKey.DUE, limit=4),
    ]


def rows(found) -> list[tuple]:
    return [(s.item.id, s.member, s.role, s.status, s.mark and s.mark.on) for s in found]


def test_the_index_and_the_exact_fold_give_the_same_rows_for_the_same_queries(tmp_path):
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(plan_text(), encoding="utf-8")
    append_events(tmp_path / "plan.progress.jsonl", events(90))
    cache = tmp_path / "cache"
    indexed = Store.open(plan_file, None, cache, tmp_path / "state", 5.0, use_index=True)
    exact = Store.open(plan_file, None, None, tmp_path / "state", 5.0, use_index=False)
    assert indexed.derived is not None and exact.derived is None
    plan = load_plan(plan_file)
    folded = fold_events(plan, exact.events())
    compared = 0
    for as_of, query in itertools.product(AS_OF, queries(plan)):
        from_index = rows(indexed.select(query, as_of))
        assert from_index == rows(exact.select(query, as_of)), (as_of, query)
        # and the rule itself, over a fold from scratch: no store at all
        assert from_index == rows(query.chosen(item_statuses(plan, folded, as_of))), (as_of, query)
        compared += len(from_index)
    assert indexed.derived is not None  # the index answered throughout
    assert compared > 200  # the queries found rows to compare
    assert indexed.agency_counts(AS_OF[-1]) == exact.agency_counts(AS_OF[-1])
    assert rows(indexed.dashboard(AS_OF[-1]).overdue) == rows(exact.dashboard(AS_OF[-1]).overdue)
    assert rows([indexed.item("T7", AS_OF[1])]) == rows([exact.item("t7", AS_OF[1])])
    indexed.close()


def test_a_query_decides_a_row_without_a_journal():
    plan = load_plan_text(plan_text(12))
    statuses = {s.item.id: s for s in item_statuses(plan, fold_events(plan, []), date(2023, 10, 11))}
    ag0, ag1 = plan.agencies_by_id["ag0"], plan.agencies_by_id["ag1"]
    m2 = next(m for m in ag0.members if m.id == "m2")
    partner = Query(agencies=((ag1, None),))
    assert partner.row(statuses["t0"]).role == Role.PARTNER  # t0 is ag0's, ag1 partners on it
    assert not Query(agencies=((ag1, None),), role=Role.LEAD).matches(statuses["t0"])
    member = Query(agencies=((ag0, m2),)).row(statuses["t3"])
    assert member is not None and member.member == "m2" and [p.member.id for p in member.members] == ["m2"]
    assert not Query(agencies=((ag0, m2),)).matches(statuses["t1"])  # ag1's item
    assert Query(words=("so", "11")).matches(statuses["t11"]) and not Query(words=("so", "11")).matches(statuses["t1"])
    assert not Query(due_before=date(2023, 10, 10)).matches(statuses["t0"])  # due 10/10: not strictly before
    overdue = Query(statuses=frozenset({Status.OVERDUE}), sort=SortKey.ID)
    assert [s.item.id for s in overdue.chosen(statuses.values())] == ["t0", "t8"]  # due 10/10, judged 11/10


def load_plan_text(text: str):
    from dsday_cli.store.plan import parse_plan

    return parse_plan(text, "plan.yaml")


@pytest.mark.parametrize("folder", ["app", "cli", "views", "documents", "core"])
def test_only_the_store_reaches_the_index_the_cache_and_sqlite(folder):
    found = subprocess.run(
        ["grep", "-rn", r"sqlite3\|from .index\|from .cache\|store.index\|store.cache\|store import index\|store import cache",
         str(ROOT / "dsday_cli" / folder), "--include=*.py"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert found.returncode == 1 and not found.stdout, found.stdout
