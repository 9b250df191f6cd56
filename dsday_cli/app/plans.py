"""What scripts call to make and change plan files: drafts from documents, members, the register, the schema, settings.

Each verb takes values (paths, names, a province) and returns data; the store reads and
writes the files under its lock, the documents reader reads what someone handed over.
The command line calls these, never the store or the documents directly.
"""

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dsday_cli.core.model import Plan
    from dsday_cli.documents.draft import Draft, DraftResult
    from dsday_cli.store.config import Config
    from dsday_cli.store.plan_edit import MemberEdit


def draft_plan(document: Path, year: int | None = None, member_files: Mapping[str, Path] | None = None) -> "DraftResult":
    """A draft plan (validated YAML text and what was read) from the plan document at ``document``."""
    from dsday_cli.documents.draft import draft_document

    return draft_document(document, year, member_files)


def draft_summary(draft: "Draft", source: str) -> list[str]:
    """What the reader found, inferred and could not place, one line each."""
    from dsday_cli.documents.draft import summary_lines

    return summary_lines(draft, source)


def member_names(path: Path) -> list[str]:
    """The names in a list someone handed over (one a line; .txt, .csv, .xlsx, .docx), read defensively."""
    from dsday_cli.documents.draft_sources import read_name_list

    return read_name_list(path)


def add_members(
    plan_file: Path, agency: str, names: list[str], dry_run: bool = False, lock_timeout: float = 5.0,
    codes: dict[str, str] | None = None,
) -> "MemberEdit":  # fmt: skip
    """Add ``names`` as members of the group ``agency`` names in the plan file, under the journal's lock."""
    from dsday_cli.store.plan_edit import add_members as add

    return add(plan_file, agency, names, dry_run, lock_timeout, codes)


def group_members(plan_file: Path, agency: str) -> list[Any]:
    """The members of the group ``agency`` names, in the plan file's order."""
    from dsday_cli.store.plan_edit import group_members as members

    return members(plan_file, agency)


def register_units(province: str) -> tuple[str, dict[str, str]]:
    """The province ``province`` names (name or code, accents optional) and its commune-level units: name → code."""
    from dsday_cli.store.register import commune_units

    return commune_units(province)


def register_edition() -> str:
    """The edition of the official register in use."""
    from dsday_cli.store.register import register_edition as edition

    return edition()


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of a plan file."""
    from dsday_cli.store.plan import plan_adapter

    schema: dict[str, Any] = plan_adapter().json_schema()
    return schema


def settings(config_file: Path) -> "Config":
    """The user's settings in ``config_file`` (none when it is absent); ConfigError when it is wrong."""
    from dsday_cli.store.config import load_config

    return load_config(config_file)


def share_directory(directory: Path, who: str | None = None) -> str:
    """Make ``directory`` (holding plan.yaml) a git repository ready to share; what was done, in words."""
    from dsday_cli.store.sync import init_repository

    return init_repository(directory, who)


def save(path: Path, data: str | bytes | Iterable[str], protect: Iterable[Path | str] = ()) -> None:
    """Write ``data`` to ``path`` whole or not at all (never over the files in ``protect``)."""
    from dsday_cli.store.files import write_atomically

    write_atomically(path, data, protect=protect)


def plan_in_use(given: Path | str | None) -> "Plan":
    """The plan a command would read (``given``, else ./plan.yaml, else the embedded one), through the cache."""
    from dsday_cli.app.environment import Environment
    from dsday_cli.store.plan import plan_path
    from dsday_cli.store.state import cached_plan

    return cached_plan(plan_path(given), Environment.from_os().cache_dir)
