"""Locale-aware formatting of numbers, money, percentages and dates (Babel).

Every user-visible number goes through here, with the language passed in, so
the UI and the report (whose language may differ) format the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from babel import dates as babel_dates
from babel import numbers as babel_numbers

from cpaudit.i18n import PSEUDO, _, current_language

_BABEL_LOCALE = {"zh_CN": "zh_Hans_CN", "en": "en_US", PSEUDO: "en_US"}


def babel_locale(lang: str | None = None) -> str:
    return _BABEL_LOCALE.get(lang or current_language(), "zh_Hans_CN")


def _pattern(places: int, percent: bool = False, grouping: bool = True) -> str:
    frac = "." + "0" * places if places > 0 else ""
    return f"{'#,##0' if grouping else '0'}{frac}{'%' if percent else ''}"


def number(value: Decimal | float | int | None, places: int = 2, lang: str | None = None, grouping: bool = True) -> str:
    if value is None:
        return "—"
    return babel_numbers.format_decimal(
        Decimal(str(value)), format=_pattern(places, grouping=grouping), locale=babel_locale(lang),
        decimal_quantization=True,
    )


_QUANTITY = re.compile(r"(-?\d+(?:\.\d+)?) (\S.*)")


def quantity_text(text: str, lang: str | None = None) -> str:
    """A computed "<number> <unit>" text as people read it, like the tables beside it: digits
    grouped, four significant digits below 1,000 ("1000000 t" → "1,000,000 t", "1.466667 t/t" →
    "1.467 t/t", "138.7313 kgce/t" → "138.7 kgce/t", "0.007229 t/t" stays). Other texts unchanged."""
    match = _QUANTITY.fullmatch(text.strip())
    if match is None:
        return text
    value = Decimal(match.group(1))
    places = 0 if abs(value) >= 1000 or value == 0 else max(0, min(6, 3 - value.adjusted()))
    return f"{number(value, places, lang)} {match.group(2)}"


# Computed texts printed as they are: a conversion factor keeps every place it has, so a reader
# reproduces the tce beside it (B2: 1.2143 rounded to "1.214" gave 145.68, not 145.72; ref §4.3).
EXACT_TEXT_FUNCTIONS = frozenset({"energy_row_factor"})


def computed_text(function: str, text: str, lang: str | None = None) -> str:
    """A computed text column or field as shown: ``quantity_text`` unless ``function`` is exact."""
    return text if function in EXACT_TEXT_FUNCTIONS else quantity_text(text, lang)
# Decimals of the calculation settings' rates (discount rate, tax rate, benchmark; places = 2 in
# the workflow): every summary of those settings shows them as the settings page does.
RATE_PLACES = 2


def percent(value: Decimal | float | None, places: int = 1, lang: str | None = None) -> str:
    """``value`` is a percentage already (12.5 → '12.5%')."""
    if value is None:
        return "—"
    return babel_numbers.format_percent(
        Decimal(str(value)) / 100, format=_pattern(places, percent=True), locale=babel_locale(lang)
    )


def money(value: Decimal | None, unit: str = "万元", places: int = 2, lang: str | None = None) -> str:
    """Money keeps the audit's unit (元/万元) visible instead of a currency sign."""
    if value is None:
        return "—"
    return f"{number(value, places, lang)} {unit_label(unit, lang)}"


# The product basis of a steel indicator unit, "kgce/t焦" (indicator-systems.md Groups 3 and 5).
PRODUCT_BASIS = {"t焦": "t coke", "t矿": "t ore", "t铁": "t iron", "t钢": "t steel"}


def unit_label(unit: str, lang: str | None = None) -> str:
    if (lang or current_language()) == "zh_CN":
        return unit
    head, sep, basis = unit.rpartition("/")
    if sep and basis in PRODUCT_BASIS:
        return f"{head}/{PRODUCT_BASIS[basis]}"
    return {"万元": "10k CNY", "元": "CNY", "万元/a": "10k CNY/a", "元/a": "CNY/a"}.get(unit, unit)


def date(value: dt.date | str | None, lang: str | None = None) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return babel_dates.format_date(value, format="medium", locale=babel_locale(lang))


def local_moment(value: dt.datetime | str) -> dt.datetime:
    """A stored timestamp on this computer's clock: every screen shows a moment the same way.

    Timestamps are stored with their offset (UTC, or Beijing time in the samples); a
    naive one is shown as stored. ValueError when the text is no ISO timestamp.
    """
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone() if moment.tzinfo is not None else moment


def datetime(value: dt.datetime | str | None, lang: str | None = None) -> str:
    if value in (None, ""):
        return "—"
    try:
        moment = local_moment(value)
    except ValueError:
        return str(value)
    return babel_dates.format_datetime(moment.replace(tzinfo=None), format="medium", locale=babel_locale(lang))


def stage_label(stage: str, in_sentence: bool = False) -> str:
    """A submission stage in words: "Assessment (评估)" where it stands alone (a cell, a filter, a tab),
    "assessment (评估)" inside a sentence (the verifier's and the importer's line)."""
    if in_sentence:
        return {"assessment": _("assessment (评估)"), "acceptance": _("acceptance (验收)")}.get(stage, stage)
    return {"assessment": _("Assessment (评估)"), "acceptance": _("Acceptance (验收)")}.get(stage, stage)


def signer_text(signer: dict) -> str:
    """张伟（法定代表人） / Zhang Wei (legal representative): a signer with the title, as every screen writes it."""
    name, title = signer.get("name") or "", signer.get("title") or ""
    return _("{name} ({title})").format(name=name, title=title) if title else name
