"""The interface language: Vietnamese or English, from gettext catalogs shipped in the package.

The entry point chooses it: ``--lang``, else ``DSDAY_LANG``, else the locale in
gettext's order (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``); a script
calls ``choose("vi")``. Catalogs are compiled with Babel (see README, "Translations").
"""

import gettext
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("en", "vi")
_chosen: str | None = None
_explicit = False


def choose(language: str | None, explicit: bool = False) -> None:
    """Fix the language for this run; ``explicit`` when the user asked for it (--lang, DSDAY_LANG), not the locale."""
    global _chosen, _explicit
    _chosen, _explicit = language, explicit


def chosen() -> str | None:
    """The language the user asked for (--lang or DSDAY_LANG), or None when only the locale speaks."""
    return _chosen if _explicit else None


def language_from(environ: Mapping[str, str]) -> str:
    """The language an environment asks for: ``DSDAY_LANG``, else the locale in gettext's order; 'vi' or 'en'."""
    wanted = environ.get("DSDAY_LANG")
    if not wanted:
        for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
            if environ.get(name):
                wanted = environ[name].split(":")[0]
                break
    return "vi" if (wanted or "").lower().startswith("vi") else "en"


def language() -> str:
    """The language chosen for this run: 'vi' or 'en' (English until the entry point chooses)."""
    return _chosen or "en"


@lru_cache(maxsize=None)
def _catalog(lang: str) -> gettext.NullTranslations:
    return gettext.translation("dsday", LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    """``message`` in the interface language."""
    return _catalog(language()).gettext(message)


def n_(singular: str, plural: str, count: int) -> str:
    """The singular or plural of a message for ``count``, in the interface language."""
    return _catalog(language()).ngettext(singular, plural, count)
