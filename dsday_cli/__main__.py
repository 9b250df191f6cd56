"""The entry point of ``dsday`` and ``python -m dsday_cli``.

``--lang`` is taken off the command line, wherever it stands, before the CLI module
loads: the commands' help texts are translated when it does.
"""

import sys


def main() -> None:
    """Choose the language, then run the CLI."""
    import gc

    # A command lives well under a second and keeps every object it builds (the plan,
    # the folded journal) until it exits; the cyclic collector would only walk them
    # again and again while they are built, for nothing to free (issue 17: warm
    # `status` at 100,000 items spent 40 % of its time there). Reference counting
    # still frees everything that is not a cycle.
    gc.disable()
    import os

    from dsday_cli.core.i18n import LANGUAGES, choose, language_from

    args = sys.argv[1:]
    given = None
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args) and args[index + 1] in LANGUAGES:
            given = args[index + 1]
            del args[index : index + 2]
            break
        if arg.startswith("--lang=") and arg[7:] in LANGUAGES:
            given = arg[7:]
            del args[index]
            break
    choose(given or language_from(os.environ))
    standard_streams()
    if given and args:  # the root option, where the CLI's own callback keeps it for the run
        args = ["--lang", given, *args]
    from dsday_cli.cli.commands import run

    run(args)


def standard_streams() -> None:
    """Make stdin, stdout and stderr safe to use: open, and UTF-8 whatever the locale or PYTHONIOENCODING says.

    stdout's write errors (other than a closed pipe) are raised as ``OutputError``: exit 74.

    A closed standard descriptor is given /dev/null first, so that no file dsday opens
    (the journal) takes its number and receives what is meant for it, or git's output.
    A closed stdout then stops the run (exit 74): dsday would answer into nothing. A
    closed stderr loses the messages, never the exit code.
    """
    import os

    closed = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.append(fd)
    for fd in closed:
        null = os.open(os.devnull, os.O_RDWR)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
    if 0 in closed:
        sys.stdin = open(0, encoding="utf-8", closefd=False)
    if 2 in closed:
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
    if 1 in closed:
        from dsday_cli.core.i18n import _

        sys.stderr.write("dsday: " + _("standard output is closed; nothing done") + "\n")
        sys.exit(74)
    if (sys.stderr.encoding or "").lower().replace("-", "").replace("_", "") != "utf8":
        sys.stderr.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    # stdout: UTF-8 (Vietnamese text in an ASCII or Latin-1 stream would fail mid-way), its failures marked as its own
    import io

    from dsday_cli.core.errors import OutputError

    class Output(io.FileIO):
        def write(self, data) -> int:
            try:
                return super().write(data)
            except BrokenPipeError:  # a reader that has had enough: no failure (see cli.closed_stdout)
                raise
            except OSError as error:
                raise OutputError(error.errno, error.strerror) from None

    old = sys.stdout
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(Output(1, "w", closefd=False)), encoding="utf-8", line_buffering=bool(old.line_buffering)
    )


if __name__ == "__main__":
    main()
