"""The user's configuration file: the mail server that ``dsday remind --send`` uses.

A small TOML file, ``$XDG_CONFIG_HOME/dsday/config.toml`` (``~/.config/dsday/config.toml``)
unless ``--config`` names another. The CLI resolves the path and reads the password
from the environment (``DSDAY_SMTP_PASSWORD``); this module only reads and checks the file::

    [smtp]
    host = "mail.example.gov.vn"
    port = 587                 # default: 465 with ssl, else 587 with starttls, else 25
    user = "stttt@example.gov.vn"        # log in when given; the password from DSDAY_SMTP_PASSWORD
    from = "Sở Thông tin và Truyền thông <stttt@example.gov.vn>"
    starttls = true            # default true
    ssl = false                # implicit TLS (port 465) instead of STARTTLS
    timeout = 30               # seconds

    [remind]
    coordinator = "stttt"      # the agency that sends reminders; default: the plan's first agency

    [user]
    name = "Nguyễn Văn A, Sở TT&TT"   # who records (done, reopen, note) unless --by says; default: the login
"""

from pathlib import Path

from dsday_cli.core.errors import ConfigError
from dsday_cli.core.i18n import _
from dsday_cli.core.records import record

MAX_CONFIG_BYTES = 1024 * 1024


@record(frozen=True)
class SmtpSettings:
    """How to reach the mail server."""

    host: str
    port: int
    sender: str  # the From header, e.g. 'Sở TT&TT <stttt@example.gov.vn>'
    user: str | None = None
    starttls: bool = True
    ssl: bool = False
    timeout: float = 30.0


@record(frozen=True)
class Config:
    """The settings the file gives (all optional until a command needs them)."""

    path: Path
    smtp: SmtpSettings | None
    coordinator: str | None
    name: str | None = None  # who records, unless --by says otherwise


def load_config(path: Path) -> Config:
    """The settings in ``path``; an absent file gives no settings; a wrong one raises ConfigError."""
    from dsday_cli.store.files import open_regular

    try:
        with open_regular(path) as stream:  # a FIFO or device is refused at once: every `done` reads this file
            raw = stream.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        return Config(path, None, None)
    except OSError as error:
        raise ConfigError(_("{path}: cannot read: {reason}").format(path=path, reason=error.strerror)) from None
    import tomllib  # here, not above: without a file (the usual case) `done` need not load a TOML parser (~2 ms)

    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(_("{path}: not a valid TOML file: {error}").format(path=path, error=error)) from None
    smtp = data.get("smtp")
    remind = data.get("remind") or {}
    if not isinstance(remind, dict) or not isinstance(remind.get("coordinator", ""), str):
        raise ConfigError(_("{path}: [remind] coordinator must be text").format(path=path))
    user = data.get("user") or {}
    if not isinstance(user, dict) or not isinstance(user.get("name", ""), str):
        raise ConfigError(_("{path}: [user] name must be text").format(path=path))
    smtp_settings = _smtp(path, smtp) if smtp is not None else None
    return Config(path, smtp_settings, remind.get("coordinator") or None, (user.get("name") or "").strip() or None)


def _smtp(path: Path, table: object) -> SmtpSettings:
    def wrong(key: str, expected: str) -> ConfigError:
        return ConfigError(_("{path}: [smtp] {key} must be {expected}").format(path=path, key=key, expected=expected))

    if not isinstance(table, dict):
        raise wrong("smtp", "a table")
    known = {"host", "port", "user", "from", "starttls", "ssl", "timeout"}
    if unknown := sorted(set(table) - known):
        raise ConfigError(
            _("{path}: [smtp] unknown key '{key}'; known: {known}").format(
                path=path, key=unknown[0], known=", ".join(sorted(known))
            )
        )
    for key in ("host", "from"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise wrong(key, _("text (it is required)"))
    if not _sendable(table["from"]):
        raise wrong(
            "from", _("one address in ASCII letters, a name before it if you like: Sở TT&TT <stttt@example.gov.vn>")
        )
    if table.get("user") is not None and not isinstance(table["user"], str):
        raise wrong("user", _("text"))
    for key in ("starttls", "ssl"):
        if not isinstance(table.get(key, False), bool):
            raise wrong(key, "true / false")
    ssl = table.get("ssl", False)
    starttls = table.get("starttls", not ssl)
    port = table.get("port", 465 if ssl else 587 if starttls else 25)
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise wrong("port", _("a number from 1 to 65535"))
    timeout = table.get("timeout", 30)
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
        raise wrong("timeout", _("a number of seconds"))
    return SmtpSettings(
        table["host"].strip(), port, table["from"].strip(), table.get("user") or None, starttls, ssl, float(timeout)
    )


def _sendable(sender: str) -> bool:
    """Whether ``from`` names one address that a mail header can carry: ASCII, one line."""
    from email.utils import parseaddr

    from dsday_cli.core.model import one_line

    try:
        one_line(sender)
    except ValueError:
        return False
    address = parseaddr(sender)[1]
    return address.isascii() and "@" in address.strip("@")
