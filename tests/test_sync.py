"""Sharing a plan between offices through real git repositories."""

import json
import subprocess
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
    result = run_in(sh, b, "sync")
    assert result.code == 69
    assert "plan.yaml conflicts with origin/main" in result.err and "git rebase --continue" in result.err
    assert "rebase" in git(b, "status")


def test_not_a_repository(sh, tmp_path):
    assert sh("init", "lone").code == 0
    result = sh("sync", "--plan", "lone/plan.yaml")
    assert result.code == 2 and "not in a git repository" in result.err and "dsday init --git" in result.err


def test_embedded_plan_cannot_sync(sh):
    result = sh("sync")
    assert result.code == 2 and "embedded plan" in result.err
