"""The plan cache and the journal checkpoint never change an answer.

They serve when the index is off or cannot be used (tests/test_index.py tests the index),
so these tests turn the index off.
"""

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from dsday_cli.store import cache
from dsday_cli.store.journal import append_events, new_event
from tests.conftest import write_plan

AS_OF = ["--as-of", "2023-10-20"]
ITEMS = 300


@pytest.fixture(autouse=True)
def no_index(monkeypatch):
    monkeypatch.setenv("DSDAY_NO_INDEX", "1")


@pytest.fixture
def plan(tmp_path):
    return write_plan(tmp_path / "plan.yaml", items=ITEMS, members=4)


def many_events(journal: Path, count: int, seed: int = 0) -> None:
    events = []
    for n in range(count):
        item = f"t{(n * 7 + seed) % 300}"
        member = f"m{n % 4}" if int(item[1:]) % 2 == 0 and n % 3 else None
        kind = "reopen" if n % 5 == 0 else "done"
        events.append(new_event(kind, item, member, date(2023, 10, 1 + n % 19), "b", None, "test-plan", datetime.now(timezone.utc)))
    append_events(journal, events)


def outputs(cli) -> tuple[str, str]:
    """(with cache, without cache) for the same question; both runs succeed and list every item."""
    warm = cli("list", "--format", "json", *AS_OF)
    cold = cli("list", "--format", "json", *AS_OF, env={"DSDAY_NO_CACHE": "1"})
    for result in (warm, cold):  # equal outputs prove nothing if both runs failed
        assert result.code == 0 and result.err == "", result
        assert len(json.loads(result.out)) == ITEMS, result
    return warm.out, cold.out


def entries(tmp_path, kind: str) -> list[Path]:
    return sorted((tmp_path / "cache" / "dsday" / kind).glob("*.json"))


def test_cache_and_checkpoint_are_written_and_agree_with_a_cold_run(cli, plan, tmp_path):
    many_events(tmp_path / "plan.progress.jsonl", 600)
    warm, cold = outputs(cli)
    assert warm == cold
    assert len(entries(tmp_path, "plans")) == 1 and len(entries(tmp_path, "journals")) == 1
    again, _ = outputs(cli)  # now served from both
    assert again == cold


def test_appended_events_are_seen(cli, plan, tmp_path):
    journal = tmp_path / "plan.progress.jsonl"
    many_events(journal, 600)
    outputs(cli)
    many_events(journal, 10, seed=3)
    warm, cold = outputs(cli)
    assert warm == cold


def test_edited_plan_is_reloaded(cli, plan, tmp_path):
    many_events(tmp_path / "plan.progress.jsonl", 300)
    outputs(cli)
    plan.write_text(plan.read_text().replace("title: Việc số 5,", "title: Việc đã sửa,"))
    warm, cold = outputs(cli)
    assert warm == cold and "Việc đã sửa" in warm


def test_same_size_same_mtime_edit_is_still_seen(cli, plan, tmp_path):
    import os

    outputs(cli)
    stat = plan.stat()
    plan.write_text(plan.read_text().replace("Việc số 7,", "Việc số 8,"))
    os.utime(plan, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    warm, cold = outputs(cli)
    assert warm == cold and warm.count('Việc số 8"') == 2


def test_journal_replaced_by_a_shorter_one(cli, plan, tmp_path):
    journal = tmp_path / "plan.progress.jsonl"
    many_events(journal, 900)
    outputs(cli)
    lines = journal.read_text().splitlines(keepends=True)
    journal.write_text("".join(lines[:400]))
    warm, cold = outputs(cli)
    assert warm == cold


def test_journal_rewritten_in_the_middle(cli, plan, tmp_path):
    journal = tmp_path / "plan.progress.jsonl"
    many_events(journal, 600)
    outputs(cli)
    lines = journal.read_text().splitlines(keepends=True)
    lines[10], lines[500] = lines[500], lines[10]
    lines[20] = lines[20].replace('"done"', '"reopen"')
    journal.write_text("".join(lines))  # same size, different history
    warm, cold = outputs(cli)
    assert warm == cold


@pytest.mark.parametrize("garbage", [b"", b"{not json", b"[]", b'{"key": 1}', None])
def test_corrupt_or_foreign_entries_are_ignored(cli, plan, tmp_path, garbage):
    many_events(tmp_path / "plan.progress.jsonl", 600)
    _, cold = outputs(cli)
    written = entries(tmp_path, "plans") + entries(tmp_path, "journals")
    assert len(written) == 2  # a plan entry and a checkpoint to spoil
    for entry in written:
        if garbage is None:  # right key, altered body
            header, _, body = entry.read_bytes().partition(b"\n")
            entry.write_bytes(header + b"\n" + body.replace(b'"done"', b'"xxxx"').replace(b"2023-10-", b"2023-09-"))
        else:
            entry.write_bytes(garbage)
    warm, _ = outputs(cli)
    assert warm == cold


def test_another_version_does_not_trust_the_cache(cli, plan, tmp_path, monkeypatch):
    outputs(cli)
    monkeypatch.setattr(cache, "__version__", "99.0")
    warm, cold = outputs(cli)
    assert warm == cold
    header = json.loads(entries(tmp_path, "plans")[0].read_bytes().partition(b"\n")[0])
    assert header["key"]["version"] == "99.0"  # rebuilt, not reused


def test_unwritable_cache_is_no_error(cli, plan, tmp_path):
    (tmp_path / "cache").write_text("not a directory")
    many_events(tmp_path / "plan.progress.jsonl", 300)
    result = cli("list", "--format", "json", *AS_OF)
    assert result.code == 0 and result.err == ""
    assert len(json.loads(result.out)) == ITEMS
    cold = cli("list", "--format", "json", *AS_OF, env={"DSDAY_NO_CACHE": "1"})
    assert cold.code == 0
    assert result.out == cold.out


def test_status_output_is_identical_warm_and_cold(cli, plan, tmp_path):
    many_events(tmp_path / "plan.progress.jsonl", 700)
    for args in (
        ["status", "--format", "json"],
        ["status"],
        ["agencies", "--format", "csv"],
        ["overdue", "--format", "json"],
    ):
        runs = [cli(*args, *AS_OF), cli(*args, *AS_OF), cli(*args, *AS_OF, env={"DSDAY_NO_CACHE": "1"})]
        for result in runs:
            assert result.code == 0 and result.err == "", (args, result)
            assert result.out.strip() not in ("", "[]"), (args, result)
        warm = runs[0].out
        assert warm == runs[1].out == runs[2].out


def test_checkpointed_warnings_speak_the_readers_language_and_path(cli, plan, tmp_path):
    journal = tmp_path / "plan.progress.jsonl"
    many_events(journal, 10)
    with open(journal, "a") as stream:
        stream.write("garbage\n")
    many_events(journal, 300, seed=1)
    first = cli("list", *AS_OF)
    assert first.code == 0 and "t0" in first.out
    assert "plan.progress.jsonl:11: unreadable event" in first.err
    assert len(entries(tmp_path, "journals")) == 1  # the bad line is now inside a checkpoint
    again = cli("list", *AS_OF, "--progress", str(journal), env={"DSDAY_LANG": "vi"})
    assert again.code == 0 and "t0" in again.out
    assert f"{journal}:11: lượt ghi nhận không đọc được" in again.err
