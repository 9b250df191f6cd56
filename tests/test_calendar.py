"""The ICS export read back by two independent parsers: due days, stamps, sequences, reminders, clean text."""

import json
import os
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import icalendar
import pytest
from ical.calendar_stream import IcsCalendarStream

from tests.conftest import DSDAY, write_plan

AS_OF = ["--as-of", "20/10/2023"]


def export_at(moment_utc: str, *args: str, cwd=None, env: dict | None = None) -> str:
    """``dsday export --format ics ARGS`` on a machine whose clock (UTC) stands still at ``moment_utc``."""
    done = subprocess.run(
        ["faketime", "-f", moment_utc, DSDAY, "export", "--format", "ics", *args, *AS_OF],
        env=dict(os.environ, TZ="UTC") | (env or {}), capture_output=True, text=True, cwd=cwd,
    )  # fmt: skip
    assert done.returncode == 0 and done.stderr == "", done
    return done.stdout


def last_days(sh) -> dict[str, date]:
    """Each dated item's last on-time day, as ``list --format json`` gives it."""
    items = json.loads(sh("list", "--format", "json", *AS_OF).out)
    return {i["id"]: date.fromisoformat(i["last_day"]) for i in items if i["last_day"]}


def first_days(sh) -> dict[str, date]:
    """Each dated item's first day in a calendar: its deadline's start (a window, a month) if any, else its last day."""
    items = json.loads(sh("list", "--format", "json", *AS_OF).out)
    return {i["id"]: date.fromisoformat(i["start"] or i["last_day"]) for i in items if i["last_day"]}


@pytest.mark.parametrize("todo", [False, True], ids=["events", "todos"])
def test_both_parsers_see_each_item_span_its_days_to_the_last_on_time_day(sh, todo):
    text = export_at("2023-10-20 03:04:05", *(["--todo"] if todo else []))
    expected, firsts = last_days(sh), first_days(sh)
    assert expected["v1-6"] == date(2023, 10, 24) == firsts["v1-6"]  # "trước ngày 25/10/2023": one day
    assert (firsts["v3-1"], expected["v3-1"]) == (date(2023, 9, 15), date(2023, 10, 15))  # a window
    assert (firsts["ii2-dd"], expected["ii2-dd"]) == (date(2023, 10, 1), date(2023, 10, 31))  # "Tháng 10"
    strict = IcsCalendarStream.calendar_from_ics(text)
    items = [e for e in (strict.todos if todo else strict.events) if "+" not in e.uid]
    if todo:
        assert {e.uid.split(".")[0]: e.due for e in items} == expected
        assert {e.uid.split(".")[0]: e.dtstart or e.due for e in items} == firsts
    else:  # all-day events from the first day, DTEND the day after the last (exclusive, RFC 5545)
        assert {e.uid.split(".")[0]: e.dtstart for e in items} == firsts
        assert {e.uid.split(".")[0]: e.dtend - timedelta(days=1) for e in items} == expected
    loose = icalendar.Calendar.from_ical(text)
    kind = "VTODO" if todo else "VEVENT"
    entries = [c for c in loose.walk(kind) if "+" not in str(c["uid"])]
    if todo:
        assert {str(c["uid"]).split(".")[0]: c.decoded("due") for c in entries} == expected
    else:
        assert {str(c["uid"]).split(".")[0]: c.decoded("dtstart") for c in entries} == firsts
        assert {str(c["uid"]).split(".")[0]: c.decoded("dtend") - timedelta(days=1) for c in entries} == expected
    stamps = {c.decoded("dtstamp") for c in loose.walk() if c.name in ("VEVENT", "VTODO")}
    assert stamps == {datetime(2023, 10, 20, 3, 4, 5, tzinfo=timezone.utc)}  # the time of export
    milestones = {e.uid.split(".")[0]: e.dtstart for e in strict.events if e.uid.startswith("milestone+")}
    assert milestones["milestone+launch"] == date(2023, 10, 9)  # "trước ngày 10/10/2023"
    campaign = next(e for e in strict.events if e.uid.startswith("campaign+"))
    assert (campaign.dtstart, campaign.dtend) == (date(2023, 9, 15), date(2023, 10, 16))  # III: 15/9 - 15/10/2023


def test_an_agencys_calendar_carries_only_the_milestones_that_concern_it(sh):
    def milestones(*args: str) -> set[str]:
        calendar = icalendar.Calendar.from_ical(export_at("2023-10-20 00:00:00", *args))
        uids = [str(c["uid"]) for c in calendar.walk("VEVENT")]
        return {u.split(".")[0].split("+")[1] or "campaign" for u in uids if "+" in u}

    everyone = {"campaign", "campaign-start", "national-day", "campaign-end"}  # milestones without items
    assert milestones() == everyone | {"launch", "report"}
    assert milestones("-a", "ky son") == everyone  # a district: not the Sở's report to the Committee
    assert milestones("-a", "ubnd-huyen") == everyone
    assert milestones("-a", "stttt") == everyone | {"launch", "report"}  # its ceremony (v1-3), its report (v1-6)


def test_a_real_calendar_program_imports_it_with_the_same_days(sh, tmp_path):
    """khal imports the file into its own store (a vdir) and lists each entry once, with its first and last day."""
    (tmp_path / "store").mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[dsday]]\npath = {tmp_path / 'store'}\ntype = calendar\n"
        "[locale]\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\ntimeformat = %H:%M\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        "default_timezone = Asia/Ho_Chi_Minh\nlocal_timezone = Asia/Ho_Chi_Minh\n",
        encoding="utf-8",
    )
    (tmp_path / "ky-son.ics").write_text(export_at("2023-10-20 00:00:00", "-a", "ky son"), encoding="utf-8")
    khal = [str(Path(DSDAY).parent / "khal"), "-c", str(config)]
    env = dict(os.environ, TZ="UTC")
    imported = subprocess.run(
        [*khal, "import", "--batch", "-a", "dsday", "ky-son.ics"], env=env, capture_output=True, text=True
    )
    assert imported.returncode == 0, imported
    assert len(list((tmp_path / "store").glob("*.ics"))) == 7  # 3 items, the campaign, 3 milestones
    listed = subprocess.run(
        [*khal, "list", "--once", "--day-format", "", "--format", "{start-date}|{end-date}|{title}",
         "2023-09-01", "90d"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert listed.returncode == 0, listed
    rows = [line.split("|", 2) for line in listed.stdout.splitlines() if line]
    days = {title.split(":")[0]: (start, end) for start, end, title in rows}
    assert days["v7-2"] == days["v7-3"] == ("2023-09-15", "2023-10-15")  # a window: its days, both ends inclusive
    assert days["Campaign"] == ("2023-09-15", "2023-10-15")
    assert days["Ngày Chuyển đổi số quốc gia (10 tháng 10 hàng năm)"] == ("2023-10-10", "2023-10-10")
    assert not any("Báo cáo kết quả" in title for title in days)  # the Sở's report is not the district's


def test_an_ongoing_duty_gets_no_day():
    """A deadline without a day (an ongoing duty) has no span: no entry on a day the document does not give."""
    from types import SimpleNamespace

    from dsday_cli.views.ics import span

    assert span(SimpleNamespace(kind="ongoing", first_day=None, last_day=None)) is None
    assert span(None) is None
    quarter = SimpleNamespace(kind="quarter", first_day=date(2026, 10, 1), last_day=date(2026, 12, 31))
    assert span(quarter) == (date(2026, 10, 1), date(2026, 12, 31))


def test_sequence_and_last_modified_follow_the_journal(sh, tmp_path):
    def todo(text: str):
        return next(c for c in icalendar.Calendar.from_ical(text).walk("VTODO") if str(c["uid"]).startswith("v3-1."))

    before = todo(export_at("2023-10-20 01:00:00", "--todo", "-a", "sct"))
    assert before["sequence"] == 0 and "last-modified" not in before
    for args in (["done", "v3-1", "--on", "12/10/2023"], ["reopen", "v3-1"], ["done", "v3-1", "--on", "14/10/2023"]):
        assert sh(*args, *AS_OF).code == 0
    after = todo(export_at("2023-10-20 02:00:00", "--todo", "-a", "sct"))
    assert after["sequence"] == 3 and str(after["status"]) == "COMPLETED"
    log = json.loads(sh("log", "--format", "json").out)
    latest = max(datetime.fromisoformat(e["at"].replace("Z", "+00:00")) for e in log)
    assert after.decoded("last-modified") == latest.replace(microsecond=0)


def test_alarm_days_before_each_open_deadline(sh):
    text = export_at("2023-09-01 00:00:00", "--alarm", "3", "-a", "sct")
    calendar = icalendar.Calendar.from_ical(text)
    alarms = [(str(c["uid"]), a.decoded("trigger")) for c in calendar.walk("VEVENT") for a in c.walk("VALARM")]
    assert ("v3-1.nghe-an-2023@dsday", timedelta(days=-3)) in alarms
    ends = {str(c["uid"]): a["trigger"].params.get("RELATED") for c in calendar.walk("VEVENT") for a in c.walk("VALARM")}
    assert ends["v3-1.nghe-an-2023@dsday"] == "END"  # a window's event: 3 days before it ends, not before it starts
    assert ("milestone+national-day.nghe-an-2023@dsday", timedelta(days=-3)) in alarms
    assert ends["milestone+national-day.nghe-an-2023@dsday"] is None  # a one-day event: before its day
    strict = IcsCalendarStream.calendar_from_ics(export_at("2023-09-01 00:00:00", "--alarm", "3", "--todo", "-a", "sct"))
    assert [a.trigger for t in strict.todos for a in t.alarms] == [timedelta(days=-3)]
    wrong = sh("export", "--format", "csv", "--alarm", "3")
    assert (wrong.code, wrong.err) == (2, "dsday: --alarm sets a calendar reminder: use it with --format ics\n")


def test_a_title_with_control_characters_still_parses(sh, tmp_path):
    plan = write_plan(tmp_path / "plan.yaml", items=2)
    text = plan.read_text(encoding="utf-8").replace("title: Việc số 0,", 'title: "Việc\\x0b số\\x1b[2J 0\\x07",')
    plan.write_text(text, encoding="utf-8")
    for todo in ([], ["--todo"]):
        ics = export_at("2023-10-20 00:00:00", *todo, cwd=tmp_path)
        assert not any(ord(c) < 0x20 and c not in "\r\n" for c in ics)
        strict = IcsCalendarStream.calendar_from_ics(ics)
        entries = strict.todos if todo else strict.events
        assert next(e.summary for e in entries if e.uid.startswith("t0.")) == "t0: Việc số[2J 0"


def test_descriptions_in_the_interface_language(sh):
    vi = icalendar.Calendar.from_ical(export_at("2023-10-20 00:00:00", "-a", "sct", env={"LANG": "vi_VN.UTF-8"}))
    en = icalendar.Calendar.from_ical(export_at("2023-10-20 00:00:00", "-a", "sct", env={"LANG": "C.UTF-8"}))

    def description(calendar) -> str:
        return next(str(c["description"]) for c in calendar.walk("VEVENT") if str(c["uid"]).startswith("v3-1."))

    assert "Status: open" not in description(vi) and "Trạng thái" in description(vi)
    assert "Status: " in description(en)
