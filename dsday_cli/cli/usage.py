"""Help pages and usage errors in the interface language.

Typer's bundled Click writes its own words in English and calls no gettext: "Usage:",
"Options:", "[required]", "Show this message and exit.", "No such option", ... The
command and group classes here write every such word through our catalog; the
option names, command names and values stay as typed. ``error_message`` words a usage
error from what the exception carries (the parameter, the option, the suggestions),
reading Click's English text only where that is all there is, so an unknown message
still reaches the user, in English.
"""

import inspect

from typer.core import TyperCommand, TyperGroup

from dsday_cli.core.i18n import _, n_


EXAMPLES = "\n\nExamples:\n"


def help_message(docstring: str) -> str:
    """The part of a command's docstring (or help) that is prose, the catalog's message: all before its examples."""
    return inspect.cleandoc(docstring).partition("\n\n\b\n")[0].partition(EXAMPLES)[0]


def command_help(docstring: str) -> str:
    """A command's help: its docstring's prose translated, its examples (commands, not prose) as written.

    Click rewraps the prose to the terminal; the examples follow its no-rewrap mark (a ``\\b`` line).
    """
    prose, found, examples = inspect.cleandoc(docstring).partition(EXAMPLES)
    return _(prose) + ("\n\n\b\n" + _("Examples:") + "\n" + examples if found else "")


class _Words:
    """What our commands and groups say in their help, in the interface language."""

    options_metavar: str | None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.options_metavar = _("[OPTIONS]")

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    def format_usage(self, ctx, formatter) -> None:
        # Typer writes a required argument "{ITEM}"; the usual form (git, Click, man pages) is plain ITEM.
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        pieces = [p[1:-1] if p[:1] == "{" and p[-1:] == "}" else p for p in pieces]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage: "))

    def format_options(self, ctx, formatter) -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = param.get_help_record(ctx)
            if record is not None:
                row = (record[0], translate_extras(record[1]))
                (arguments if param.param_type_name == "argument" else options).append(row)
        if arguments:
            with formatter.section(_("Arguments")):
                formatter.write_dl(arguments)
        if options:
            with formatter.section(_("Options")):
                formatter.write_dl(options)


class Command(_Words, TyperCommand):
    """A dsday command: its help in the interface language."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:  # a file that cannot be read is dsday's to word (exit 66), not a usage error
            if hasattr(param.type, "readable"):
                param.type.readable = False


class Group(_Words, TyperGroup):
    """The dsday group (and ``dsday plan``): its help in the interface language, command summaries never cut."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.subcommand_metavar = _("COMMAND [ARGS]...")

    def format_options(self, ctx, formatter) -> None:
        super().format_options(ctx, formatter)
        rows = [
            (name, command.get_short_help_str(limit=10_000))
            for name in self.list_commands(ctx)
            if (command := self.get_command(ctx, name)) is not None and not command.hidden
        ]
        if rows:
            with formatter.section(_("Commands")):
                formatter.write_dl(rows)


# What Click adds after a parameter's help, "  [env var: X; default: Y; required]" (compiled on first help).
_EXTRAS = r"(?:^|(?<=  ))\[([^\[\]]*)\]$"


def translate_extras(help_text: str) -> str:
    """The bracket Click appends to a parameter's help, in the interface language."""
    import re

    found = re.search(_EXTRAS, help_text)
    if not found:
        return help_text
    pieces = []
    for piece in found[1].split("; "):
        if piece.startswith("env var: "):
            piece = _("env var: {var}").format(var=piece[len("env var: ") :])
        elif piece.startswith("default: "):
            piece = _("default: {default}").format(default=piece[len("default: ") :])
        elif piece == "required":
            piece = _("required")
        pieces.append(piece)
    return help_text[: found.start()] + "[" + "; ".join(pieces) + "]"


def _hint(error) -> str:
    """How the exception names its parameter: "'--format' / '-f'", "'ITEM'"; empty when it names none."""
    hint = getattr(error, "param_hint", None)
    if hint is None and getattr(error, "param", None) is not None:
        hint = error.param.get_error_hint(error.ctx)
    if hint is not None and not isinstance(hint, str):
        hint = " / ".join(repr(x) for x in hint)
    return hint or ""


def _value_problem(message: str) -> str:
    """Click's complaint about a value, in the interface language."""
    import re

    if found := re.fullmatch(r"(.*) is not one of (.*)\.", message, re.S):
        return _("{value} is not one of {choices}.").format(value=found[1], choices=found[2])
    if found := re.fullmatch(r"(.*) is not a valid (?:integer|int)(?: range)?\.", message, re.S):
        return _("{value} is not a whole number.").format(value=found[1])
    if found := re.fullmatch(r"(.*) is not in the range (.*)\.", message, re.S):
        return _("{value} is not in the range {range}.").format(value=found[1], range=found[2])
    if found := re.fullmatch(r"Choose from:\s*(.*)", message, re.S):
        return _("Choose from: {choices}.").format(choices=" ".join(found[1].split()))
    return message


def error_message(error) -> str:
    """A usage error raised by Click or Typer, worded in the interface language on one line."""
    import re

    kind = type(error).__name__
    message = str(getattr(error, "message", "") or "")
    if kind == "NoSuchOption":
        text = _("No such option: {option}").format(option=error.option_name)
        if error.possibilities:
            text += " " + _("(did you mean {options}?)").format(options=", ".join(sorted(error.possibilities)))
        return text
    if kind == "MissingParameter":
        hint = _hint(error)
        text = {
            "argument": _("Missing argument {name}."),
            "option": _("Missing option {name}."),
        }.get(error.param_type or getattr(error.param, "param_type_name", ""), _("Missing parameter {name}."))
        text = text.format(name=hint).replace(" .", ".")
        extra = error.param.type.get_missing_message(param=error.param, ctx=error.ctx) if error.param else None
        return text + (" " + _value_problem(extra) if extra else "")
    if kind == "BadParameter":
        hint = _hint(error)
        problem = _value_problem(message)
        return _("Invalid value for {name}: {problem}").format(name=hint, problem=problem) if hint else problem
    if kind == "BadOptionUsage" and message.endswith(" requires an argument."):
        return _("Option {option} needs a value.").format(option=error.option_name)
    if kind == "BadOptionUsage" and message.endswith(" does not take a value."):
        return _("Option {option} takes no value.").format(option=error.option_name)
    if found := re.fullmatch(r"Got unexpected extra argument\(s\) \((.*)\)", message, re.S):
        extra = found[1]
        count = len(extra.split())
        return n_("Unexpected extra argument: {args}", "Unexpected extra arguments: {args}", count).format(args=extra)
    if found := re.fullmatch(r"No such command '(.+?)'\.?(?: Did you mean (.+)\?)?", message, re.S):
        text = _("No such command '{name}'.").format(name=found[1])
        return text + (" " + _("Did you mean {names}?").format(names=found[2]) if found[2] else "")
    if message == "Missing command.":
        return _("Missing command.")
    return error.format_message()
