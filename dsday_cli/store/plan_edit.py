"""Editing a plan file's members in place, keeping every comment and the layout.

The file is validated first, edited through ruamel.yaml's round trip (with the
indentation that reproduces it unchanged), validated again, checked to differ from
the original only by inserted lines, and written with its byte-order mark, each
line's own end, its final newline or its absence, its owner, mode and hard links,
under the journal's lock and only if the file is still what was read. Anything else
is refused with one line; nothing is written then.
"""

import difflib
import io
import os
import stat
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dsday_cli.core.errors import LockTimeout, PlanInvalid, UsageError
from dsday_cli.core.i18n import _
from dsday_cli.core.names import ascii_fold, unique_ids
from dsday_cli.core.records import record

if TYPE_CHECKING:
    from ruamel.yaml import YAML

    from dsday_cli.core.model import Agency, Member, Plan

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


def _yaml(layout: tuple[int, int, int]) -> "YAML":
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never re-wrap a long title
    yaml.indent(mapping=layout[0], sequence=layout[1], offset=layout[2])
    return yaml


def _dump(yaml: "YAML", data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _round_trip(text: str) -> "tuple[YAML, Any]":
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


def _move_trailing_comments(holder: Any, key: Any, target: Any, target_key: Any) -> None:
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


def _last_key(node: Any) -> tuple[Any, Any]:
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


def _text(value: str) -> str:
    """A string ruamel.yaml writes quoted when a YAML 1.1 reader would take it for something else ("yes", "1")."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    from dsday_cli.core.yamlout import is_plain_safe

    return (
        value
        if is_plain_safe(value) and "," not in value and not set("[]{}") & set(value)
        else DoubleQuotedScalarString(value)
    )


def _group(plan: "Plan", agency_text: str) -> "Agency":
    """The agency ``agency_text`` names; UsageError if it names a member of one."""
    from dsday_cli.core.lookup import find_agency

    agency, member = find_agency(plan, agency_text)
    if member is not None:
        raise UsageError(
            _("'{text}' is {member}, a member of {agency}; name the group agency").format(
                text=agency_text, member=member.id, agency=agency.id
            )
        )
    return agency


def group_members(plan_file: Path, agency_text: str) -> "list[Member]":
    """The members of the agency ``agency_text`` names, in the plan file's order."""
    from dsday_cli.store.plan import load_plan

    return list(_group(load_plan(plan_file), agency_text).members)


def add_members(
    plan_file: Path, agency_text: str, names: list[str], dry_run: bool = False, lock_timeout: float = 5.0,
    codes: dict[str, str] | None = None,
) -> MemberEdit:
    """Add ``names`` as members of the agency ``agency_text`` names; ids from the names, unique.

    Names already members (however written: diacritics and case aside) are skipped;
    ``codes`` gives a name's code in the official register, written as the member's ``code:``.
    The edit holds the lock of the plan's journal (the one ``done`` and ``sync`` take), so
    two edits at once both land; the file is read again just before it is replaced, and
    the edit made again on what is there if it changed meanwhile.
    """
    from dsday_cli.store.journal import journal_lock
    from dsday_cli.store.plan import EMBEDDED_PLAN, read_plan_bytes
    from dsday_cli.store.plan import journal_path

    if plan_file.resolve() == EMBEDDED_PLAN.resolve():
        raise UsageError(
            _("the embedded plan is not edited; start a plan file of your own and edit that"), problem="edit.embedded"
        )
    raw, info = read_plan_bytes(plan_file)
    edit, result, plan = _planned(plan_file, raw, agency_text, names, codes)
    if result is None or dry_run:
        return edit
    with journal_lock(journal_path(None, plan_file, plan, None), lock_timeout):
        for _attempt in range(3):
            now, info = read_plan_bytes(plan_file)
            if now != raw:  # changed before the lock was ours: the edit is made again on what is there
                raw = now
                edit, result, plan = _planned(plan_file, raw, agency_text, names, codes)
                if result is None:
                    return edit
            if _replace(plan_file, raw, info, result):
                edit.written = True
                return edit
            raw = b""  # changed while the edit was made: read it again
    raise LockTimeout(
        _("{path} keeps changing while dsday adds members (another program writes it); nothing written").format(
            path=plan_file
        )
    )


def _line_ends(text: str) -> tuple[list[str], list[str]]:
    """The lines of ``text`` without their ends, and each line's end: CRLF, LF, or none (the last, unterminated)."""
    lines = text.split("\n")
    ends = ["\n"] * len(lines)
    ends[-1] = ""
    if lines[-1] == "" and len(lines) > 1:  # a final line end: no line after it
        lines.pop()
        ends.pop()
    for number, line in enumerate(lines):
        if line.endswith("\r") and ends[number]:
            lines[number], ends[number] = line[:-1], "\r\n"
    return lines, ends


def _planned(
    plan_file: Path, raw: bytes, agency_text: str, names: list[str], codes: dict[str, str] | None = None
) -> "tuple[MemberEdit, bytes | None, Plan]":
    """What adding ``names`` to the plan whose bytes are ``raw`` does: the edit, the new bytes (None: nothing), the plan."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from dsday_cli.store.plan import parse_plan, plan_text

    text = plan_text(raw, str(plan_file))
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
    if not fresh:
        return edit, None, plan

    # Each line keeps its own end (a file of LF lines with one CRLF line stays so), and the file its final newline.
    lines, ends = _line_ends(text)
    source = "\n".join(lines) + "\n"
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
    kept = [number for number in range(len(lines)) if number not in replaced]
    made = result.split("\n")[:-1]  # ruamel.yaml ends every line, the last too
    opcodes = difflib.SequenceMatcher(None, [lines[n] for n in kept], made, autojunk=False).get_opcodes()
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
    usual = "\r\n" if ends.count("\r\n") > ends.count("\n") else "\n"
    out: list[str] = []
    end = usual
    for op, i1, i2, j1, j2 in opcodes:
        for offset, line in enumerate(made[j1:j2]):
            if op == "equal":  # a line of the file: its own end
                end = ends[kept[i1 + offset]] or usual
            out.append(line + end)  # an inserted line: the end of the line before it
    if ends[-1] == "":  # no final newline before: none after
        out[-1] = out[-1].rstrip("\r\n")
    data_out = "".join(out).encode("utf-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        data_out = b"\xef\xbb\xbf" + data_out
    return edit, data_out, plan


def _replace(plan_file: Path, raw: bytes, info: os.stat_result, data: bytes) -> bool:
    """Write ``data`` as the plan file if it still holds ``raw`` (False if not); its links, owner and mode kept.

    A file with other names (hard links), or another user's that only its group lets us
    write, is rewritten in place (space reserved first); any other is replaced
    atomically and given back its owner and mode.
    """
    from dsday_cli.core.errors import OutputWriteError
    from dsday_cli.store.files import open_descriptor, write_atomically

    def cannot(error: OSError) -> OutputWriteError:
        return OutputWriteError(_("{path}: cannot write: {reason}").format(path=plan_file, reason=error.strerror))

    in_place = info.st_nlink > 1 or (info.st_uid != os.geteuid() and os.geteuid() != 0)
    try:
        fd = open_descriptor(plan_file, os.O_RDWR if in_place else os.O_RDONLY, follow=False)
    except OSError as error:
        raise cannot(error) from None
    try:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino, now.st_size) != (info.st_dev, info.st_ino, len(raw)) or os.pread(
            fd, len(raw) + 1, 0
        ) != raw:
            return False
        if in_place:
            try:
                common = next((n for n, (a, b) in enumerate(zip(raw, data)) if a != b), min(len(raw), len(data)))
                if len(data) > len(raw):
                    os.posix_fallocate(fd, 0, len(data))  # no space: fails here, the file untouched
                view = memoryview(data)[common:]
                offset = common
                while view:
                    written = os.pwrite(fd, view, offset)
                    view, offset = view[written:], offset + written
                os.ftruncate(fd, len(data))
                os.fsync(fd)
            except OSError as error:
                raise cannot(error) from None
            return True
    finally:
        os.close(fd)
    write_atomically(plan_file, data)
    try:
        if (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
            os.chown(plan_file, info.st_uid, info.st_gid, follow_symlinks=False)
        os.chmod(plan_file, stat.S_IMODE(info.st_mode))
    except OSError:
        pass  # another user's file in a directory we may write: it stays ours, with its mode
    return True
