"""Sharing a plan between offices through real git repositories."""

import csv
import json
import subprocess
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

AS_OF = {"DSDAY_AS_OF": "2023-10-20"}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def offices(tmp_path, sh, monkeypatch):
    """A bare remote and two clones (a, b) sharing the embedded plan, with git identities."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    (tmp_path / "gitconfig").write_text(
        "[user]\n\tname = Văn phòng\n\temail = vp@example.org\n[init]\n\tdefaultBranch = main\n"
    )
    subprocess.run(["git", "init", "-q", "--bare", str(tmp_path / "remote.git")], check=True)
    subprocess.run(
        ["git", "clone", "-q", str(tmp_path / "remote.git"), str(tmp_path / "a")], check=True, capture_output=True
    )
    assert sh("init", "a", "--git").code == 0
    first = sh("sync", "--plan", "a/plan.yaml")
    assert first.code == 0, first
    subprocess.run(
        ["git", "clone", "-q", str(tmp_path / "remote.git"), str(tmp_path / "b")], check=True, capture_output=True
    )
    return tmp_path / "a", tmp_path / "b"


def run_in(sh, office: Path, *args: str):
    return sh(*args, "--plan", str(office / "plan.yaml"), env=AS_OF)


def event_ids(sh, office: Path) -> list[str]:
    return sorted(e["id"] for e in json.loads(run_in(sh, office, "log", "--format", "json").out))


@pytest.mark.parametrize("order", ["ab", "ba"])
def test_two_offices_converge(sh, offices, order):
    a, b = offices
    assert run_in(sh, a, "done", "v1-1", "v1-2").code == 0
    assert run_in(sh, b, "done", "v1-3", "v1-1").code == 0
    assert run_in(sh, b, "done", "v7-1", "--member", "vinh", "--note", "$(touch pwned); `rm -rf ~`").code == 0
    first, second = (a, b) if order == "ab" else (b, a)
    for office in (first, second, first):
        result = run_in(sh, office, "sync")
        assert result.code == 0, result
    assert event_ids(sh, a) == event_ids(sh, b)
    assert len(event_ids(sh, a)) == 5
    status_a = run_in(sh, a, "status", "--format", "json").out
    assert json.loads(status_a)["as_of"] == "2023-10-20"  # a real answer, so the equality below means something
    assert status_a == run_in(sh, b, "status", "--format", "json").out
    done = {i["id"] for i in json.loads(run_in(sh, a, "list", "-s", "done", "--format", "json").out)}
    assert done == {"v1-1", "v1-2", "v1-3"}
    assert not any(p.name == "pwned" for p in a.parent.rglob("pwned"))
    assert "dsday: " in git(a, "log", "--format=%s")
    assert (a / ".gitattributes").read_text() == "*.progress.jsonl merge=union\n"


def test_remote_gone_keeps_local_events(sh, offices):
    a, _ = offices
    run_in(sh, a, "done", "v2-1")
    (a.parent / "remote.git").rename(a.parent / "gone.git")
    result = run_in(sh, a, "sync")
    assert result.code == 69
    assert "your events are committed locally" in result.err and len(result.err.splitlines()) == 1
    assert "v2-1" in git(a, "log", "-1", "--format=%s")
    assert git(a, "status", "--porcelain") == ""
    assert "v2-1" in run_in(sh, a, "log").out


def test_no_push_commits_only(sh, offices):
    a, _ = offices
    run_in(sh, a, "done", "v2-2")
    result = run_in(sh, a, "sync", "--no-push")
    assert result.code == 0 and "not pulled or pushed" in result.out
    assert git(a, "rev-parse", "HEAD") != git(a, "rev-parse", "origin/main")


def test_uncommitted_plan_edits_are_not_committed(sh, offices):
    a, _ = offices
    plan = a / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("due_soon_days: 7", "due_soon_days: 5"), encoding="utf-8")
    run_in(sh, a, "done", "v3-1")
    result = run_in(sh, a, "sync")
    assert result.code == 0 and "has edits that are not committed" in result.out
    assert "due_soon_days: 5" in git(a, "diff", "HEAD", "--", "plan.yaml")
    assert "plan.yaml" not in git(a, "show", "--stat", "--format=", "HEAD")


def test_conflicting_plan_edits_stop_with_instructions(sh, offices):
    a, b = offices
    for office, days in ((a, "3"), (b, "4")):
        plan = office / "plan.yaml"
        plan.write_text(
            plan.read_text(encoding="utf-8").replace("due_soon_days: 7", f"due_soon_days: {days}"), encoding="utf-8"
        )
        git(office, "commit", "-qam", f"soon {days}")
    assert run_in(sh, a, "sync").code == 0
    head = git(b, "rev-parse", "HEAD")
    result = run_in(sh, b, "sync")
    assert result.code == 69 and len(result.err.splitlines()) == 1
    assert "plan.yaml changed both here and at origin/main" in result.err and "git rebase --continue" in result.err
    assert "rebase" not in git(b, "status") and git(b, "rev-parse", "HEAD") == head  # as before the sync


def test_not_a_repository(sh, tmp_path):
    assert sh("init", "lone").code == 0
    result = sh("sync", "--plan", "lone/plan.yaml")
    assert result.code == 2 and "not in a git repository" in result.err and "dsday init --git" in result.err


def test_embedded_plan_cannot_sync(sh):
    result = sh("sync")
    assert result.code == 2 and "embedded plan" in result.err


# ---- what another clone commits, what git leaves behind, writers during a sync -------------


def commit_and_push(office: Path, message: str) -> None:
    git(office, "add", "-A")
    git(office, "commit", "-qm", message)
    git(office, "push", "-q", "origin", "HEAD:main")


def test_a_journal_symlink_committed_by_another_clone_is_never_followed(sh, offices, tmp_path):
    a, b = offices
    victim = tmp_path / "bashrc"
    victim.write_text("# the coordinator's shell\n")
    assert run_in(sh, a, "done", "v1-1").code == 0 and run_in(sh, a, "sync").code == 0
    git(b, "pull", "-q", "--rebase")
    (b / "plan.progress.jsonl").unlink()
    (b / "plan.progress.jsonl").symlink_to("../bashrc")  # a participant's commit
    commit_and_push(b, "journal")
    synced = run_in(sh, a, "sync")
    assert synced.code == 65
    assert synced.err.startswith(f"dsday: {a / 'plan.progress.jsonl'}: it is a symbolic link")
    assert "'git log -- plan.progress.jsonl' shows who committed it" in synced.err
    assert (a / "plan.progress.jsonl").is_symlink()
    assert run_in(sh, a, "done", "v1-2", "--note", "$(touch pwned)").code == 74
    export = run_in(sh, a, "export", "-a", "do luong", "--format", "csv", "-o", str(tmp_path / "dl.csv"))
    assert export.code == 0
    with open(tmp_path / "dl.csv", encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    own = next(row for row in rows if row["role"] == "lead")  # a row of its own, not one it partners on
    own |= {"done_on": "2023-10-05", "note": "$(touch pwned)"}  # the returned checklist
    with open(tmp_path / "dl.csv", "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    imported = run_in(sh, a, "import", str(tmp_path / "dl.csv"))
    assert imported.code == 74 and "symbolic link" in imported.err
    status = run_in(sh, a, "status", "--format", "json")
    assert status.code == 0 and "it is a symbolic link, which dsday does not follow here" in status.err
    assert victim.read_text() == "# the coordinator's shell\n"
    assert run_in(sh, a, "sync").code == 65


def test_a_gitattributes_symlink_committed_by_another_clone_is_never_followed(sh, offices, tmp_path):
    a, b = offices
    victim = tmp_path / "attributes"
    victim.write_text("# someone's file\n")
    (b / ".gitattributes").unlink()
    (b / ".gitattributes").symlink_to("../attributes")
    commit_and_push(b, "attributes")
    for _ in range(2):  # found in what would be pulled, before the pull
        result = run_in(sh, a, "sync")
        assert result.code == 65 and result.err.startswith("dsday: origin/main:.gitattributes: it is a symbolic link")
    assert not (a / ".gitattributes").is_symlink()
    assert victim.read_text() == "# someone's file\n"


def test_uncommitted_edits_that_cannot_be_put_back_fail_loudly(sh, offices):
    a, b = offices
    git(b, "pull", "-q", "--rebase")
    for office, days in ((b, "3"), (a, "4")):
        plan = office / "plan.yaml"
        plan.write_text(
            plan.read_text(encoding="utf-8").replace("due_soon_days: 7", f"due_soon_days: {days}"), encoding="utf-8"
        )
    commit_and_push(b, "soon 3")  # a's edit of the same line stays uncommitted
    assert run_in(sh, a, "done", "v2-1").code == 0
    result = run_in(sh, a, "sync")
    assert result.code == 69
    assert "your uncommitted changes are kept in git stash" in result.err and "plan.yaml" in result.err
    assert len(git(a, "stash", "list").splitlines()) == 1
    assert "v2-1" in git(a, "log", "--format=%s")  # the events are committed, nothing is lost
    assert "due_soon_days: 4" in git(a, "stash", "show", "-p")


def test_sync_waits_for_the_journal_lock(sh, offices):
    import fcntl

    a, _ = offices
    assert run_in(sh, a, "done", "v2-2").code == 0
    head = git(a, "rev-parse", "HEAD")
    with open(a / ".plan.progress.jsonl.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = sh("sync", "--plan", str(a / "plan.yaml"), env=AS_OF | {"DSDAY_LOCK_TIMEOUT": "0.3"})
    assert result.code == 75 and "try again later" in result.err
    assert git(a, "rev-parse", "HEAD") == head
    assert git(a, "status", "--porcelain") == "?? plan.progress.jsonl\n"  # the lock file is excluded


WRITER = """
import sys, time
from datetime import date, datetime, timezone
from pathlib import Path
from dsday_cli.store.journal import append_events, new_event
journal, name, marks = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for n in range(marks):
    time.sleep(0.05)  # offices mark now and then, so that many syncs run between the marks
    now = datetime.now(timezone.utc)
    event = new_event("done", "v1-1", None, date(2023, 10, 5), name, f"{name}-{n}", "nghe-an-2023", now)
    append_events(journal, [event], lock_timeout=120)
    print(event.id, flush=True)
"""

WRITERS, MARKS = 16, 100


def test_concurrent_writers_while_sync_runs_lose_and_duplicate_nothing(sh, offices, tmp_path):
    import threading

    from dsday_cli.store.journal import append_events, new_event

    a, b = offices
    env = AS_OF | {"DSDAY_LOCK_TIMEOUT": "120"}
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(a / "plan.progress.jsonl"), f"w{w}", str(MARKS)],
                         stdout=subprocess.PIPE, text=True)
        for w in range(WRITERS)
    ]  # fmt: skip
    running = threading.Event()
    running.set()
    failures: list[str] = []
    others: list[str] = []
    synced: list[str] = []

    def check(office: str, result) -> None:
        if result.code == 0:
            synced.append(office)
        elif result.code != 69 or "your events are committed locally: run 'dsday sync' again" not in result.err:
            failures.append(f"{office}: {result}")  # only a push that lost the race to the other office may fail

    def sync_a() -> None:
        while running.is_set():
            check("a", sh("sync", "--plan", str(a / "plan.yaml"), env=env))

    def write_and_sync_b() -> None:  # another office, so that a's rebases replace its journal
        while running.is_set():
            now = datetime.now(timezone.utc)
            mark = new_event("done", "v1-2", None, date(2023, 10, 5), "b", None, "nghe-an-2023", now)
            append_events(b / "plan.progress.jsonl", [mark])
            others.append(mark.id)
            check("b", sh("sync", "--plan", str(b / "plan.yaml"), env=env))
            time.sleep(0.5)

    loops = [threading.Thread(target=sync_a), threading.Thread(target=write_and_sync_b)]
    for loop in loops:
        loop.start()
    acknowledged = []
    for writer in writers:
        acknowledged += writer.stdout.read().split()
        assert writer.wait(timeout=300) == 0
    running.clear()
    for loop in loops:
        loop.join(timeout=300)
    assert failures == [] and synced.count("a") >= 3 and synced.count("b") >= 3
    for office in (a, b, a):
        assert sh("sync", "--plan", str(office / "plan.yaml"), env=env).code == 0
    assert len(acknowledged) == WRITERS * MARKS and len(others) > 2
    expected = sorted(acknowledged + others)
    remote = subprocess.run(
        ["git", "--git-dir", str(tmp_path / "remote.git"), "show", "main:plan.progress.jsonl"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    for text in (remote, (a / "plan.progress.jsonl").read_text(), (b / "plan.progress.jsonl").read_text()):
        assert sorted(json.loads(line)["id"] for line in text.splitlines()) == expected
