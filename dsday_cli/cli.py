"""The dsday command line: thin Typer commands over the domain modules.

This is the only module that prints or exits. Each command resolves its files,
loads, queries, renders and prints; one decorator turns errors into exit codes.
"""

import functools
import inspect
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from dsday_cli import __version__
from dsday_cli.errors import DsdayError, ExitCode, OutputExists, PlanInvalid, UsageError
from dsday_cli.i18n import _, choose, n_

app = typer.Typer(
    name="dsday",
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


class ExportFormat(str, Enum):
    md = "md"
    csv = "csv"
    json = "json"
    ics = "ics"
    xlsx = "xlsx"


PlanOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--plan",
        envvar="DSDAY_PLAN",
        help=_("Plan file [default: ./plan.yaml, else the embedded plan]."),
        show_default=False,
    ),
]
ProgressOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--progress",
        envvar="DSDAY_PROGRESS",
        help=_("Progress journal [default: beside the plan]."),
        show_default=False,
    ),
]
AsOfOpt = Annotated[
    Optional[str],
    typer.Option(
        "--as-of",
        envvar="DSDAY_AS_OF",
        help=_("Judge as of this day [default: today in the plan's time zone]."),
        show_default=False,
    ),
]
AgencyOpt = Annotated[
    Optional[list[str]],
    typer.Option("--agency", "-a", help=_("Agency or member: id, short name or part of the name."), show_default=False),
]
DelimiterOpt = Annotated[str, typer.Option("--delimiter", help=_("CSV field separator, e.g. ';'."))]
BomOpt = Annotated[
    bool,
    typer.Option("--bom", help=_("CSV: start with a byte-order mark even on stdout (files written with -o have one).")),
]
TableFormatOpt = Annotated[TableFormat, typer.Option("--format", "-f", help=_("Output format."))]
OutputOpt = Annotated[
    Optional[Path], typer.Option("--output", "-o", help=_("Write to this file (atomically)."), show_default=False)
]


def fail(message: str, code: ExitCode) -> None:
    """Print a one-line error on stderr and exit with ``code``."""
    sys.stderr.write(f"dsday: {message}\n")
    raise typer.Exit(int(code))


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
            fail(str(error), error.exit_code)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None
        except Exception as error:  # a bug: say so in one line unless debugging
            if os.environ.get("DSDAY_DEBUG"):
                raise
            message = _("internal error: {error} (set DSDAY_DEBUG=1 for details)").format(
                error=f"{type(error).__name__}: {error}"
            )
            fail(message, ExitCode.SOFTWARE)

    return run


def command(name: str | None = None):
    """Register a guarded command; its docstring, translated, is its help."""
    return lambda function: app.command(name, help=_(inspect.cleandoc(function.__doc__)))(guarded(function))


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
    if lang:  # the console script has already taken --lang; this serves Typer's own runner
        choose(lang.value)


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

    # Plan and journal text is not ours: no Rich markup, emoji codes or highlighting in it.
    if sys.stdout.isatty():
        return Console(markup=False, highlight=False, emoji=False)
    width = int(os.environ.get("COLUMNS", 160))
    return Console(
        file=_TrimmedLines(sys.stdout), width=width, markup=False, highlight=False, emoji=False, soft_wrap=False
    )


def write(text: str | bytes, output: Path | None = None) -> None:
    """Print ``text``, or write it atomically to ``output``; bytes (a workbook) never to a terminal."""
    if output is None:
        if isinstance(text, str):
            sys.stdout.write(text)
            return
        if sys.stdout.isatty():
            raise UsageError(_("xlsx is a binary format: write it to a file with --output FILE"))
        sys.stdout.flush()
        sys.stdout.buffer.write(text)
        return
    from dsday_cli.files import write_atomically

    write_atomically(output, text)
    sys.stderr.write("dsday: " + _("wrote {path}").format(path=output) + "\n")


def warn_all(warnings: list[str]) -> None:
    """Journal problems go to stderr; they never stop a command."""
    for warning in warnings:
        sys.stderr.write("dsday: " + _("warning: {message}").format(message=warning) + "\n")


def open_ws(plan: Path | None, progress: Path | None, as_of: str | None):
    """Load the workspace and report what the journal could not say."""
    from dsday_cli.workspace import open_workspace

    ws = open_workspace(plan, progress, as_of)
    warn_all(ws.warnings)
    return ws


def select(ws, agencies: list[str] | None, statuses: list[str] | None = None):
    """Items of the agencies (or members) named, with the statuses named."""
    from dsday_cli.lookup import find_agency
    from dsday_cli.status import STATUSES, for_member

    items = ws.statuses()
    if agencies:
        chosen = [find_agency(ws.plan, text) for text in agencies]
        picked = []
        for status in items:
            for agency, member in chosen:
                if status.agency.id == agency.id:
                    picked.append(for_member(status, member) if member else status)
                    break
        items = picked
    wanted = set()
    for name in statuses or ["all"]:
        if name == "all":
            wanted.update(STATUSES)
        elif name == "done":
            wanted.update(("done", "done-late"))
        elif name in STATUSES:
            wanted.add(name)
        else:
            raise UsageError(
                _(
                    "--status: unknown status '{name}'; choose from open, due-soon, overdue, done, done-late, all"
                ).format(name=name)
            )
    return [s for s in items if s.status in wanted]


def print_records(
    records: list[dict], columns: tuple[str, ...], fmt: "TableFormat", delimiter: str, bom: bool = False, ws=None
) -> bool:
    """Print records as JSON, CSV, XLSX or a Markdown table; False for ``table``, which the caller draws."""
    from dsday_cli import render

    if fmt is TableFormat.json:
        write(render.to_json(records))
    elif fmt is TableFormat.csv:
        write(render.to_csv(records, columns, delimiter, bom))
    elif fmt is TableFormat.xlsx:
        from dsday_cli.xlsx import records_workbook

        write(records_workbook(records, columns, ws.plan.id, ws.as_of))
    elif fmt is TableFormat.md:
        write(render.md_table(records, columns))
    else:
        return False
    return True


def print_items(
    ws, items, fmt: str, delimiter: str = ",", output: Path | None = None, bom: bool = False, exported_for=None
) -> None:
    """One row source, many formats; CSV files written with --output carry a BOM for Excel."""
    from dsday_cli import render

    if fmt == "json":
        write(render.to_json([render.item_record(s) for s in items]), output)
    elif fmt == "csv":
        write(render.to_csv(render.item_rows(items), render.ITEM_CSV_COLUMNS, delimiter, bom or bool(output)), output)
    elif fmt == "xlsx":
        from dsday_cli.xlsx import checklist_workbook

        write(checklist_workbook(ws.plan, items, ws.as_of, exported_for), output)
    elif fmt == "md":
        write(render.checklist_md(ws.plan, items), output)
    else:
        from dsday_cli.dashboard import items_table

        out = console()
        out.print(items_table(out, items) if items else _("No items."))


# ---- commands -----------------------------------------------------------------


@command()
def status(
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[StatusFormat, typer.Option("--format", "-f", help=_("Output format."))] = StatusFormat.table,
) -> None:
    """The dashboard: campaign phase, milestones, progress per agency, overdue and due soon.

    Example: dsday status --as-of 25/10/2023
    """
    from dsday_cli import render
    from dsday_cli.status import agency_counts, campaign_phase, milestones

    ws = open_ws(plan, progress, as_of)
    items = ws.statuses()
    entries = agency_counts(ws.plan, items)
    overdue = sorted(
        (s for s in items if s.status == "overdue"), key=lambda s: s.item.last_day
    )  # the longest overdue first
    due_soon = sorted((s for s in items if s.status == "due-soon"), key=lambda s: s.item.last_day)
    campaign, marks = campaign_phase(ws.plan, ws.as_of), milestones(ws.plan, ws.as_of)
    if fmt is StatusFormat.table:
        from dsday_cli.dashboard import dashboard

        out = console()
        out.print(dashboard(out, ws.plan, ws.as_of, campaign, marks, entries, overdue, due_soon))
        return
    record = {
        "as_of": ws.as_of.isoformat(),
        "plan": render.plan_record(ws.plan),
        "campaign": render.campaign_record(campaign),
        "milestones": [render.milestone_record(m) for m in marks],
        "agencies": [render.agency_record(e) for e in entries],
        "overdue": [render.item_record(s) for s in overdue],
        "due_soon": [render.item_record(s) for s in due_soon],
    }
    write(render.to_json(record) if fmt is StatusFormat.json else render.status_md(record))


@command()
def agencies(
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
    fmt: TableFormatOpt = TableFormat.table,
    delimiter: DelimiterOpt = ",",
    bom: BomOpt = False,
) -> None:
    """Agencies, the members of group agencies, and their counts.

    Example: dsday agencies --format csv
    """
    from dsday_cli import render
    from dsday_cli.status import agency_counts

    ws = open_ws(plan, progress, as_of)
    entries = agency_counts(ws.plan, ws.statuses())
    records = [render.agency_record(e) for e in entries]
    if not print_records(records, render.AGENCY_COLUMNS, fmt, delimiter, bom, ws):
        from dsday_cli.dashboard import agencies_table, members_table

        out = console()
        out.print(agencies_table(out, entries))
        for entry in entries:
            if entry.agency.members:
                out.print()
                out.print(members_table(out, entry, title=f"{entry.agency.name} ({entry.agency.id})"))


@command("list")
def list_items(
    agency: AgencyOpt = None,
    status_: Annotated[
        Optional[list[str]],
        typer.Option(
            "--status",
            "-s",
            help=_("open, due-soon, overdue, done, done-late or all (repeatable)."),
            show_default=False,
        ),
    ] = None,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
    fmt: TableFormatOpt = TableFormat.table,
    delimiter: DelimiterOpt = ",",
    bom: BomOpt = False,
) -> None:
    """Responsibilities, filtered by agency and status.

    Example: dsday list --agency "so gd" --status overdue --format json
    """
    ws = open_ws(plan, progress, as_of)
    print_items(ws, select(ws, agency, status_), fmt.value, delimiter, bom=bom)


@command()
def show(
    item_id: Annotated[str, typer.Argument(metavar="ID", help=_("Item id, e.g. v1-6."))],
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help=_("Output format."))] = ShowFormat.table,
) -> None:
    """One responsibility in full, with its members and its history.

    Example: dsday show v1-6
    """
    from dsday_cli import render
    from dsday_cli.lookup import find_item

    ws = open_ws(plan, progress, as_of)
    item = find_item(ws.plan, item_id)
    status = next(s for s in ws.statuses() if s.item.id == item.id)
    history = [e for e in ws.events() if e.item == item.id]
    if fmt is ShowFormat.json:
        write(render.to_json(render.item_record(status) | {"history": [render.event_record(e) for e in history]}))
        return
    from rich.text import Text

    from dsday_cli.dashboard import STYLES, events_table, make_table, status_text
    from dsday_cli.dates import day_first
    from dsday_cli.render import status_label

    out = console()
    out.print(Text(f"{item.id} ({item.ref}) · {status.agency.name}", style="bold"))
    out.print(item.title)
    if item.detail:
        out.print(Text(item.detail, style="dim"))
    out.print(
        _("Runs {start} – {due}; last on-time day {last}").format(
            start=day_first(item.start), due=render.due_phrase(item.deadline, item.due), last=day_first(item.last_day)
        )
    )
    line = Text(_("Status: ")).append_text(status_text(status))
    if status.mark:
        line.append(
            " "
            + _("on {day}").format(day=day_first(status.mark.on))
            + (" " + _("by {who}").format(who=status.mark.by) if status.mark.by else "")
        )
    out.print(line)
    if status.mark and status.mark.note:
        out.print(_("Note: {note}").format(note=status.mark.note))
    if status.members:
        table = make_table(out, "ID", _("Member"), _("Status"), _("Done"), keep=(0, 2, 3), title=_("Members"))
        for part in status.members:
            done = f"{day_first(part.mark.on)} {part.mark.by or ''}".strip() if part.mark else ""
            table.add_row(
                part.member.id, part.member.name, Text(status_label(part.status), style=STYLES[part.status]), done
            )
        out.print(table)
    out.print(
        events_table(out, history, _local_time(ws.plan), title=_("History"))
        if history
        else _("History: nothing recorded yet.")
    )


def _local_time(plan):
    """Format a recording time (UTC ISO) in the plan's time zone."""
    from datetime import datetime

    from dsday_cli.plan import plan_zone

    zone = plan_zone(plan)
    return lambda at: datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _who(by: str | None) -> str | None:
    if by:
        return by
    if os.environ.get("DSDAY_USER"):
        return os.environ["DSDAY_USER"]
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name in a bare environment
        return None


MemberOpt = Annotated[
    Optional[str], typer.Option("--member", "-m", help=_("One member of a group agency."), show_default=False)
]
NoteOpt = Annotated[
    Optional[str], typer.Option("--note", "-n", help=_("A note kept with the event."), show_default=False)
]


def _record(kind: str, ids: list[str], member_text, note, by, on, plan, progress, as_of) -> None:
    """Record ``kind`` events for the items named, all or none; say what was already so."""
    from dsday_cli.dates import day_first
    from dsday_cli.journal import append_events, new_event
    from dsday_cli.lookup import find_item, find_member
    from dsday_cli.workspace import parse_user_day

    ws = open_ws(plan, progress, as_of)
    day = parse_user_day(on, ws.plan, "--on") if on else ws.as_of
    if day > ws.as_of:
        raise UsageError(
            _("--on: {day} is in the future (today is {today})").format(day=day_first(day), today=day_first(ws.as_of))
        )
    items = list({item.id: item for item in (find_item(ws.plan, text) for text in ids)}.values())
    events, messages = [], []
    for item in items:
        agency = ws.plan.agencies_by_id[item.agency]
        member = find_member(agency, member_text) if member_text else None
        keys = [(item.id, member.id)] if member else [(item.id, m.id) for m in agency.members] or [(item.id, None)]
        marks = [ws.progress.mark(*key) for key in keys]
        label = item.id + (f" [{member.id}]" if member else "")
        if kind == "done" and all(marks):
            messages.append(
                _("{item}: already done (on {day}); nothing recorded").format(
                    item=label, day=day_first(max(m.on for m in marks))
                )
            )
        elif kind == "reopen" and not any(marks):
            messages.append(_("{item}: already open; nothing recorded").format(item=label))
        else:
            events.append(new_event(kind, item.id, member and member.id, day, _who(by), note, ws.plan.id))
            done_text = _("{item}: done on {day}") if kind == "done" else _("{item}: reopened")
            messages.append(done_text.format(item=label, day=day_first(day)))
    if events:
        append_events(ws.journal, events)
    write("".join(m + "\n" for m in messages))


@command()
def done(
    ids: Annotated[list[str], typer.Argument(metavar="ID...", help=_("Item ids."))],
    member: MemberOpt = None,
    note: NoteOpt = None,
    by: Annotated[
        Optional[str],
        typer.Option("--by", help=_("Who did it [default: $DSDAY_USER, else your login]."), show_default=False),
    ] = None,
    on: Annotated[
        Optional[str], typer.Option("--on", help=_("The day it was done [default: today]."), show_default=False)
    ] = None,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Record that items (or one member's part of a group item) are done.

    Example: dsday done v1-3 --on 09/10/2023 --note "Lễ phát động tại Vinh"
    """
    _record("done", ids, member, note, by, on, plan, progress, as_of)


@command()
def reopen(
    ids: Annotated[list[str], typer.Argument(metavar="ID...", help=_("Item ids."))],
    member: MemberOpt = None,
    note: NoteOpt = None,
    by: Annotated[
        Optional[str],
        typer.Option("--by", help=_("Who reopens it [default: $DSDAY_USER, else your login]."), show_default=False),
    ] = None,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Undo a completion; the history keeps both events.

    Example: dsday reopen v1-5 --note "banners not yet on Quang Trung street"
    """
    _record("reopen", ids, member, note, by, None, plan, progress, as_of)


@command()
def log(
    agency: AgencyOpt = None,
    since: Annotated[
        Optional[str], typer.Option("--since", help=_("Only events recorded on or after this day."), show_default=False)
    ] = None,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
    fmt: TableFormatOpt = TableFormat.table,
    delimiter: DelimiterOpt = ",",
    bom: BomOpt = False,
) -> None:
    """The audit trail of recorded events, oldest first.

    Example: dsday log --agency "tinh doan" --since 01/10/2023
    """
    from dsday_cli import render
    from dsday_cli.lookup import find_agency
    from dsday_cli.workspace import parse_user_day

    ws = open_ws(plan, progress, as_of)
    events = ws.events()
    local_time = _local_time(ws.plan)
    if agency:
        chosen = [find_agency(ws.plan, text) for text in agency]
        items = ws.plan.items_by_id

        def concerns(event) -> bool:
            item = items.get(event.item)
            return item is not None and any(
                item.agency == a.id and (m is None or event.member in (None, m.id)) for a, m in chosen
            )

        events = [e for e in events if concerns(e)]
    if since:
        first = parse_user_day(since, ws.plan, "--since").isoformat()
        events = [e for e in events if local_time(e.at)[:10] >= first]
    records = [render.event_record(e) for e in events]
    if not print_records(records, render.EVENT_COLUMNS, fmt, delimiter, bom, ws):
        from dsday_cli.dashboard import events_table

        out = console()
        out.print(events_table(out, events, local_time) if events else _("No events recorded."))


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
) -> None:
    """Overdue items; silent when there are none and the output is not a terminal.

    Example: dsday overdue --exit-code   # in a crontab
    """
    ws = open_ws(plan, progress, as_of)
    items = select(ws, agency, ["overdue"])
    if items or sys.stdout.isatty() or fmt in (TableFormat.json, TableFormat.csv):
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
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """An agency's checklist (every agency's without --agency) to send or import elsewhere.

    Example: dsday export --agency "do luong" --format csv --output do-luong.csv
    """
    ws = open_ws(plan, progress, as_of)
    items = select(ws, agency)
    if fmt is ExportFormat.ics:
        from dsday_cli.ics import to_ics

        write(to_ics(ws.plan, items, todo=todo), output)
    else:
        from dsday_cli.lookup import find_agency

        # The checklist says whom it was exported for, so that its return can be bound to them.
        chosen = [find_agency(ws.plan, text) for text in agency or []]
        exported_for = ",".join(a.id + (f"/{m.id}" if m else "") for a, m in chosen) or None
        print_items(ws, items, fmt.value, delimiter, output, bom, exported_for)


@command("import")
def import_checklist(
    file: Annotated[Path, typer.Argument(help=_("The CSV, XLSX or Markdown checklist an agency sent back."))],
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_("Show what would be recorded; record nothing."))] = False,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Record the completions in a checklist an agency returned; all or nothing.

    Example: dsday import do-luong.csv --dry-run
    """
    from dsday_cli.checklist_import import in_file_order, match_rows, read_checklist
    from dsday_cli.dates import day_first
    from dsday_cli.journal import append_events, new_event

    ws = open_ws(plan, progress, as_of)
    checklist = read_checklist(file, ws.plan.year)
    completions, known, mismatches = match_rows(ws.plan, ws.progress, checklist.rows, ws.as_of)
    problems = in_file_order(checklist.problems + mismatches)
    if problems:
        sys.stderr.write("".join(f"{p}\n" for p in problems))
        raise UsageError(
            n_(
                "{file}: nothing recorded ({count} problem above)",
                "{file}: nothing recorded ({count} problems above)",
                len(problems),
            ).format(file=file, count=len(problems))
        )
    lines = [
        _("{row}: {item} already recorded; skipped").format(
            row=k.row.where, item=k.item + (f" [{k.member}]" if k.member else "")
        )
        for k in known
    ]
    row_text = (
        _("{row}: would record {item} done on {day} by {who}")
        if dry_run
        else _("{row}: recorded {item} done on {day} by {who}")
    )
    for c in completions:
        item = c.item + (f" [{c.member}]" if c.member else "")
        lines.append(row_text.format(row=c.row.where, item=item, day=day_first(c.on), who=c.by))
    if not dry_run and completions:
        note = f"imported from {file.name}"
        append_events(
            ws.journal,
            [
                new_event(
                    "done", c.item, c.member, c.on, c.by, f"{note}: {c.row.note}" if c.row.note else note, ws.plan.id
                )
                for c in completions
            ],
        )
    total = _("would record {count} new completion(s)") if dry_run else _("recorded {count} new completion(s)")
    lines.append(total.format(count=len(completions)) if completions else _("nothing new to record"))
    write("".join(line + "\n" for line in lines))


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
        Optional[Path], typer.Option("--output", "-o", help=_("Directory for the .eml files."), show_default=False)
    ] = None,
    send: Annotated[bool, typer.Option("--send", help=_("Send by SMTP to the addresses in the plan."))] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Show what would go where; send, write and record nothing."))
    ] = False,
    config: Annotated[
        Optional[Path],
        typer.Option(
            "--config",
            envvar="DSDAY_CONFIG",
            help=_("Configuration file [default: $XDG_CONFIG_HOME/dsday/config.toml]."),
            show_default=False,
        ),
    ] = None,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Formal reminders to agencies with overdue or soon-due items: text for chat, .eml files, or email.

    Example: dsday remind --send --dry-run
    """
    from datetime import datetime, timezone

    from dsday_cli import remind as reminding
    from dsday_cli.config import load_config
    from dsday_cli.errors import ConfigError
    from dsday_cli.i18n import chosen
    from dsday_cli.lookup import find_agency

    if send and (output or fmt is RemindFormat.eml):
        raise UsageError(_("--send sends the messages; --format eml and --output write them to files instead"))
    if fmt is RemindFormat.eml and output is None and not send:
        raise UsageError(_("--format eml writes one file per recipient: give --output DIR"))
    ws = open_ws(plan, progress, as_of)
    config_file = config or Path(
        os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config"), "dsday", "config.toml"
    )
    settings = load_config(config_file)
    if send and settings.smtp is None:
        raise ConfigError(
            _("{path}: no [smtp] settings; --send needs them (see README, Reminders)").format(path=config_file)
        )
    password = os.environ.get("DSDAY_SMTP_PASSWORD")
    if send and not dry_run and settings.smtp and settings.smtp.user and password is None:
        raise ConfigError(_("set DSDAY_SMTP_PASSWORD to the password of {user}").format(user=settings.smtp.user))
    coordinator = reminding.coordinator_of(ws.plan, settings.coordinator)
    only = [find_agency(ws.plan, text) for text in agency] if agency else None
    batch = reminding.reminders(
        ws.plan, ws.statuses(), ws.events(), ws.as_of, chosen() or "vi", coordinator, only
    )  # the agencies read Vietnamese unless --lang or DSDAY_LANG says otherwise
    if not batch:
        if sys.stdout.isatty():
            write(_("Nothing to remind: no agency has overdue or soon-due items.") + "\n")
        return
    how = "smtp" if send else fmt.value
    if how == "text":
        write(("\n" + "-" * 60 + "\n\n").join(reminding.as_text(r) for r in batch))
    outcomes = reminding.dispatch(
        batch, how, journal=ws.journal, as_of=ws.as_of, by=_who(None), plan_id=ws.plan.id,
        now=datetime.now(timezone.utc), directory=output, smtp=settings.smtp, password=password, dry_run=dry_run,
    )  # fmt: skip
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
            line = said[outcome.state].format(
                what=what.format(name=outcome.reminder.recipient.name, number=outcome.reminder.number, count=count),
                detail=outcome.detail,
            )
            if outcome.state in ("no-address", "refused"):
                sys.stderr.write(f"dsday: {line}\n")
            else:
                write(line + "\n")
    if "refused" in states or "no-address" in states:
        raise typer.Exit(int(ExitCode.NOUSER))


@command()
def validate(
    path: Annotated[
        Optional[Path], typer.Argument(help=_("Plan file [default: as for --plan]."), show_default=False)
    ] = None,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
) -> None:
    """Check a plan file (and its journal); every problem as PATH:LINE:COL: message.

    Example: dsday validate plan.yaml
    """
    from dsday_cli.journal import read_journal
    from dsday_cli.plan import load_plan
    from dsday_cli.status import describe_strays, fold
    from dsday_cli.workspace import journal_path, plan_path

    plan_file = plan_path(path or plan)
    try:
        loaded = load_plan(plan_file)
    except PlanInvalid as error:
        sys.stderr.write("".join(f"{p}\n" for p in error.problems))
        raise typer.Exit(int(ExitCode.DATAERR)) from None
    journal = journal_path(progress, plan_file, loaded)
    read = read_journal(journal)
    strays = describe_strays(fold(loaded, read.events).strays)
    for problem in read.problems:
        sys.stderr.write(f"{problem}\n")
    warn_all(strays)
    members = sum(len(a.members) for a in loaded.agencies)
    summary = _(
        "{path}: valid plan '{id}': {agencies} agencies ({members} members), {items} responsibilities, {milestones} milestones"
    )
    events = _("{path}: {events} events, {bad} unreadable lines") if read.problems else _("{path}: {events} events")
    write(
        summary.format(
            path=plan_file,
            id=loaded.id,
            agencies=len(loaded.agencies),
            members=members,
            items=len(loaded.responsibilities),
            milestones=len(loaded.milestones),
        )
        + "\n"
        + events.format(path=journal, events=len(read.events), bad=len(read.problems))
        + "\n"
    )
    if read.problems:
        raise typer.Exit(int(ExitCode.DATAERR))


@command()
def schema() -> None:
    """The JSON Schema of the plan file, for editors.

    Example: dsday schema > plan.schema.json
    """
    from dsday_cli.plan import plan_adapter
    from dsday_cli.render import to_json

    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "dsday plan"}
    write(to_json(document | plan_adapter().json_schema()))


@command()
def init(
    directory: Annotated[Path, typer.Argument(metavar="[DIR]", help=_("Where to write plan.yaml."))] = Path("."),
    force: Annotated[bool, typer.Option("--force", help=_("Overwrite an existing plan.yaml."))] = False,
    git: Annotated[bool, typer.Option("--git", help=_("Make DIR a git repository ready to share."))] = False,
) -> None:
    """Start a new plan from the embedded Nghệ An 2023 plan.

    Example: dsday init my-province --git
    """
    from dsday_cli.files import write_atomically
    from dsday_cli.plan import EMBEDDED_PLAN

    target = directory / "plan.yaml"
    if target.exists() and not force:
        raise OutputExists(_("{path} exists; use --force to overwrite it").format(path=target))
    write_atomically(target, EMBEDDED_PLAN.read_text(encoding="utf-8"))
    write(_("wrote {path}; edit it, then check it with 'dsday validate {path}'").format(path=target) + "\n")
    if git:
        from dsday_cli.sync import init_repository

        write(init_repository(directory, _who(None)))


@command()
def sync(
    no_push: Annotated[bool, typer.Option("--no-push", help=_("Commit locally only (offline)."))] = False,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
) -> None:
    """Share the journal through the plan's git repository: commit, pull (rebase), push.

    Example: dsday sync --plan /srv/nghe-an/plan.yaml
    """
    from dsday_cli.cache import load_plan_cached
    from dsday_cli.plan import EMBEDDED_PLAN
    from dsday_cli.sync import sync as share
    from dsday_cli.workspace import journal_path, plan_path

    plan_file = plan_path(plan)
    if plan_file.resolve() == EMBEDDED_PLAN.resolve():
        raise UsageError(_("the embedded plan is not in a repository; start your own with 'dsday init DIR --git'"))
    loaded, _key = load_plan_cached(plan_file)
    report = share(plan_file, journal_path(progress, plan_file, loaded), push=not no_push, who=_who(None))
    write("".join(line + "\n" for line in report.lines))


@command()
def report(
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help=_("md or html."))] = ReportFormat.md,
    output: OutputOpt = None,
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """The results report for the Provincial People's Committee.

    Example: dsday report --format html --output bao-cao.html
    """
    from dsday_cli.report import report_data, report_html, report_md

    ws = open_ws(plan, progress, as_of)
    data = report_data(ws.plan, ws.statuses(), ws.as_of)
    write(report_html(data) if fmt is ReportFormat.html else report_md(data), output)


@command()
def rollover(
    year: Annotated[int, typer.Argument(help=_("The year of the new plan."))],
    theme: Annotated[Optional[str], typer.Option("--theme", help=_("Next year's theme."), show_default=False)] = None,
    output: OutputOpt = None,
    force: Annotated[bool, typer.Option("--force", help=_("Overwrite an existing output file."))] = False,
    plan: PlanOpt = None,
) -> None:
    """Next year's plan from this one: dates moved to YEAR, a new id, no progress carried over.

    Example: dsday rollover 2024 --theme "..." --output nghe-an-2024/plan.yaml
    """
    from dsday_cli.plan import parse_plan, read_plan_text
    from dsday_cli.rollover import rollover as roll
    from dsday_cli.rollover import to_yaml
    from dsday_cli.workspace import plan_path
    from dsday_cli.yamldoc import read_yaml

    plan_file = plan_path(plan)
    if output and output.exists() and not force:
        raise OutputExists(_("{path} exists; use --force to overwrite it").format(path=output))
    text = read_plan_text(plan_file)
    parse_plan(text, str(plan_file))  # only a valid plan rolls over
    data, notes = roll(read_yaml(text).data, year, theme)
    header = f"# Rolled over from {plan_file.name} ({data['id']}) by dsday rollover {year}; review before use.\n"
    result = header + to_yaml(data)
    parse_plan(result, str(output or "(rolled-over plan)"))  # never write a plan that does not validate
    warn_all(notes)
    write(result, output)


@command()
def timeline(
    plan: PlanOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """The campaign on a time axis: window, milestones, each agency's deadlines, today marked.

    Example: dsday timeline --as-of 09/10/2023
    """
    from dsday_cli.timeline import timeline as draw

    ws = open_ws(plan, progress, as_of)
    out = console()
    out.print(draw(out, ws.plan, ws.statuses(), ws.as_of))


def run(args: list[str]) -> None:
    """Run the CLI on ``args`` and exit; Click's usage errors in one line, not its four."""
    try:
        code = app(args=args, standalone_mode=False)
    except typer.Abort:
        sys.stderr.write("dsday: " + _("aborted") + "\n")
        code = 130
    except Exception as error:
        if not hasattr(error, "format_message") or not hasattr(error, "exit_code"):
            raise
        if type(error).__name__ == "NoArgsIsHelpError":
            error.show()
        else:
            context = getattr(error, "ctx", None)
            hint = " " + _("(see '{command} --help')").format(command=context.command_path) if context else ""
            sys.stderr.write(f"dsday: {error.format_message()}{hint}\n")
        code = error.exit_code
    sys.exit(code if isinstance(code, int) else 0)
