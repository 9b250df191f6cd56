"""The one door to state: plan files, the journal, the derived index and cache, the register, locks, atomic writes, git.

Reading a plan (strict YAML with every value's place), appending events under a lock,
the SQLite index and the cache verified before each use, editing a plan file in place
and rolling it into another year (with the successions of the bodies it names), the
official register of administrative units, the user's configuration file and sharing a
journal through git all live here, and only here. It imports the core, never views, documents, app or cli.
"""
