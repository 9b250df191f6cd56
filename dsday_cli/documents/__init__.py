"""Office files coming in, never trusted: plan documents for ``draft`` and the checklists agencies return.

Text and tables out of .docx, .pdf, .txt and annex tables; a draft plan from them; a
returned CSV, Markdown or .xlsx checklist read back row by row. Every input is bounded
before a library expands it. It imports the core (and the store's safe file opening),
never views, app or cli.
"""
