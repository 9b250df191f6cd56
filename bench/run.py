"""dsday's speed against the targets of issue 17, measured side by side in one run.

Usage (from a checkout, after `pip install .` into .venv):

    .venv/bin/python bench/run.py            # 1k, 10k and 100k items; journals up to 1M events
    .venv/bin/python bench/run.py --quick    # 1k and 10k items, fewer runs (a few minutes)

Needs Taskwarrior 2.6 (Debian `taskwarrior`), the peer, and GNU time (Debian `time`).
Taskwarrior gets the same items with the same due dates (shifted by the days between
AS_OF and today, so the same items are overdue) and the same items completed. Every
command is run by this script, the commands of one group interleaved (A B C A B C …)
so that a noisy shared machine slows all of them alike; GNU time reports each run's
peak resident memory.
Synthetic plans and journals live in a temporary directory; the targets, with their
ratios and met/not met, and every measurement are printed as Markdown and saved to
bench/out/results.json.
"""

import argparse
import json
import os
import random
import shutil
import statistics
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
TIME = "/usr/bin/time"  # GNU time (Debian `time`), for each run's peak memory


def synthetic_plan(path: Path, items: int, past: int | None = None) -> list[str]:
    """A plan of ``items`` items over 50 agencies (5 of them groups of 10); returns the item ids.

    With ``past``, only the first ``past`` items fall due before AS_OF, the others after it.
    """
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
        if past is not None:
            due = date(2023, 10, 1) if i < past else date(2023, 12, 1)
        ids.append(f"t{i}")
        lines.append(
            f"  - id: t{i}\n    ref: V.{i % 9 + 1}\n    agency: ag{i % 50}\n"
            f"    title: Tổ chức tuyên truyền về Ngày Chuyển đổi số quốc gia, việc số {i}\n"
            f"    deadline: {{kind: {deadline}, date: {due.isoformat()}}}"
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


def taskwarrior_db(root: Path, rows: list[dict], shift: timedelta) -> dict:
    """dsday's items as Taskwarrior tasks: same titles, agencies, last days (shifted), done state.

    A task is due at the start of the day after the item's last day, so Taskwarrior calls
    it overdue from the same day dsday does. Returns the environment that selects it.
    """
    data = root / "taskdata"
    data.mkdir()
    rc = root / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\nnews.version=2.6.2\n")
    env = dict(os.environ, TASKRC=str(rc), TASKDATA=str(data))
    tasks = []
    for row in rows:
        task = {"description": row["title"], "project": row["agency"], "status": "pending",
                "entry": "20230901T000000Z", "uuid": task_uuid(row["id"])}  # fmt: skip
        if row["last_day"]:
            due = date.fromisoformat(row["last_day"]) + timedelta(days=1) + shift
            task["due"] = due.strftime("%Y%m%dT000000Z")
        if row["status"] in ("done", "done-late"):
            task["status"] = "completed"
            task["end"] = (date.fromisoformat(row["done_on"]) + shift).strftime("%Y%m%dT120000Z")
        tasks.append(task)
    source = root / "tasks.json"
    source.write_text(json.dumps(tasks, ensure_ascii=False))
    subprocess.run(["task", "import", str(source)], env=env, check=True, capture_output=True)
    source.unlink()
    return env


def task_uuid(item: str) -> str:
    """The Taskwarrior UUID of a synthetic item."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"dsday-bench:{item}"))


def run_once(argv: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one run of ``argv``, which must succeed.

    The peak comes from GNU time, a small parent: a child forked by this script would
    report this script's own peak (Linux carries the high-water mark across exec).
    """
    report = Path(tempfile.mkstemp(prefix="dsday-bench-rss-")[1])
    start = time.perf_counter()
    child = subprocess.Popen([TIME, "-f", "%M", "-o", str(report), *argv], env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    _, error = child.communicate()
    elapsed = time.perf_counter() - start
    lines = report.read_text().split()
    report.unlink()
    if child.returncode != 0:
        sys.exit(f"bench: {' '.join(argv)} exited {child.returncode}: {error.decode(errors='replace')[-500:]}")
    return elapsed, int(lines[-1]) / 1024


def measure(commands: dict[str, dict], runs: int, warmup: int = 1) -> dict[str, dict]:
    """Median seconds and peak MB of each command, the commands run interleaved.

    Each command is ``{"argv": [...], "env": {...}, "prepare": [...] or None}``;
    ``prepare`` runs, untimed, before every run of it.
    """
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, float] = {name: 0.0 for name in commands}
    for n in range(warmup + runs):
        for name, spec in commands.items():
            if spec.get("prepare"):
                run_once(spec["prepare"], spec["env"])
            elapsed, peak = run_once(spec["argv"], spec["env"])
            if n >= warmup:
                times[name].append(elapsed)
                peaks[name] = max(peaks[name], peak)
    return {name: {"s": statistics.median(times[name]), "mb": peaks[name], "runs": runs} for name in commands}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1k and 10k items only, fewer runs")
    quick = parser.parse_args().quick
    sizes = [1_000, 10_000] if quick else [1_000, 10_000, 100_000]
    runs = {100: 7, 1_000: 7, 10_000: 5, 100_000: 5} if quick else {100: 15, 1_000: 15, 10_000: 11, 100_000: 5}
    journals = [10_000, 100_000] if quick else [10_000, 100_000, 1_000_000]
    if not shutil.which("task") or not os.access(TIME, os.X_OK):
        sys.exit("bench: Taskwarrior and GNU time are needed (apt-get install taskwarrior time)")
    began = time.time()
    # dsday's own modules compiled once, as an installed wheel has them: with
    # PYTHONDONTWRITEBYTECODE set (as on the development machine) an editable install
    # would otherwise compile them again on every run (10-20 ms of every command).
    import compileall

    import dsday_cli

    compileall.compile_dir(str(Path(dsday_cli.__file__).parent), quiet=1)
    root = Path(tempfile.mkdtemp(prefix="dsday-bench-"))
    env = dict(os.environ, XDG_STATE_HOME=str(root / "state"), XDG_CACHE_HOME=str(root / "cache"), DSDAY_AS_OF=AS_OF)
    for name in ("DSDAY_PLAN", "DSDAY_PROGRESS", "DSDAY_NO_CACHE", "DSDAY_LANG", "TASKRC", "TASKDATA"):
        env.pop(name, None)
    cold_env = dict(env, DSDAY_NO_CACHE="1")
    os.chdir(root)
    shift = date.today() - date.fromisoformat(AS_OF)
    results: dict[str, dict] = {}  # every measurement, by key
    largest = sizes[-1]

    def dsday(*args: str, environ: dict = env, prepare: list[str] | None = None) -> dict:
        return {"argv": [DSDAY, *args], "env": environ, "prepare": prepare}

    def note(what: str) -> None:
        print(f"[{time.time() - began:5.0f} s] {what}", file=sys.stderr, flush=True)

    note("embedded plan…")
    run_once([DSDAY, "status"], env)  # builds the cache
    results |= {
        f"embedded {k}": v
        for k, v in measure(
            {
                "status": dsday("status"),
                "import typer, rich.table": {"argv": [PYTHON, "-c", "import typer, rich.table"], "env": env},
                "overdue json": dsday("overdue", "--format", "json"),
                "import typer": {"argv": [PYTHON, "-c", "import typer"], "env": env},
                "done": dsday("done", "v1-3", prepare=[DSDAY, "reopen", "v1-3"]),
                "version": dsday("--version"),
            },
            runs[1_000],
            warmup=2,
        ).items()
    }

    for n in [100, *sizes]:
        note(f"{n:,} items: generating the plan and {10 * n:,} events…")
        plan = f"p{n}.yaml"
        ids = synthetic_plan(root / plan, n)
        synthetic_journal(root / f"p{n}.progress.jsonl", ids, 10 * n)
        # The few-overdue variant: the same 100 items overdue whatever the plan's size, no events.
        few = synthetic_plan(root / f"few{n}.yaml", n, past=100)
        (root / f"few{n}.progress.jsonl").write_bytes(b"")
        note(f"{n:,} items: cold runs…")
        cold = measure({"cold status": dsday("status", "--plan", plan, environ=cold_env)}, 1 if n >= 100_000 else 3, 0)
        first = subprocess.run(
            [DSDAY, "list", "--plan", plan, "--status", "all", "--format", "json"], env=env, check=True, capture_output=True
        )
        run_once([DSDAY, "status", "--plan", f"few{n}.yaml"], env)
        item = ids[42]  # a single body's item (agencies 0–4 are groups)
        commands = {
            "status": dsday("status", "--plan", plan),
            "done": dsday("done", item, "--plan", plan, prepare=[DSDAY, "reopen", item, "--plan", plan]),
            "overdue json": dsday("list", "--status", "overdue", "--format", "json", "--plan", plan),
            "export csv": dsday("export", "--format", "csv", "--plan", plan),
            "few overdue json": dsday("list", "--status", "overdue", "--format", "json", "--plan", f"few{n}.yaml"),
        }
        if n in sizes:
            note(f"{n:,} items: Taskwarrior import…")
            twroot = root / f"tw{n}"
            twroot.mkdir()
            tw = taskwarrior_db(twroot, json.loads(first.stdout), shift)
            uid = task_uuid(item)
            commands |= {
                # the floor of any Typer program, in the same interleaved runs as Taskwarrior
                "import typer": {"argv": [PYTHON, "-c", "import typer"], "env": env},
                "task summary": {"argv": ["task", "summary"], "env": tw},
                "task done": {"argv": ["task", uid, "done"], "env": tw,
                              "prepare": ["task", uid, "modify", "status:pending"]},  # fmt: skip
                "task overdue": {"argv": ["task", "overdue"], "env": tw},
                "task list": {"argv": ["task", "list"], "env": tw},
            }
        note(f"{n:,} items: warm runs…")
        measured = measure(commands, runs[n])
        results |= {f"{n} {k}": v for k, v in (measured | cold).items()}

    note(f"first run after editing the {largest:,}-item plan…")
    shutil.copy(root / f"p{largest}.yaml", root / "edit.yaml")
    shutil.copy(root / f"p{largest}.progress.jsonl", root / "edit.progress.jsonl")
    run_once([DSDAY, "status", "--plan", "edit.yaml"], env)
    append = [PYTHON, "-c", "open('edit.yaml', 'a').write('# edited\\n')"]
    results |= measure({"edited": dsday("status", "--plan", "edit.yaml", prepare=append)}, 3, 0)

    for events in journals:
        note(f"cold read of a {events:,}-event journal (1,000-item plan, no cache)…")
        ids = synthetic_plan(root / f"j{events}.yaml", 1_000)
        synthetic_journal(root / f"j{events}.progress.jsonl", ids, events)
        cold = measure({"j": dsday("status", "--plan", f"j{events}.yaml", environ=cold_env)}, 1 if events >= 10**6 else 3, 0)
        results[f"journal {events} cold"] = cold["j"]
        (root / f"j{events}.progress.jsonl").unlink()

    targets = judge(results, largest)
    print_report(results, targets, sizes, journals, largest, quick)
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps({"targets": targets, "measurements": results}, indent=2))
    shutil.rmtree(root, ignore_errors=True)
    note("done")


def judge(r: dict[str, dict], largest: int) -> list[dict]:
    """Every target of issue 17 with its ratio and whether it is met (None: not measured in this run)."""
    targets = []

    def target(what: str, ours: str | None, ref: str | None, limit: float, ref_name: str = "", floor: str = "") -> None:
        if ours is None or ref is None or ours not in r or ref not in r:
            targets.append({"what": what, "limit": limit, "met": None})
            return
        ratio = r[ours]["s"] / r[ref]["s"]
        targets.append({"what": what, "dsday": r[ours]["s"], "reference": r[ref]["s"], "reference_name": ref_name,
                        "ratio": ratio, "limit": limit, "met": ratio <= limit,
                        "floor": r[floor]["s"] / r[ref]["s"] if floor in r else None})  # fmt: skip

    big = "100000" if largest == 100_000 else None
    target("flat: warm `status` at 100k ≤ 1.3× at 100 items", big and f"{big} status", "100 status", 1.3, "100 items")
    target("flat: warm `done` at 100k ≤ 1.3× at 100 items", big and f"{big} done", "100 done", 1.3, "100 items")
    target("flat: `list -s overdue --format json`, 100 overdue rows, 100k plan ≤ 1.3× 100-item plan",
           big and f"{big} few overdue json", "100 few overdue json", 1.3, "100 items, same rows")  # fmt: skip
    for n, lim in (("100000", (0.25, 0.15, 0.5)), ("10000", (1.0, 1.0, 1.0))):
        label = "100k" if n == "100000" else "10k"
        floor = f"{n} import typer"
        target(f"{label}: `status` ≤ {lim[0]}× `task summary`", f"{n} status", f"{n} task summary", lim[0],
               "task summary", floor)  # fmt: skip
        target(f"{label}: `done ID` ≤ {lim[1]}× `task UUID done`", f"{n} done", f"{n} task done", lim[1],
               "task UUID done", floor)  # fmt: skip
        target(f"{label}: `list -s overdue --format json` ≤ {lim[2]}× `task overdue`",
               f"{n} overdue json", f"{n} task overdue", lim[2], "task overdue", floor)  # fmt: skip
    target("embedded: `status` ≤ 1.5× `python -c 'import typer, rich.table'`", "embedded status",
           "embedded import typer, rich.table", 1.5, "import typer, rich.table", "embedded import typer, rich.table")  # fmt: skip
    target("embedded: `overdue --format json` ≤ 1.2× `python -c 'import typer'`", "embedded overdue json",
           "embedded import typer", 1.2, "import typer", "embedded import typer")  # fmt: skip
    target("embedded: `done` ≤ 1.3× `dsday --version`", "embedded done", "embedded version", 1.3, "dsday --version",
           "embedded import typer")  # fmt: skip
    if largest == 100_000:
        edited = r["edited"]["s"]
        targets.append({"what": "first run after editing a 100k plan ≤ 3 s", "dsday": edited, "reference": 3.0,
                        "reference_name": "3 s", "ratio": edited / 3.0, "limit": 1.0, "met": edited <= 3.0})  # fmt: skip
        warm = max(r[f"100000 {c}"]["mb"] for c in ("status", "done", "overdue json", "export csv"))
        targets.append({"what": "peak RSS of any warm command at 100k ≤ 120 MB", "dsday_mb": warm, "limit_mb": 120,
                        "met": warm <= 120})  # fmt: skip
    else:
        targets.append({"what": "first run after editing a 100k plan ≤ 3 s", "limit": 1.0, "met": None})
        targets.append({"what": "peak RSS of any warm command at 100k ≤ 120 MB", "limit_mb": 120, "met": None})
    if "journal 1000000 cold" in r:
        peak = r["journal 1000000 cold"]["mb"]
        targets.append({"what": "peak RSS of a cold read of a 1M-event journal ≤ 120 MB", "dsday_mb": peak,
                        "limit_mb": 120, "met": peak <= 120})  # fmt: skip
    else:
        targets.append({"what": "peak RSS of a cold read of a 1M-event journal ≤ 120 MB", "limit_mb": 120, "met": None})
    return targets


def print_report(r: dict, targets: list[dict], sizes: list[int], journals: list[int], largest: int, quick: bool) -> None:
    """The targets, then every measurement, as Markdown."""
    u = os.uname()
    print(f"\n`bench/run.py{' --quick' if quick else ''}`, {time.strftime('%Y-%m-%d')}: {u.sysname} {u.machine}, "
          f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, Taskwarrior "
          f"{subprocess.run(['task', '--version'], capture_output=True, text=True).stdout.strip()}\n")  # fmt: skip
    print("| target | dsday | reference | ratio | met | floor |")
    print("|---|---:|---:|---:|---|---:|")
    for t in targets:
        if t["met"] is None:
            print(f"| {t['what']} | — | — | — | not measured{' (--quick)' if quick else ''} | |")
        elif "dsday_mb" in t:
            print(f"| {t['what']} | {t['dsday_mb']:.0f} MB | {t['limit_mb']} MB | {t['dsday_mb'] / t['limit_mb']:.2f} "
                  f"| {'yes' if t['met'] else '**no**'} | |")  # fmt: skip
        else:
            floor = f"{t['floor']:.2f}" if t.get("floor") is not None else ""
            print(f"| {t['what']} | {t['dsday'] * 1000:,.0f} ms | {t['reference'] * 1000:,.0f} ms ({t['reference_name']}) "
                  f"| {t['ratio']:.2f} | {'yes' if t['met'] else '**no**'} | {floor} |")  # fmt: skip
    print("\n*floor*: the ratio `python -c 'import typer'` (`import typer, rich.table` for `status` on the embedded "
          "plan) alone would have, measured in the same runs: what any Typer program pays before its first line.")
    print("\nEvery measurement (median ms / peak MB; warm unless said; journals of 10 events per item):\n")
    print("| command | " + " | ".join(f"{n:,} items" for n in [100, *sizes]) + " |")
    print("|---|" + "---:|" * (len(sizes) + 1))
    for key, label in (("status", "`dsday status`"), ("cold status", "`dsday status`, no cache"),
                       ("done", "`dsday done ID`"), ("overdue json", "`dsday list -s overdue --format json`"),
                       ("few overdue json", "the same, 100 overdue rows, empty journal"),
                       ("export csv", "`dsday export --format csv`"), ("task summary", "`task summary`"),
                       ("task done", "`task UUID done`"), ("task overdue", "`task overdue`"),
                       ("task list", "`task list`"), ("import typer", "`python -c 'import typer'`")):  # fmt: skip
        cells = [f"{r[f'{n} {key}']['s'] * 1000:,.0f} / {r[f'{n} {key}']['mb']:.0f}" if f"{n} {key}" in r else "—"
                 for n in [100, *sizes]]  # fmt: skip
        print(f"| {label} | " + " | ".join(cells) + " |")
    print(f"\n- embedded plan: `status` {r['embedded status']['s'] * 1000:.0f} ms, `overdue --format json` "
          f"{r['embedded overdue json']['s'] * 1000:.0f} ms, `done` {r['embedded done']['s'] * 1000:.0f} ms, "
          f"`--version` {r['embedded version']['s'] * 1000:.0f} ms; `import typer, rich.table` "
          f"{r['embedded import typer, rich.table']['s'] * 1000:.0f} ms, `import typer` "
          f"{r['embedded import typer']['s'] * 1000:.0f} ms")  # fmt: skip
    print(f"- first run after editing the {largest:,}-item plan: {r['edited']['s'] * 1000:,.0f} ms, "
          f"peak {r['edited']['mb']:.0f} MB")  # fmt: skip
    for events in journals:
        j = r[f"journal {events} cold"]
        print(f"- cold read of a {events:,}-event journal (1,000-item plan, no cache): {j['s'] * 1000:,.0f} ms, "
              f"peak {j['mb']:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
