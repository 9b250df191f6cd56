"""Shell completion: the scripts for bash, zsh and fish, and the answers they ask dsday for.

The script a shell sources calls ``dsday`` again with ``_DSDAY_COMPLETE`` set and the
words typed so far (Typer's protocol: ``COMP_WORDS``/``COMP_CWORD`` for bash,
``_TYPER_COMPLETE_ARGS`` for zsh and fish). Commands, options and the values of choice
options come from the command tree; item ids, agency and member ids and status values
from the plan in use (``--plan`` on the line, else ``DSDAY_PLAN``, else ./plan.yaml,
else the embedded plan). Only a completing run or ``dsday completion`` imports this module.
"""

import os
import sys
from types import MethodType

VARIABLE = "_DSDAY_COMPLETE"
SHELLS = ("bash", "zsh", "fish")
_TITLE_WIDTH = 60  # a completion's description: zsh and fish show it beside the value


# Typer's zsh script calls compdef when loaded: autoloaded from fpath (as #compdef files are), the first
# Tab only registers it and completes nothing. This one completes when autoloaded and registers when sourced.
ZSH_SCRIPT = """#compdef dsday

_dsday() {
  eval $(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" %(var)s=complete_zsh dsday)
}

if [[ "${funcstack[1]}" == _dsday ]]; then
  _dsday "$@"
else
  compdef _dsday dsday
fi
"""


def script(shell: str) -> str:
    """The completion script for ``shell`` (bash, zsh or fish), ending with a newline."""
    if shell == "zsh":
        return ZSH_SCRIPT % {"var": VARIABLE}
    from typer.completion import get_completion_script

    return get_completion_script(prog_name="dsday", complete_var=VARIABLE, shell=shell) + "\n"


def complete(app) -> None:
    """Answer the shell's request for completions (``_DSDAY_COMPLETE`` is set) and exit; never a traceback."""
    from typer.completion import completion_init
    from typer.main import get_command

    completion_init()  # registers Typer's bash, zsh and fish answerers
    command = get_command(app)
    _attach(command)
    try:
        command.main(args=[], prog_name="dsday", complete_var=VARIABLE)
    except SystemExit:
        raise
    except Exception:  # half a command line is not an error to report in the middle of the user's typing
        if os.environ.get("DSDAY_DEBUG"):
            raise
        sys.exit(0)


def _attach(command) -> None:
    """Give each parameter whose values come from the plan its completer, through the whole command tree."""
    for param in command.params:
        kind = _KINDS.get(param.name or "")
        if kind is not None:
            param.shell_complete = MethodType(_completer(kind), param)
    for sub in getattr(command, "commands", {}).values():
        _attach(sub)


def _completer(kind: str):
    def shell_complete(param, ctx, incomplete: str):
        from typer._click.shell_completion import CompletionItem

        try:
            values = _VALUES[kind](ctx, incomplete)
        except Exception:  # an unreadable plan, a bad --plan: offer nothing rather than an error mid-line
            if os.environ.get("DSDAY_DEBUG"):
                raise
            return []
        return [CompletionItem(value, help=help) for value, help in values]

    return shell_complete


def _matching(candidates: list[tuple[str, str]], incomplete: str, names: dict[str, str] | None = None):
    """The candidates that begin with what was typed; else those whose name holds it, accents ignored."""
    found = [(value, help) for value, help in candidates if value.startswith(incomplete)]
    if found or not incomplete or names is None:
        return found
    from dsday_cli.core.lookup import fold_text

    wanted = fold_text(incomplete)
    return [(value, help) for value, help in candidates if wanted and wanted in fold_text(names.get(value, ""))]


def _plan(ctx):
    """The plan in use on the line being completed."""
    from dsday_cli.app.plans import plan_in_use

    return plan_in_use(ctx.params.get("plan") or _plan_on_line())


def _line() -> list[str]:
    """Every word of the line being completed, as the shell passed it."""
    from typer._click.shell_completion import split_arg_string

    return split_arg_string(os.environ.get("COMP_WORDS") or os.environ.get("_TYPER_COMPLETE_ARGS", ""))


def _plan_on_line() -> str | None:
    """``--plan FILE`` anywhere on the line, even after the word completed (the context holds only those before)."""
    words = _line()
    for index, word in enumerate(words):
        if word == "--plan" and index + 1 < len(words):
            return words[index + 1]
        if word.startswith("--plan="):
            return word[len("--plan=") :]
    return None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _TITLE_WIDTH else text[: _TITLE_WIDTH - 1].rstrip() + "…"


def _items(ctx, incomplete: str):
    from dsday_cli.views.render import safe_text

    plan = _plan(ctx)
    candidates = [(item.id, _short(safe_text(item.title))) for item in plan.responsibilities]
    return _matching(candidates, incomplete, {item.id: item.title for item in plan.responsibilities})


def _agencies(ctx, incomplete: str):
    from dsday_cli.views.render import safe_text

    plan = _plan(ctx)
    candidates, names = [], {}
    for agency in plan.agencies:
        candidates.append((agency.id, _short(safe_text(agency.name))))
        names[agency.id] = " ".join([agency.name, agency.short_name or "", *agency.aliases])
        if ctx.parent is None or ctx.parent.info_name != "plan":
            for member in agency.members:  # --agency takes a member too
                candidates.append((member.id, _short(safe_text(member.name))))
                names[member.id] = member.name
    return _matching(candidates, incomplete, names)


def _members(ctx, incomplete: str):
    from dsday_cli.views.render import safe_text

    plan = _plan(ctx)
    # the item named on the line (Click leaves the arguments unparsed before an option still waiting for its value)
    item = next((plan.items_by_id[word] for word in _line() if word in plan.items_by_id), None)
    groups = [a for a in plan.agencies if item is None or a.id == item.agency]
    members = [m for a in groups for m in a.members]
    candidates = [(m.id, _short(safe_text(m.name))) for m in members]
    return _matching(candidates, incomplete, {m.id: m.name for m in members})


def _statuses(ctx, incomplete: str):
    from dsday_cli.core.status import ALL, STATUSES

    return _matching([(str(s.value), "") for s in STATUSES] + [(ALL, "")], incomplete)


def _fixed(*choices: str):
    return lambda ctx, incomplete: _matching([(c, "") for c in choices], incomplete)


# Parameters by their name in cli.py; their values come from the plan or a fixed list.
_KINDS = {
    "item_id": "items", "ids": "items", "item": "items",
    "agency": "agencies", "member": "members", "status_": "statuses",
    "role": "role", "sort": "sort", "by_day": "by_day",
}  # fmt: skip
_VALUES = {
    "items": _items,
    "agencies": _agencies,
    "members": _members,
    "statuses": _statuses,
    "role": _fixed("lead", "partner"),
    "sort": _fixed("due", "id", "agency", "status"),
    "by_day": _fixed("recorded", "work"),
}
