"""Data in, text or bytes out: JSON, CSV and Markdown records, the terminal dashboard, timeline and log, calendars, workbooks and the report.

A view takes what the core computed and words it in the interface language; it reads
no file and writes none (the caller decides where bytes go). It imports the core,
never store, documents, app or cli.
"""
