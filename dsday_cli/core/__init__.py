"""Pure rules: the plan as data and as YAML text, days, words, statuses, lookups and the report's figures.

Nothing here reads a file, the clock or the environment, opens SQLite, or imports Rich
or Typer: every function takes what it judges (a plan, the events, a day) and returns
data or raises a domain error. Everything else in dsday imports from here; this imports
nothing of dsday above it.
"""
