"""Pure queries: deadlines, folding the journal, group items, the campaign's phase."""

from datetime import date

import pytest

from dsday_cli.core.dates import parse_day, today_in
from dsday_cli.core.model import Event
from dsday_cli.core.lookup import find_agency
from dsday_cli.core.lookup import fold_text
from dsday_cli.store.plan import load_plan
from dsday_cli.core.status import agency_counts, campaign_phase, fold_events, item_statuses, judge, milestones
from tests.conftest import EMBEDDED

D = date


@pytest.fixture(scope="module")
def plan():
    return load_plan(EMBEDDED)


def event(n: int, kind: str, item: str, on: str = "2023-10-01", member: str | None = None, plan_id="nghe-an-2023"):
    return Event(f"e{n:03d}", f"2023-10-01T00:00:{n:02d}Z", kind, item, member, on, "an", None, plan_id)


@pytest.mark.parametrize(
    "last_day, done_on, as_of, expected",
    [
        (D(2023, 10, 24), None, D(2023, 10, 24), "due-soon"),
        (D(2023, 10, 24), None, D(2023, 10, 25), "overdue"),
        (D(2023, 10, 24), None, D(2023, 10, 16), "open"),
        (D(2023, 10, 24), None, D(2023, 10, 17), "due-soon"),
        (D(2023, 10, 24), D(2023, 10, 24), D(2023, 11, 1), "done"),
        (D(2023, 10, 24), D(2023, 10, 25), D(2023, 11, 1), "done-late"),
    ],
)
def test_judge(last_day, done_on, as_of, expected):
    assert judge(last_day, done_on, as_of, 7) == expected


def test_before_is_overdue_on_the_day_and_by_the_day_after(plan):
    def status_of(item_id, as_of):
        return next(s.status for s in item_statuses(plan, fold_events(plan, []), as_of) if s.item.id == item_id)

    assert status_of("v1-6", D(2023, 10, 24)) == "due-soon"
    assert status_of("v1-6", D(2023, 10, 25)) == "overdue"
    assert status_of("v1-3", D(2023, 10, 10)) == "overdue"
    assert status_of("v1-3", D(2023, 10, 9)) == "due-soon"
    assert status_of("v5-1", D(2023, 10, 15)) != "overdue"
    assert status_of("v2-1", D(2023, 10, 16)) == "overdue"


def test_latest_event_wins_and_reopen_undoes(plan):
    progress = fold_events(
        plan,
        [
            event(1, "done", "v1-1"),
            event(2, "reopen", "v1-1"),
            event(3, "done", "v1-2"),
            event(4, "done", "v1-2", on="2023-10-20"),
        ],
    )
    assert progress.mark("v1-1") is None
    assert progress.mark("v1-2").on == D(2023, 10, 20)


def test_group_item_is_done_when_every_member_is(plan):
    press = [m.id for m in plan.agencies_by_id["bao-dai-cong"].members]
    events = [event(i, "done", "v5-1", member=m, on=f"2023-10-{10 + i}") for i, m in enumerate(press[:2])]
    statuses = {s.item.id: s for s in item_statuses(plan, fold_events(plan, events), D(2023, 10, 20))}
    assert statuses["v5-1"].status == "overdue" and statuses["v5-1"].members_done == 2
    events.append(event(9, "done", "v5-1", member=press[2], on="2023-10-18"))
    statuses = {s.item.id: s for s in item_statuses(plan, fold_events(plan, events), D(2023, 10, 20))}
    assert statuses["v5-1"].status == "done-late"
    assert statuses["v5-1"].mark.on == D(2023, 10, 18)
    assert [p.status for p in statuses["v5-1"].members] == ["done", "done", "done-late"]


def test_whole_item_event_speaks_for_every_member_until_one_is_reopened(plan):
    events = [event(1, "done", "v7-1"), event(2, "reopen", "v7-1", member="vinh")]
    status = next(s for s in item_statuses(plan, fold_events(plan, events), D(2023, 10, 5)) if s.item.id == "v7-1")
    assert status.members_done == 20 and status.status == "open"


def test_completion_after_the_day_judged_does_not_count_yet(plan):
    progress = fold_events(plan, [event(1, "done", "v1-6", on="2023-10-20")])
    before = next(s for s in item_statuses(plan, progress, D(2023, 10, 19)) if s.item.id == "v1-6")
    after = next(s for s in item_statuses(plan, progress, D(2023, 10, 20)) if s.item.id == "v1-6")
    assert (before.status, after.status) == ("due-soon", "done")


def test_strays_are_reported_not_dropped(plan):
    progress = fold_events(
        plan,
        [
            event(1, "done", "gone"),
            event(2, "done", "v7-1", member="atlantis"),
            event(3, "done", "v1-1", plan_id="other"),
        ],
    )
    assert len(progress.strays) == 3 and progress.raw() == {}


def test_agency_counts(plan):
    # v2-1 runs to 15/10 (III): done on the 16th is late; v2-2 has no deadline: done is done.
    progress = fold_events(plan, [event(1, "done", "v2-1", on="2023-10-16"), event(2, "done", "v2-2", on="2023-10-18")])
    counts = {e.agency.id: e for e in agency_counts(plan, item_statuses(plan, progress, D(2023, 10, 20)))}
    assert counts["sgddt"].counts["done"] == 1 and counts["sgddt"].counts["done-late"] == 1
    assert counts["stttt"].total == 7


def test_campaign_phase_and_milestones(plan):
    assert campaign_phase(plan, D(2023, 9, 1)).phase == "before"
    running = campaign_phase(plan, D(2023, 9, 15))
    assert (running.phase, running.day, running.length) == ("running", 1, 31)
    assert campaign_phase(plan, D(2023, 10, 16)).phase == "ended"
    statuses = item_statuses(plan, fold_events(plan, [event(1, "done", "v1-3", on="2023-10-09")]), D(2023, 10, 20))
    marks = {m.id: m for m in milestones(plan, {s.item.id for s in statuses if s.status.finished}, D(2023, 10, 20))}
    assert (marks["report"].last_day, marks["report"].days_left, marks["report"].met) == (D(2023, 10, 24), 4, False)
    assert (marks["launch"].met, marks["launch"].tentative) == (True, True)  # its item, the ceremony, is done
    assert marks["national-day"].met is None  # no item fulfils it


def test_parse_day():
    assert parse_day("2023-10-25") == parse_day("25/10/2023") == parse_day("25/10", 2023) == D(2023, 10, 25)
    for bad in ("25/10", "31/11/2023", "2023/10/25", "10-25-2023x", "", "yesterday"):
        with pytest.raises(ValueError):
            parse_day(bad)


def test_today_is_the_plans_day_not_the_machines():
    from datetime import datetime, timezone

    from dateutil import tz

    evening_utc = datetime(2023, 10, 24, 20, 0, tzinfo=timezone.utc)
    assert today_in(tz.gettz("Asia/Ho_Chi_Minh"), evening_utc) == D(2023, 10, 25)
    assert today_in(tz.gettz("UTC"), evening_utc) == D(2023, 10, 24)


@pytest.mark.parametrize(
    "query, agency, member",
    [
        ("so gd", "sgddt", None),
        ("Sở Giáo dục", "sgddt", None),
        ("SO GIAO DUC VA DAO TAO", "sgddt", None),
        ("stttt", "stttt", None),
        ("tinh doan", "tinh-doan", None),
        ("đô lương", "ubnd-huyen", "do-luong"),
        ("do luong", "ubnd-huyen", "do-luong"),
        ("Báo Nghệ An", "bao-dai-cong", "bao-nghe-an"),
        ("press", "bao-dai-cong", None),
    ],
)
def test_find_agency(plan, query, agency, member):
    found, found_member = find_agency(plan, query)
    assert (found.id, found_member and found_member.id) == (agency, member)


def test_fold_text():
    assert fold_text("Sở Giáo dục & Đào tạo") == "so giao duc dao tao"
