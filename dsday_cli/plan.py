"""Find, read and validate a plan file; every problem is reported as PATH:LINE:COL."""

import os
from pathlib import Path

from dsday_cli.errors import PlanInvalid, PlanMissing
from dsday_cli.i18n import _
from dsday_cli.model import Loc, Plan, plan_problems

MAX_BYTES = 16 * 1024 * 1024  # a plan larger than this is not plausible
_PACKAGE = Path(__file__).resolve().parent
# In a wheel the plan is packaged beside the code; in a source checkout it is the top-level file.
EMBEDDED_PLAN = next(
    (p for p in (_PACKAGE / "plan.yaml", _PACKAGE.parent / "plan.yaml") if p.is_file()),
    _PACKAGE / "plan.yaml",
)


def read_plan_bytes(path: Path) -> tuple[bytes, os.stat_result]:
    """The bytes of a plan file and what ``fstat`` says of the file they came from.

    PlanMissing if it cannot be read, is a directory, FIFO or device (refused at
    once, never waited on); PlanInvalid if it is larger than a plan can be.
    """
    from dsday_cli.files import NotRegularFile, open_regular

    try:
        with open_regular(path) as stream:
            info = os.fstat(stream.fileno())
            raw = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise PlanMissing(_("{path}: no such plan file").format(path=path)) from None
    except (IsADirectoryError, NotRegularFile) as error:
        if isinstance(error, IsADirectoryError) or path.is_dir():
            raise PlanMissing(_("{path}: is a directory, not a plan file").format(path=path)) from None
        raise PlanMissing(
            _("{path}: cannot read the plan file: {reason}").format(path=path, reason=error.strerror)
        ) from None
    except OSError as error:
        raise PlanMissing(
            _("{path}: cannot read the plan file: {reason}").format(path=path, reason=error.strerror)
        ) from None
    if len(raw) > MAX_BYTES:
        message = _("larger than {size} MiB; not a plausible plan file").format(size=MAX_BYTES // 2**20)
        raise PlanInvalid([f"{path}:1:1: {message}"])
    return raw, info


def plan_text(raw: bytes, source: str) -> str:
    """A plan file's bytes as text; PlanInvalid, located, if they are not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise PlanInvalid([f"{source}:{line}:{column}: " + _("not UTF-8 text")]) from None


def read_plan_text(path: Path) -> str:
    """The text of a plan file; PlanMissing if it cannot be read, PlanInvalid if it is not text."""
    return plan_text(read_plan_bytes(path)[0], str(path))


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(plan)"


def parse_plan(text: str, source: str) -> Plan:
    """Validate a plan's text; raises PlanInvalid listing every located problem."""
    from pydantic import ValidationError

    from dsday_cli.yamldoc import YamlProblem, read_yaml

    try:
        doc = read_yaml(text)
    except YamlProblem as problem:
        line, column = problem.mark
        raise PlanInvalid([f"{source}:{line}:{column}: {problem}"]) from None
    if not isinstance(doc.data, dict):
        raise PlanInvalid([f"{source}:1:1: " + _("a plan is a YAML mapping of keys such as id, title, agencies")])

    def located(loc: Loc, message: str, at_key: bool = False) -> str:
        line, column = doc.locate(loc, at_key)
        return f"{source}:{line}:{column}: {_dotted(loc)}: {message}"

    try:
        plan = plan_adapter().validate_python(doc.data)
    except ValidationError as error:
        problems = []
        for item in error.errors(include_url=False):
            loc = tuple(part for part in item["loc"] if isinstance(part, int) or "[" not in part)
            unknown = item["type"] in ("unexpected_keyword_argument", "extra_forbidden")
            message = _("unknown key") if unknown else item["msg"].removeprefix("Value error, ")
            problems.append(located(loc, message, at_key=unknown))
        raise PlanInvalid(problems) from None
    problems = [located(loc, message) for loc, message in plan_problems(plan)]
    if plan_zone(plan) is None:
        problems.append(located(("timezone",), _("unknown time zone '{zone}'").format(zone=plan.timezone)))
    if problems:
        raise PlanInvalid(problems)
    return plan


def plan_adapter():
    """Pydantic's validator (and JSON Schema) for plan files."""
    from pydantic import TypeAdapter

    return TypeAdapter(Plan)


def load_plan(path: Path) -> Plan:
    """Read and validate the plan file at ``path``."""
    return parse_plan(read_plan_text(path), str(path))


def plan_zone(plan: Plan):
    """The plan's time zone as a tzinfo, or None if the zone is unknown.

    The system's zone database through zoneinfo is fast; dateutil's bundled copy
    serves machines without one.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(plan.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        from dateutil import tz

        return tz.gettz(plan.timezone)
