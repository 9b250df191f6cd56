"""All 130 of Nghệ An's communes syncing their clones of the 2026 plan at once.

Usage (from a checkout, after `pip install -e '.[test]'` into .venv):

    .venv/bin/python bench/sync_communes.py

Runs tests/test_sync_communes.py with one clone per commune (130 instead of the suite's
12): each clone records its commune's part with the installed ``dsday``, then every
office syncs, 8 at a time, against one bare remote, and syncs again until all have
pushed. The test's assertions are the check (no event lost, none doubled, every office
with the same record); this script adds the wall time and the time per commune, and a
floor: the same number of plain ``git clone`` + commit + ``git push`` rounds.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMMUNES = 130


def floor(count: int) -> float:
    """Plain git doing the least a sync must do: clone, commit a line, push (retrying a lost race)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = dict(os.environ, GIT_AUTHOR_NAME="x", GIT_AUTHOR_EMAIL="x@x", GIT_COMMITTER_NAME="x",
                   GIT_COMMITTER_EMAIL="x@x")  # fmt: skip
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(root / "r.git")], check=True)
        seed = root / "seed"
        subprocess.run(["git", "clone", "-q", str(root / "r.git"), str(seed)], check=True, capture_output=True)
        (seed / "j").write_text("")
        subprocess.run(["git", "-C", str(seed), "add", "j"], check=True, env=env)
        subprocess.run(["git", "-C", str(seed), "commit", "-qm", "0"], check=True, env=env)
        subprocess.run(["git", "-C", str(seed), "push", "-q", "origin", "HEAD:main"], check=True, capture_output=True)
        start = time.perf_counter()
        for n in range(count):
            clone = root / f"c{n}"
            subprocess.run(["git", "clone", "-q", str(root / "r.git"), str(clone)], check=True, capture_output=True)
            (clone / "j").write_text(f"{n}\n")
            subprocess.run(["git", "-C", str(clone), "commit", "-qam", str(n)], check=True, env=env)
            subprocess.run(["git", "-C", str(clone), "push", "-q", "origin", "HEAD:main"], check=True, capture_output=True)
        return time.perf_counter() - start


def main() -> int:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", str(HERE.parent / "tests" / "test_sync_communes.py")],
        env=dict(os.environ, BENCH_COMMUNES=str(COMMUNES)),
    )
    took = time.perf_counter() - start
    if done.returncode != 0:
        print(f"sync_communes: the check failed (exit {done.returncode})")
        return 1
    plain = floor(COMMUNES)
    print(f"| communes | dsday (record + sync, all checks) | per commune | plain git floor | ratio |")
    print(f"|---|---|---|---|---|")
    print(f"| {COMMUNES} | {took:.1f} s | {took / COMMUNES:.2f} s | {plain:.1f} s | {took / plain:.1f}× |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
