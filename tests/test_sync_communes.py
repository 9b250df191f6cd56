"""Commune scale through git: the 2026 plan's communes each record their part in their own clone and sync.

The plan is the embedded one rolled into 2026 with the shipped successions and filled
with Nghệ An's 130 commune-level units from the register. One clone per commune, all of
them syncing at once against one bare remote: a push that loses the race is pulled and
tried again, and one that runs out of attempts keeps its events committed and says to
sync again. Nothing may be lost or written twice, and every office ends with the same
record. ``bench/sync_communes.py`` runs the same with all 130 communes and times it.
"""

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.test_sync import git

AS_OF = {"DSDAY_AS_OF": "2026-10-20"}
COMMUNES = int(os.environ.get("BENCH_COMMUNES", "12"))  # clones in this test; bench/sync_communes.py runs all 130
AT_ONCE = 8


@pytest.fixture
def province(tmp_path, sh, monkeypatch):
    """The Sở's office: the 2026 plan with the register's communes, committed and pushed to a bare remote."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    (tmp_path / "gitconfig").write_text(
        "[user]\n\tname = Sở Khoa học và Công nghệ\n\temail = skhcn@example.org\n[init]\n\tdefaultBranch = main\n"
    )
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    subprocess.run(["git", "clone", "-q", str(remote), str(tmp_path / "so")], check=True, capture_output=True)
    so = tmp_path / "so"
    assert sh("init", str(so), "--git").code == 0
    assert sh("init", str(tmp_path / "2023")).code == 0
    plan = str(so / "plan.yaml")
    rolled = sh("rollover", "2026", "--plan", str(tmp_path / "2023" / "plan.yaml"), "--output", plan, "--force")
    assert rolled.code == 0, rolled
    filled = sh("plan", "members", "ubnd-xa", "--register", "Nghệ An", "--plan", plan)
    assert filled.code == 0, filled
    assert "130" in filled.out + filled.err
    git(so, "add", "plan.yaml")
    git(so, "commit", "-q", "-m", "Kế hoạch năm 2026")
    first = sh("sync", "--plan", plan, env=AS_OF)
    assert first.code == 0, first
    members = json.loads(sh("agencies", "--plan", plan, "--format", "json", env=AS_OF).out)
    communes = next(a for a in members if a["id"] == "ubnd-xa")["members"]
    assert len(communes) == 130
    return remote, so, [m["id"] for m in communes]


def test_communes_sync_at_once_and_every_office_ends_with_every_event(sh, province, tmp_path):
    remote, so, communes = province
    chosen = communes[:COMMUNES]

    def record(commune: str) -> Path:
        clone = tmp_path / "xa" / commune
        subprocess.run(["git", "clone", "-q", str(remote), str(clone)], check=True, capture_output=True)
        plan = str(clone / "plan.yaml")
        done = sh("done", "v7-1", "--member", commune, "--on", "05/10/2026", "--by", f"UBND {commune}",
                  "--plan", plan, env=AS_OF)  # fmt: skip
        assert done.code == 0, done
        return clone

    with ThreadPoolExecutor(AT_ONCE) as pool:
        clones = list(pool.map(record, chosen))

    def sync(clone: Path):
        return clone, sh("sync", "--plan", str(clone / "plan.yaml"), env=AS_OF)

    waiting = clones
    for _round in range(6):  # every office syncs at once; those that lost every race sync again
        with ThreadPoolExecutor(AT_ONCE) as pool:
            results = list(pool.map(sync, waiting))
        for clone, result in results:
            assert result.code in (0, 69), result
            if result.code == 69:  # the only failure allowed: the push lost the race, events kept
                assert "your events are committed locally: run 'dsday sync' again" in result.err, result
        waiting = [clone for clone, result in results if result.code != 0]
        if not waiting:
            break
    assert waiting == []
    for office in [so, *clones]:  # one more pass brings everyone what the others pushed after them
        assert sh("sync", "--plan", str(office / "plan.yaml"), env=AS_OF).code == 0

    pushed = subprocess.run(
        ["git", "--git-dir", str(remote), "show", "main:plan.progress.jsonl"], check=True, capture_output=True, text=True
    ).stdout
    events = [json.loads(line) for line in pushed.splitlines()]
    assert sorted(e["member"] for e in events) == sorted(chosen)  # each commune once: none lost, none doubled
    assert len({e["id"] for e in events}) == len(events)
    for office in (so, clones[0], clones[-1]):
        assert sorted(json.loads(line)["id"] for line in (office / "plan.progress.jsonl").read_text().splitlines()) == (
            sorted(e["id"] for e in events)
        )
    shown = json.loads(sh("show", "v7-1", "--plan", str(so / "plan.yaml"), "--format", "json", env=AS_OF).out)
    done_members = sorted(m["id"] for m in shown["members"] if m["status"].startswith("done"))
    assert done_members == sorted(chosen)
