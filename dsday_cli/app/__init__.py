"""What scripts call: a workspace over a plan and its journal, typed verbs on the rows a query returns, outcomes as data.

``open_workspace`` chooses the plan, the journal and the day; its verbs (select, done,
reopen, undo, note, import, export, report, remind) return data and raise domain errors.
It prints nothing and names no command-line flag. The machine's environment and clock
are read here, at the edge, and passed down.
"""
