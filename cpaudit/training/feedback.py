"""Comparing a trainee's answer with the model answer, and saying why they differ.

Each answer box gives one ``Finding``: right or wrong, and a plain translated
sentence. A wrong number is checked against the usual mistakes (the wrong
base of the deviation, tax on P instead of P − D, payback on P instead of F,
NPV without −I, one R point off on one factor …) so the sentence names the
mistake, not just the right value.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

from cpaudit.domain.decimals import ungrouped
from cpaudit.formatting import number, unit_label
from cpaudit.i18n import _, ngettext
from cpaudit.training.exercises import Exercise

# How close a number must be to count as right: absolute tolerance, and relative to the model value.
TOLERANCE = {"deviation_pct": (Decimal("0.01"), Decimal(0)), "IRR": (Decimal("0.3"), Decimal(0)),
             "N": (Decimal("0.05"), Decimal(0))}
DEFAULT_TOLERANCE = (Decimal("0.01"), Decimal("0.005"))


@dataclass(frozen=True)
class Finding:
    key: str
    correct: bool
    message: str


@dataclass(frozen=True)
class Feedback:
    findings: tuple[Finding, ...]

    @property
    def correct(self) -> int:
        return sum(1 for f in self.findings if f.correct)

    @property
    def total(self) -> int:
        return len(self.findings)

    @property
    def all_correct(self) -> bool:
        return self.correct == self.total

    def summary(self) -> str:
        if self.all_correct:
            return _("All {n} answers match the model answer.").format(n=self.total)
        return _("{right} of {n} answers match the model answer.").format(right=self.correct, n=self.total)


def parse_number(text: Any) -> Decimal | None:
    """What a trainee types: blanks, thousands separators, full-width digits, a trailing % or unit."""
    if text is None:
        return None
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    cleaned = str(text).translate(str.maketrans("０１２３４５６７８９．－，", "0123456789.-,")).strip()
    cleaned = cleaned.rstrip("%％")
    for suffix in ("万元/a", "万元", "kg", "m³", "a", "年"):
        cleaned = cleaned.removesuffix(suffix)
    plain = ungrouped(cleaned.strip())
    if plain is None:  # "1,5": a decimal comma is not read as 15
        return None
    try:
        value = Decimal(plain)
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def close(value: Decimal | None, model: Decimal | None, key: str = "") -> bool:
    if value is None or model is None:
        return value is None and model is None
    absolute, relative = TOLERANCE.get(key, DEFAULT_TOLERANCE)
    return abs(value - model) <= max(absolute, relative * abs(model))


def _n(value: Decimal | None, places: int = 2) -> str:
    return "—" if value is None else number(value, places)


def compare(ex: Exercise, answer: Mapping[str, Any]) -> Feedback:
    """One finding per answer field of ``ex``, in the order of ``ex.fields()``."""
    model = ex.model()
    explain = {"focus": _focus, "balance": _balance, "economics": _economics}[ex.kind]
    findings = []
    for f in ex.fields():
        given = answer.get(f.key)
        if given is None or str(given).strip() == "":
            findings.append(Finding(f.key, False, _("{label}: no answer. The model answer is {value}.").format(
                label=_(f.label), value=_shown(f, model[f.key]))))
            continue
        findings.append(explain(ex, f, given, model, answer))
    return Feedback(tuple(findings))


def _shown(f: Any, value: Any) -> str:
    if f.kind == "choice":
        return _(dict(f.choices).get(value, str(value)))
    unit = _("points") if f.unit == "points" else f.unit
    return _n(value) + (f" {unit}" if f.unit else "")


def _unreadable(f: Any, given: Any) -> Finding:
    return Finding(f.key, False, _("{label}: '{given}' is not a number.").format(label=_(f.label), given=given))


# -- focus: Σ W·R and the choice ---------------------------------------------------------
def _focus(ex: Exercise, f: Any, given: Any, model: dict[str, Any], answer: Mapping[str, Any]) -> Finding:
    labels = model["labels"]
    if f.key == "focus":
        best = model["ranking"][0]
        if given == best:
            return Finding(f.key, True, _("Audit focus: right, {name} has the highest weighted sum ({total}).").format(
                name=_(labels[best]), total=_n(model[f"total.{best}"], 0)))
        own = {k: parse_number(answer.get(f"total.{k}")) for k in model["ranking"]}
        own_best = max((k for k in own if own[k] is not None), key=lambda k: own[k], default=None)  # type: ignore[arg-type,return-value]
        text = _("Audit focus: the model answer is {name} ({total} points), not {chosen} ({theirs} points).").format(
            name=_(labels[best]), total=_n(model[f"total.{best}"], 0), chosen=_(labels.get(given, given)),
            theirs=_n(model.get(f"total.{given}"), 0))
        if own_best == given and given != best:
            text += " " + _("Your choice follows from your own totals; correct them first.")
        elif own_best is not None and own_best != given:
            text += " " + _("The focus is the candidate with the highest Σ W·R, and by your own totals that would be {name}.").format(
                name=_(labels[own_best]))
        return Finding(f.key, False, text)
    key = f.key.split(".", 1)[1]
    value = parse_number(given)
    if value is None:
        return _unreadable(f, given)
    right = model[f.key]
    if close(value, right, f.key):
        return Finding(f.key, True, _("{name}: Σ W·R = {total}, right.").format(name=_(labels[key]), total=_n(right, 0)))
    text = _("{name}: Σ W·R is {total}, not {given}.").format(name=_(labels[key]), total=_n(right, 0), given=_n(value, 0))
    scores, weights = model["scores"][key], model["weights"]
    unweighted = sum(scores.values())
    diff = value - right
    if value == unweighted:
        text += " " + _("You added the scores R without multiplying each by its weight W.")
    else:
        culprits = [k for k, w in weights.items() if w and diff % w == 0 and abs(diff / w) <= 3]
        if culprits:
            k = culprits[0]
            r = abs(diff / weights[k])
            text += " " + ngettext("The difference {diff} is {r} point of R on '{factor}' (W = {w}): check that product.",
                                   "The difference {diff} is {r} points of R on '{factor}' (W = {w}): check that product.",
                                   int(r)).format(diff=_n(abs(diff), 0), r=_n(r, 0), factor=_(labels[k]), w=_n(weights[k], 0))
    return Finding(f.key, False, text)


# -- balance: Σin, Σout, deviation, verdict ------------------------------------------------
def _balance(ex: Exercise, f: Any, given: Any, model: dict[str, Any], answer: Mapping[str, Any]) -> Finding:
    t_in, t_out, dev, tol, unit = (model[k] for k in ("total_in", "total_out", "deviation_pct", "tolerance_pct", "unit"))
    if f.key == "closes":
        closes = model["closes"] == "yes"
        reason = _("|{dev} %| is within the tolerance of {tol} %").format(dev=_n(dev), tol=_n(tol, 0)) if closes \
            else _("|{dev} %| is above the tolerance of {tol} %: re-measure or find the missing stream").format(dev=_n(dev), tol=_n(tol, 0))
        ok = given == model["closes"]
        head = (_("Right: the balance closes.") if closes else _("Right: the balance does not close.")) if ok else \
            (_("Not quite: the balance closes.") if closes else _("Not quite: the balance does not close."))
        return Finding(f.key, ok, head + " " + reason + ".")
    value = parse_number(given)
    if value is None:
        return _unreadable(f, given)
    right = model[f.key]
    label = _(f.label)
    if close(value, right, f.key):
        return Finding(f.key, True, _("{label}: {value} {unit}, right.").format(label=label, value=_n(right), unit=unit if f.unit != "%" else "%"))
    text = _("{label}: the model answer is {value}, not {given}.").format(label=label, value=_n(right), given=_n(value))
    if f.key == "deviation_pct":
        if close(value, (t_in - t_out) / t_out * 100, f.key):
            text += " " + _("You divided by Σ outputs; the deviation is (Σin − Σout) / Σin × 100 %.")
        elif close(value, -right, f.key):
            text += " " + _("The sign is reversed: a positive deviation means less comes out than goes in.")
        elif close(value, right / 100, f.key) or close(value * 100, right, f.key):
            text += " " + _("Give the deviation in percent (× 100).")
        elif close(value, (t_in - t_out), f.key):
            text += " " + _("That is the gap in {unit}; divide it by Σ inputs to get the deviation.").format(unit=unit)
    else:
        side = [s for s in ex.data["stream"] if s["direction"] == ("in" if f.key == "total_in" else "out")]
        missing = [s for s in side if close(value + Decimal(s["quantity"]), right, f.key)]
        if missing:
            text += " " + _("The stream '{name}' ({q} {unit}) is missing from your sum.").format(
                name=_(missing[0]["label"]), q=missing[0]["quantity"], unit=unit)
        elif close(value, t_in + t_out - right, f.key):
            text += " " + _("You added a stream of the other side: inputs and outputs are summed separately.")
    return Finding(f.key, False, text)


# -- economics: the I … IRR chain and the decision rules ----------------------------------------
def _economics(ex: Exercise, f: Any, given: Any, model: dict[str, Any], answer: Mapping[str, Any]) -> Finding:
    m = model
    if f.key == "feasible":
        ok = given == m["feasible"]
        head = _("Right: the option is economically feasible.") if ok and m["feasible"] == "yes" else \
            _("Right: the option is not economically feasible as it stands.") if ok else \
            _("Not quite: the option is economically feasible.") if m["feasible"] == "yes" else \
            _("Not quite: the option is not economically feasible as it stands.")
        return Finding(f.key, ok, head + " " + _rules(m))
    value = parse_number(given)
    if value is None:
        return _unreadable(f, given)
    right = m[f.key]
    label = _(f.label)
    if close(value, right, f.key):
        return Finding(f.key, True, _("{label}: {value}, right.").format(label=label, value=_n(right)))
    text = _("{label}: the model answer is {value}, not {given}.").format(label=label, value=_n(right), given=_n(value))
    I, P, D, E, t, rate = m["I"], m["P"], m["D"], m["E"], m["tax_rate"], m["rate"]
    hints = {
        "D": [(I / m["life"], _("D = I / Y uses the depreciation period Y.")),
              (I, _("D is the yearly depreciation: I / Y."))],
        "F": [(P, _("F is the cash flow after tax: F = (P − D)(1 − t) + D, not the saving P.")),
              (E, _("You forgot to add back the depreciation: F = E + D.")),
              (P * (1 - t), _("Tax is charged on the taxable profit P − D, not on P: F = (P − D)(1 − t) + D."))],
        "N": [(I / P if P else None, _("The payback period uses the cash flow F, not the saving P: N = I / F.")),
              (P / I if I else None, _("N = I / F (investment divided by the yearly cash flow), not the inverse."))],
        "NPV": [(m["NPV"] + I, _("Subtract the investment: NPV = Σ F/(1+i)^j − I.")),
                (m["F"] * m["life"] - I, _("Discount each year's cash flow: F/(1+i)^j, not F × n."))],
        "IRR": [(m["IRR"] / 100 if m["IRR"] is not None else None, _("Give the IRR in percent."))],
    }
    for candidate, hint in hints.get(f.key, []):
        if candidate is not None and close(value, candidate, f.key):
            text += " " + hint
            break
    else:
        if f.key == "NPV":
            text += " " + _("Discount at i = {rate} % over n = {n} years.").format(rate=_n(rate * 100, 0), n=m["life"])
        elif f.key == "IRR":
            text += " " + _("The IRR is the rate at which the NPV is zero; interpolate between the two whole percents around it.")
    return Finding(f.key, False, text)


def _rules(m: dict[str, Any]) -> str:
    """The three decision rules with this option's numbers (ref §4.1)."""
    parts = []
    if m["norm"] is not None:
        if m["N"] is None:
            parts.append(_("it never pays back"))
        else:
            parts.append((_("N = {n} yr is within the norm of {norm} yr") if m["N"] <= m["norm"]
                          else _("N = {n} yr is longer than the norm of {norm} yr for its cost class")).format(
                n=_n(m["N"]), norm=_n(m["norm"], 0)))
    parts.append((_("NPV = {npv} {unit} ≥ 0") if m["NPV"] >= 0 else _("NPV = {npv} {unit} is negative")).format(
        npv=_n(m["NPV"]), unit=unit_label("万元")))
    if m["IRR"] is None:
        parts.append(_("the IRR does not exist"))
    else:
        parts.append((_("IRR = {irr} % ≥ the benchmark {b} %") if m["IRR"] >= m["rate"] * 100
                      else _("IRR = {irr} % is below the benchmark {b} %")).format(irr=_n(m["IRR"]), b=_n(m["rate"] * 100, 0)))
    text = "; ".join(parts) + "."
    if m["feasible"] == "no" and m["NPV"] >= 0:
        text += " " + _("It can still be recommended for a stated environmental reason, as the bureau allows.")
    return text
