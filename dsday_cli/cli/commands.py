"""The dsday command line: thin Typer commands over the service API (``workspace.py``).

This is the only module that prints or exits. Each command parses its options,
calls the API, renders, prints and exits; one decorator turns errors into exit codes.
The environment, the clock and the terminal are read here and passed down.
"""

# Annotations stay text until Typer reads them: only the invoked command's options are built.
from __future__ import annotations

import functools
import inspect
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from dsday_cli._version import __version__
from dsday_cli.core.errors import DsdayError, ExitCode, OutputError, OutputExists, PlanInvalid, UsageError
from dsday_cli.core.i18n import _, choose, language_from, n_
from dsday_cli.cli.usage import Command, Group, command_help

app = typer.Typer(
    name="dsday",
    cls=Group,
    help=_("Track a province's plan for National Digital Transformation Day (10 October)."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class TableFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    xlsx = "xlsx"


class StatusFormat(str, Enum):
    table = "table"
    json = "json"
    md = "md"


class ShowFormat(str, Enum):
    table = "table"
    json = "json"


class ReportFormat(str, Enum):
    md = "md"
    html = "html"
    docx = "docx"


class ExportFormat(str, Enum):
    md = "md"
    csv = "csv"
    json = "json"
    ics = "ics"
    xlsx = "xlsx"


DATE = "DD/MM/YYYY"  # the metavar of every date option; ISO is accepted too
PlanOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--plan",
        envvar="DSDAY_PLAN",
        metavar=_("FILE"),
        help=_("Plan file [default: ./plan.yaml, else the embedded plan]."),
        show_default=False,
    ),
]
ProgressOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--progress",
        envvar="DSDAY_PROGRESS",
        metavar=_("FILE"),
        help=_(
            "Progress journal [default: PLAN.progress.jsonl beside the plan file; for the embedded plan,"
            " in $XDG_STATE_HOME/dsday, else ~/.local/state/dsday]."
        ),
        show_default=False,
    ),
]
AsOfOpt = Annotated[
    Optional[str],
    typer.Option(
        "--as-of",
        envvar="DSDAY_AS_OF",
        metavar=DATE,
        help=_("Judge as of this day [default: today in the plan's time zone]."),
        show_default=False,
    ),
]
AgencyOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--agency",
        "-a",
        metavar=_("AGENCY"),
        help=_("Agency or member: id, short name or part of the name (repeatable)."),
        show_default=False,
    ),
]
DelimiterOpt = Annotated[str, typer.Option("--delimiter", metavar=_("CHAR"), help=_("CSV field separator, e.g. ';'."))]
BomOpt = Annotated[
    bool,
    typer.Option("--bom", help=_("CSV: start with a byte-order mark even on stdout (files written with -o have one).")),
]
TableFormatOpt = Annotated[TableFormat, typer.Option("--format", "-f", help=_("Output format."))]
OutputOpt = Annotated[
    Optional[Path],
    typer.Option("--output", "-o", metavar=_("FILE"), help=_("Write to this file (atomically)."), show_default=False),
]


def fail(message: str, code: ExitCode) -> None:
    """Print a one-line error on stderr and exit with ``code``."""
    sys.stderr.write(f"dsday: {message}\n")
    raise typer.Exit(int(code))


# The API's parameters that a command line gives with an option of another name.
OPTIONS = {
    "on": "--on", "as_of": "--as-of", "due_before": "--due-before", "due_after": "--due-after", "since": "--since",
    "until": "--until", "signed_on": "--date",
}  # fmt: skip


def worded(error: DsdayError | str) -> str:
    """An error (or a ``Worded`` message) in the command line's words: the options the user typed, where the API names none."""
    texts = {
        "role.unknown": lambda: _("--role: '{role}' is not lead or partner"),
        "role.without-agency": lambda: _("--role says how an agency takes part: give --agency too"),
        "sort.unknown": lambda: _("--sort: '{key}' is not one of {keys}"),
        "limit.negative": lambda: _("--limit: {limit} is not a number of items"),
        "by-day.unknown": lambda: _("--by-day: '{day}' is not work or recorded"),
        "on.future": lambda: _("--on: {day} is in the future (today is {today})"),
        "on.before-year": lambda: _(
            "--on: {day} is before the plan's year {year}; give --force if the work was truly done then"
        ),
        "alarm.not-ics": lambda: _("--alarm sets a calendar reminder: use it with --format ics"),
        "exists": lambda: _("{path} exists; use --force to overwrite it"),
        "sync.embedded": lambda: _(
            "the embedded plan is not in a repository; start your own with 'dsday init DIR --git'"
        ),
        "status.unknown": lambda: _("--status: unknown status '{name}'; choose from {choices}"),
        "day.unreadable": lambda: "{what}: {error}",
        "journal.no-home": lambda: _(
            "no home directory to keep the embedded plan's journal in (HOME is unset and the user has no passwd entry): give --progress FILE or set XDG_STATE_HOME"
        ),
        "edit.embedded": lambda: _(
            "the embedded plan is not edited; start your own with 'dsday init DIR', then give --plan"
        ),
        "fields.unknown": lambda: _("--json: unknown field '{field}'; available fields: {fields}"),
        "fields.none": lambda: _("--json: name the fields to print, separated by commas: {fields}"),
        "delimiter.bad": lambda: _(
            "--delimiter: '{delimiter}' is not one character other than a quote or a line break"
        ),
        "members.member": lambda: _("--members {text}: names a member, not an agency"),
        "rollover.theme-kept": lambda: _("theme kept from {year} ('{theme}'); give next year's with --theme"),
        "import.calendar": lambda: _(
            "{file}: this is an iCalendar file (ICS), not a checklist; export one with --format csv, xlsx or md"
        ),
        "draft.no-year": lambda: _(
            "{name}: the document names no year (no 'năm YYYY' in its title); give it with --year"
        ),
        "day.far": lambda: _("{what}: {day} is more than {years} years after the plan's year {year}"),
    }
    problem = getattr(error, "problem", None)
    text = texts.get(problem or "")
    if text is None:
        return str(error)
    values = dict(getattr(error, "values", {}))
    if "what" in values:
        values["what"] = OPTIONS.get(str(values["what"]), values["what"])
    return text().format(**values)


def guarded(command):
    """Turn domain errors into a message and their exit code; never a traceback."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except PlanInvalid as error:
            more = len(error.problems) - 1
            hint = (
                "\ndsday: "
                + n_(
                    "({count} more problem; run 'dsday validate')",
                    "({count} more problems; run 'dsday validate')",
                    more,
                ).format(count=more)
                if more
                else ""
            )
            fail(error.problems[0] + hint, error.exit_code)
        except DsdayError as error:
            fail(worded(error), error.exit_code)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            closed_stdout()
            raise typer.Exit(0) from None
        except OutputError as error:
            output_failed(error)
        except Exception as error:  # a bug: say so in one line unless debugging
            internal_error(error)

    return run


def internal_error(error: Exception) -> None:
    """A bug: say so in one line (exit 70), or raise it again with DSDAY_DEBUG for its traceback."""
    if os.environ.get("DSDAY_DEBUG"):
        raise error
    message = _("internal error: {error} (set DSDAY_DEBUG=1 for details)").format(
        error=f"{type(error).__name__}: {error}"
    )
    fail(message, ExitCode.SOFTWARE)


def output_failed(error: OSError) -> None:
    """stdout cannot be written: one line, exit 74; what is left of the output goes nowhere."""
    closed_stdout()
    reason = error.strerror or str(error)
    fail(_("cannot write the output: {reason}").format(reason=reason), ExitCode.IOERR)


def command(name: str | None = None):
    """Register a guarded command; its docstring, translated but for its examples, is its help."""
    return lambda function: app.command(name, cls=Command, help=command_help(function.__doc__))(guarded(function))


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"dsday {__version__}\n")
        raise typer.Exit()


class Language(str, Enum):
    en = "en"
    vi = "vi"


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help=_("Show the version."))
    ] = False,
    lang: Annotated[
        Optional[Language],
        typer.Option(
            "--lang",
            help=_("Interface language: vi or en [default: $DSDAY_LANG, else the locale]."),
            show_default=False,
        ),
    ] = None,
) -> None:
    """Track a province's plan for National Digital Transformation Day (10 October)."""
    explicit = lang.value if lang else os.environ.get("DSDAY_LANG")
    choose(lang.value if lang else language_from(os.environ), explicit=bool(explicit))


# ---- output -----------------------------------------------------------------


class _TrimmedLines:
    """A pipe's view of Rich output: lines without the padding Rich adds to fill columns."""

    encoding = "utf-8"

    def __init__(self, stream):
        self.stream, self.pending = stream, ""

    def write(self, text: str) -> int:
        *lines, self.pending = (self.pending + text).split("\n")
        self.stream.write("".join(line.rstrip() + "\n" for line in lines))
        return len(text)

    def flush(self) -> None:
        self.stream.write(self.pending.rstrip())
        self.pending = ""
        self.stream.flush()

    def isatty(self) -> bool:
        return False


def console():
    """A Rich console on stdout: colour and boxes on a terminal, plain trimmed text in a pipe."""
    from rich.console import Console

    class Output(Console):
        def on_broken_pipe(self) -> None:  # Rich's own exits 1; a reader that has had enough is no failure
            closed_stdout()
            raise typer.Exit(0)

    # Plan and journal text is not ours: no Rich markup, emoji codes or highlighting in it.
    environ = dict(os.environ)  # what Rich reads of the screen: COLUMNS and LINES within bounds (or none)
    for name, most in (("COLUMNS", MAX_COLUMNS), ("LINES", MAX_LINES)):
        value = environ.pop(name, "")
        if value.isascii() and value.isdigit() and value.lstrip("0"):
            environ[name] = str(screen_number(name, value, most))
    if sys.stdout.isatty():
        return Output(markup=False, highlight=False, emoji=False, _environ=environ)
    width = screen_number("COLUMNS", os.environ.get("COLUMNS", "160"), MAX_COLUMNS)
    return Output(
        file=_TrimmedLines(sys.stdout), width=width, markup=False, highlight=False, emoji=False, soft_wrap=False,
        _environ=environ,
    )  # fmt: skip


def write(text, output: Path | None = None, protect: tuple[Path, ...] = ()) -> None:
    """Print ``text`` (str, bytes or str pieces) or write it atomically to ``output`` (never a file in ``protect``).

    Bytes never go to a terminal; pieces are written as they are made.
    """
    if output is None:
        if isinstance(text, str):
            sys.stdout.write(text)
            return
        if not isinstance(text, bytes):  # pieces, printed as they are made
            for piece in text:
                sys.stdout.write(piece)
            return
        if sys.stdout.isatty():
            raise UsageError(_("a binary file (xlsx, docx) is not for a terminal: write it with --output FILE"))
        sys.stdout.flush()
        sys.stdout.buffer.write(text)
        return
    from dsday_cli.app.plans import save

    save(output, text, protect=protect)
    sys.stderr.write("dsday: " + _("wrote {path}").format(path=output) + "\n")


def warn_all(warnings: list[str]) -> None:
    """Journal problems go to stderr; they never stop a command."""
    for warning in warnings:
        sys.stderr.write("dsday: " + _("warning: {message}").format(message=warning) + "\n")


def environment():
    """What this run takes from the machine (directories, who records, the time): read here, passed down."""
    from dsday_cli.app.environment import Environment

    return Environment.from_os()


def open_ws(plan: Path | None, progress: Path | None, as_of: str | None):
    """Load the workspace and report what the journal could not say."""
    from dsday_cli.app.workspace import open_workspace

    ws = open_workspace(plan, progress, as_of, environment())
    warn_all(ws.warnings)
    return ws


def print_records(
    records: list[dict], columns: tuple[str, ...], fmt: "TableFormat", delimiter: str, bom: bool = False, ws=None
) -> bool:
    """Print records as JSON, CSV, XLSX or a Markdown table; False for ``table``, which the caller draws."""
    if fmt is TableFormat.table:
        return False
    if fmt is TableFormat.xlsx:
        from dsday_cli.views.xlsx import records_workbook

        write(records_workbook(records, columns, ws.plan.id, ws.as_of))
        return True
    from dsday_cli.views.render import records_text

    write(records_text(records, columns, fmt.value, delimiter, bom))
    return True


def print_fields(records: list[dict], fields: str, valid: tuple[str, ...], fmt: "TableFormat") -> None:
    """``--json FIELDS``: the records as JSON with only those fields."""
    from dsday_cli.views.render import pick_fields, to_json

    if fmt not in (TableFormat.table, TableFormat.json):
        raise UsageError(_("--json prints JSON: leave out --format {format}").format(format=fmt.value))
    write(to_json(pick_fields(records, fields, valid)))


def print_items(ws, items, fmt: str, delimiter: str = ",", bom: bool = False) -> None:
    """Items as a table on the terminal, or as JSON, CSV, XLSX or a Markdown checklist."""
    if fmt != "table":
        write(ws.items_output(items, fmt, delimiter, bom, stream=True))
        return
    from dsday_cli.views.dashboard import items_table

    out = console()
    out.print(items_table(out, items) if items else _("No items."))


# ---- commands -----------------------------------------------------------------


@command()
def status(
    ctx: typer.Context,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[StatusFormat, typer.Option("--format", "-f", help=_("Output format."))] = StatusFormat.table,
    brief: Annotated[
        bool,
        typer.Option("--brief", help=_("One screen: the summary, then who is late and who is due soon, by agency.")),
    ] = False,
) -> None:
    """The dashboard: milestones, agencies, overdue, due soon.

    Examples:
      dsday status
      dsday status --brief --as-of 25/10/2023
      dsday status --format json > tinh-hinh.json
    """
    if brief and fmt is not StatusFormat.table:
        raise UsageError(_("--brief is a view for the screen: leave out --format {format}").format(format=fmt.value))
    ws = open_ws(plan, progress, as_of)
    board = ws.dashboard()
    if fmt is StatusFormat.table:
        from dsday_cli.views import dashboard

        out = console()
        draw = dashboard.brief if brief else dashboard.dashboard
        out.print(draw(out, board, options_in_force(ctx, ws.as_of), screen_lines(out)))
        return
    from dsday_cli.views import render

    write(render.to_json(render.status_record(board)) if fmt is StatusFormat.json else render.status_md(board))


def options_in_force(ctx: typer.Context, as_of) -> tuple[str, ...]:
    """The options typed on the command line that a command the output suggests must repeat to give the same answer.

    Options set by the environment are left out: the next command shares it. The day
    judged is written day first.
    """
    from dsday_cli.core.dates import day_first

    typed = {
        name: value
        for name, value in ctx.params.items()
        if value is not None and getattr(ctx.get_parameter_source(name), "name", "") == "COMMANDLINE"
    }
    language = ctx.find_root().params.get("lang")
    given = [
        ("--plan", typed.get("plan")),
        ("--progress", typed.get("progress")),
        ("--as-of", "as_of" in typed and day_first(as_of)),
        ("--lang", language and str(getattr(language, "value", language))),
    ]
    return tuple(part for name, value in given if value for part in (name, str(value)))


MAX_COLUMNS = 1000  # a wider screen (COLUMNS=99999999) is taken as this wide: layouts cost by the column
MAX_LINES = 10_000


def screen_number(name: str, value: str, most: int) -> int:
    """COLUMNS or LINES as a number from 1 to ``most`` (a larger one is ``most``); UsageError if it is none."""
    digits = value.lstrip("0")
    if not (value.isascii() and value.isdigit()) or not digits:
        if name == "LINES":
            raise UsageError(_("LINES: '{value}' is not a number of lines").format(value=value))
        raise UsageError(_("COLUMNS: '{value}' is not a number of columns").format(value=value))
    return most if len(digits) > len(str(most)) else min(int(digits), most)


def screen_lines(out) -> int | None:
    """The lines of the screen: LINES when set, else the terminal's; None in a pipe (the view's default)."""
    lines = os.environ.get("LINES")
    if lines is not None:
        return screen_number("LINES", lines, MAX_LINES)
    return min(out.height, MAX_LINES) if out.is_terminal else None


@command()
def agencies(
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
    fmt: TableFormatOpt = TableFormat.table,
    delimiter: DelimiterOpt = ",",
    bom: BomOpt = False,
    json_fields: Annotated[
        Optional[str],
        typer.Option("--json", metavar=_("FIELDS"), help=_("JSON with only these fields, e.g. id,done,overdue."),
                     show_default=False),
    ] = None,  # fmt: skip
) -> None:
    """Agencies and the members of group agencies, with their counts.

    Examples:
      dsday agencies
      dsday agencies --json id,name,overdue
      dsday agencies --format csv --delimiter ';' > co-quan.csv
    """
    from dsday_cli.views import render

    ws = open_ws(plan, progress, as_of)
    entries = ws.agency_counts()
    if json_fields is not None:
        print_fields([render.agency_record(e) for e in entries], json_fields, render.AGENCY_FIELDS, fmt)
        return
    if print_records([render.agency_record(e) for e in entries], render.AGENCY_COLUMNS, fmt, delimiter, bom, ws):
        return
    from dsday_cli.views.dashboard import agencies_table, members_table

    out = console()
    out.print(agencies_table(out, entries))
    for entry in entries:
        if entry.agency.members:
            out.print()
            out.print(members_table(out, entry, title=f"{entry.agency.name} ({entry.agency.id})"))


StatusOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--status",
        "-s",
        metavar=_("STATUS"),
        help=_("open, due-soon, overdue, done, done-late or all (repeatable)."),
        show_default=False,
    ),
]


@command("list")
def list_items(
    agency: AgencyOpt = None,
    status_: StatusOpt = None,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
    fmt: TableFormatOpt = TableFormat.table,
    delimiter: DelimiterOpt = ",",
    bom: BomOpt = False,
    due_before: Annotated[
        Optional[str],
        typer.Option("--due-before", metavar=DATE, help=_("Only items whose last on-time day is before this day."),
                     show_default=False),
    ] = None,
    due_after: Annotated[
        Optional[str],
        typer.Option("--due-after", metavar=DATE, help=_("Only items whose last on-time day is after this day."),
                     show_default=False),
    ] = None,
    search: Annotated[
        Optional[str],
        typer.Option("--search", metavar=_("TEXT"), help=_("Only items whose id, title or detail hold every word of TEXT (accents ignored)."),
                     show_default=False),
    ] = None,
    role: Annotated[
        Optional[str],
        typer.Option("--role", metavar="<lead|partner>", help=_("With --agency: only the items it leads, or those it partners on."),
                     show_default=False),
    ] = None,
    sort: Annotated[
        Optional[str],
        typer.Option("--sort", metavar="<due|id|agency|status>", help=_("Order of the items [default: the plan's]."),
                     show_default=False),
    ] = None,
    limit: Annotated[
        Optional[int], typer.Option("--limit", min=0, metavar="N", help=_("Only the first N items."), show_default=False)
    ] = None,
    json_fields: Annotated[
        Optional[str],
        typer.Option("--json", metavar=_("FIELDS"), help=_("JSON with only these fields, e.g. id,status,due."),
                     show_default=False),
    ] = None,
) -> None:  # fmt: skip
    """Responsibilities, filtered by agency, status, deadline or text.

    Examples:
      dsday list --agency "so gd" --status overdue
      dsday list --due-before 10/10/2023 --search "bang ron"
      dsday list --sort due --limit 5 --json id,status,due
    """
    from dsday_cli.views import render

    ws = open_ws(plan, progress, as_of)
    pick = ws.select if fmt is TableFormat.table or json_fields is not None else ws.iter_select  # text: streamed
    items = pick(
        agency or (), status_ or (), due_before=due_before, due_after=due_after, search=search, role=role,
        sort=sort, limit=limit,
    )  # fmt: skip
    if json_fields is not None:
        print_fields([render.item_record(s) for s in items], json_fields, render.ITEM_FIELDS, fmt)
        return
    print_items(ws, items, fmt.value, delimiter, bom)


@command()
def show(
    item_id: Annotated[str, typer.Argument(metavar=_("ITEM"), help=_("Item id, e.g. v1-6."))],
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help=_("Output format."))] = ShowFormat.table,
) -> None:
    """One responsibility in full, with its members and history.

    Examples:
      dsday show v1-6
      dsday show v7-1 --as-of 10/10/2023
      dsday show v2-1 --format json
    """
    ws = open_ws(plan, progress, as_of)
    status = ws.item(item_id)
    history = ws.history(status.item.id)
    if fmt is ShowFormat.json:
        from dsday_cli.views import render

        write(render.to_json(render.item_record(status) | {"history": [render.event_record(e) for e in history]}))
        return
    from dsday_cli.views.dashboard import item_view
    from dsday_cli.views.render import partial_copy

    out = console()
    agencies = ws.plan.agencies_by_id
    partners = [agencies[p].name if p in agencies else p for p in status.item.partners]
    out.print(item_view(out, status, history, ws.plan.zone(), partners, partial_copy(ws.plan)))


MemberOpt = Annotated[
    Optional[str],
    typer.Option("--member", "-m", metavar=_("MEMBER"), help=_("One member of a group agency."), show_default=False),
]
NoteOpt = Annotated[
    Optional[str], typer.Option("--note", "-n", metavar=_("TEXT"), help=_("A note kept with the event."), show_default=False)
]


def undone_line(event, dry_run: bool = False) -> str:
    """What ``undo`` reverses: the item (and member), the kind, the day, who and the note of the event."""
    from dsday_cli.core.dates import day_first
    from dsday_cli.views.render import note_text, safe_text

    if event.kind == "done" and dry_run:
        what = _("{item}: would reverse done on {day} by {by}")
    elif event.kind == "done":
        what = _("{item}: reverses done on {day} by {by}")
    elif dry_run:
        what = _("{item}: would reverse reopened on {day} by {by}")
    else:
        what = _("{item}: reverses reopened on {day} by {by}")
    text = what.format(
        item=event.item + (f" [{event.member}]" if event.member else ""),
        day=day_first(event.on_day) if event.on_day else "?",
        by=safe_text(event.by or "?"),
    )
    if event.note:
        text += "; " + _("note: {note}").format(note=safe_text(note_text(event.note)))
    return text + " " + _("(event {id})").format(id=safe_text(event.id[:8]))


def print_outcomes(outcomes, dry_run: bool = False) -> None:
    """Say, item by item, what ``done``, ``reopen`` or ``undo`` recorded (or would) or found already so."""
    from dsday_cli.core.dates import day_first
    from dsday_cli.app.workspace import Result

    lines = []
    for o in outcomes:
        if o.kind == "undo" and o.undone is not None and o is outcomes[0]:  # one event reversed, for every part
            lines.append(undone_line(o.undone, dry_run) + "\n")
        if o.kind == "undo" and dry_run:
            text = _("{item}: would be done on {day} again") if o.day else _("{item}: would be open again")
        elif o.kind == "undo":
            text = _("{item}: undone; done on {day} again") if o.day else _("{item}: undone; open again")
        elif o.result is Result.CORRECTED:
            text = _("{item}: corrected: done on {day} (was {was})")
        elif o.result is Result.RECORDED:
            text = _("{item}: done on {day}") if o.kind == "done" else _("{item}: reopened")
        elif o.kind == "done":
            text = _("{item}: already done (on {day}); nothing recorded")
        else:
            text = _("{item}: already open; nothing recorded")
        lines.append(text.format(item=o.label, day=day_first(o.day), was=day_first(o.was)) + "\n")
    write("".join(lines))


def recorder(by: str | None) -> str | None:
    """Who records: --by, else $DSDAY_USER, else the configuration file's [user] name, else the login."""
    from dsday_cli.app.workspace import who_records

    return who_records(by, environment())


@command()
def done(
    ids: Annotated[list[str], typer.Argument(metavar=_("ITEM") + "...", help=_("Item ids."))],
    member: MemberOpt = None,
    note: NoteOpt = None,
    by: Annotated[
        Optional[str],
        typer.Option("--by", metavar=_("NAME"), help=_("Who did it [default: $DSDAY_USER, else [user] name in the configuration file, else your login]."), show_default=False),
    ] = None,
    on: Annotated[
        Optional[str],
        typer.Option("--on", metavar=DATE, help=_("The day it was done [default: today]."), show_default=False),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help=_("Accept a day before the plan's year."))
    ] = False,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Record that items, or a member's part of one, are done.

    Examples:
      dsday done v1-3 --on 09/10/2023 --note "Lễ phát động tại Vinh"
      dsday done v7-1 --member do-luong --by "Nguyễn Văn An"
      dsday done v1-5 v1-6
    """
    print_outcomes(open_ws(plan, progress, as_of).done(ids, member, note, recorder(by), on, force))


@command()
def reopen(
    ids: Annotated[list[str], typer.Argument(metavar=_("ITEM") + "...", help=_("Item ids."))],
    member: MemberOpt = None,
    note: NoteOpt = None,
    by: Annotated[
        Optional[str],
        typer.Option(
            "--by", metavar=_("NAME"), help=_("Who reopens it [default: $DSDAY_USER, else [user] name in the configuration file, else your login]."), show_default=False
        ),
    ] = None,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Undo a completion; the history keeps both events.

    Examples:
      dsday reopen v1-5 --note "Chưa treo băng rôn trên đường Quang Trung"
      dsday reopen v7-1 --member do-luong
    """
    print_outcomes(open_ws(plan, progress, as_of).reopen(ids, member, note, recorder(by)))


@command()
def undo(
    item_id: Annotated[
        Optional[str],
        typer.Argument(metavar="[" + _("ITEM") + "]", help=_("Only this item's last event."), show_default=False),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Say what would be reversed; record nothing."))
    ] = False,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Reverse the completion or reopening this journal recorded last.

    Last in the journal's own order (the order of recording), whatever the days; it
    says which event it reverses. The inverse event is appended: the history keeps both,
    and undoing again reverses the undo.

    Examples:
      dsday undo --dry-run
      dsday undo
      dsday undo v1-3
    """
    print_outcomes(open_ws(plan, progress, as_of).undo(item_id, recorder(None), dry_run=dry_run), dry_run)
    if dry_run:
        sys.stderr.write("dsday: " + _("nothing recorded (--dry-run)") + "\n")


@command()
def note(
    item_id: Annotated[str, typer.Argument(metavar=_("ITEM"), help=_("Item id, e.g. v1-6."))],
    text: Annotated[str, typer.Argument(metavar=_("TEXT"), help=_("The note."))],
    member: MemberOpt = None,
    by: Annotated[
        Optional[str], typer.Option("--by", metavar=_("NAME"), help=_("Who writes it."), show_default=False)
    ] = None,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Record a note on an item, its status unchanged.

    Examples:
      dsday note v1-6 "Đã gửi văn bản đôn đốc"
      dsday note v7-1 "Đã gọi điện nhắc Văn phòng UBND huyện" --member do-luong
    """
    outcome = open_ws(plan, progress, as_of).note(item_id, text, member, recorder(by))
    write(_("{item}: note recorded").format(item=outcome.label) + "\n")


@command()
def log(
    agency: AgencyOpt = None,
    since: Annotated[
        Optional[str],
        typer.Option("--since", metavar=DATE, help=_("Only events of this day or later (see --by-day)."),
                     show_default=False),
    ] = None,
    until: Annotated[
        Optional[str],
        typer.Option("--until", metavar=DATE, help=_("Only events of this day or earlier (see --by-day)."),
                     show_default=False),
    ] = None,
    item: Annotated[
        Optional[str],
        typer.Option("--item", metavar=_("ITEM"), help=_("Only the events of this item."), show_default=False),
    ] = None,
    by_day: Annotated[
        str,
        typer.Option("--by-day", metavar="<recorded|work>",
                     help=_("Judge --since and --until by the day an event was recorded, or the day the work was done.")),
    ] = "recorded",
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
    fmt: TableFormatOpt = TableFormat.table,
    delimiter: DelimiterOpt = ",",
    bom: BomOpt = False,
    json_fields: Annotated[
        Optional[str],
        typer.Option("--json", metavar=_("FIELDS"), help=_("JSON with only these fields, e.g. item,on,by."),
                     show_default=False),
    ] = None,
) -> None:  # fmt: skip
    """The audit trail of recorded events, oldest first.

    Examples:
      dsday log --item v1-3
      dsday log --agency "tinh doan" --since 01/10/2023 --by-day work
      dsday log --since 01/10/2023 --until 31/10/2023 --format csv > nhat-ky.csv
    """
    from dsday_cli.views.logview import LOG_COLUMNS, log_record, log_table

    ws = open_ws(plan, progress, as_of)
    events = ws.log(agency or (), since, until=until, item=item, by_day=by_day)
    if json_fields is not None:
        print_fields([log_record(e, ws.plan) for e in events], json_fields, LOG_COLUMNS, fmt)
        return
    if print_records([log_record(e, ws.plan) for e in events], LOG_COLUMNS, fmt, delimiter, bom, ws):
        return

    out = console()
    out.print(log_table(out, events, ws.plan, ws.plan.zone()) if events else _("No events recorded."))


@command()
def overdue(
    agency: AgencyOpt = None,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help=_("Exit 1 when anything is overdue (for cron)."))
    ] = False,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
    fmt: TableFormatOpt = TableFormat.table,
    delimiter: DelimiterOpt = ",",
    bom: BomOpt = False,
    json_fields: Annotated[
        Optional[str],
        typer.Option("--json", metavar=_("FIELDS"), help=_("JSON with only these fields, e.g. id,agency,due."),
                     show_default=False),
    ] = None,  # fmt: skip
) -> None:
    """Overdue items; for cron, silent when there are none.

    Nothing is printed to a pipe or file when no item is overdue;
    with --exit-code the exit status is 1 when any is.

    Examples:
      dsday overdue --agency "do luong"
      dsday overdue --json id,agency,due
      dsday overdue --exit-code
    """
    ws = open_ws(plan, progress, as_of)
    items = ws.select(agency or (), ["overdue"])
    if json_fields is not None:
        from dsday_cli.views import render

        print_fields([render.item_record(s) for s in items], json_fields, render.ITEM_FIELDS, fmt)
    elif fmt is TableFormat.table and items:
        # one line an item: who is late, since when and by how many days, at any width
        from dsday_cli.views.dashboard import due_table

        out = console()
        out.print(due_table(out, items, ws.as_of, overdue=True))
    elif items or sys.stdout.isatty() or fmt in (TableFormat.json, TableFormat.csv):
        print_items(ws, items, fmt.value, delimiter, bom=bom)
    if exit_code and items:
        raise typer.Exit(int(ExitCode.FOUND))


@command()
def export(
    agency: AgencyOpt = None,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help=_("md, csv, json, ics or xlsx."))
    ] = ExportFormat.md,
    output: OutputOpt = None,
    delimiter: DelimiterOpt = ",",
    bom: BomOpt = False,
    todo: Annotated[bool, typer.Option("--todo", help=_("ICS: VTODO entries instead of all-day events."))] = False,
    alarm: Annotated[
        Optional[int],
        typer.Option("--alarm", min=0, metavar=_("DAYS"), help=_("ICS: a reminder DAYS days before each open deadline."),
                     show_default=False),
    ] = None,  # fmt: skip
    split: Annotated[
        bool,
        typer.Option("--split", help=_("One file per agency, and per member of a group, in the --output directory.")),
    ] = False,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """An agency's checklist to send (all without --agency).

    Examples:
      dsday export --agency "do luong" --format csv --output do-luong.csv
      dsday export --agency ubnd-huyen --format xlsx --split --output checklists
      dsday export --format ics --todo --alarm 3 --output han-hoan-thanh.ics
    """
    if split:
        if output is None or (output.exists() and not output.is_dir()):
            raise UsageError(_("--split writes one file per agency or member: give --output DIRECTORY"))
        ws = open_ws(plan, progress, as_of)
        from dsday_cli.app.plans import save

        files = ws.export_split(fmt.value, agency or (), delimiter, todo, True, alarm)
        output.mkdir(parents=True, exist_ok=True)
        count = 0
        for name, content in files:
            save(output / name, content, protect=(ws.plan_file, ws.journal))
            count += 1
        written = n_("wrote {count} file in {path}", "wrote {count} files in {path}", count)
        sys.stderr.write("dsday: " + written.format(count=count, path=output) + "\n")
        return
    ws = open_ws(plan, progress, as_of)
    document = ws.export(fmt.value, agency or (), delimiter, todo, bom or bool(output), alarm, stream=True)
    write(document, output, protect=(ws.plan_file, ws.journal))


IMPORT_PROBLEMS_SHOWN = 20  # a file of a million wrong rows: the first ones and a count


@command("import")
def import_checklist(
    file: Annotated[
        Path, typer.Argument(metavar=_("FILE"), help=_("The CSV, XLSX, ODS or Markdown checklist an agency sent back."))
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_("Show what would be recorded; record nothing."))] = False,
    any_agency: Annotated[
        bool,
        typer.Option(
            "--any-agency",
            help=_(
                "Accept rows for agencies or members other than the one it was exported for, and a checklist that "
                "does not say (then recorded by you)."
            ),
        ),
    ] = False,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Record the completions in a checklist sent back.

    All or nothing: a checklist with a problem records none of its rows.

    Examples:
      dsday import do-luong.csv --dry-run
      dsday import sgddt.xlsx
    """
    from dsday_cli.core.dates import day_first
    from dsday_cli.views.render import safe_text

    result = open_ws(plan, progress, as_of).import_checklist(file, dry_run, any_agency)
    if result.problems:  # they quote the returned file: shown, never obeyed by the terminal
        shown = [worded(problem) for problem in result.problems[:IMPORT_PROBLEMS_SHOWN]]
        sys.stderr.write("".join(f"{safe_text(p)}\n" for p in shown))
        if len(result.problems) > len(shown):
            more = len(result.problems) - len(shown)
            and_more = n_("… and {count} more problem", "… and {count} more problems", more)
            sys.stderr.write(and_more.format(count=more) + "\n")
        raise UsageError(
            n_(
                "{file}: nothing recorded ({count} problem above)",
                "{file}: nothing recorded ({count} problems above)",
                len(result.problems),
            ).format(file=file, count=len(result.problems))
        )
    lines = [
        _("{row}: {item} already recorded; skipped").format(
            row=k.row.where, item=k.item + (f" [{k.member}]" if k.member else "")
        )
        for k in result.known
    ]
    lines += [
        _(
            "{row}: {item} was done on {day} and has been reopened since; this day, as the export gave it, "
            "is not recorded again (if it is done again, record it with 'dsday done')"
        ).format(row=s.row.where, item=s.item + (f" [{s.member}]" if s.member else ""), day=day_first(s.on))
        for s in result.stale
    ]
    row_text = (
        _("{row}: would record {item} done on {day} by {who}")
        if dry_run
        else _("{row}: recorded {item} done on {day} by {who}")
    )
    for c in result.new:
        item = c.item + (f" [{c.member}]" if c.member else "")
        lines.append(row_text.format(row=c.row.where, item=item, day=day_first(c.on), who=c.by))
    count = len(result.new)
    total = (
        n_("would record {count} new completion", "would record {count} new completions", count)
        if dry_run
        else n_("recorded {count} new completion", "recorded {count} new completions", count)
    )
    lines.append(total.format(count=count) if result.new else _("nothing new to record"))
    write("".join(safe_text(line) + "\n" for line in lines))


class RemindFormat(str, Enum):
    text = "text"
    eml = "eml"


@command()
def remind(
    agency: AgencyOpt = None,
    fmt: Annotated[
        RemindFormat, typer.Option("--format", "-f", help=_("text (to paste into a chat) or eml (with --output DIR)."))
    ] = RemindFormat.text,
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", metavar=_("DIR"), help=_("Directory for the .eml files."), show_default=False),
    ] = None,
    send: Annotated[bool, typer.Option("--send", help=_("Send by SMTP to the addresses in the plan."))] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Show what would go where; send, write and record nothing."))
    ] = False,
    record: Annotated[
        bool,
        typer.Option(
            "--record", help=_("Text: count the reminders printed as sent (the next says 'reminder 2').")
        ),
    ] = False,
    config: Annotated[
        Optional[Path],
        typer.Option(
            "--config",
            envvar="DSDAY_CONFIG",
            metavar=_("FILE"),
            help=_("Configuration file [default: $XDG_CONFIG_HOME/dsday/config.toml]."),
            show_default=False,
        ),
    ] = None,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Formal reminders of overdue and soon-due items.

    As text to paste into a chat, as .eml files, or sent by email (--send).
    Text printed is not recorded as sent unless --record says it is.

    Examples:
      dsday remind --agency "do luong"
      dsday remind --agency "do luong" --record
      dsday remind --format eml --output thu-nhac
    """
    from dsday_cli.app import remind as reminding
    from dsday_cli.app.plans import settings as user_settings
    from dsday_cli.core.errors import ConfigError
    from dsday_cli.core.i18n import chosen
    from dsday_cli.views.render import safe_text

    if record and dry_run:
        raise UsageError(_("--dry-run records nothing: leave out --record"))
    if send and (output or fmt is RemindFormat.eml):
        raise UsageError(_("--send sends the messages; --format eml and --output write them to files instead"))
    if fmt is RemindFormat.eml and output is None and not send:
        raise UsageError(_("--format eml writes one file per recipient: give --output DIR"))
    ws = open_ws(plan, progress, as_of)
    config_file = config or ws.env.config_file
    settings = user_settings(config_file)
    if send and settings.smtp is None:
        raise ConfigError(
            _("{path}: no [smtp] settings; --send needs them (see README, Reminders)").format(path=config_file)
        )
    password = os.environ.get("DSDAY_SMTP_PASSWORD")
    if send and not dry_run and settings.smtp and settings.smtp.user and not password:  # unset or empty
        raise ConfigError(_("set DSDAY_SMTP_PASSWORD to the password of {user}").format(user=settings.smtp.user))
    how = "smtp" if send else fmt.value
    shown: list = []

    def show(reminder) -> None:  # printed whole before it may count as sent; plan text drives no terminal
        write(("\n" + "-" * 60 + "\n\n" if shown else "") + safe_text(reminding.as_text(reminder), newlines=True))
        sys.stdout.flush()
        shown.append(reminder)

    outcomes = ws.remind(
        agency or None, how, directory=output, config_file=config_file, password=password,
        language=chosen() or "vi", by=recorder(None), dry_run=dry_run, show=show, record_printed=record,
    )  # fmt: skip; the agencies read Vietnamese unless --lang or DSDAY_LANG says otherwise
    said = {
        "written": _("{what}: wrote {detail}"),
        "sent": _("{what}: sent to {detail}"),
        "would-write": _("{what}: would write {detail}"),
        "would-send": _("{what}: would send to {detail}"),
        "no-address": _("{what}: no email address in the plan; not sent"),
        "refused": _("{what}: not sent: {detail}"),
    }
    states = []
    for outcome in outcomes:
        states.append(outcome.state)
        if outcome.state in said:
            count = len(outcome.reminder.items)
            what = n_("{name}: reminder {number}, {count} item", "{name}: reminder {number}, {count} items", count)
            line = safe_text(
                said[outcome.state].format(
                    what=what.format(name=outcome.reminder.recipient.name, number=outcome.reminder.number, count=count),
                    detail=outcome.detail,
                )
            )  # the server's words too
            if outcome.state in ("no-address", "refused"):
                sys.stderr.write(f"dsday: {line}\n")
            else:
                write(line + "\n")
    if not states:
        if sys.stdout.isatty():
            write(_("Nothing to remind: no agency has overdue or soon-due items.") + "\n")
        return
    if how == "text" and not record and not dry_run:
        notice = _("not sent and not recorded; give --record to count these reminders as sent")
        sys.stderr.write(f"dsday: {notice}\n")
    if "refused" in states or "no-address" in states:
        raise typer.Exit(int(ExitCode.NOUSER))


@command()
def validate(
    path: Annotated[
        Optional[Path],
        typer.Argument(metavar="[" + _("FILE") + "]", help=_("Plan file [default: as for --plan]."), show_default=False),
    ] = None,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
) -> None:
    """Check a plan file and its journal.

    Every problem is one line, PATH:LINE:COL: message.

    Examples:
      dsday validate
      dsday validate my-province/plan.yaml
    """
    from dsday_cli.app.workspace import validate_plan

    try:
        checked = validate_plan(path or plan, progress, environment())
    except PlanInvalid as error:
        sys.stderr.write("".join(f"{p}\n" for p in error.problems))
        raise typer.Exit(int(ExitCode.DATAERR)) from None
    for problem in checked.unreadable:
        sys.stderr.write(f"{problem}\n")
    warn_all(checked.strays)
    loaded = checked.plan
    agencies, items, milestones = len(loaded.agencies), len(loaded.responsibilities), len(loaded.milestones)
    members = sum(len(a.members) for a in loaded.agencies)
    summary = _("{path}: valid plan '{id}': {agencies} ({members}), {items}, {milestones}")
    events = (
        _("{path}: {events} events, {bad} unreadable lines") if checked.unreadable_lines else _("{path}: {events} events")
    )
    write(
        summary.format(
            path=checked.plan_file,
            id=loaded.id,
            agencies=n_("{count} agency", "{count} agencies", agencies).format(count=agencies),
            members=n_("{count} member", "{count} members", members).format(count=members),
            items=n_("{count} responsibility", "{count} responsibilities", items).format(count=items),
            milestones=n_("{count} milestone", "{count} milestones", milestones).format(count=milestones),
        )
        + "\n"
        + events.format(path=checked.journal, events=checked.events, bad=checked.unreadable_lines)
        + "\n"
    )
    if checked.unreadable_lines:
        raise typer.Exit(int(ExitCode.DATAERR))


@command()
def schema() -> None:
    """The JSON Schema of the plan file, for editors.

    With the line '# yaml-language-server: $schema=plan.schema.json' at the top of plan.yaml,
    an editor completes and checks it.

    Examples:
      dsday schema > plan.schema.json
      dsday schema > my-province/plan.schema.json
    """
    from dsday_cli.app.plans import plan_schema
    from dsday_cli.views.render import to_json

    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "dsday plan"}
    write(to_json(document | plan_schema()))


@command()
def init(
    directory: Annotated[
        Path, typer.Argument(metavar="[" + _("DIR") + "]", help=_("Where to write plan.yaml."))
    ] = Path("."),
    force: Annotated[bool, typer.Option("--force", help=_("Overwrite an existing plan.yaml."))] = False,
    git: Annotated[bool, typer.Option("--git", help=_("Make the directory a git repository ready to share."))] = False,
) -> None:
    """Start a new plan from the embedded Nghệ An 2023 plan.

    Examples:
      dsday init ha-tinh
      dsday init quang-binh --git
    """
    from dsday_cli.app.workspace import init_plan

    target = init_plan(directory, force)
    write(_("wrote {path}; edit it, then check it with 'dsday validate {path}'").format(path=target) + "\n")
    if git:
        from dsday_cli.app.plans import share_directory

        write(share_directory(directory, environment().user))


@command()
def sync(
    no_push: Annotated[bool, typer.Option("--no-push", help=_("Commit locally only (offline)."))] = False,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
) -> None:
    """Share the journal through the plan's git repository.

    The journal is committed, the others' events pulled (rebase), then pushed.

    Examples:
      dsday sync --plan my-province/plan.yaml --no-push
      cd my-province && dsday sync
    """
    from dsday_cli.app.workspace import sync_journal

    report = sync_journal(plan, progress, push=not no_push, env=environment())
    lines = report.lines + ([_("not pulled or pushed (--no-push)")] if report.held else [])
    write("".join(line + "\n" for line in lines))


@command()
def report(
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help=_("md, html or docx."))] = ReportFormat.md,
    output: OutputOpt = None,
    number: Annotated[
        Optional[str],
        typer.Option("--number", metavar=_("NUMBER"), help=_("The report's number, e.g. 125."), show_default=False),
    ] = None,
    signed_on: Annotated[
        Optional[str], typer.Option("--date", metavar=DATE, help=_("The day the report is signed."), show_default=False)
    ] = None,
    signer: Annotated[
        Optional[str], typer.Option("--signer", metavar=_("NAME"), help=_("Who signs it."), show_default=False)
    ] = None,
    signer_title: Annotated[
        Optional[str],
        typer.Option(
            "--signer-title", metavar=_("TEXT"), help=_("The signer's title, lines separated by ' / '."), show_default=False
        ),
    ] = None,
    ids: Annotated[bool, typer.Option("--ids", help=_("Show each item's id beside its clauses."))] = False,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """The results report for the Provincial People's Committee.

    In the form of Nghị định 30/2020/NĐ-CP: Markdown, HTML, or a Word document to sign.

    Examples:
      dsday report --as-of 25/10/2023 > bao-cao.md
      dsday report --format docx --output bao-cao.docx --number 125 --date 24/10/2023
      dsday report --format html --output bao-cao.html
    """
    ws = open_ws(plan, progress, as_of)
    document = ws.report(fmt.value, number, signed_on, signer, signer_title, ids)
    write(document, output, protect=(ws.plan_file, ws.journal))


@command()
def rollover(
    year: Annotated[int, typer.Argument(metavar=_("YEAR"), help=_("The year of the new plan."))],
    theme: Annotated[
        Optional[str], typer.Option("--theme", metavar=_("TEXT"), help=_("Next year's theme."), show_default=False)
    ] = None,
    output: OutputOpt = None,
    force: Annotated[bool, typer.Option("--force", help=_("Overwrite an existing output file."))] = False,
    plan: PlanOpt = None,
    successions: Annotated[
        Optional[Path],
        typer.Option(
            "--successions",
            metavar=_("FILE"),
            help=_("Bodies renamed, merged or dissolved (YAML), applied with those shipped with dsday."),
            show_default=False,
        ),
    ] = None,
) -> None:
    """Next year's plan from this one.

    Dates move to YEAR, comments and legal citations are kept, and what changed is listed.

    Examples:
      dsday rollover 2024 --output nghe-an-2024/plan.yaml
      dsday rollover 2024 --theme "Chủ đề năm 2024" --output nghe-an-2024/plan.yaml --force
    """
    from dsday_cli.app.workspace import rollover_plan

    if output and output.exists() and not force:
        raise OutputExists(_("{path} exists; use --force to overwrite it").format(path=output))
    from dsday_cli.app.workspace import plan_path

    from dsday_cli.core.errors import SuccessionsInvalid

    try:
        rolled = rollover_plan(plan, year, theme, str(output or ""), successions)
    except SuccessionsInvalid as error:  # every problem of the user's file, one located line each
        fail("\ndsday: ".join(error.problems), error.exit_code)
    warn_all([worded(note) for note in rolled.notes])
    said = [_("changed {change}").format(change=line) for line in rolled.changed]
    said += [_("check {text}: it still names the old year").format(text=line) for line in rolled.unchanged]
    sys.stderr.write("".join(f"dsday: {line}\n" for line in said))
    source = plan_path(plan)
    write(rolled.text, output, protect=(source, source.with_name(f"{source.stem}.progress.jsonl")))


@command()
def timeline(
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """The campaign on a time axis, today marked.

    The campaign window, the milestones and each agency's deadlines.

    Examples:
      dsday timeline
      dsday timeline --as-of 09/10/2023
    """
    from dsday_cli.views.timeline import timeline as draw

    ws = open_ws(plan, progress, as_of)
    out = console()
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out.width = 80  # a pipe or a file: the axis is drawn for a usual page, not the 160 columns of tables
    out.print(draw(out, ws.plan, ws.statuses(), ws.as_of))


# ---- from the document to a plan (issue 18) --------------------------------------------


@command()
def draft(
    document: Annotated[
        Path,
        typer.Argument(
            metavar=_("DOCUMENT"),
            help=_("The plan document (.docx, .pdf, .txt, .md) or its annex table (.xlsx, .csv)."),
        ),
    ],
    output: OutputOpt = None,
    force: Annotated[bool, typer.Option("--force", help=_("Overwrite an existing output file."))] = False,
    members: Annotated[
        Optional[list[str]],
        typer.Option(
            "--members",
            metavar=_("AGENCY") + "=" + _("FILE"),
            help=_("Members of a group agency the document does not list, one name a line (repeatable)."),
            show_default=False,
        ),
    ] = None,
    year: Annotated[
        Optional[int],
        typer.Option("--year", metavar=_("YEAR"), help=_("The plan's year, if the title names none."), show_default=False),
    ] = None,
) -> None:
    """A draft plan from the official document.

    Every inference is commented in the draft; a summary goes to stderr.

    Examples:
      dsday draft ke-hoach-2023.docx --output plan.yaml
      dsday draft ke-hoach-2023.pdf --members ubnd-huyen=huyen.txt --output plan.yaml --force
    """
    from dsday_cli.app.plans import draft_plan, draft_summary

    if output and output.exists() and not force:
        raise OutputExists(_("{path} exists; use --force to overwrite it").format(path=output))
    files = {}
    for spec in members or []:
        agency, equals, file = spec.partition("=")
        if not equals or not agency.strip() or not file.strip():
            raise UsageError(_("--members: write AGENCY=FILE, e.g. ubnd-huyen=districts.txt"))
        files[agency.strip()] = Path(file.strip())
    result = draft_plan(document, year, files)
    write(result.text, output)
    sys.stderr.write("".join(f"dsday: {line}\n" for line in draft_summary(result.draft, document.name)))


PLAN_HELP = """Edit the members listed in a plan file.

The file keeps its comments and layout.

Examples:
  dsday plan members ubnd-huyen --plan my-province/plan.yaml
  dsday plan add-member ubnd-huyen "Huyện Quế Phong" --plan my-province/plan.yaml --dry-run
"""
plan_app = typer.Typer(
    help=command_help(PLAN_HELP),
    cls=Group,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(plan_app, name="plan")


def plan_command(name: str):
    """Register a guarded ``dsday plan`` sub-command; its docstring, translated, is its help."""
    return lambda function: plan_app.command(name, cls=Command, help=command_help(function.__doc__))(guarded(function))


DryRunOpt = Annotated[bool, typer.Option("--dry-run", help=_("Show what would be added; write nothing."))]


def print_member_edit(edit, dry_run: bool) -> None:
    """Say what adding members did, name by name for the skipped ones."""
    from dsday_cli.views.render import safe_text

    lines = [
        _("{agency}: '{name}' is already a member ({id}); skipped").format(
            agency=edit.agency, name=safe_text(name), id=ident
        )
        for name, ident in edit.skipped
    ]
    if dry_run:
        lines += [
            _("{agency}: would add {id} ({name})").format(agency=edit.agency, id=i, name=safe_text(n))
            for i, n in edit.added
        ]
        lines.append(
            n_(
                "{agency}: would add {count} member ({total} in all); nothing written",
                "{agency}: would add {count} members ({total} in all); nothing written",
                len(edit.added),
            ).format(
                agency=edit.agency, count=len(edit.added), total=edit.total
            )
        )
    elif edit.written:
        lines.append(
            n_(
                "{agency}: added {count} member ({total} in all); wrote {path}",
                "{agency}: added {count} members ({total} in all); wrote {path}",
                len(edit.added),
            ).format(
                agency=edit.agency, count=len(edit.added), total=edit.total, path=edit.plan_file
            )
        )
    else:
        lines.append(_("{agency}: nothing to add; {path} unchanged").format(agency=edit.agency, path=edit.plan_file))
    write("".join(line + "\n" for line in lines))


def editable_plan(plan: Path | None) -> Path:
    """The plan file to edit: --plan, else ./plan.yaml (never the embedded plan)."""
    from dsday_cli.app.workspace import plan_path

    return plan_path(plan)


@plan_command("add-member")
def plan_add_member(
    agency: Annotated[
        str, typer.Argument(metavar=_("AGENCY"), help=_("The group agency: id, short name or part of the name."))
    ],
    names: Annotated[list[str], typer.Argument(metavar=_("NAME") + "...", help=_("The members' names."))],
    plan: PlanOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Add members to a group agency of the plan file.

    The plan file keeps its comments and layout; names already there are skipped.

    Examples:
      dsday plan add-member ubnd-huyen "Thị xã Hoàng Mai" "Huyện Quế Phong" --plan my-province/plan.yaml
      dsday plan add-member ubnd-huyen "Huyện Quỳ Hợp" --plan my-province/plan.yaml --dry-run
    """
    from dsday_cli.app.plans import add_members

    print_member_edit(add_members(editable_plan(plan), agency, names, dry_run, environment().lock_timeout), dry_run)


@plan_command("members")
def plan_members(
    agency: Annotated[
        str, typer.Argument(metavar=_("AGENCY"), help=_("The group agency: id, short name or part of the name."))
    ],
    from_file: Annotated[
        Optional[Path],
        typer.Option("--from", metavar=_("FILE"), help=_("Add the names in this file, one a line."), show_default=False),
    ] = None,
    plan: PlanOpt = None,
    dry_run: DryRunOpt = False,
    register: Annotated[
        Optional[str],
        typer.Option(
            "--register",
            metavar=_("PROVINCE"),
            help=_("Add the province's commune-level units from the official register (name or code)."),
            show_default=False,
        ),
    ] = None,
) -> None:
    """List a group agency's members, or add those in a file or the register.

    Examples:
      dsday plan members ubnd-huyen --plan my-province/plan.yaml
      dsday plan members ubnd-huyen --from huyen.txt --plan my-province/plan.yaml
      dsday plan members ubnd-huyen --register "Nghệ An" --plan my-province/plan.yaml --dry-run
    """
    from dsday_cli.app.plans import add_members, group_members, member_names

    if register is not None:
        from dsday_cli.app.plans import register_edition, register_units

        if from_file is not None:
            raise UsageError(_("give --from FILE or --register PROVINCE, not both"))
        province, names = register_units(register)
        sys.stderr.write(
            "dsday: "
            + _("{province}: {count} commune-level units in the register {edition}").format(
                province=province, count=len(names), edition=register_edition()
            )
            + "\n"
        )
        print_member_edit(add_members(editable_plan(plan), agency, list(names), dry_run, codes=names), dry_run)
        return
    if from_file is not None:
        edit = add_members(editable_plan(plan), agency, member_names(from_file), dry_run, environment().lock_timeout)
        print_member_edit(edit, dry_run)
        return
    from dsday_cli.views.render import safe_text

    write("".join(f"{m.id}\t{safe_text(m.name)}\n" for m in group_members(editable_plan(plan), agency)))


class Shell(str, Enum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


@command()
def completion(
    shell: Annotated[Shell, typer.Argument(metavar="bash|zsh|fish", help=_("The shell to complete in."))],
) -> None:
    """The shell completion script for bash, zsh or fish.

    It completes commands, options, item ids, agency and member ids and statuses from the plan in use;
    the README says where to install it.

    Examples:
      dsday completion bash > ~/.local/share/bash-completion/completions/dsday
      dsday completion zsh > ~/.zfunc/_dsday
      dsday completion fish > ~/.config/fish/completions/dsday.fish
    """
    from dsday_cli.cli.completion import script

    write(script(shell.value))


def closed_stdout() -> None:
    """The reader of stdout has gone (``| head``, ``| true``): what is left goes nowhere, and Python's last flush cannot fail."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def invoked(args: list[str]) -> tuple[list, list] | None:
    """The registered command or group ``args`` name first (after ``--lang X``, where the entry point puts it)."""
    # Typer builds every registered command's parameters on every run, a third of a warm
    # command's time beyond importing Typer: a run that names its command builds only that one.
    # Any other run (--help, --version, no command, a misspelt one) builds them all, so the
    # root help and Click's "did you mean" are what they always were.
    from typer.main import get_command_name

    rest = args[2:] if args[:1] == ["--lang"] else args
    if not rest:
        return None
    commands = [c for c in app.registered_commands if (c.name or get_command_name(getattr(c.callback, "__name__", ""))) == rest[0]]
    groups = [g for g in app.registered_groups if g.name == rest[0]]
    return (commands, groups) if commands or groups else None


def run(args: list[str]) -> None:
    """Run the CLI on ``args`` and exit; Click's usage errors in one line, not its four."""
    if os.environ.get("_DSDAY_COMPLETE"):  # the shell asks for completions (see `dsday completion`)
        from dsday_cli.cli.completion import complete

        complete(app)
    registered = app.registered_commands, app.registered_groups
    if only := invoked(args):
        app.registered_commands, app.registered_groups = only
    try:
        code = app(args=args, standalone_mode=False)
        sys.stdout.flush()  # here, not at exit, so that a closed pipe is seen while it can still be handled
    except BrokenPipeError:
        closed_stdout()
        code = 0
    except typer.Exit as done:  # output_failed, from a command
        code = done.exit_code
    except OutputError as error:  # the last flush: a full disk, an I/O error
        closed_stdout()
        reason = error.strerror or str(error)
        sys.stderr.write("dsday: " + _("cannot write the output: {reason}").format(reason=reason) + "\n")
        code = int(ExitCode.IOERR)
    except typer.Abort:
        sys.stderr.write("dsday: " + _("aborted") + "\n")
        code = 130
    except Exception as error:
        if not hasattr(error, "format_message") or not hasattr(error, "exit_code"):
            raise
        if type(error).__name__ == "NoArgsIsHelpError":
            error.show()  # type: ignore[attr-defined]
        else:
            context = getattr(error, "ctx", None)
            hint = " " + _("(see '{command} --help')").format(command=context.command_path) if context else ""
            from dsday_cli.cli.usage import error_message

            sys.stderr.write(f"dsday: {error_message(error)}{hint}\n")
        code = error.exit_code
    finally:
        app.registered_commands, app.registered_groups = registered
    sys.exit(code if isinstance(code, int) else 0)
