"""The ICS export read back by two independent parsers: due days, stamps, sequences, reminders, clean text."""

import json
import os
import subprocess
from datetime import date, datetime, timedelta, timezone

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


@pytest.mark.parametrize("todo", [False, True], ids=["events", "todos"])
def test_both_parsers_see_each_due_day_as_the_last_on_time_day(sh, todo):
    text = export_at("2023-10-20 03:04:05", *(["--todo"] if todo else []))
    expected = last_days(sh)
    assert expected["v1-6"] == date(2023, 10, 24)  # "trước ngày 25/10/2023"
    strict = IcsCalendarStream.calendar_from_ics(text)
    entries = strict.todos if todo else [e for e in strict.events if not e.uid.startswith("milestone+")]
    seen = {e.uid.split(".")[0]: (e.due if todo else e.dtstart) for e in entries}
    assert seen == expected
    if not todo:
        assert all(e.dtend == e.dtstart + timedelta(days=1) for e in entries)
    loose = icalendar.Calendar.from_ical(text)
    kind = "VTODO" if todo else "VEVENT"
    other = {
        str(c["uid"]).split(".")[0]: c.decoded("due" if todo else "dtstart")
        for c in loose.walk(kind)
        if not str(c["uid"]).startswith("milestone+")
    }
    assert other == expected
    stamps = {c.decoded("dtstamp") for c in loose.walk() if c.name in ("VEVENT", "VTODO")}
    assert stamps == {datetime(2023, 10, 20, 3, 4, 5, tzinfo=timezone.utc)}  # the time of export
    milestones = {e.uid.split(".")[0]: e.dtstart for e in strict.events if e.uid.startswith("milestone+")}
    assert milestones["milestone+launch"] == date(2023, 10, 9)  # "trước ngày 10/10/2023"


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
    assert ("milestone+launch.nghe-an-2023@dsday", timedelta(days=-3)) in alarms
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
