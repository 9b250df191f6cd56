"""The interface language: Vietnamese or English, from gettext catalogs shipped in the package.

Chosen by ``--lang``, else ``DSDAY_LANG``, else the locale in gettext's order
(``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``). Catalogs are compiled with
Babel (see README, "Translations").
"""

import gettext
import os
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "vi")
_chosen: str | None = None


def choose(language: str | None) -> None:
    """Fix the language for this run (from ``--lang``; the entry point calls it before help texts are built)."""
    global _chosen
    _chosen = language


def chosen() -> str | None:
    """The language asked for with --lang or DSDAY_LANG, or None when only the locale speaks."""
    wanted = _chosen or os.environ.get("DSDAY_LANG")
    return ("vi" if wanted.lower().startswith("vi") else "en") if wanted else None


def language() -> str:
    """'vi' or 'en'."""
    wanted = _chosen or os.environ.get("DSDAY_LANG")
    if not wanted:
        for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
            if os.environ.get(name):
                wanted = os.environ[name].split(":")[0]
                break
    return "vi" if (wanted or "").lower().startswith("vi") else "en"


@lru_cache(maxsize=None)
def _catalog(lang: str) -> gettext.NullTranslations:
    return gettext.translation("dsday", LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    """``message`` in the interface language."""
    return _catalog(language()).gettext(message)


def n_(singular: str, plural: str, count: int) -> str:
    """The singular or plural of a message for ``count``, in the interface language."""
    return _catalog(language()).ngettext(singular, plural, count)
