"""Sync against what other offices, git and a stopped sync leave behind: real clones, a bare remote, real dsday.

Nothing acknowledged may be lost, whatever git does and whatever advice dsday gave is
followed literally: a sync restores the repository when its rebase stops; every writer
refuses while git is in the middle of a rebase or merge; a journal that would not get
git's union merge is refused before anything is pulled; git's lock files are named.
"""

import csv
import json
import os
import re
import subprocess
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from test_sync import AS_OF, commit_and_push, git, offices, run_in  # noqa: F401 (offices: a fixture)


def in_progress(office: Path) -> list[str]:
    """What git leaves while a rebase or merge is stopped midway, as git itself locates it."""
    names = ("rebase-merge", "rebase-apply", "MERGE_HEAD")
    return [name for name in names if Path(office, git(office, "rev-parse", "--git-path", name).strip()).exists()]


def notes_conflict(a: Path, b: Path, sh) -> None:
    """Both offices commit their own version of a notes file kept beside the plan; b's is pushed first."""
    (b / "ghi-chu.txt").write_text("Ghi chú của huyện B\n", encoding="utf-8")
    assert run_in(sh, b, "done", "v1-6").code == 0
    commit_and_push(b, "B notes")
    (a / "ghi-chu.txt").write_text("Ghi chú của văn phòng A\n", encoding="utf-8")
    git(a, "add", "ghi-chu.txt")
    git(a, "commit", "-qm", "A notes")


def remote_ids(tmp_path: Path) -> list[str]:
    shown = subprocess.run(
        ["git", "--git-dir", str(tmp_path / "remote.git"), "show", "main:plan.progress.jsonl"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return sorted(json.loads(line)["id"] for line in shown.splitlines())


def journal_ids(office: Path) -> list[str]:
    return sorted(json.loads(line)["id"] for line in (office / "plan.progress.jsonl").read_text().splitlines())


def quoted_commands(message: str) -> list[list[str]]:
    """The git commands an error message tells the user to run, in order, as argument lists."""
    return [found.split() for found in re.findall(r"'(git [^']+)'", message)]


@pytest.mark.parametrize("then", ["continue", "abort"])
def test_a_stopped_rebase_is_undone_and_its_advice_followed_literally_keeps_every_event(sh, offices, tmp_path, then):
    a, b = offices
    notes_conflict(a, b, sh)
    assert run_in(sh, a, "done", "v1-4", "--note", "trước khi đồng bộ").code == 0
    plan = a / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("due_soon_days: 7", "due_soon_days: 5"), encoding="utf-8")
    before = git(a, "rev-parse", "HEAD")

    synced = run_in(sh, a, "sync")
    assert synced.code == 69 and len(synced.err.splitlines()) == 1, synced
    assert "ghi-chu.txt changed both here and at origin/main" in synced.err
    assert "your events are committed here" in synced.err and "--abort" not in synced.err
    assert in_progress(a) == []  # never left mid-rebase
    assert git(a, "rev-parse", "HEAD") != before and "v1-4" in git(a, "log", "-1", "--format=%s")
    assert git(a, "status", "--porcelain") == " M plan.yaml\n" and git(a, "stash", "list") == ""
    assert "trước khi đồng bộ" in (a / "plan.progress.jsonl").read_text(encoding="utf-8")
    mine = journal_ids(a)

    commands = quoted_commands(synced.err)
    assert [c[:2] for c in commands] == [["git", "rebase"], ["git", "add"], ["git", "rebase"]], commands
    rebase = subprocess.run(["git", "-C", str(a), *commands[0][1:]], capture_output=True, text=True)
    assert rebase.returncode != 0 and in_progress(a) == ["rebase-merge"]  # the conflict, as the message said
    journal = (a / "plan.progress.jsonl").read_bytes()
    refused = run_in(sh, a, "done", "v1-5", "--note", "ghi khi git đang dừng giữa chừng")
    assert refused.code == 75 and len(refused.err.splitlines()) == 1, refused
    assert "git is in the middle of a rebase" in refused.err
    assert (a / "plan.progress.jsonl").read_bytes() == journal
    assert run_in(sh, a, "status").code == 0  # readers keep working
    head = git(a, "rev-parse", "HEAD")
    during = run_in(sh, a, "sync")  # as after a sync killed mid-rebase: nothing committed in the middle of it
    assert during.code == 75 and "'git rebase --abort'" in during.err and git(a, "rev-parse", "HEAD") == head

    if then == "continue":
        (a / "ghi-chu.txt").write_text("Ghi chú của A và B\n", encoding="utf-8")  # resolved "as git says"
        git(a, "add", "ghi-chu.txt")  # 'git add' it
        editor = os.environ | {"GIT_EDITOR": "true"}
        continued = subprocess.run(["git", "-C", str(a), *commands[2][1:]], capture_output=True, text=True, env=editor)
        assert continued.returncode == 0, continued.stderr
    else:
        git(a, "rebase", "--abort")  # what git itself offers while the rebase is stopped
    assert in_progress(a) == []
    assert run_in(sh, a, "done", "v1-5", "--note", "sau khi git xong").code == 0
    again = run_in(sh, a, "sync")
    if then == "abort":  # the same conflict, said the same way; nothing lost
        assert again.code == 69 and in_progress(a) == [] and set(mine) < set(journal_ids(a))
        return
    assert again.code == 0, again
    expected = sorted(set(mine) | set(journal_ids(b)) | set(journal_ids(a)))
    assert journal_ids(a) == remote_ids(tmp_path) == expected and len(expected) == len(set(mine)) + 2
    assert "due_soon_days: 5" in plan.read_text(encoding="utf-8")  # the uncommitted edit is back


def returned_checklist(sh, office: Path, tmp_path: Path) -> Path:
    out = tmp_path / "dl.csv"
    assert run_in(sh, office, "export", "-a", "do luong", "--format", "csv", "-o", str(out)).code == 0
    with open(out, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    next(row for row in rows if row["role"] == "lead")["done_on"] = "2023-10-05"  # a partner's row records nothing
    with open(out, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out


def test_every_writer_refuses_while_git_is_stopped_midway_and_readers_keep_working(sh, offices, tmp_path):
    from dsday_cli.core.errors import RepositoryBusy
    from dsday_cli.store.journal import append_events, new_event

    a, b = offices
    assert run_in(sh, a, "done", "v1-1").code == 0 and run_in(sh, a, "sync", "--no-push").code == 0
    checklist = returned_checklist(sh, a, tmp_path)
    notes_conflict(a, b, sh)
    git(a, "fetch", "-q", "origin")
    assert subprocess.run(["git", "-C", str(a), "merge", "origin/main"], capture_output=True).returncode != 0
    assert in_progress(a) == ["MERGE_HEAD"]  # a user's own merge, stopped on the notes file
    journal, plan = (a / "plan.progress.jsonl").read_bytes(), (a / "plan.yaml").read_bytes()
    writers = [
        ("done", "v1-2"),
        ("reopen", "v1-1"),
        ("undo",),
        ("note", "v1-3", "Đã gọi điện"),
        ("import", str(checklist)),
        ("plan", "add-member", "ubnd-huyen", "Huyện Mới"),
        ("remind", "--format", "eml", "--output", str(tmp_path / "eml"), "--as-of", "2023-10-20"),
    ]
    for writer in writers:
        refused = run_in(sh, a, *writer)
        assert refused.code == 75 and len(refused.err.splitlines()) == 1, (writer, refused)
        assert f"{a}: git is in the middle of a merge" in refused.err and "'git merge --abort'" in refused.err
    now = datetime.now(timezone.utc)
    event = new_event("remind", "v1-2", None, date(2023, 10, 20), "tester", None, "nghe-an-2023", now)
    with pytest.raises(RepositoryBusy):  # the path every writer takes, remind's recording included
        append_events(a / "plan.progress.jsonl", [event])
    assert (a / "plan.progress.jsonl").read_bytes() == journal and (a / "plan.yaml").read_bytes() == plan
    assert not (tmp_path / "eml").exists()  # no reminder went out that could not be recorded
    assert run_in(sh, a, "show", "v1-1").code == 0
    assert run_in(sh, a, "plan", "add-member", "ubnd-huyen", "Huyện Mới", "--dry-run").code == 0
    head = git(a, "rev-parse", "HEAD")
    synced = run_in(sh, a, "sync")
    assert synced.code == 75 and "git is in the middle of a merge" in synced.err
    assert in_progress(a) == ["MERGE_HEAD"] and git(a, "rev-parse", "HEAD") == head  # nothing committed


def test_a_linked_worktree_is_checked_in_its_own_git_directory(sh, offices, tmp_path):
    from dsday_cli.store.journal import git_directory

    a, b = offices
    tree = tmp_path / "tree"
    git(a, "worktree", "add", "-q", "-b", "other", str(tree))
    top, gitdir = git_directory(tree) or (None, None)
    assert top == tree.resolve() and gitdir == Path(git(tree, "rev-parse", "--absolute-git-dir").strip())
    (tree / "ghi-chu.txt").write_text("cây\n")
    git(tree, "add", "ghi-chu.txt")
    git(tree, "commit", "-qm", "tree notes")
    (a / "ghi-chu.txt").write_text("gốc\n")
    git(a, "add", "ghi-chu.txt")
    git(a, "commit", "-qm", "main notes")
    assert subprocess.run(["git", "-C", str(tree), "merge", "main"], capture_output=True).returncode != 0
    assert Path(git(tree, "rev-parse", "--git-path", "MERGE_HEAD").strip()).exists()
    assert run_in(sh, tree, "done", "v1-2").code == 75  # the worktree's merge
    assert run_in(sh, a, "done", "v1-2").code == 0  # not the main checkout's


def test_a_journal_without_the_union_rule_upstream_is_refused_before_pulling_and_advice_works(sh, offices, tmp_path):
    a, b = offices
    git(b, "pull", "-q", "--rebase")
    with open(b / ".gitattributes", "a") as stream:
        stream.write("plan.progress.jsonl -merge\n")  # another office's tool, after the union line
    assert run_in(sh, b, "done", "v1-4").code == 0
    commit_and_push(b, "attrs")
    assert run_in(sh, a, "done", "v1-5", "--note", "office A, acknowledged").code == 0
    synced = run_in(sh, a, "sync")
    assert synced.code == 65 and len(synced.err.splitlines()) == 1, synced
    assert "plan.progress.jsonl: git's merge attribute for it is 'unset', not 'union'" in synced.err
    assert "at origin/main" in synced.err and "no event is lost" in synced.err
    assert in_progress(a) == [] and "v1-5" in git(a, "log", "-1", "--format=%s")
    assert "office A, acknowledged" in (a / "plan.progress.jsonl").read_text()
    assert "Status: done" in run_in(sh, a, "show", "v1-5").out

    found = re.search(r"add the line '([^']+)' to (\S+) \(this clone only\)", synced.err)
    assert found, synced.err
    with open(a / found.group(2), "a") as stream:  # as the message says
        stream.write(found.group(1) + "\n")
    assert run_in(sh, a, "sync").code == 0
    (a / ".gitattributes").write_text("*.progress.jsonl merge=union\n")  # then remove the overriding line
    git(a, "commit", "-qam", "union again")
    assert run_in(sh, a, "sync").code == 0
    git(b, "pull", "-q", "--rebase")  # b's own clone still overrides the rule until it has the fix
    assert run_in(sh, b, "sync").code == 0 and run_in(sh, a, "sync").code == 0
    assert journal_ids(a) == journal_ids(b) == remote_ids(tmp_path)
    items = {json.loads(line)["item"] for line in (a / "plan.progress.jsonl").read_text().splitlines()}
    assert items >= {"v1-4", "v1-5"}


def test_a_local_override_of_the_union_rule_is_refused(sh, offices):
    a, _ = offices
    with open(a / ".gitattributes", "a") as stream:
        stream.write("*.jsonl merge=binary\n")
    git(a, "commit", "-qam", "binary")
    assert run_in(sh, a, "done", "v2-1").code == 0
    synced = run_in(sh, a, "sync")
    assert synced.code == 65 and "is 'binary', not 'union' (.gitattributes here" in synced.err
    assert git(a, "rev-parse", "HEAD") != git(a, "rev-parse", "origin/main") and in_progress(a) == []


def test_gits_lock_files_left_by_a_killed_sync_are_named(sh, offices):
    a, _ = offices
    for lock, item in (("index.lock", "v2-2"), ("refs/heads/main.lock", "v2-1")):
        left = Path(a, git(a, "rev-parse", "--git-path", lock).strip()).resolve()
        left.write_text("")  # what git leaves when it is killed holding it
        assert run_in(sh, a, "done", item).code == 0
        synced = run_in(sh, a, "sync")
        assert synced.code == 75 and len(synced.err.splitlines()) == 1, synced
        assert synced.err.startswith(f"dsday: {left}: git's lock file is there") and f"remove {left}" in synced.err
        left.unlink()  # as the message says
        assert run_in(sh, a, "sync").code == 0 and item in git(a, "log", "-1", "--format=%s")
        assert git(a, "rev-parse", "HEAD") == git(a, "rev-parse", "origin/main")


def test_a_stash_a_killed_sync_left_is_named(sh, offices):
    a, _ = offices
    plan = a / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("due_soon_days: 7", "due_soon_days: 5"), encoding="utf-8")
    git(a, "stash", "push", "-q", "-m", "dsday sync: uncommitted changes")  # killed before it put them back
    synced = run_in(sh, a, "sync")
    assert synced.code == 0 and "stash@{0} holds uncommitted changes an earlier sync did not put back" in synced.out
    git(a, "stash", "pop", "stash@{0}")  # as it says
    assert "due_soon_days: 5" in plan.read_text(encoding="utf-8")
