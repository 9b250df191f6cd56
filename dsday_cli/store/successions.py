"""Successions: an agency, a member or a province renamed, merged into another or dissolved, from a day, on a basis.

A succession file (README, "Successions") is YAML validated by Pydantic with located
problems (PATH:LINE:COL), as a plan file is. The successions of 2025 ship with dsday
(``successions.yaml`` beside this module): the Sở TT&TT merged into the Sở KH&CN, the
end of the district level, the province mergers. ``apply_successions`` applies those in
force to a plan's round-trip YAML during a rollover: it renames, moves duties, replaces
a dissolved group by its successor group, comments each change with its legal basis
and says what it did; a plan's own past is never touched (the old file is only read).
"""

import re
from dataclasses import field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from dsday_cli.core.errors import InputMissing, PlanInvalid, SuccessionsInvalid
from dsday_cli.core.i18n import _
from dsday_cli.core.model import Check, Day, Id, Loc, Plan, Text
from dsday_cli.core.names import ascii_fold, slug
from dsday_cli.core.records import record

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pydantic import TypeAdapter

SHIPPED = Path(__file__).resolve().parent.parent / "successions.yaml"  # data beside plan.yaml
MAX_BYTES = 4 * 1024 * 1024
_FORBID = {"extra": "forbid"}
_PROVINCE = re.compile(r"(?:tỉnh|thành phố)\s+(.+?)\s*$", re.IGNORECASE)


@record
class Basis:
    """A legal document: its kind and number, its date, who issued it; ``within`` a province only."""

    __pydantic_config__ = _FORBID
    document: Text
    date: Day | None = None
    issuer: str | None = None
    within: str | None = None

    @property
    def text(self) -> str:
        """``Nghị quyết 07/NQ-HĐND ngày 25/02/2025 của Hội đồng nhân dân tỉnh Nghệ An``."""
        out = self.document
        if self.date:
            out += f" ngày {self.date.day:02d}/{self.date.month:02d}/{self.date.year}"
        return out + (f" của {self.issuer}" if self.issuer else "")


@record
class Successor:
    """The body that takes over: its id, name and short name; a group whose members come from the register."""

    __pydantic_config__ = _FORBID
    name: Text
    id: Id | None = None
    short_name: str | None = None
    aliases: list[str] = field(default_factory=list)
    symbol: str | None = None  # the report's symbol when this body issues it (BC-SKHCN)
    kind: Literal["tỉnh", "thành phố"] | None = None  # for a province
    group: bool = False  # a group agency: its members are the province's commune-level units


@record
class Succession:
    """One change: the body (``agency``: an id or name of the plan; ``names``; or a ``province``), what, when, why."""

    __pydantic_config__ = _FORBID
    change: Literal["renamed", "merged", "dissolved"]
    effective: Day
    basis: Annotated[list[Basis], Check(min_length=1)]
    agency: str | None = None
    names: list[str] = field(default_factory=list)
    province: str | None = None
    successor: Successor | None = None
    dissolves_members: list[str] = field(default_factory=list)  # kinds of member the change dissolves (Huyện)
    note: str | None = None

    def basis_text(self, province: str | None) -> str:
        """The bases that hold in ``province`` (or everywhere), joined."""
        held = [b for b in self.basis if not b.within or province and ascii_fold(b.within) == ascii_fold(province)]
        return "; ".join(b.text for b in held or self.basis)


@record
class SuccessionFile:
    """A succession file: a list of successions."""

    __pydantic_config__ = _FORBID
    successions: list[Succession]


def _adapter() -> "TypeAdapter[SuccessionFile]":
    from pydantic import TypeAdapter

    return TypeAdapter(SuccessionFile)


def parse_successions(text: str, source: str, plan: Any = None) -> list[Succession]:
    """Validate a succession file's text; with ``plan``, also against it: unknown agencies, cycles, dates before its year.

    Raises PlanInvalid (exit 65) with one located line per problem.
    """
    from pydantic import ValidationError

    from dsday_cli.store.plan import _dotted, validation_problems
    from dsday_cli.store.yamldoc import YamlProblem, read_yaml

    try:
        doc = read_yaml(text)
    except YamlProblem as problem:
        line, column = problem.mark
        raise SuccessionsInvalid([f"{source}:{line}:{column}: {problem}"]) from None

    def located(loc: Loc, message: str, at_key: bool = False) -> str:
        line, column = doc.locate(loc, at_key)
        return f"{source}:{line}:{column}: {_dotted(loc)}: {message}"

    if not isinstance(doc.data, dict):
        raise SuccessionsInvalid([f"{source}:1:1: " + _("a succession file is a YAML mapping with the key successions")])
    try:
        parsed = _adapter().validate_python(doc.data)
    except ValidationError as error:
        problems = [located(loc, message, at_key=unknown) for loc, message, unknown in validation_problems(error)]
        raise SuccessionsInvalid(problems) from None
    problems = [located(loc, message) for loc, message in succession_problems(parsed.successions, plan)]
    if problems:
        raise SuccessionsInvalid(problems)
    return parsed.successions


def succession_problems(successions: list[Succession], plan: Any = None) -> list[tuple[Loc, str]]:
    """What a schema cannot say: one subject each, a successor where one is needed; against ``plan``, the rest."""
    problems: list[tuple[Loc, str]] = []
    edges: dict[str, str] = {}
    known: set[str] = set()
    if plan is not None:
        for agency in plan.agencies:
            known |= {agency.id.lower(), *_keys(agency.name, agency.short_name, *agency.aliases)}
            for member in agency.members:
                known |= {member.id.lower(), *_keys(member.name, member.short_name)}
    for index, entry in enumerate(successions):
        loc: Loc = ("successions", index)
        subjects = [entry.agency is not None, bool(entry.names), entry.province is not None]
        if sum(subjects) != 1:
            problems.append((loc, _("name one subject: agency: (an id or name in the plan), names: or province:")))
            continue
        if entry.change in ("renamed", "merged") and entry.successor is None:
            problems.append(((*loc, "change"), _("a body {change} has a successor: add successor: with its name").format(change=entry.change)))
        if plan is not None and entry.effective.year < plan.year:
            problems.append(
                (
                    (*loc, "effective"),
                    _("{day} is before the plan's year {year}: the plan already names the bodies of its time").format(
                        day=f"{entry.effective.day:02d}/{entry.effective.month:02d}/{entry.effective.year}", year=plan.year
                    ),
                )
            )
        if plan is not None and entry.agency is not None:
            subject = _subject_key(entry.agency, plan)
            if subject is None and not (_keys(entry.agency) & set(edges.values())):
                problems.append(
                    (
                        (*loc, "agency"),
                        _("unknown agency '{agency}'; name an agency or member of the plan by id or name").format(
                            agency=entry.agency
                        ),
                    )
                )
                continue
            source_key = subject or next(iter(_keys(entry.agency)))
            if entry.successor is not None:
                target = (entry.successor.id or "").lower() or next(iter(_keys(entry.successor.name)))
                reached, seen = target, set()
                while reached in edges and reached not in seen:
                    seen.add(reached)
                    reached = edges[reached]
                if reached == source_key or target == source_key:
                    problems.append(
                        (
                            (*loc, "successor"),
                            _("a cycle: '{agency}' would succeed itself through this entry").format(agency=entry.agency),
                        )
                    )
                    continue
                edges[source_key] = target
                known.add(target)
    return problems


def _keys(*names: str | None) -> set[str]:
    return {" ".join(ascii_fold(n).split()) for n in names if n}


def _subject_key(text: str, plan: Plan) -> str | None:
    """The id of the agency or member ``text`` names (id, name, short name or alias; accents aside)."""
    wanted = _keys(text)
    for agency in plan.agencies:
        if agency.id.lower() == text.lower() or wanted & _keys(agency.name, agency.short_name, *agency.aliases):
            return agency.id.lower()
        for member in agency.members:
            if member.id.lower() == text.lower() or wanted & _keys(member.name, member.short_name):
                return member.id.lower()
    return None


def read_succession_file(path: Path, plan: Any) -> list[Succession]:
    """A user's succession file, validated against ``plan``; InputMissing (66) if it cannot be read."""
    from dsday_cli.store.files import NotRegularFile, open_regular
    from dsday_cli.store.plan import plan_text

    try:
        with open_regular(path) as stream:
            raw = stream.read(MAX_BYTES + 1)
    except (OSError, NotRegularFile) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise InputMissing(_("{path}: cannot read the succession file: {reason}").format(path=path, reason=reason)) from None
    if len(raw) > MAX_BYTES:
        raise SuccessionsInvalid([f"{path}:1:1: " + _("larger than {size} MiB; not a plausible succession file").format(size=4)])
    try:
        text = plan_text(raw, str(path))
    except PlanInvalid as error:
        raise SuccessionsInvalid(error.problems) from None
    return parse_successions(text, str(path), plan)


def shipped_successions() -> list[Succession]:
    """The nationwide successions of 2025 shipped with dsday."""
    return parse_successions(SHIPPED.read_text(encoding="utf-8"), SHIPPED.name)


# ---- applying them to a plan's round-trip YAML --------------------------------------------


def _day(value: date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def plan_province(issuer: str) -> str | None:
    """The province a plan's issuer names: ``Ủy ban nhân dân tỉnh Nghệ An`` → ``Nghệ An``."""
    found = _PROVINCE.search(issuer or "")
    return found.group(1) if found else None


def _comment(node: Any, key: str, lines: list[str], indent: int) -> None:
    if key in node:
        node.yaml_set_comment_before_after_key(key, before="\n".join(lines), indent=indent)


def apply_successions(data: Any, old: int, new: int, successions: list[Succession], changed: list[str], notes: list[str]) -> None:
    """Apply the successions in force between ``old`` and ``new`` to ``data`` (ruamel.yaml's plan).

    Each change is commented in the YAML and said in ``changed``; what needs a person in ``notes``.
    """
    first, last = date(old, 1, 1), date(new, 12, 31)
    province = plan_province(str(data.get("issuer") or ""))
    renamed: list[tuple[str, str, str]] = []  # (old name, new name, why): texts naming the old body follow
    for entry in sorted(successions, key=lambda e: e.province is None):  # the province first: it names the rest
        if entry.effective < first:
            continue
        if entry.effective > last:
            if entry.agency is None:  # the shipped ones name no body of this plan: said only when they apply
                continue
            notes.append(
                _("a succession of {day} is not in force in {year}; not applied").format(day=_day(entry.effective), year=new)
            )
            continue
        if entry.province is not None:
            if province and ascii_fold(entry.province) == ascii_fold(province) and entry.successor:
                old_province = province
                province = _apply_province(data, entry, province, changed, notes)
                kind = entry.successor.kind or "tỉnh"
                why = _why(entry, old_province)
                renamed += [(f"{word} {old_province}", f"{kind} {province}", why) for word in ("tỉnh", "Tỉnh")]
            continue
        _apply_agency(data, entry, province, changed, notes, renamed)
    if date(2025, 7, 1) <= last:
        _dissolved_members(data, successions, province, notes)
        _level_in_texts(data, successions, province, notes)
    if renamed:
        _rename_in_texts(data, renamed, changed)


def _rename_in_texts(data: Any, renamed: list[tuple[str, str, str]], changed: list[str]) -> None:
    """Titles and texts that name a renamed or merged body name its successor; legal citations are left as written."""
    from dsday_cli.store.rollover import _CITATION

    def rename(text: str) -> str:
        out, position = [], 0
        for citation in _CITATION.finditer(text):
            out.append(plain(text[position : citation.start()]))
            out.append(citation.group(0))
            position = citation.end()
        return "".join(out) + plain(text[position:])

    def plain(text: str) -> str:
        for old, new, _why in renamed:
            text = text.replace(old, new)
        return text

    for where, node, key, value in _texts(data):
        moved = rename(value)
        if moved != value:
            node[key] = moved
            changed.append(f"{where}: {value} → {moved}")


def _texts(data: Any) -> "Iterator[tuple[str, Any, Any, str]]":
    """The plan's texts a person wrote (TEXT_KEYS and all below them), legal bases aside: (path, holder, key, text)."""
    from dsday_cli.store.rollover import TEXT_KEYS

    def visit(node: Any, path: str, inside: bool) -> "Iterator[tuple[str, Any, Any, str]]":
        keys = list(node) if isinstance(node, dict) else range(len(node)) if isinstance(node, list) else []
        for key in keys:
            if key == "legal_basis":
                continue
            where = f"{path}[{key}]" if isinstance(key, int) else (f"{path}.{key}" if path else str(key))
            value = node[key]
            if isinstance(value, (dict, list)):
                yield from visit(value, where, inside or key in TEXT_KEYS)
            elif isinstance(value, str) and (inside or key in TEXT_KEYS):
                yield where, node, key, value

    yield from visit(data, "", False)


def _why(entry: Succession, province: str | None) -> str:
    # A level of government (the district level) is not dissolved like a body: it ends ("kết thúc hoạt động").
    dissolved = _("ended") if entry.dissolves_members else _("dissolved")
    return _("{change} from {day}; basis: {basis}").format(
        change={"renamed": _("renamed"), "merged": _("merged"), "dissolved": dissolved}[entry.change],
        day=_day(entry.effective),
        basis=entry.basis_text(province),
    )


def _apply_province(data: Any, entry: Succession, province: str, changed: list[str], notes: list[str]) -> str:
    successor = entry.successor
    assert successor is not None
    kind = successor.kind or "tỉnh"
    new_name = successor.name
    why = _why(entry, province)
    old_words = re.compile(rf"(?:tỉnh|TỈNH|Tỉnh)\s+{re.escape(province)}")

    def replace(holder: Any, key: str, path: str) -> None:
        value = holder.get(key) if holder is not None else None
        if not isinstance(value, str):
            return
        moved = old_words.sub(f"{kind} {new_name}", value)
        moved = moved.replace(province.upper(), f"{kind} {new_name}".upper()) if moved == value else moved
        if key == "place" and ascii_fold(value) == ascii_fold(province):
            moved = new_name
        if moved != value:
            holder[key] = moved
            changed.append(f"{path}: {value} → {moved} ({why})")

    issuer = str(data.get("issuer") or "")
    data["issuer"] = f"Ủy ban nhân dân {kind} {new_name}"
    changed.append(f"issuer: {issuer} → {data['issuer']} ({why})")
    _comment(data, "issuer", [_("{old} merged into {kind} {new}: {why}").format(old=province, kind=kind, new=new_name, why=why)], 0)
    old_slug, ident = slug(province), str(data.get("id") or "")
    if ident.startswith(old_slug + "-"):
        data["id"] = slug(new_name) + ident[len(old_slug) :]
    replace(data, "title", "title")
    form = data.get("report")
    if isinstance(form, dict):
        for key in ("parent_body", "recipient", "place", "body"):
            replace(form, key, f"report.{key}")
    notes.append(
        _(
            "{old} merged into {kind} {new} from {day}: the plan is now issued under its successor; "
            "check its agencies and texts against the plans of {kind} {new}"
        ).format(old=province, kind=kind, new=new_name, day=_day(entry.effective))
    )
    return new_name


def _matches(entry: Succession, names: list[str | None], ident: str) -> bool:
    if entry.agency is not None:
        return entry.agency.lower() == ident.lower() or bool(_keys(entry.agency) & _keys(*names))
    wanted = _keys(*entry.names)
    folded = _keys(*names)
    return bool(wanted & folded) or any(f.startswith(w + " tinh ") or f.startswith(w + " thanh pho ") for w in wanted for f in folded)


def _apply_agency(
    data: Any,
    entry: Succession,
    province: str | None,
    changed: list[str],
    notes: list[str],
    renamed: list[tuple[str, str, str]],
) -> None:
    agencies = data.get("agencies") or []
    why = _why(entry, province)
    successor = entry.successor
    for index in range(len(agencies)):
        node = agencies[index]
        ident = str(node.get("id"))
        if _matches(entry, [node.get("name"), node.get("short_name"), *(node.get("aliases") or [])], ident):
            if entry.successor is not None:
                renamed.append((str(node.get("name")), entry.successor.name, why))
            _succeed_agency(data, index, entry, why, changed, notes)
            return
        for position, member in enumerate(node.get("members") or []):
            if _matches(entry, [member.get("name"), member.get("short_name")], str(member.get("id"))):
                path = f"agencies[{index}].members[{position}]"
                if successor is None:
                    notes.append(_("{path}: {name} dissolved ({why}) and no successor is known; kept: check it").format(path=path, name=member.get("name"), why=why))
                    return
                old_name = member.get("name")
                member["id"] = successor.id or slug(successor.name)
                member["name"] = successor.name
                if successor.short_name:
                    member["short_name"] = successor.short_name
                elif "short_name" in member:
                    del member["short_name"]
                changed.append(f"{path}: {old_name} → {successor.name} ({why})")
                return
    form = data.get("report")
    if isinstance(form, dict) and successor and _matches(entry, [form.get("body")], ""):
        _succeed_report(form, entry, why, changed)


def _succeed_report(form: Any, entry: Succession, why: str, changed: list[str]) -> None:
    successor = entry.successor
    assert successor is not None
    old = form.get("body")
    form["body"] = successor.name
    changed.append(f"report.body: {old} → {successor.name} ({why})")
    if successor.symbol and form.get("symbol"):
        changed.append(f"report.symbol: {form['symbol']} → {successor.symbol} ({why})")
        form["symbol"] = successor.symbol
    _comment(form, "body", [_("the report is issued by the successor: {why}").format(why=why)], 2)


def _succeed_agency(data: Any, index: int, entry: Succession, why: str, changed: list[str], notes: list[str]) -> None:
    from dsday_cli.store.plan_edit import _last_key, _move_trailing_comments

    agencies = data["agencies"]
    node = agencies[index]
    old_id, old_name = str(node.get("id")), str(node.get("name"))
    path = f"agencies[{index}]"
    successor = entry.successor
    if successor is None:
        notes.append(
            _("{path}: {name} dissolved ({why}) and no successor is known; kept with a TODO: check it").format(
                path=path, name=old_name, why=why
            )
        )
        _comment(node, "name", [_("TODO: dissolved ({why}); no successor known").format(why=why)], 4)
        return
    new_id = successor.id or slug(successor.name)
    existing = next(
        (i for i, a in enumerate(agencies) if i != index and (str(a.get("id")) == new_id or _keys(a.get("name")) & _keys(successor.name))),
        None,
    )
    if existing is not None:  # merged into a body the plan already has: its duties move there
        new_id = str(agencies[existing].get("id"))
        _move_duties(data, old_id, new_id)
        if index > 0:
            _move_trailing_comments(*_last_key(node), *_last_key(agencies[index - 1]))
        del agencies[index]
        changed.append(f"{path}: {old_name} → {successor.name}, its duties to {new_id} ({why})")
    else:
        node["id"] = new_id
        node["name"] = successor.name
        if successor.short_name:
            node["short_name"] = successor.short_name
        elif "short_name" in node:
            del node["short_name"]
        if successor.aliases:
            node["aliases"] = list(successor.aliases)
        elif "aliases" in node:
            del node["aliases"]
        node.ca.items.pop("id", None)  # a comment that described the old body
        lines = [f"{old_name} → {successor.name}: {why}"]
        if successor.group:
            members = node.get("members")
            if members:
                holder, last = _last_key(node)
                node["members"] = []
                _move_trailing_comments(holder, last, node, "members")
            province = plan_province(str(data.get("issuer") or "")) or _("PROVINCE")
            lines.append(
                _("TODO: the members are the province's commune-level units: dsday plan members {id} --register \"{province}\"").format(
                    id=new_id, province=province
                )
            )
            notes.append(
                _("{path}: {old} replaced by {new} without members; fill them: dsday plan members {id} --register \"{province}\"").format(
                    path=path, old=old_name, new=successor.name, id=new_id, province=province
                )
            )
        _comment(node, "name", lines, 4)
        _move_duties(data, old_id, new_id)
        changed.append(f"{path}: {old_id} ({old_name}) → {new_id} ({successor.name}) ({why})")
    form = data.get("report")
    if isinstance(form, dict) and _matches(entry, [form.get("body")], ""):
        _succeed_report(form, entry, why, changed)


def _move_duties(data: Any, old_id: str, new_id: str) -> None:
    for item in data.get("responsibilities") or []:
        if str(item.get("agency")) == old_id:
            item["agency"] = new_id
        partners = item.get("partners")
        if partners:
            kept: list[str] = []
            for partner in partners:
                moved = new_id if str(partner) == old_id else str(partner)
                if moved not in kept and moved != str(item.get("agency")):
                    kept.append(moved)
            if kept != [str(p) for p in partners]:
                del partners[:]
                partners.extend(kept)
                if not kept:
                    del item["partners"]


_LEVEL_WORDS = {"huyện": re.compile(r"\bcấp huyện\b|\bcác huyện\b", re.IGNORECASE)}


def _level_in_texts(data: Any, successions: list[Succession], province: str | None, notes: list[str]) -> None:
    """Texts that still speak of a level of government a succession ended ("cấp huyện"): each listed to check.

    The wording of a duty is the document's; dsday does not guess what the new year's plan
    says instead, so the text is kept and named.
    """
    for entry in successions:
        patterns = [_LEVEL_WORDS[k.lower()] for k in entry.dissolves_members if k.lower() in _LEVEL_WORDS]
        if not patterns:
            continue
        why = _why(entry, province)
        for where, _node, _key, value in _texts(data):
            found = next((m for p in patterns if (m := p.search(value))), None)
            if found:
                notes.append(
                    _("check {where}: it still speaks of '{words}', a level that ended ({why})").format(
                        where=where, words=found.group(0), why=why
                    )
                )


def _dissolved_members(data: Any, successions: list[Succession], province: str | None, notes: list[str]) -> None:
    """A group still listing bodies a succession dissolved (districts after 01/07/2025): a warning and a TODO."""
    for entry in successions:
        kinds = [k.lower() for k in entry.dissolves_members]
        if not kinds:
            continue
        for index, node in enumerate(data.get("agencies") or []):
            gone = [
                str(m.get("name"))
                for m in node.get("members") or []
                if any(str(m.get("name", "")).lower().startswith(k + " ") for k in kinds)
            ]
            if gone:
                why = _why(entry, province)
                notes.append(
                    _("agencies[{index}] ({id}): {count} members are bodies dissolved ({why}), e.g. {name}; no successor known: check them").format(
                        index=index, id=node.get("id"), count=len(gone), why=why, name=gone[0]
                    )
                )
                _comment(node, "name", [_("TODO: members dissolved ({why}); replace them by their successors").format(why=why)], 4)
