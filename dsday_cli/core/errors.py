"""Domain errors and the exit codes they map to."""

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes, conventional (sysexits.h) so scripts can tell 'attention' from 'broken'."""

    OK = 0
    FOUND = 1  # overdue --exit-code found something
    USAGE = 2
    DATAERR = 65  # invalid plan, unreadable journal lines (validate), a symlink where sync expects a file
    NOINPUT = 66  # plan missing or unreadable
    NOUSER = 67  # remind --send: some recipients have no address in the plan, or the server refused them
    UNAVAILABLE = 69  # sync: remote or git failed
    SOFTWARE = 70  # a bug in dsday
    CANTCREAT = 73  # init: plan exists
    IOERR = 74  # journal cannot be written
    TEMPFAIL = 75  # journal lock not obtained
    CONFIG = 78  # the configuration file is missing or wrong (remind --send)


class DsdayError(Exception):
    """An error the user can act on; carries its exit code.

    Its message names no command-line option: a script passed values, not flags. Where a
    command line words the error with its own options, ``problem`` says which problem it
    is (e.g. ``on.future``) and ``values`` the values its message names; ``what`` among
    them is the parameter at fault as the API spells it (``on``, ``due_before``).
    """

    exit_code = ExitCode.SOFTWARE

    def __init__(self, *args: object, problem: str | None = None, **values: object) -> None:
        super().__init__(*args)
        self.problem = problem
        self.values = values


class Worded(str):
    """A message for people (a note, a problem of a file) that a command line may word with its own options.

    It is the message as the API says it, naming no flag; ``problem`` and ``values`` are
    as on ``DsdayError``.
    """

    problem: str | None
    values: dict[str, object]

    def __new__(cls, text: str, problem: str | None = None, **values: object) -> "Worded":
        made = super().__new__(cls, text)
        made.problem, made.values = problem, values
        return made


class UsageError(DsdayError):
    """Bad option value, unknown or ambiguous id, bad date."""

    exit_code = ExitCode.USAGE


class PlanInvalid(DsdayError):
    """The plan file does not parse or does not validate; one located line per problem."""

    exit_code = ExitCode.DATAERR

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class SuccessionsInvalid(PlanInvalid):
    """A succession file that does not validate: every problem is said, one located line each."""


class RefusedFile(DsdayError):
    """A file dsday must use is a symbolic link or not a regular file (sync: as another clone committed it)."""

    exit_code = ExitCode.DATAERR


class PlanMissing(DsdayError):
    """The plan file does not exist or cannot be read."""

    exit_code = ExitCode.NOINPUT


class InputMissing(DsdayError):
    """A file handed to dsday (a returned checklist, a plan document, a list of names) does not exist or cannot be read."""

    exit_code = ExitCode.NOINPUT


class JournalWriteError(DsdayError):
    """The progress journal cannot be written."""

    exit_code = ExitCode.IOERR


class LockTimeout(DsdayError):
    """Another dsday holds the journal lock."""

    exit_code = ExitCode.TEMPFAIL


class OutputExists(DsdayError):
    """init would overwrite a plan file."""

    exit_code = ExitCode.CANTCREAT


class OutputWriteError(DsdayError):
    """An output file or directory cannot be written."""

    exit_code = ExitCode.CANTCREAT


class ConfigError(DsdayError):
    """The configuration file (SMTP settings) is missing, unreadable or incomplete."""

    exit_code = ExitCode.CONFIG


class MailError(DsdayError):
    """The mail server cannot be reached, refuses the login or the messages."""

    exit_code = ExitCode.UNAVAILABLE


class SyncError(DsdayError):
    """git failed or the remote cannot be reached."""

    exit_code = ExitCode.UNAVAILABLE


class DocumentInvalid(DsdayError):
    """A document given to ``dsday draft`` (or a list of names) that cannot be read as one: not text, damaged, hostile."""

    exit_code = ExitCode.DATAERR


class RepositoryBusy(DsdayError):
    """git is in the middle of a rebase or merge in the plan's repository, or one of git's lock files is there."""

    exit_code = ExitCode.TEMPFAIL


class MergeRuleOverridden(DsdayError):
    """The journal would not get git's union merge (another office's .gitattributes overrides the rule)."""

    exit_code = ExitCode.DATAERR


class OutputError(OSError):
    """Standard output cannot be written (a full disk, an I/O error): exit 74, as a journal that cannot be."""
