"""Ids and short names made from Vietnamese names: ASCII slugs, unique within their list.

``slug("Huyện Đô Lương")`` is ``huyen-do-luong``; a member's id drops the kind of
unit (``do-luong``) unless that would collide. Pure functions, no I/O.
"""

import re
import unicodedata
from collections.abc import Iterable

MAX_ID = 64
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# The kinds of unit a member's name starts with; dropped from its id when that stays unique.
UNIT_KINDS = (
    "ủy ban nhân dân",
    "ubnd",
    "thành phố",
    "thị xã",
    "thị trấn",
    "huyện",
    "quận",
    "phường",
    "xã",
    "đặc khu",
)


def ascii_fold(text: str) -> str:
    """Lower-case ASCII: diacritics dropped, ``đ`` as ``d``."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def slug(text: str, limit: int = MAX_ID) -> str:
    """``Thành phố Vinh`` → ``thanh-pho-vinh``: ASCII words joined by ``-``, cut at a word within ``limit``."""
    words = [w for w in _NON_ALNUM.split(ascii_fold(text)) if w]
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out


def without_unit_kind(name: str) -> str:
    """``Xã Diễn Châu`` → ``Diễn Châu``, ``Phường 1`` → ``1``; a name that is only a kind stays whole."""
    lowered = name.lower()
    for kind in UNIT_KINDS:
        rest = name[len(kind) :].strip()
        if (
            lowered.startswith(kind + " ")
            and rest[:1].isupper()
            or lowered.startswith(kind + " ")
            and rest[:1].isdigit()
        ):
            return rest  # a proper name follows ("Huyện Đô Lương"); "Huyện đoàn" is no unit
    return name


def unique_ids(names: Iterable[str], taken: Iterable[str] = (), fallback: str = "member") -> list[str]:
    """An id for each name, unique (case-insensitively) among themselves and ``taken``.

    The short form (kind of unit dropped) is used when no other name shares it, else the
    full slug, else a numbered one.
    """
    names = list(names)
    used = {t.lower() for t in taken}
    short = [slug(without_unit_kind(n)) for n in names]
    counts: dict[str, int] = {}
    for s in short:
        counts[s] = counts.get(s, 0) + 1
    ids = []
    for index, (name, short_id) in enumerate(zip(names, short), 1):
        candidates = [short_id] if short_id and counts[short_id] == 1 else []
        candidates.append(slug(name) or f"{fallback}-{index}")
        base = next((c for c in candidates if c.lower() not in used), None)
        if base is None:
            stem = candidates[-1][: MAX_ID - 4]
            number = 2
            while f"{stem}-{number}".lower() in used:
                number += 1
            base = f"{stem}-{number}"
        used.add(base.lower())
        ids.append(base)
    return ids


# The units whose People's Committee a letter goes to: a name starting with one of these
# ("Huyện Kỳ Sơn", "Thành phố Vinh", "Xã Anh Sơn") names a place, not the body that acts.
_COMMITTEE_UNITS = ("Thành phố", "Thị xã", "Thị trấn", "Huyện", "Quận", "Phường", "Xã", "Đặc khu")


def addressee(name: str, given: str | None = None) -> str:
    """The body a letter goes to: ``given`` (the plan's ``addressee:``), else a place's People's Committee.

    ``Huyện Kỳ Sơn`` → ``Ủy ban nhân dân huyện Kỳ Sơn`` (likewise a city, town, commune,
    ward, township, district or special zone followed by its proper name); any other
    name (a department, a newspaper, a committee already) is its own addressee.
    """
    if given:
        return given
    for unit in _COMMITTEE_UNITS:
        rest = name[len(unit) :]
        proper = rest[1:2].isupper() or rest[1:2].isdigit()  # "Huyện Kỳ Sơn", "Phường 1"; "Huyện đoàn" is no place
        if name[: len(unit)].lower() == unit.lower() and rest[:1] == " " and proper:
            return f"Ủy ban nhân dân {unit.lower()}{rest}"
    return name
