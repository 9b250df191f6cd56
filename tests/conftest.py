"""Shared fixtures: every test runs in its own directory with its own state and cache."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dsday_cli.cli.commands import app

DSDAY = str(Path(sys.executable).parent / "dsday")
ROOT = Path(__file__).resolve().parent.parent
EMBEDDED = ROOT / "plan.yaml"

# System tools the tests drive for real (Debian package names); see README, "Set up".
SYSTEM_TOOLS = {
    "faketime": "faketime",
    "tmux": "tmux",
    "git": "git",
    "chromium": "chromium",
    "ssconvert": "gnumeric",
    "soffice": "libreoffice-writer-nogui libreoffice-calc-nogui",  # the Word report and workbooks, as LibreOffice has them
    "pdftotext": "poppler-utils",
    "zsh": "zsh",  # shell completion scripts
    "fish": "fish",
}


def pytest_sessionstart(session) -> None:
    """Stop at once, in one line, when a system tool the tests need is missing."""
    missing = [package for tool, package in SYSTEM_TOOLS.items() if not shutil.which(tool)]
    if missing:
        pytest.exit(
            f"missing system tools: {', '.join(missing)}; install them with: apt-get install {' '.join(missing)}",
            returncode=4,
        )


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No test touches a real home, configuration, state or cache, or inherits a DSDAY_* setting.

    Set in the process environment, so the console scripts the tests start inherit it too.
    """
    for name in list(os.environ):
        if name.startswith("DSDAY_") or name in ("NO_COLOR", "LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("DSDAY_USER", "tester")
    monkeypatch.chdir(tmp_path)
    from dsday_cli.core.i18n import choose

    choose(None)  # an in-process run with --lang or DSDAY_LANG leaves its language chosen: help words would follow it
    return tmp_path


class Result:
    """What a dsday run gave: exit code, stdout, stderr."""

    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"Result(code={self.code}, out={self.out[:400]!r}, err={self.err[:400]!r})"


@pytest.fixture
def cli():
    """Run dsday in-process through Typer's CliRunner."""

    def run(*args: str, env: dict | None = None) -> Result:
        result = CliRunner().invoke(app, list(args), env=env)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def sh():
    """Run the installed console script as a separate process."""

    def run(*args: str, env: dict | None = None, input: str | None = None, cwd=None) -> Result:
        full_env = dict(os.environ) | (env or {})
        done = subprocess.run(
            [DSDAY, *args], capture_output=True, text=True, env=full_env, input=input, cwd=cwd, timeout=120
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run


def write_plan(path: Path, items: int = 3, agencies: int = 2, members: int = 0, extra: str = "") -> Path:
    """A small valid plan with ``items`` items spread over ``agencies`` agencies, each due by 15/10/2023."""
    lines = [
        "id: test-plan",
        "title: Kế hoạch thử",
        "issuer: UBND tỉnh Thử",
        "year: 2023",
        "theme: Dữ liệu số",
        "national_day: 2023-10-10",
        "campaign: {start: 2023-09-15, end: 2023-10-15}",
        "milestones:",
        "  - {id: report, title: Báo cáo, date: 2023-10-25, deadline: before}",
        "agencies:",
    ]
    for a in range(agencies):
        lines.append(f"  - id: ag{a}\n    name: Cơ quan số {a}\n    short_name: CQ{a}")
        if members and a == 0:
            lines.append("    members:")
            lines += [f"      - {{id: m{m}, name: Thành viên {m}}}" for m in range(members)]
    lines.append("responsibilities:")
    for i in range(items):
        lines.append(
            f"  - {{id: t{i}, ref: V.{i % agencies + 1}, agency: ag{i % agencies}, title: Việc số {i}, "
            "deadline: {kind: by, date: 2023-10-15}}"
        )
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path
