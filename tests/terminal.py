"""Run the console script in a real terminal (a detached tmux pane) and read the screen back."""

import itertools
import os
import re
import shlex
import subprocess
import time
from pathlib import Path

from tests.conftest import DSDAY

SENTINEL = "@@dsday-exit"  # printed after the command with its exit code: the run is over
# Variables that would change what Rich draws on a terminal; the pane gets none of them.
UNSET = ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "TMUX", "TMUX_PANE")
_sessions = itertools.count()


def run_in_terminal(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    width: int = 120,
    height: int = 60,
    escapes: bool = False,
    joined: bool = False,
) -> tuple[int, str]:
    """Run ``dsday ARGS`` in a width × height terminal; its exit code and everything it drew.

    The pane gets TERM=xterm-256color and none of UNSET unless ``env`` sets them; the screen
    is read with its scrollback, without escape codes unless ``escapes``; with ``joined``, a
    line the terminal wrapped because it was wider than the pane is read back whole.
    """
    name = f"dsday-{os.getpid()}-{next(_sessions)}"
    settings = {"TERM": "xterm-256color"} | (env or {})
    # tmux sets TERM in a pane from its own options, so the command sets its environment itself.
    command = shlex.join(
        ["env", *[f"--unset={var}" for var in UNSET if var not in settings], *[f"{k}={v}" for k, v in settings.items()]]
        + [DSDAY, *args]
    )
    script = f"{command}; echo {SENTINEL} $?; sleep 600"
    tmux = ["tmux", "-f", os.devnull, "-L", name]
    new = [*tmux, "new-session", "-d", "-x", str(width), "-y", str(height), "-s", name, "-c", str(cwd), script]
    server_env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}  # even when run inside tmux
    subprocess.run(new, check=True, env=server_env | {"LC_CTYPE": "C.UTF-8"})
    socket = subprocess.run([*tmux, "display-message", "-p", "#{socket_path}"], capture_output=True, text=True).stdout
    try:
        capture = [*tmux, "capture-pane", "-p", "-S", "-", "-E", "-", "-t", name] + (["-e"] if escapes else [])
        capture += ["-J"] if joined else []
        lines: list[str] = []
        for _ in range(1200):  # up to a minute on a loaded machine; usually a fraction of a second
            lines = subprocess.run(capture, capture_output=True, text=True, check=True).stdout.splitlines()
            for number, line in enumerate(lines):
                if found := re.search(SENTINEL + r" (\d+)", line):
                    return int(found[1]), "".join(drawn + "\n" for drawn in lines[:number])
            time.sleep(0.05)
        raise AssertionError(f"dsday {shlex.join(args)} did not finish in the terminal; screen:\n" + "\n".join(lines))
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
        if socket.strip():
            Path(socket.strip()).unlink(missing_ok=True)  # tmux leaves its socket file behind


class ShellSession:
    """An interactive shell (bash, zsh, fish) in a detached tmux pane, typed into key by key and read back.

    ``with ShellSession(["bash", "--norc", "-i"], cwd, env) as shell:`` starts it with exactly
    ``env`` (plus TERM); ``shell.type("dsday show v7")`` types text, ``shell.keys("Tab")`` presses
    keys by their tmux names, ``shell.wait_for(pattern)`` returns the screen once it matches.
    """

    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str], width: int = 120, height: int = 40):
        self.name = f"dsday-shell-{os.getpid()}-{next(_sessions)}"
        self.tmux = ["tmux", "-f", os.devnull, "-L", self.name]
        self.argv, self.cwd, self.env, self.size = argv, cwd, {"TERM": "xterm-256color"} | env, (width, height)

    def __enter__(self) -> "ShellSession":
        command = shlex.join(["env", "-i", *[f"{k}={v}" for k, v in self.env.items()], *self.argv])
        width, height = self.size
        new = [*self.tmux, "new-session", "-d", "-x", str(width), "-y", str(height), "-s", self.name, "-c", str(self.cwd)]
        server_env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
        subprocess.run([*new, command], check=True, env=server_env | {"LC_CTYPE": "C.UTF-8"})
        self.socket = subprocess.run(
            [*self.tmux, "display-message", "-p", "#{socket_path}"], capture_output=True, text=True
        ).stdout.strip()
        return self

    def __exit__(self, *exc) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)
        if self.socket:
            Path(self.socket).unlink(missing_ok=True)

    def type(self, text: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, "-l", text], check=True)

    def keys(self, *names: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *names], check=True)

    def screen(self) -> str:
        capture = [*self.tmux, "capture-pane", "-p", "-t", self.name]
        return subprocess.run(capture, capture_output=True, text=True, check=True).stdout

    def wait_for(self, pattern: str, seconds: float = 60) -> str:
        """The screen once ``pattern`` (a regular expression) is on it; AssertionError with the screen if it never is."""
        screen = ""
        for _ in range(int(seconds / 0.05)):
            screen = self.screen()
            if re.search(pattern, screen, re.M):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{pattern!r} never appeared; screen:\n{screen}")
