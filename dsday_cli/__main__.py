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

    from dsday_cli.i18n import LANGUAGES, choose, language_from

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
    if given and args:  # the root option, where the CLI's own callback keeps it for the run
        args = ["--lang", given, *args]
    from dsday_cli.cli import run

    run(args)


if __name__ == "__main__":
    main()
