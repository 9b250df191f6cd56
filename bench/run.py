"""dsday's speed against its references, measured side by side in one run.

Usage (from a checkout, after `pip install .` into .venv):

    .venv/bin/python bench/run.py            # every row
    .venv/bin/python bench/run.py --quick    # fewer runs per command

Needs hyperfine (Debian: `apt-get install hyperfine`); Taskwarrior (`taskwarrior`) for
the row that compares with it. Synthetic plans and journals are generated in a
temporary directory; medians and ratios are printed as a Markdown table and saved to
bench/out/results.json.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
DSDAY = str(BIN / "dsday")
PYTHON = str(BIN / "python")
AS_OF = "2023-10-20"


def synthetic_plan(path: Path, items: int) -> list[str]:
    """A plan of ``items`` items over 50 agencies (5 of them groups of 10); returns the item ids."""
    lines = [
        "id: synthetic",
        "title: Kế hoạch tổng hợp",
        "issuer: UBND tỉnh",
        "year: 2023",
        "theme: Khai thác dữ liệu số để tạo ra giá trị",
        "national_day: 2023-10-10",
        "campaign: {start: 2023-09-15, end: 2023-10-15}",
        "milestones:",
        "  - {id: report, title: Báo cáo kết quả, date: 2023-10-25, deadline: before}",
        "agencies:",
    ]
    for a in range(50):
        lines.append(f"  - id: ag{a}\n    name: Sở số {a} tỉnh Nghệ An\n    short_name: S{a}")
        if a < 5:
            lines.append("    members:")
            lines += [f"      - {{id: ag{a}-m{m}, name: Huyện số {m}}}" for m in range(10)]
    lines.append("responsibilities:")
    rng = random.Random(7)
    ids = []
    start = date(2023, 9, 15)
    for i in range(items):
        due = start + timedelta(days=rng.randrange(0, 60))
        deadline = rng.choice(["by", "before"])
        ids.append(f"t{i}")
        lines.append(
            f"  - id: t{i}\n    ref: V.{i % 9 + 1}\n    agency: ag{i % 50}\n"
            f"    title: Tổ chức tuyên truyền về Ngày Chuyển đổi số quốc gia, việc số {i}\n"
            f"    due: {due.isoformat()}\n    deadline: {deadline}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ids


def synthetic_journal(path: Path, ids: list[str], events: int) -> None:
    """``events`` done/reopen events over the plan's items, in recording order."""
    rng = random.Random(11)
    moment = 1696118400.0  # 2023-10-01
    with open(path, "w", encoding="utf-8") as stream:
        for n in range(events):
            moment += 1.5
            at = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(moment)) + f".{n % 1000000:06d}Z"
            item = ids[rng.randrange(len(ids))]
            kind = "reopen" if rng.random() < 0.1 else "done"
            member = (
                f"ag{int(item[1:]) % 50}-m{rng.randrange(10)}"
                if int(item[1:]) % 50 < 5 and rng.random() < 0.5
                else None
            )
            on = (date(2023, 9, 15) + timedelta(days=rng.randrange(0, 35))).isoformat()
            record = {"id": str(uuid.UUID(int=rng.getrandbits(128))), "at": at, "kind": kind, "item": item,
                      "member": member, "on": on, "by": "bench", "note": None, "plan": "synthetic"}  # fmt: skip
            stream.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")


def taskwarrior_db(root: Path, items: int) -> dict | None:
    """The same items as pending Taskwarrior tasks with the same due dates, or None without task."""
    if not shutil.which("task"):
        return None
    data = root / "taskdata"
    data.mkdir()
    rc = root / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\nnews.version=2.6.2\n")
    env = dict(os.environ, TASKRC=str(rc), TASKDATA=str(data))
    rng = random.Random(7)
    start = date(2023, 9, 15)
    tasks = []
    for i in range(items):
        due = start + timedelta(days=rng.randrange(0, 60))
        rng.choice(["by", "before"])
        tasks.append({"description": f"Tổ chức tuyên truyền về Ngày Chuyển đổi số quốc gia, việc số {i}",
                      "due": due.strftime("%Y%m%dT000000Z"), "project": f"ag{i % 50}", "status": "pending",
                      "entry": "20230901T000000Z", "uuid": str(uuid.UUID(int=rng.getrandbits(128)))})  # fmt: skip
    source = root / "tasks.json"
    source.write_text(json.dumps(tasks))
    subprocess.run(["task", "import", str(source)], env=env, check=True, capture_output=True)
    return env


def hyperfine(
    commands: dict[str, str], runs: int, env: dict | None = None, prepare: str | None = None
) -> dict[str, float]:
    """Median seconds of each command, measured in one hyperfine run (no shell)."""
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    args = ["hyperfine", "-N", "--warmup", "2", "--runs", str(runs), "--export-json", str(out), "--style", "none"]
    if prepare:
        args += ["--prepare", prepare]
    for name, command in commands.items():
        args += ["-n", name, command]
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
    results = json.loads(out.read_text())["results"]
    out.unlink()
    return {r["command"]: r["median"] for r in results}


def peak_memory_mb(command: list[str], env: dict) -> float:
    """Peak resident memory of one run of ``command``, in MB, measured by a fresh parent."""
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run([PYTHON, "-c", probe, *command], env=env, check=True, capture_output=True, text=True)
    return int(done.stdout) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs per command")
    runs = 5 if parser.parse_args().quick else 15
    if not shutil.which("hyperfine"):
        sys.exit("bench: hyperfine is needed (apt-get install hyperfine)")
    root = Path(tempfile.mkdtemp(prefix="dsday-bench-"))
    env = dict(os.environ, XDG_STATE_HOME=str(root / "state"), XDG_CACHE_HOME=str(root / "cache"), DSDAY_AS_OF=AS_OF)
    env.pop("DSDAY_PLAN", None)
    env.pop("DSDAY_PROGRESS", None)
    os.environ.update(env)
    os.chdir(root)
    rows = []

    def row(what: str, ours: float, reference: float, ref_name: str, target: float, unit: str = "ms") -> None:
        ratio = ours / reference
        rows.append({"what": what, "dsday": ours, "reference": reference, "reference_name": ref_name,
                     "ratio": ratio, "target": target, "met": ratio <= target, "unit": unit})  # fmt: skip

    print("generating plans and journals…", file=sys.stderr)
    ids_1k = synthetic_plan(root / "p1k.yaml", 1_000)
    ids_10k = synthetic_plan(root / "p10k.yaml", 10_000)
    synthetic_journal(root / "p1k.progress.jsonl", ids_1k, 10_000)
    synthetic_journal(root / "p10k.progress.jsonl", ids_10k, 10_000)
    shutil.copy(root / "p10k.yaml", root / "big.yaml")
    synthetic_journal(root / "big.progress.jsonl", ids_10k, 100_000)
    shutil.copy(root / "p10k.yaml", root / "empty.yaml")

    print("embedded plan…", file=sys.stderr)
    m = hyperfine(
        {
            "status": f"{DSDAY} status",
            "import typer, rich.table": f"{PYTHON} -c 'import typer, rich.table'",
            "overdue json": f"{DSDAY} overdue --format json",
            "import typer": f"{PYTHON} -c 'import typer'",
            "version": f"{DSDAY} --version",
        },
        runs,
    )
    row(
        "`dsday status`, embedded plan",
        m["status"],
        m["import typer, rich.table"],
        "`python -c 'import typer, rich.table'`",
        1.5,
    )
    row(
        "`dsday overdue --format json`, embedded plan",
        m["overdue json"],
        m["import typer"],
        "`python -c 'import typer'`",
        1.2,
    )

    print("10,000 items…", file=sys.stderr)
    task_env = taskwarrior_db(root, 10_000)
    commands = {"list overdue": f"{DSDAY} list --status overdue --format json --plan p10k.yaml"}
    if task_env:
        commands["task overdue"] = "task overdue"
        m = hyperfine(
            commands, runs, env=dict(task_env, **env) | {"TASKRC": task_env["TASKRC"], "TASKDATA": task_env["TASKDATA"]}
        )
        row(
            "`dsday list --status overdue --format json`, 10,000 items, 10,000 events",
            m["list overdue"],
            m["task overdue"],
            "Taskwarrior 2.6 `task overdue`, same 10,000 items",
            1.0,
        )
    else:
        print("bench: taskwarrior not installed; skipping its row", file=sys.stderr)

    m = hyperfine({"big": f"{DSDAY} status --plan big.yaml", "empty": f"{DSDAY} status --plan empty.yaml"}, runs)
    row("`dsday status`, 10,000 items, 100,000 events", m["big"], m["empty"], "the same plan, empty journal", 1.5)
    warm_big = m["big"]

    m = hyperfine(
        {"done": f"{DSDAY} done t42 --plan p10k.yaml", "version": f"{DSDAY} --version"},
        runs,
        prepare=f"{DSDAY} reopen t42 --plan p10k.yaml",
    )
    row("`dsday done ID`, 10,000 items", m["done"], m["version"], "`dsday --version`", 1.5)

    m = hyperfine({"edited": f"{DSDAY} status --plan p10k.yaml"}, max(3, runs // 3), prepare="touch p10k.yaml")
    row("first run after editing a 10,000-item plan", m["edited"], 2.0, "2 s", 1.0)

    cold = dict(env, DSDAY_NO_CACHE="1")
    m = hyperfine({"cold": f"{DSDAY} status --plan big.yaml"}, max(3, runs // 3), env=cold)
    row(
        "`dsday status`, 10,000 items, 100,000 events, no cache (for reference)",
        m["cold"],
        warm_big,
        "with cache",
        float("inf"),
    )

    m = hyperfine(
        {"read": f"{DSDAY} validate --plan big.yaml", "empty": f"{DSDAY} validate --plan empty.yaml"}, max(3, runs // 3)
    )
    row(
        "reading a 100,000-event journal whole (`dsday validate`, for reference)",
        m["read"],
        m["empty"],
        "the same, empty journal",
        float("inf"),
    )

    peak = peak_memory_mb([DSDAY, "status", "--plan", "big.yaml"], cold)
    rows.append({"what": "peak memory, 10,000 items and 100,000 events (cold)", "dsday": peak, "reference": 150.0,
                 "reference_name": "150 MB", "ratio": peak / 150, "target": 1.0, "met": peak <= 150, "unit": "MB"})  # fmt: skip

    print(
        f"\nMachine: {os.uname().sysname} {os.uname().machine}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; {time.strftime('%Y-%m-%d')}\n"
    )
    print("| what | dsday | reference | ratio | target | met |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        scale = 1000 if r["unit"] == "ms" else 1
        unit = r["unit"]
        target = "—" if r["target"] == float("inf") else f"≤ {r['target']}"
        met = "—" if r["target"] == float("inf") else ("yes" if r["met"] else "**no**")
        print(
            f"| {r['what']} | {r['dsday'] * scale:.0f} {unit} | {r['reference'] * scale:.0f} {unit} ({r['reference_name']}) | {r['ratio']:.2f} | {target} | {met} |"
        )
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(rows, indent=2, default=str))
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
