"""Line breaking of Chinese and mixed text: where a line may end, and the paragraph that uses it.

reportlab's CJK wrap (``wordWrap="CJK"``) cuts "like a knife" at the last character that fits.
It breaks inside Latin words and numbers ("107,0|00 t/a", "NP|V"), and it lets a closing
bracket that cannot start a line hang past the line end, outside a table cell's border.

Here a line may end only at a break opportunity:

- between two Chinese (wide) characters, or between a wide and a Latin character, unless the
  next one may not start a line (，。、；：！？）》% …) or the last may not end one (（《“ …);
- after a space, except between a number and its unit ("90,000 t/a", "2.5 %");
- never inside a run of Latin letters, digits and their punctuation ("C-N11", "1,466,667.00"),
  nor inside a short bracketed unit or code ("(万元/a)", "（C-N11）").

A segment wider than the whole line (a hash, a long URL) is still cut between characters, so
nothing is ever drawn past the line end. ``tokens`` gives the unbreakable segments that tables
size their columns by.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import ParaLines, _handleBulletWidth, cjkU, makeCJKParaLine

CJK = re.compile("[\u3000-\u9fff\uff00-\uffef]")
FUZZ = 1e-6
UNIT = re.compile(r"[^\d\s][^\s]{0,7}")  # "t/a", "m³/a", "tce", "kWh/a", "%", "kgce/t"
# 禁则 (GB/T 15834 and common practice): what may not start or end a line. reportlab's CJK wrap
# knows only a Japanese cannot-start list without "，；：！？》%" and hangs the one character that
# overflows into the margin; its cannot-end list (textsplit.CANNOT_END_LINE) is never consulted.
CANNOT_START = frozenset("，。、；：！？）》」』】〕〉〗”’…‰℃°%％,.;:!?)]}")
CANNOT_END = frozenset("（《「『【〔〈〖“‘([{")
BRACKETED = re.compile("[（(［\\[【][^（()）［］\\[\\]【】\n]{1,8}[）)］\\]】]")  # "(万元/a)", "（C-N11）"


def _wide(c: str) -> bool:
    return ord(c) >= 0x2E80


def _space(c: str) -> bool:
    return len(c) == 1 and (c in "\t\n" or unicodedata.category(c) == "Zs" and c not in "\u00a0\u202f")


def break_before(text: Sequence[str]) -> list[bool]:
    """``out[i]``: a line may end between ``text[i-1]`` and ``text[i]`` (``out[0]`` is False)."""
    n = len(text)
    out = [False] * n
    for i in range(1, n):
        a, b = text[i - 1], text[i]
        if not a or not b or _space(b):
            continue
        if _space(a):
            out[i] = not _number_unit(text, i) and b not in CANNOT_START
        elif _wide(a) or _wide(b):
            out[i] = b not in CANNOT_START and a not in CANNOT_END
    joined = "".join(c if len(c) == 1 else "\x00" for c in text)
    for m in BRACKETED.finditer(joined):  # a short bracketed unit or code stays whole
        if sum(map(_wide, m.group(0)[1:-1])) <= 3:
            out[m.start() + 1:m.end()] = [False] * (m.end() - m.start() - 1)
    return out


def _number_unit(text: Sequence[str], i: int) -> bool:
    """``text[i]`` starts a unit that follows a number and a space: "90,000 t/a"."""
    j = i - 1
    while j >= 0 and _space(text[j]):
        j -= 1
    if j < 0 or not text[j].isdigit():
        return False
    k = i
    while k < len(text) and text[k] and not _space(text[k]) and not _wide(text[k]):
        k += 1
    return bool(UNIT.fullmatch("".join(text[i:k])))


def tokens(text: str) -> list[str]:
    """The unbreakable segments of one paragraph of ``text`` (trailing spaces dropped)."""
    chars = list(text)
    allowed = break_before(chars)
    out, start = [], 0
    for i in range(1, len(chars) + 1):
        if i == len(chars) or allowed[i] or chars[i] == "\n":
            piece = "".join(chars[start:i]).strip()
            if piece:
                out.append(piece)
            start = i
    return out


def longest_token(text: str, font: str, size: float) -> float:
    """Width of the widest unbreakable segment of ``text``."""
    return max((stringWidth(t, font, size) for t in tokens(text)), default=0.0)


def split_lines(chars: Sequence[str], widths: Sequence[float], max_widths: Sequence[float],
                forced: Sequence[bool] = ()) -> list[tuple[int, int, float]]:
    """Greedy lines ``(start, end, width used)`` over ``chars``; ``forced[i]`` ends a line after ``chars[i]``."""
    n = len(chars)
    allowed = break_before(chars)
    lines: list[tuple[int, int, float]] = []
    start = 0
    while start < n:
        limit = max_widths[min(len(lines), len(max_widths) - 1)] + FUZZ
        used = visible = 0.0
        best, best_width, end = None, 0.0, None
        i = start
        while i < n:
            used += widths[i]
            if not _space(chars[i]):
                visible = used
            if visible > limit and i > start:
                break
            i += 1
            if i < n and forced and forced[i - 1]:
                end, best_width = i, visible
                break
            if i == n or allowed[i]:
                best, best_width = i, visible
        else:
            end, best_width = n, visible
        if end is None:
            if best is not None:
                end = best
            else:  # one segment wider than the line: cut it between characters, by the 禁则 if it can
                end = max(i, start + 1)
                while start + 1 < end < n and (chars[end] in CANNOT_START or chars[end - 1] in CANNOT_END):
                    end -= 1
                end = end if end > start + 1 or chars[start] not in CANNOT_END else max(i, start + 1)
                best_width = sum(widths[start:end])
        lines.append((start, end, best_width))
        start = end
        if not (forced and forced[end - 1]):
            while start < n and _space(chars[start]):
                start += 1
    return lines


@lru_cache(maxsize=65536)
def _char_width(c: str, font: str, size: float) -> float:
    return stringWidth(c, font, size)


class Text(Paragraph):
    """A paragraph that wraps Chinese text by these rules, even in an English report (audit
    data is mostly Chinese): ``style.cjk`` is the style's CJK variant."""

    def __init__(self, text: str | None, style: Any, **kw: Any):
        if text and getattr(style, "cjk", None) is not None and CJK.search(text):
            style = style.cjk
        super().__init__(text, style, **kw)

    def breakLinesCJK(self, maxWidths: Any) -> ParaLines:  # noqa: N802 (reportlab's name)
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        frags, style = self.frags, self.style
        if (getattr(self, "_splitpara", 0) and hasattr(self, "blPara")) or style.endDots or not frags \
                or any(hasattr(f, "cbDefn") for f in frags):
            return super().breakLinesCJK(maxWidths)
        self.height = 0
        _handleBulletWidth(self.bulletText, style, maxWidths)
        if len(frags) == 1:
            f = frags[0]
            text = f.text if hasattr(f, "text") else "".join(getattr(f, "words", []))
            widths = [_char_width(c, f.fontName, f.fontSize) for c in text]
            lines = [(max_w(maxWidths, k) - used, [text[a:b].rstrip()])
                     for k, (a, b, used) in enumerate(split_lines(text, widths, maxWidths))]
            return f.clone(kind=0, lines=lines, ascent=f.fontSize, descent=-0.2 * f.fontSize)
        units = []
        for f in frags:
            text = f.text
            units.extend(cjkU(c, f, "utf8") for c in text) if text else units.append(cjkU("", f, "utf8"))
        forced = [hasattr(u.frag, "lineBreak") for u in units]
        calc_bounds = getattr(self, "autoLeading", getattr(style, "autoLeading", "")) not in ("", "off")
        lines = []
        for k, (a, b, used) in enumerate(split_lines(units, [u.width for u in units], maxWidths, forced)):
            width = max_w(maxWidths, k)
            lines.append(makeCJKParaLine(units[a:b], width, used, width - used, forced[b - 1], calc_bounds))
        return ParaLines(kind=1, lines=lines)


def max_w(widths: Sequence[float], k: int) -> float:
    return widths[min(k, len(widths) - 1)]
