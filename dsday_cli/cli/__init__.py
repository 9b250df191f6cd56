"""The command line: parse what was typed, call the app, render the answer, exit with a documented code.

Typer and the help pages in the interface language live here, and only here; so does
shell completion. It calls the app and the views, never the store or the documents.
"""
