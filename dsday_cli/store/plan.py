"""Find, read and validate a plan file; every problem is reported as PATH:LINE:COL."""

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dsday_cli.core.errors import PlanInvalid, PlanMissing, UsageError
from dsday_cli.core.dates import zone_named
from dsday_cli.core.i18n import _
from dsday_cli.core.model import Loc, Plan, plan_problems

if TYPE_CHECKING:
    from pydantic import TypeAdapter, ValidationError

    from dsday_cli.store.yamldoc import Document

PathLike = str | Path

# A plan larger than this is not plausible: 100,000 item-parts (a ministry following every
# province, or ~130 communes on every duty) take ~20 MB, so 64 MiB leaves room for long
# titles and details while still refusing a file that is no plan before parsing it.
MAX_BYTES = 64 * 1024 * 1024
_PACKAGE = Path(__file__).resolve().parent.parent  # dsday_cli/, where the wheel puts plan.yaml
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
    from dsday_cli.store.files import NotRegularFile, open_regular

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


def digest(data: bytes) -> str:
    """A BLAKE2b hash of ``data`` (hex): what tells the cache and the index that a plan's bytes changed."""
    # _blake2 is CPython's built-in module: ~0.2 ms to import, where hashlib's OpenSSL costs ~3 ms.
    try:
        from _blake2 import blake2b
    except ImportError:  # another Python
        from hashlib import blake2b
    return blake2b(data, digest_size=32).hexdigest()


class PlanFile:
    """A plan file read once: its bytes, what ``fstat`` said of it, and the plan they make.

    The one plan loader of the plan cache and the index: both key what they keep on these
    bytes (``digest``) and parse exactly them, so a file changed in between is never mixed in.
    """

    def __init__(self, path: Path) -> None:
        """Read ``path``: PlanMissing if it cannot be read, PlanInvalid if it is larger than a plan can be."""
        self.path = path
        self.raw, self.info = read_plan_bytes(path)
        self._digest: str | None = None

    @property
    def digest(self) -> str:
        """The BLAKE2b hash of the bytes read."""
        if self._digest is None:
            self._digest = digest(self.raw)
        return self._digest

    def text(self) -> str:
        """The bytes as text; PlanInvalid, located, if they are not UTF-8."""
        return plan_text(self.raw, str(self.path))

    def parse(self, text: str | None = None) -> tuple[Plan, list[int]]:
        """The plan validated (PlanInvalid lists every problem), and the line each responsibility starts on.

        ``text``: the bytes' text, when the caller already decoded them.
        """
        return parse_plan_lines(self.text() if text is None else text, str(self.path))


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
    return parse_plan_lines(text, source)[0]


def parse_plan_lines(text: str, source: str) -> tuple[Plan, list[int]]:
    """``parse_plan``, and the line (1-based) on which each responsibility starts."""
    from pydantic import ValidationError

    from dsday_cli.store.yamldoc import YamlProblem, read_yaml

    try:
        doc = read_yaml(text, positions=False)  # positions are read only to locate a problem
    except YamlProblem as problem:
        line, column = problem.mark
        message = str(problem)
        if "mapping values are not allowed" in message:  # an unquoted value holding ": " (libyaml: "in this context")
            message += "; " + _("a value holding ': ' is written in quotes, e.g. title: \"Kế hoạch: …\"")
        raise PlanInvalid([f"{source}:{line}:{column}: {message}"]) from None
    if not isinstance(doc.data, dict):
        raise PlanInvalid([f"{source}:1:1: " + _("a plan is a YAML mapping of keys such as id, title, agencies")])
    located_doc: list["Document"] = []

    def located(loc: Loc, message: str, at_key: bool = False) -> str:
        if not located_doc:
            located_doc.append(read_yaml(text))  # the same document, read again with its positions
        line, column = located_doc[0].locate(loc, at_key)
        return f"{source}:{line}:{column}: {_dotted(loc)}: {message}"

    try:
        plan = plan_adapter().validate_python(doc.data)
    except ValidationError as error:
        problems = []
        for loc, message, unknown in validation_problems(error):
            if len(loc) == 3 and loc[0] == "responsibilities" and loc[2] in ("due", "start", "deadline"):
                message = _old_deadline_hint()
            problems.append(located(loc, message, at_key=unknown))
        raise PlanInvalid(problems) from None
    problems = [located(loc, message) for loc, message in plan_problems(plan)]
    if zone_named(plan.timezone) is None:
        problems.append(
            located(
                ("timezone",),
                _("unknown time zone '{zone}'; write an IANA name such as Asia/Ho_Chi_Minh").format(zone=plan.timezone),
            )
        )
    if problems:
        raise PlanInvalid(problems)
    return plan, doc.element_lines.get("responsibilities", [])


def validation_problems(error: "ValidationError") -> list[tuple[Loc, str, bool]]:
    """Pydantic's errors as (where, message, whether the key itself is unknown), in the project's words."""
    found = []
    for item in error.errors(include_url=False):
        loc = tuple(part for part in item["loc"] if isinstance(part, int) or "[" not in part)
        unknown = item["type"] in ("unexpected_keyword_argument", "extra_forbidden")
        message = _("unknown key") if unknown else _in_our_words(item, loc) or item["msg"].removeprefix("Value error, ")
        found.append((loc, message, unknown))
    return found


def _in_our_words(item: Any, loc: Loc) -> str | None:
    """Pydantic's "Field required", "Input should be a valid list" or "Input should be 'a', 'b'" as what to write."""
    key = next((part for part in reversed(loc) if isinstance(part, str)), "")
    if item["type"] == "missing":
        return _("required: add {key}: here").format(key=key)
    if item["type"] == "list_type":
        return _("a list is written here: {key}: [first, second], or one '- ' line for each").format(key=key)
    if item["type"] == "literal_error":
        choices = item.get("ctx", {}).get("expected", "").replace("'", "").replace(" or ", ", ")
        return _("'{value}' is not one of these; write one of: {choices}").format(value=item["input"], choices=choices)
    return None


def _old_deadline_hint() -> str:
    return _(
        "a deadline is written as a mapping, e.g. deadline: {kind: before, date: 25/10/2023}; "
        "kinds: before, by, on, window (start:, end:), month (month: 2023-10), quarter (quarter: 2026-Q4), "
        "year (year: 2026), ongoing (thường xuyên: no day); leave it out if the document gives none"
    )


def plan_adapter() -> "TypeAdapter[Plan]":
    """Pydantic's validator (and JSON Schema) for plan files."""
    from pydantic import TypeAdapter

    return TypeAdapter(Plan)


def load_plan(path: Path) -> Plan:
    """Read and validate the plan file at ``path``."""
    return parse_plan(read_plan_text(path), str(path))


def plan_path(given: PathLike | None) -> Path:
    """The plan file: as given, else ``./plan.yaml``, else the embedded plan."""
    if given is not None:
        return Path(given)
    local = Path("plan.yaml")
    return local if local.is_file() else EMBEDDED_PLAN


def is_embedded(plan_file: Path) -> bool:
    """Whether ``plan_file`` is the plan shipped with dsday."""
    return plan_file.resolve() == EMBEDDED_PLAN.resolve()


def journal_path(given: PathLike | None, plan_file: Path, plan: Plan, state_dir: Path | None) -> Path:
    """The journal: as given, else beside the plan, else (embedded plan) in ``state_dir``."""
    if given is not None:
        return Path(given)
    if is_embedded(plan_file):
        if state_dir is None:
            raise UsageError(
                _(
                    "no home directory to keep the embedded plan's journal in (HOME is unset and the user has no passwd entry): name the journal file or set XDG_STATE_HOME"
                ),
                problem="journal.no-home",
            )
        return state_dir / f"{plan.id}.progress.jsonl"
    return plan_file.with_name(f"{plan_file.stem}.progress.jsonl")
