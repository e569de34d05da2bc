"""Translation layer: ``from cpaudit.i18n import _``.

Message ids are English; zh_CN is the default language, en the second.
Catalogs are Babel/gettext ``.po`` files under ``translations/``; the ``.mo``
files are compiled from them (never committed) at build time, or on first use
in a source checkout when missing or older than their ``.po``.

``CPAUDIT_LANG=pseudo`` selects a pseudo-locale that accents and brackets every
translated string, so text that escaped ``_()`` stands out at a glance.

The report builder must not use the global ``_``: it takes ``translator(lang)``
so the report language can differ from the UI language.
"""

from __future__ import annotations

import gettext
import os
import threading
from pathlib import Path
from contextlib import contextmanager
from typing import Callable, Iterator

from cpaudit import paths

DOMAIN = "cpaudit"
DEFAULT_LANG = "zh_CN"
LANGUAGES = ("zh_CN", "en")
PSEUDO = "pseudo"

_lock = threading.Lock()
_cache: dict[str, gettext.NullTranslations] = {}
_current = DEFAULT_LANG
_local = threading.local()  # per-thread override: a report built in another language

_PSEUDO_MAP = str.maketrans(
    "AaCcEeIiNnOoSsUuYy", "ÅåÇçÉéÎîÑñÖöŠšÜüÝý"
)


class _Pseudo(gettext.NullTranslations):
    """Wraps and lengthens every string so clipping and escapes are visible."""

    def gettext(self, message: str) -> str:
        if not message:
            return message
        body = _protect_placeholders(message)
        pad = "·" * max(1, len(message) // 3)
        return f"⟦{body}{pad}⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


def _protect_placeholders(message: str) -> str:
    """Accent letters outside ``{placeholders}`` so str.format still works."""
    out, depth = [], 0
    for ch in message:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        out.append(ch if depth else ch.translate(_PSEUDO_MAP))
    return "".join(out)


def _mo_path(lang: str) -> Path:
    return paths.translations_root() / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def compile_catalog(lang: str) -> Path | None:
    """Compile ``lang``'s .po into .mo when the .mo is missing or stale."""
    po = _mo_path(lang).with_suffix(".po")
    mo = _mo_path(lang)
    if not po.exists():
        return mo if mo.exists() else None
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return mo
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    tmp = mo.with_suffix(".mo.tmp")
    try:
        with tmp.open("wb") as fh:
            write_mo(fh, catalog)
        os.replace(tmp, mo)
    except OSError:
        # Read-only install (e.g. a system package): fall back to the .po in memory.
        return None
    return mo


def translator(lang: str) -> gettext.NullTranslations:
    """The translations object for ``lang`` (cached); unknown → identity."""
    with _lock:
        if lang in _cache:
            return _cache[lang]
        if lang == PSEUDO:
            tr: gettext.NullTranslations = _Pseudo()
        else:
            mo = compile_catalog(lang)
            if mo is not None and mo.exists():
                with mo.open("rb") as fh:
                    tr = gettext.GNUTranslations(fh)
            else:
                tr = gettext.NullTranslations()
        _cache[lang] = tr
        return tr


def normalise_lang(lang: str | None) -> str:
    if not lang:
        return DEFAULT_LANG
    lang = lang.replace("-", "_")
    if lang == PSEUDO:
        return PSEUDO
    if lang.lower().startswith("zh"):
        return "zh_CN"
    if lang.lower().startswith("en"):
        return "en"
    return DEFAULT_LANG


def set_language(lang: str | None) -> str:
    """Switch the UI language for every later ``_()`` call; returns it."""
    global _current
    _current = normalise_lang(lang)
    return _current


def current_language() -> str:
    return getattr(_local, "lang", None) or _current


@contextmanager
def using_language(lang: str) -> Iterator[str]:
    """Within the block, ``_()`` on THIS thread speaks ``lang``; other threads are unaffected.

    The report (in a worker thread) can so produce validation messages in the report's
    language while the UI keeps its own.
    """
    previous = getattr(_local, "lang", None)
    _local.lang = normalise_lang(lang)
    try:
        yield _local.lang
    finally:
        _local.lang = previous


def initial_language() -> str:
    return normalise_lang(os.environ.get("CPAUDIT_LANG") or DEFAULT_LANG)


def _(message: str) -> str:
    return translator(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translator(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a string for extraction; translated later, where it is shown."""
    return message


Gettext = Callable[[str], str]

set_language(initial_language())
