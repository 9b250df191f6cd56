"""Refresh the Vietnamese catalog: extract messages, merge them into the .po, compile the .mo.

    .venv/bin/pip install babel && .venv/bin/python scripts/update_catalog.py

Messages are the arguments of ``_()`` and ``n_()`` in dsday_cli, and each command's
docstring (Typer shows it as the command's help). New messages arrive untranslated
(the tests then fail until someone translates them); messages no longer used are
dropped.
"""

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "dsday_cli" / "locale" / "vi" / "LC_MESSAGES" / "dsday.po"


sys.path.insert(0, str(ROOT))


def current_messages() -> Catalog:
    """Every message the code uses, with where it stands."""
    from dsday_cli._version import __version__

    catalog = Catalog(
        project="dsday", version=__version__, locale="vi", fuzzy=False, language_team="dsday",
        copyright_holder="dsday", last_translator="dsday", msgid_bugs_address="",
    )  # fmt: skip
    keywords = {"_": None, "n_": (1, 2)}
    for filename, lineno, message, _comments, _context in extract_from_dir(ROOT / "dsday_cli", keywords=keywords):
        catalog.add(message, locations=[(f"dsday_cli/{filename}", lineno)])
    from dsday_cli.cli.commands import app
    from dsday_cli.cli.usage import help_message

    commands = list(app.registered_commands)
    commands += [sub for group in app.registered_groups for sub in group.typer_instance.registered_commands]
    for info in commands:  # the prose of each docstring; its examples are commands, shown as written
        doc = help_message(info.callback.__doc__)
        catalog.add(doc, locations=[("dsday_cli/cli/commands.py", info.callback.__code__.co_firstlineno)])
    for group in app.registered_groups:  # a group's help is given, in English at extraction, to typer.Typer()
        catalog.add(help_message(group.typer_instance.info.help), locations=[("dsday_cli/cli/commands.py", 0)])
    return catalog


def main() -> None:
    fresh = current_messages()
    fresh.revision_date = fresh.creation_date
    if PO.exists():
        with open(PO, "rb") as stream:
            old = read_po(stream, locale="vi")
        for message in fresh:
            if message.id and message.id in old and old[message.id].string:
                message.string = old[message.id].string
    PO.parent.mkdir(parents=True, exist_ok=True)
    with open(PO, "wb") as stream:
        write_po(stream, fresh, width=100, omit_header=False, sort_output=False)
    with open(PO.with_suffix(".mo"), "wb") as stream:
        write_mo(stream, fresh)
    missing = [m.id for m in fresh if m.id and not (m.string if isinstance(m.string, str) else all(m.string or [None]))]
    print(f"{PO.relative_to(ROOT)}: {len(fresh)} messages, {len(missing)} untranslated")


if __name__ == "__main__":
    main()
