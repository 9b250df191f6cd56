"""What dsday takes from the machine: environment variables, the clock, the login, the user's directories.

This is the edge. The CLI builds an ``Environment`` once per run (and
``open_workspace`` does, for a script that passes none); every module below takes
these values as arguments and reads none of them itself.
"""

import os
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from pathlib import Path

from dsday_cli.core.records import record

LOCK_TIMEOUT_SECONDS = 5.0


def _home(environ: Mapping[str, str]) -> Path | None:
    """The home directory: ``$HOME``, else the user's passwd entry; None when neither gives an absolute path."""
    home = environ.get("HOME", "")
    if not home:
        import pwd

        try:
            home = pwd.getpwuid(os.getuid()).pw_dir
        except KeyError:  # no passwd entry: a container's cron with an arbitrary uid
            return None
    return Path(home) if os.path.isabs(home) else None


def _home_dir(environ: Mapping[str, str], name: str, fallback: tuple[str, ...]) -> Path | None:
    """An XDG base directory: ``$NAME``, else under the home directory; None without either.

    Relative values are ignored, as the XDG specification says: a relative state
    directory would put the journal wherever the command happened to run.
    """
    if os.path.isabs(environ.get(name, "")):
        return Path(environ[name])
    home = _home(environ)
    return home.joinpath(*fallback) if home else None


def _login() -> str | None:
    # What getpass.getuser does, without importing getpass (and termios with it, ~1 ms on
    # every command): its variables in its order, then the password database.
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        if login := os.environ.get(name):
            return login
    try:
        import pwd

        return pwd.getpwuid(os.getuid())[0]
    except Exception:  # no login name in a bare environment (cron in a container), or no pwd (Windows)
        return None


@record(frozen=True)
class Environment:
    """The settings a run takes from outside: directories, who is recording, the time it is."""

    state_dir: Path | None  # journals of the embedded plan; None: no home to keep them in
    cache_dir: Path | None  # derived data; None turns caching off
    user: str | None  # who records, unless --by says otherwise (see ``workspace.who_records``)
    config_file: Path  # settings: SMTP server, coordinator (/etc/dsday/config.toml without a home)
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)  # the time it is, aware
    lock_timeout: float = LOCK_TIMEOUT_SECONDS
    index: bool = True  # answer from the derived index in cache_dir (DSDAY_NO_INDEX=1: the exact path only)
    user_named: bool = True  # ``user`` was named ($DSDAY_USER, a caller), not taken from the login

    @classmethod
    def from_os(cls, environ: Mapping[str, str] | None = None) -> "Environment":
        """The environment of this process: XDG directories, DSDAY_* variables, the login, the clock."""
        environ = os.environ if environ is None else environ
        cache = None if environ.get("DSDAY_NO_CACHE") else _home_dir(environ, "XDG_CACHE_HOME", (".cache",))
        state = _home_dir(environ, "XDG_STATE_HOME", (".local", "state"))
        try:
            timeout = float(environ.get("DSDAY_LOCK_TIMEOUT", LOCK_TIMEOUT_SECONDS))
        except ValueError:
            timeout = LOCK_TIMEOUT_SECONDS
        return cls(
            state_dir=state / "dsday" if state else None,
            cache_dir=cache / "dsday" if cache else None,
            user=environ.get("DSDAY_USER") or _login(),
            config_file=(_home_dir(environ, "XDG_CONFIG_HOME", (".config",)) or Path("/etc")) / "dsday" / "config.toml",
            lock_timeout=timeout,
            index=not environ.get("DSDAY_NO_INDEX"),
            user_named=bool(environ.get("DSDAY_USER")),
        )
