"""Editing a plan file's members in place, keeping every comment and the layout.

The file is validated first, edited through ruamel.yaml's round trip (with the
indentation that reproduces it unchanged), validated again, checked to differ from
the original only by inserted lines, and written atomically with its byte-order
mark, line ends and permissions. Anything else is refused with one line; nothing is
written then.
"""

import difflib
import io
import os
from dataclasses import field
from pathlib import Path

from dsday_cli.errors import PlanInvalid, UsageError
from dsday_cli.i18n import _
from dsday_cli.names import ascii_fold, unique_ids
from dsday_cli.records import record

# Indentations plan files use (mapping, sequence, offset); the one that reproduces the file is kept.
_LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (2, 4, 0), (4, 4, 0), (3, 3, 1))


@record
class MemberEdit:
    """What adding members did (or would do): the agency, the members added, the names skipped."""

    plan_file: Path
    agency: str
    added: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, the id of the member it already is)
    total: int = 0
    written: bool = False


def _yaml(layout: tuple[int, int, int]):
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never re-wrap a long title
    yaml.indent(mapping=layout[0], sequence=layout[1], offset=layout[2])
    return yaml


def _dump(yaml, data) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _round_trip(text: str):
    """The ruamel.yaml reader and document that write ``text`` back unchanged (or as close as can be)."""
    best = None
    for layout in _LAYOUTS:
        yaml = _yaml(layout)
        data = yaml.load(text)
        again = _dump(yaml, data)
        if again == text:
            return yaml, data
        changed = sum(
            1
            for op in difflib.SequenceMatcher(None, text.splitlines(), again.splitlines()).get_opcodes()
            if op[0] != "equal"
        )
        if best is None or changed < best[0]:
            best = (changed, yaml, data)
    assert best is not None
    return best[1], best[2]


def _move_trailing_comments(holder, key, target, target_key) -> None:
    """Full-line comments after ``holder[key]`` (they introduce what follows) move after ``target[target_key]``."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    entry = holder.ca.items.get(key)
    if not entry or len(entry) < 3 or entry[2] is None:
        return
    token = entry[2]
    same_line, newline, following = token.value.partition("\n")
    if not following:  # blank lines and comments after the value: they stand before what follows
        return
    token.value = same_line + newline
    if not token.value.strip():
        entry[2] = None
    moved = CommentToken("\n" + following, CommentMark(0), None)
    slot = target.ca.items.setdefault(target_key, [None, None, None, None])
    while len(slot) < 4:
        slot.append(None)
    slot[2] = moved


def _last_key(node):
    """The mapping or sequence that holds the last value under ``node``, and that value's key or index."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    holder, key = node, (list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1)
    while True:
        value = holder[key]
        if isinstance(value, CommentedMap) and value:
            holder, key = value, list(value)[-1]
        elif isinstance(value, CommentedSeq) and value:
            holder, key = value, len(value) - 1
        else:
            return holder, key


def _text(value: str):
    """A string ruamel.yaml writes quoted when a YAML 1.1 reader would take it for something else ("yes", "1")."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    from dsday_cli.yamlout import is_plain_safe

    return (
        value
        if is_plain_safe(value) and "," not in value and not set("[]{}") & set(value)
        else DoubleQuotedScalarString(value)
    )


def read_names(path: Path) -> list[str]:
    """The names in a file, one a line (see ``draft_sources.read_name_list``)."""
    from dsday_cli.draft_sources import read_name_list

    return read_name_list(path)


def _group(plan, agency_text: str):
    """The agency ``agency_text`` names; UsageError if it names a member of one."""
    from dsday_cli.lookup import find_agency

    agency, member = find_agency(plan, agency_text)
    if member is not None:
        raise UsageError(
            _("'{text}' is {member}, a member of {agency}; name the group agency").format(
                text=agency_text, member=member.id, agency=agency.id
            )
        )
    return agency


def group_members(plan_file: Path, agency_text: str) -> list:
    """The members of the agency ``agency_text`` names, in the plan file's order."""
    from dsday_cli.plan import load_plan

    return list(_group(load_plan(plan_file), agency_text).members)


def add_members(
    plan_file: Path, agency_text: str, names: list[str], dry_run: bool = False, codes: dict[str, str] | None = None
) -> MemberEdit:
    """Add ``names`` as members of the agency ``agency_text`` names; ids from the names, unique.

    Names already members (however written: diacritics and case aside) are skipped;
    ``codes`` gives a name's code in the official register, written as the member's ``code:``.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from dsday_cli.files import write_atomically
    from dsday_cli.plan import EMBEDDED_PLAN, parse_plan, read_plan_text

    if plan_file.resolve() == EMBEDDED_PLAN.resolve():
        raise UsageError(_("the embedded plan is not edited; start your own with 'dsday init DIR', then give --plan"))
    raw = plan_file.read_bytes() if plan_file.is_file() else b""
    text = read_plan_text(plan_file)
    plan = parse_plan(text, str(plan_file))
    agency = _group(plan, agency_text)
    names = [" ".join(n.split()) for n in names if n.strip()]
    if not names:
        raise UsageError(_("no names to add"))
    for name in names:
        if len(name) > 200:
            raise UsageError(_("'{name}…' is not a name (over 200 characters)").format(name=name[:40]))
    known = {ascii_fold(m.name).strip(): m.id for m in agency.members}
    edit = MemberEdit(plan_file, agency.id)
    fresh: list[str] = []
    for name in names:
        key = ascii_fold(name).strip()
        if key in known:
            edit.skipped.append((name, known[key]))
        else:
            known[key] = ""
            fresh.append(name)
    ids = unique_ids(fresh, [m.id for m in agency.members])
    edit.added = list(zip(ids, fresh))
    edit.total = len(agency.members) + len(fresh)
    if not fresh or dry_run:
        return edit

    crlf = "\r\n" in text
    source = text.replace("\r\n", "\n")
    yaml, data = _round_trip(source)
    node = next(a for a in data["agencies"] if str(a.get("id")) == agency.id)
    members = node.get("members")
    flow = False
    # The lines that may change: "members: []" becoming a block; an agency written as one {flow} line.
    replaced = {node.lc.line} if node.fa.flow_style() else set()
    if isinstance(members, CommentedSeq) and not members:
        replaced.add(node.lc.key("members")[0])
        members.fa.set_block_style()
        before = _last_key(node)
    elif isinstance(members, CommentedSeq):
        sample = members[-1]
        flow = isinstance(sample, CommentedMap) and sample.fa.flow_style()
        before = _last_key(members)
    elif isinstance(node, CommentedMap):
        before = _last_key(node)
        members = None
    for ident, name in edit.added:
        entry = CommentedMap([("id", _text(ident)), ("name", _text(name))])
        if codes and name in codes:
            entry["code"] = _text(codes[name])
        if flow:
            entry.fa.set_flow_style()
        if members is None:
            members = CommentedSeq()
            node["members"] = members
        members.append(entry)
    _move_trailing_comments(*before, *_last_key(node))
    result = _dump(yaml, data)
    kept = [line for number, line in enumerate(source.splitlines()) if number not in replaced]
    opcodes = difflib.SequenceMatcher(None, kept, result.splitlines(), autojunk=False).get_opcodes()
    added_only = all(op in ("equal", "insert") for op, *_ in opcodes)
    if not added_only:
        raise PlanInvalid(
            [
                _(
                    "{path}: dsday cannot add members without changing other lines of this file; add them by hand"
                ).format(path=plan_file)
            ]
        )
    parse_plan(result, str(plan_file))  # never write a plan that does not validate
    if crlf:
        result = result.replace("\n", "\r\n")
    if raw.startswith(b"\xef\xbb\xbf"):
        result = "\ufeff" + result
    mode = os.stat(plan_file).st_mode & 0o777
    write_atomically(plan_file, result)
    os.chmod(plan_file, mode)
    edit.written = True
    return edit
