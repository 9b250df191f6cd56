"""Find agencies, members and items from what a person types.

Agencies match by id, short name, alias or any unambiguous part of the name, with or
without Vietnamese diacritics (``so gd`` finds Sở Giáo dục và Đào tạo). Unknown or
ambiguous input raises UsageError with the closest matches.
"""

import difflib
import re
import unicodedata
from collections.abc import Callable
from typing import TypeVar

from dsday_cli.core.errors import UsageError
from dsday_cli.core.i18n import _
from dsday_cli.core.model import Agency, Member, Plan, Responsibility

_NON_WORD = re.compile(r"[^0-9a-z]+")
_T = TypeVar("_T")


class _Marks(dict[int, int | None]):
    """A ``str.translate`` table that deletes combining marks, each character looked up once."""

    def __missing__(self, char: int) -> int | None:
        self[char] = None if unicodedata.combining(chr(char)) else char
        return self[char]


_DROP_MARKS = _Marks()


def fold_text(text: str) -> str:
    """Lower-case ASCII words: diacritics dropped, ``đ`` as ``d``, punctuation as spaces."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = text.translate(_DROP_MARKS).lower()  # in C: 100,000 titles in a plan's index are folded at once
    return _NON_WORD.sub(" ", text).strip()


_NON_WORD_KEEP_NUL = re.compile(r"[^0-9a-z\0]+")


def fold_texts(texts: list[str]) -> list[str]:
    """``fold_text`` of each text, folded together: a few C calls for a whole plan instead of several per item."""
    # NUL parts them: no step crosses it (NFD, dropping marks, lower-casing and the words are per character or
    # stop at it); a text holding one is folded alone.
    if any("\0" in text for text in texts):
        return [fold_text(text) for text in texts]
    text = unicodedata.normalize("NFD", "\0".join(texts).replace("đ", "d").replace("Đ", "D"))
    text = _NON_WORD_KEEP_NUL.sub(" ", text.translate(_DROP_MARKS).lower())
    return [part.strip() for part in text.split("\0")] if texts else []


def _words_prefix(query: list[str], words: list[str]) -> bool:
    """Each query word begins a word of ``words``, in order."""
    position = 0
    for part in query:
        while position < len(words) and not words[position].startswith(part):
            position += 1
        if position == len(words):
            return False
        position += 1
    return True


def _tier(query: str, labels: list[str]) -> int | None:
    """How well ``query`` matches: 0 exactly, 1 as part of a label, None not at all."""
    folded = [fold_text(label) for label in labels if label]
    if query in folded:
        return 0
    words = query.split()
    for label in folded:
        if query in label or _words_prefix(words, label.split()):
            return 1
    return None


def _choose(
    text: str,
    candidates: list[tuple[_T, list[str], str]],
    what: str,
    narrow: Callable[[list[tuple[_T, str]]], list[tuple[_T, str]]] = lambda found: found,
) -> _T:
    query = fold_text(text)
    if not query:
        raise UsageError(_("empty {what} name").format(what=what))
    ranked: dict[int, list[tuple[_T, str]]] = {}
    for thing, labels, shown in candidates:
        tier = _tier(query, labels)
        if tier is not None:
            ranked.setdefault(tier, []).append((thing, shown))
    for tier in sorted(ranked):
        found = narrow(ranked[tier])
        if len(found) == 1:
            return found[0][0]
        shown = ", ".join(label for _thing, label in found[:8])
        raise UsageError(
            _("{what} '{text}' is ambiguous: it matches {matches}").format(what=what, text=text, matches=shown)
        )
    by_label = {fold_text(label): shown for _, labels, shown in candidates for label in labels if label}
    close = difflib.get_close_matches(query, list(by_label), n=5, cutoff=0.5)
    hint = (
        "; " + _("closest: {names}").format(names=", ".join(dict.fromkeys(by_label[c] for c in close))) if close else ""
    )
    raise UsageError(_("unknown {what} '{text}'").format(what=what, text=text) + hint)


def find_agency(plan: Plan, text: str) -> tuple[Agency, Member | None]:
    """The agency, or the member of a group agency, that ``text`` names (``agency/member``: by their ids, as a checklist's binding)."""
    agency_id, slash, member_id = text.strip().partition("/")
    if slash and (agency := plan.agencies_by_id.get(agency_id)) is not None:
        member = next((m for m in agency.members if m.id == member_id), None)
        if member is not None:
            return agency, member
    candidates: list[tuple[tuple[Agency, Member | None], list[str], str]] = []
    for agency in plan.agencies:
        labels = [agency.id, agency.name, agency.short_name or "", *agency.aliases]
        candidates.append(((agency, None), labels, f"{agency.id} ({agency.label})"))
        for member in agency.members:
            labels = [member.id, member.name, member.short_name or ""]
            candidates.append(((agency, member), labels, f"{member.id} ({member.name}, {agency.label})"))
    return _choose(text, candidates, _("agency"), _group_over_members)


def _group_over_members(
    found: list[tuple[tuple[Agency, Member | None], str]],
) -> list[tuple[tuple[Agency, Member | None], str]]:
    """A group agency and some of its own members matching alike: the group is meant."""
    groups = {agency.id for (agency, _member), _label in found}
    whole = [entry for entry in found if entry[0][1] is None]
    return whole if len(groups) == 1 and len(whole) == 1 else found


def find_member(item: Responsibility, plan: Plan, text: str) -> Member:
    """The member of the item's lead agency that ``text`` names."""
    agency = plan.agencies_by_id.get(item.agency or "")
    if agency is None:
        raise UsageError(_("{item}: the document names no lead agency; it has no members").format(item=item.id))
    if not agency.members:
        raise UsageError(
            _("{agency} ({name}) is not a group agency; it has no members").format(agency=agency.id, name=agency.label)
        )
    candidates: list[tuple[Member, list[str], str]] = [
        (m, [m.id, m.name, m.short_name or ""], f"{m.id} ({m.name})") for m in agency.members
    ]
    return _choose(text, candidates, _("member of {agency}").format(agency=agency.id))


def find_item(plan: Plan, text: str) -> Responsibility:
    """The responsibility whose id is ``text`` (case does not matter)."""
    wanted = text.strip().lower()
    indexed: Callable[[str], Responsibility | None] | None = getattr(plan, "item_by_lower_id", None)  # a plan read from the index finds it there
    if indexed is not None and (found := indexed(wanted)) is not None:
        return found
    for item in plan.responsibilities:
        if item.id.lower() == wanted:
            return item
    close = difflib.get_close_matches(wanted, [i.id.lower() for i in plan.responsibilities], n=5, cutoff=0.4)
    hint = "; " + (_("closest: {names}").format(names=", ".join(close)) if close else _("see 'dsday list'"))
    raise UsageError(_("unknown item '{text}'").format(text=text) + hint)
