"""The official register of administrative units: a province's current commune-level units.

The register is the ``vietnam-provinces`` package (its edition is pinned in
constraints.txt; README, "Successions", says how to update it), imported here only.
A province is named by its name or code, accents and "tỉnh"/"thành phố" optional;
an unknown or ambiguous one gets the closest matches.
"""

import difflib

from dsday_cli.core.errors import UsageError
from dsday_cli.core.i18n import _
from dsday_cli.core.names import ascii_fold


def _folded(name: str) -> str:
    text = " ".join(ascii_fold(name).replace(".", " ").split())
    for prefix in ("thanh pho ", "tinh ", "tp "):
        text = text.removeprefix(prefix)
    return text


def register_edition() -> str:
    """The register's edition: the package's version and the day its data was taken."""
    import vietnam_provinces

    return f"vietnam-provinces {vietnam_provinces.__version__} ({vietnam_provinces.__data_version__})"


def commune_units(province_text: str) -> tuple[str, dict[str, str]]:
    """The province ``province_text`` names, and its commune-level units' official names and codes, in the register's order."""
    from vietnam_provinces import Province, Ward

    provinces = list(Province.iter_all())
    text = province_text.strip()
    wanted = _folded(text)
    if text.isdigit():
        found = [p for p in provinces if int(p.code) == int(text)]
    else:
        found = [p for p in provinces if _folded(p.name) == wanted]
        if not found and wanted:
            found = [p for p in provinces if wanted in _folded(p.name)]
    if len(found) != 1:
        names = {_folded(p.name): p.name for p in provinces}
        if found:
            closest = [p.name for p in found]
            message = _("'{text}' names several provinces: {names}; give one").format(text=text, names=", ".join(closest))
        else:
            closest = [names[n] for n in difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.5)]
            message = _("'{text}' is no province of the register ({edition})").format(text=text, edition=register_edition())
            merged = _merged_into(wanted)
            if merged:
                message += "; " + merged
            elif closest:
                message += "; " + _("closest: {names}").format(names=", ".join(closest))
        raise UsageError(message)
    province = found[0]
    return province.name, {ward.name: f"{int(ward.code):05d}" for ward in Ward.iter_by_province(province.code)}


def _merged_into(wanted: str) -> str | None:
    from dsday_cli.store.successions import shipped_successions

    for entry in shipped_successions():
        if entry.province and _folded(entry.province) == wanted and entry.successor:
            return _("it merged into {kind} {name} from {day}: give '{name}'").format(
                kind=entry.successor.kind or "tỉnh",
                name=entry.successor.name,
                day=f"{entry.effective.day:02d}/{entry.effective.month:02d}/{entry.effective.year}",
            )
    return None
