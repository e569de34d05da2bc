"""Turning what a user typed (or a JSON file held) into a field's canonical value.

Canonical forms: text → str; integer → int; decimal/money/percent/quantity →
a plain decimal string ("1234.5"); date → ISO "YYYY-MM-DD"; choice → one enum
value; multichoice → list of enum values; yesno → bool; uscc → upper-case str.
Empty input is ``None``. Anything that cannot be read is a ``ValueRejected``
with a rule id and a translated message naming the field — never stored.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Callable

from cpaudit.domain.decimals import as_decimal, decimal_text, ungrouped  # noqa: F401  (re-exported)
from cpaudit.i18n import _
from cpaudit.workflow.schema import NUMERIC_TYPES, FieldSpec, Workflow

if TYPE_CHECKING:
    from cpaudit.domain.document import AuditDocument

MAX_TEXT = 20_000  # characters; a worksheet cell is never a novel
MAX_LONGTEXT = 200_000
MAX_DIGITS = 20  # ample for 万元 or t/a, small enough that nothing overflows a report cell

_YES = {"yes", "y", "true", "1", "是", "✓", "√", "有", "x"}
_NO = {"no", "n", "false", "0", "否", "×", "无", ""}


class ValueRejected(ValueError):
    def __init__(self, rule: str, message: str):
        self.rule, self.message = rule, message
        super().__init__(message)


# Unicode category Cc (C0, DEL, C1) except tab and newline: they break PDFs and spreadsheets.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _clean_text(raw: str, limit: int, label: str) -> str:
    text = _CONTROL.sub("", raw)
    if len(text) > limit:
        raise ValueRejected(
            "text.too_long",
            _("{field}: at most {limit} characters are allowed").format(field=label, limit=limit),
        )
    return text


def parse_decimal(raw: Any, label: str, percent: bool = False) -> Decimal:
    """A number as typed: full-width digits, thousands separators and, for a ``percent`` field,
    a trailing "%". A decimal comma or a "%" elsewhere is refused rather than read as another number."""
    if isinstance(raw, bool):
        raise ValueRejected("number.invalid", _("{field}: enter a number").format(field=label))
    if isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    else:
        shown = str(raw)[:40]
        text = unicodedata.normalize("NFKC", str(raw)).strip()
        if text.endswith("%"):
            if not percent:
                raise ValueRejected("number.percent_sign", _(
                    "{field}: '{text}' — this field is not a percentage; enter the number without '%'").format(
                        field=label, text=shown))
            text = text[:-1].rstrip()
        plain = ungrouped(text)
        if plain is None:
            raise ValueRejected("number.separator", _(
                "{field}: '{text}' is not a number: use '.' for decimals; a ',' only separates thousands "
                "(1,234.5)").format(field=label, text=shown))
        try:
            value = Decimal(plain)
        except InvalidOperation:
            raise ValueRejected("number.invalid", _("{field}: '{text}' is not a number").format(field=label, text=shown)) from None
    if not value.is_finite():
        raise ValueRejected("number.not_finite", _("{field}: enter a finite number").format(field=label))
    if value.adjusted() >= MAX_DIGITS:
        raise ValueRejected("number.too_large", _("{field}: the number is too large").format(field=label))
    return value


def coerce(spec: FieldSpec, raw: Any, wf: Workflow, label: str | Callable[[], str] | None = None) -> Any:
    """Canonical value of ``raw`` for ``spec``; raises ``ValueRejected`` naming ``label``.

    ``label`` (default: the field's translated label) may be a callable: an
    audit file has thousands of cells, and a cell's name is only needed when its
    value is rejected, so it is built then (the rejection is re-raised with it).
    """
    try:
        return _coerce(spec, raw, wf, "")
    except ValueRejected:
        named = label() if callable(label) else label
        return _coerce(spec, raw, wf, named or _(spec.label))


def _coerce(spec: FieldSpec, raw: Any, wf: Workflow, label: str) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip() and spec.type != "yesno"):
        return None
    t = spec.type
    if t in ("text", "longtext"):
        text = _clean_text(str(raw), spec.max_length or (MAX_TEXT if t == "text" else MAX_LONGTEXT), label)
        text = text if t == "longtext" else text.strip()
        if spec.pattern and text and re.fullmatch(spec.pattern, text) is None:
            raise ValueRejected("text.pattern", _("{field}: '{text}' does not fit: {hint}").format(
                field=label, text=text[:40], hint=_(spec.pattern_hint)))
        return text if text.strip() else None  # only control characters or blanks: empty
    if t == "integer":
        value = parse_decimal(raw, label)
        if value != value.to_integral_value():
            raise ValueRejected("integer.invalid", _("{field}: enter a whole number").format(field=label))
        return int(value)
    if t in NUMERIC_TYPES:
        value = parse_decimal(raw, label, percent=t == "percent")
        if spec.places is not None:
            value = value.quantize(Decimal(1).scaleb(-spec.places))
        return decimal_text(value)
    if t == "date":
        return _coerce_date(raw, label)
    if t == "choice":
        return _coerce_choice(spec, raw, wf, label)
    if t == "multichoice":
        items = raw if isinstance(raw, (list, tuple)) else re.split(r"[;,；，]\s*", str(raw))
        values = [_coerce_choice(spec, item, wf, label) for item in items if str(item).strip()]
        return sorted(set(values), key=wf.enums[spec.choices].values.index) or None  # type: ignore[index]
    if t == "yesno":
        return _coerce_bool(raw, label)
    if t == "uscc":
        return _coerce_uscc(raw, label)
    raise ValueRejected("type.unknown", _("{field}: this field cannot hold a value").format(field=label))


def _coerce_date(raw: Any, label: str) -> str:
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if re.fullmatch(r"\d{8}", text):  # 20250310, as typed without separators
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    text = re.sub(r"[年月/.]", "-", text).rstrip("日").strip("-")
    try:
        parts = [int(p) for p in text.split("-")]
        return dt.date(*parts).isoformat()  # type: ignore[misc]
    except (ValueError, TypeError, OverflowError):
        raise ValueRejected("date.invalid", _("{field}: '{text}' is not a date (YYYY-MM-DD)").format(field=label, text=str(raw)[:40])) from None


def _coerce_choice(spec: FieldSpec, raw: Any, wf: Workflow, label: str) -> str:
    enum = wf.enums[spec.choices]  # type: ignore[index]
    text = str(raw).strip()
    if text in enum.value_set:
        return text
    for c in enum.choices:  # pasted labels, in either language
        if text in (c.label, _(c.label)):
            return c.value
    raise ValueRejected("choice.invalid", _("{field}: '{text}' is not one of the choices").format(field=label, text=text[:40]))


def _coerce_bool(raw: Any, label: str) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _YES or text == _("yes").lower():
        return True
    if text in _NO or text == _("no").lower():
        return False
    raise ValueRejected("yesno.invalid", _("{field}: answer yes or no").format(field=label))


def _coerce_uscc(raw: Any, label: str) -> str | None:
    text = _CONTROL.sub("", unicodedata.normalize("NFKC", str(raw))).strip().upper().replace(" ", "")
    # Removing a space can leave a combining mark next to a letter ("R ̧" from "R¸"): compose it
    # now, or reading the stored value again would change it.
    text = unicodedata.normalize("NFKC", text)
    if len(text) > 18:
        raise ValueRejected("uscc.length", _("{field}: a unified social credit code has 18 characters").format(field=label))
    return text or None


def exceeded_limit(doc: "AuditDocument", wf: Workflow, spec: FieldSpec, value: Any) -> Decimal | None:
    """The limit ``spec.shown_up_to`` names when ``value`` lies above it (shown as "> limit"), else None.
    An unset limit falls back to its field's default, as the calculations do."""
    limit = _limit(doc, wf, spec)
    number = as_decimal(value)
    return limit if number is not None and limit is not None and number > limit else None


def _limit(doc: "AuditDocument", wf: Workflow, spec: FieldSpec) -> Decimal | None:
    if not spec.shown_up_to:
        return None
    step_id, _sep, field_id = spec.shown_up_to.rpartition(".")
    return as_decimal(doc.get(step_id, field_id, wf.step(step_id).field(field_id).default))


NEVER = "never"


def empty_meaning(doc: "AuditDocument", wf: Workflow, spec: FieldSpec, sibling: Callable[[str], Any]) -> Decimal | str | None:
    """What an empty computed cell says (``spec.empty_beyond_if`` / ``empty_never_if``): the limit, to be
    shown "> limit"; ``NEVER``; or None (really empty). ``sibling(column_id)`` reads the row's other cells,
    so the GUI and the report print the same words as chapter 5 (无法回收, "> 10")."""
    if spec.empty_beyond_if and sibling(spec.empty_beyond_if) not in (None, ""):
        return _limit(doc, wf, spec)
    if spec.empty_never_if and sibling(spec.empty_never_if) not in (None, ""):
        return NEVER
    return None


def shown_yes_no(spec: FieldSpec, value: Any) -> Any:
    """A yes/no cell a row never stored reads as its column's default, as the calculations read it
    (table 6-6 printed an empty 适用 for every applicable indicator)."""
    return spec.default if value is None and spec.type == "yesno" else value
