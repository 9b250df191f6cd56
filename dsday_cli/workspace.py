"""Where the plan and its journal are, and what they say as of the day judged.

The CLI passes what the user gave (options or their environment variables); this
module applies the defaults of CLI.md, loads both files and folds the journal.
"""

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dsday_cli.dates import parse_day, today_in
from dsday_cli.errors import UsageError
from dsday_cli.journal import Event, read_journal
from dsday_cli.model import Plan
from dsday_cli.plan import EMBEDDED_PLAN, plan_zone
from dsday_cli.status import ItemStatus, Progress, describe_strays, item_statuses


def plan_path(given: Path | None) -> Path:
    """The plan file: as given, else ``./plan.yaml``, else the embedded plan."""
    if given is not None:
        return given
    local = Path("plan.yaml")
    return local if local.is_file() else EMBEDDED_PLAN


def state_dir() -> Path:
    """dsday's directory for state: ``$XDG_STATE_HOME/dsday`` (``~/.local/state/dsday``)."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "dsday"


def journal_path(given: Path | None, plan_file: Path, plan: Plan) -> Path:
    """The journal: as given, else beside the plan, else (embedded plan) in the state directory."""
    if given is not None:
        return given
    if plan_file.resolve() == EMBEDDED_PLAN.resolve():
        return state_dir() / f"{plan.id}.progress.jsonl"
    return plan_file.with_name(f"{plan_file.stem}.progress.jsonl")


def parse_user_day(text: str, plan: Plan, what: str) -> date:
    """A day a person typed (ISO, DD/MM/YYYY or DD/MM in the plan's year); UsageError if not."""
    try:
        return parse_day(text, plan.year)
    except ValueError as error:
        raise UsageError(f"{what}: {error}") from None


@dataclass
class Workspace:
    """A loaded plan, its journal folded, and the day it is judged as of."""

    plan_file: Path
    plan: Plan
    journal: Path
    as_of: date
    progress: Progress
    warnings: list[str]

    def statuses(self) -> list[ItemStatus]:
        """Every item's status as of the day judged."""
        return item_statuses(self.plan, self.progress, self.as_of)

    def events(self) -> list[Event]:
        """Every event of the journal, in order (for history and the log)."""
        return read_journal(self.journal).events


def open_workspace(plan_given: Path | None, journal_given: Path | None, as_of_given: str | None) -> Workspace:
    """Load the plan and fold its journal; ``as_of_given`` defaults to today in the plan's time zone."""
    from dsday_cli.cache import fold_journal, load_plan_cached

    plan_file = plan_path(plan_given)
    plan, key = load_plan_cached(plan_file)
    as_of = parse_user_day(as_of_given, plan, "--as-of") if as_of_given else today_in(plan_zone(plan))
    journal = journal_path(journal_given, plan_file, plan)
    progress, problems = fold_journal(plan, key, journal)
    return Workspace(plan_file, plan, journal, as_of, progress, problems + describe_strays(progress.strays))
