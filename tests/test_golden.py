"""Golden outputs: the exact text of status, list, show and report, in a pipe and in a terminal.

The embedded plan as of 12/10/2023 with a small fixed journal (JOURNAL: recorded through
the console script under faketime, so recording times are fixed too) goes through each
view in English and Vietnamese, (a) through a pipe and (b) in a 120-column tmux terminal,
and each output must equal its file in tests/golden/; a mismatch shows a unified diff.
When a view changes on purpose, regenerate every file and review the diff in git:

    DSDAY_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

import difflib
import os
import subprocess

import pytest

from tests.conftest import DSDAY, ROOT
from tests.terminal import run_in_terminal

GOLDEN = ROOT / "tests" / "golden"
UPDATE = os.environ.get("DSDAY_UPDATE_GOLDEN") == "1"  # read at import: the isolated fixture clears DSDAY_*
AS_OF = ["--as-of", "12/10/2023"]
USER = "Nguyễn Văn An"

# (recording time in UTC, arguments of `dsday done`)
JOURNAL = [
    ("2023-10-10 03:00:00", ["v1-3", "--on", "10/10/2023", "--note", "Lễ phát động tại Vinh"]),  # late: "before"
    ("2023-10-10 08:30:00", ["v7-1", "--member", "vinh", "--on", "10/10/2023"]),
    ("2023-10-11 02:15:00", ["v7-1", "--member", "cua-lo", "--on", "11/10/2023", "--note", "Kế hoạch số 12/KH-UBND"]),
    ("2023-10-11 09:00:00", ["v1-6", "--on", "11/10/2023"]),
    ("2023-10-12 01:00:00", ["v2-1", "--on", "12/10/2023", "--by", "Sở GD&ĐT"]),
]

VIEWS = {
    "status": ["status"],
    "list": ["list"],
    "show-v7-1": ["show", "v7-1"],  # a group item: members and their progress
    "show-v1-6": ["show", "v1-6"],
    "report": ["report", "--format", "md"],
}


@pytest.fixture(scope="module")
def journal(tmp_path_factory) -> dict[str, str]:
    """The fixed journal, recorded once for the module by the console script; the views' environment."""
    root = tmp_path_factory.mktemp("golden")
    path = root / "golden.progress.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DSDAY_") and k not in ("LANGUAGE", "LC_ALL")}
    env |= {
        "HOME": str(root / "home"),
        "XDG_STATE_HOME": str(root / "state"),
        "XDG_CACHE_HOME": str(root / "cache"),
        "TZ": "UTC",  # faketime reads its timestamp in local time
        "DSDAY_USER": USER,
        "DSDAY_PROGRESS": str(path),
        "DSDAY_LANG": "en",
    }
    for at, args in JOURNAL:
        done = subprocess.run(["faketime", at, DSDAY, "done", *args], env=env, capture_output=True, text=True)
        assert done.returncode == 0 and done.stdout.startswith(args[0]) and done.stderr == "", (args, done)
    assert len(path.read_text(encoding="utf-8").splitlines()) == len(JOURNAL)
    # The views read this journal, and share the plan cache its recording built (one cold load, not twenty).
    return {"DSDAY_PROGRESS": str(path), "XDG_CACHE_HOME": env["XDG_CACHE_HOME"]}


def check_golden(name: str, actual: str) -> None:
    """``actual`` is exactly tests/golden/NAME (or becomes it with DSDAY_UPDATE_GOLDEN=1)."""
    assert actual.strip(), f"{name}: empty output"
    path = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
        return
    if not path.is_file():
        pytest.fail(f"tests/golden/{name} is missing: run DSDAY_UPDATE_GOLDEN=1 pytest tests/test_golden.py")
    with open(path, encoding="utf-8", newline="") as stream:  # newline="": a stray CR is a difference
        expected = stream.read()
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            f"tests/golden/{name}",
            "actual output",
        )
        pytest.fail(
            "".join(diff) + "\nif the change is intended: DSDAY_UPDATE_GOLDEN=1 pytest tests/test_golden.py",
            pytrace=False,
        )


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("view", VIEWS)
def test_through_a_pipe(sh, journal, monkeypatch, view, lang):
    monkeypatch.delenv("COLUMNS", raising=False)  # a pipe's width is dsday's default, not the caller's shell
    result = sh(*VIEWS[view], *AS_OF, "--lang", lang, env=journal)
    assert result.code == 0 and result.err == "", result
    check_golden(f"{view}.{lang}.pipe.txt", result.out)


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("view", VIEWS)
def test_in_a_terminal_of_120_columns(tmp_path, journal, view, lang):
    code, screen = run_in_terminal(
        *VIEWS[view], *AS_OF, "--lang", lang, cwd=tmp_path, env=journal
    )
    assert code == 0, screen
    assert all(len(line) <= 120 for line in screen.splitlines())
    check_golden(f"{view}.{lang}.tty.txt", screen)
