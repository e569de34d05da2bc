"""Superscript and subscript characters the report font lacks, set as raised or lowered digits.

The shipped CJK font has ², ³ and ₂ but no ⁶, ⁺, ⁻ or ₓ: "Cr⁶⁺" printed as "Cr" and a gap,
"8.0×10⁷ kWh/a" as "8.0×10 kWh/a", and the characters were missing from the PDF's text too.
A run of such characters (e.g. "²⁺") becomes ``<super>2+</super>`` in a paragraph, and plain
"2+" in a chart, where a drawing string has no markup.
"""

from __future__ import annotations

import re
from functools import lru_cache
from xml.sax.saxutils import escape

SUPER = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ", "0123456789+-=()ni"))
SUB = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜ", "0123456789+-=()aeoxhklmnpst"))
_RUNS = re.compile(f"([{''.join(SUPER)}]+)|([{''.join(SUB)}]+)")


@lru_cache(maxsize=1)
def _missing() -> frozenset[str]:
    from reportlab.pdfbase import pdfmetrics

    from cpaudit.report.styles import register_fonts

    has = pdfmetrics.getFont(register_fonts()).face.charToGlyph
    return frozenset(c for c in (*SUPER, *SUB) if ord(c) not in has)


def lacks_glyphs(text: str) -> bool:
    missing = _missing()
    return any(c in missing for c in text)


def _runs(text: str, raised: str, lowered: str) -> str:
    """``text`` with every run that holds a missing character replaced (kept as is otherwise)."""
    missing = _missing()

    def one(m: re.Match[str]) -> str:
        run = m.group(0)
        if not any(c in missing for c in run):
            return run
        table = SUPER if m.group(1) else SUB
        return (raised if m.group(1) else lowered).format("".join(table[c] for c in run))

    return _RUNS.sub(one, text)


def markup(text: str) -> str:
    """Escaped paragraph markup of plain ``text``."""
    text = escape(text)
    return _runs(text, "<super>{}</super>", "<sub>{}</sub>") if lacks_glyphs(text) else text


def drawable(text: str) -> str:
    """``text`` for a chart string: missing raised/lowered characters as plain ones."""
    return _runs(text, "{}", "{}") if lacks_glyphs(text) else text
