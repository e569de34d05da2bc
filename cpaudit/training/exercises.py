"""Exercises with model answers: definitions from ``resources/training/*.toml``.

The model answer is always computed with ``cpaudit.calc`` (weighted-sum
scoring, balance closure, the economic chain and its decision rules), the same
functions the audit itself uses, so an exercise can never teach a number the
software would compute differently. ``feedback.compare`` explains the
differences between a trainee's answer and the model answer.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

from cpaudit import paths
from cpaudit.calc import balance, economics, scoring
from cpaudit.calc.cost_class import classify, load_settings
from cpaudit.domain.units import Quantity
from cpaudit.i18n import N_

KINDS = ("focus", "balance", "economics")


class ExerciseError(ValueError):
    pass


@dataclass(frozen=True)
class AnswerField:
    """One box of the answer form: a number (with unit) or a choice among ``choices``."""

    key: str
    label: str  # msgid
    kind: str = "number"  # number | choice
    unit: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (value, msgid)


@dataclass(frozen=True)
class Exercise:
    id: str
    kind: str
    order: int
    title: str  # msgid
    brief: str  # msgid
    source: str  # where the numbers come from, for the authors (not shown to the trainee)
    data: dict[str, Any] = field(repr=False)

    # -- shown to the trainee ------------------------------------------------------
    def rows(self) -> list[tuple[str, ...]]:
        """The given data as table rows (labels are msgids; numbers as text)."""
        d = self.data
        if self.kind == "focus":
            head = [f["label"] for f in d["factor"]]
            return [("", *head), (N_("Weight W"), *[str(f["weight"]) for f in d["factor"]])] + [
                (c["label"], *[str(c["scores"][f["key"]]) for f in d["factor"]]) for c in d["candidate"]]
        if self.kind == "balance":
            return [(s["label"], N_("in") if s["direction"] == "in" else N_("out"), s["quantity"], d["unit"])
                    for s in d["stream"]]
        return [(N_("Investment I"), d["investment"], "万元"), (N_("Annual saving P"), d["annual_saving"], "万元/a"),
                (N_("Depreciation period Y"), str(d["depreciation_years"]), "a"),
                (N_("Composite tax rate"), _pct(d["tax_rate"]), "%"), (N_("Discount rate i"), _pct(d["discount_rate"]), "%"),
                (N_("Economic life n"), str(d["economic_life"]), "a")]

    def fields(self) -> list[AnswerField]:
        yes_no = (("yes", N_("yes")), ("no", N_("no")))
        if self.kind == "focus":
            return [AnswerField(f"total.{c['key']}", c["label"], unit=N_("points")) for c in self.data["candidate"]] + [
                AnswerField("focus", N_("Audit focus"), "choice", choices=tuple((c["key"], c["label"]) for c in self.data["candidate"]))]
        if self.kind == "balance":
            unit = self.data["unit"]
            return [AnswerField("total_in", N_("Σ inputs"), unit=unit), AnswerField("total_out", N_("Σ outputs"), unit=unit),
                    AnswerField("deviation_pct", N_("Deviation"), unit="%"),
                    AnswerField("closes", N_("Does the balance close?"), "choice", choices=yes_no)]
        return [AnswerField("D", N_("Depreciation D"), unit="万元/a"), AnswerField("F", N_("Annual cash flow F"), unit="万元/a"),
                AnswerField("N", N_("Payback period N"), unit="a"), AnswerField("NPV", N_("Net present value NPV"), unit="万元"),
                AnswerField("IRR", N_("Internal rate of return IRR"), unit="%"),
                AnswerField("feasible", N_("Economically feasible?"), "choice", choices=yes_no)]

    # -- the model answer ------------------------------------------------------------
    def model(self) -> dict[str, Any]:
        """Model answer values keyed like ``fields()``, plus what the explanations need."""
        return {"focus": _focus_model, "balance": _balance_model, "economics": _economics_model}[self.kind](self.data)


def _pct(fraction: str) -> str:
    return str((Decimal(fraction) * 100).normalize())


def _focus_model(d: dict[str, Any]) -> dict[str, Any]:
    factors = [scoring.Factor(f["key"], Decimal(f["weight"])) for f in d["factor"]]
    ranked = scoring.rank(factors, [scoring.Candidate(c["key"], {k: Decimal(v) for k, v in c["scores"].items()})
                                    for c in d["candidate"]])
    out: dict[str, Any] = {f"total.{r.key}": r.total for r in ranked}
    out["focus"] = ranked[0].key
    out["ranking"] = [r.key for r in ranked]
    out["weights"] = {f.key: f.weight for f in factors}
    out["labels"] = {c["key"]: c["label"] for c in d["candidate"]} | {f["key"]: f["label"] for f in d["factor"]}
    out["scores"] = {c["key"]: {k: Decimal(v) for k, v in c["scores"].items()} for c in d["candidate"]}
    return out


def _balance_model(d: dict[str, Any]) -> dict[str, Any]:
    streams = [balance.Stream(s["label"], "focus", s["direction"], s["kind"], Quantity(Decimal(s["quantity"]), d["unit"]))
               for s in d["stream"]]
    tol = Decimal(d.get("tolerance_pct", balance.DEFAULT_TOLERANCE_PCT))
    result = balance.check_balance(streams, component=d.get("component", "total"),
                                   settings=balance.BalanceSettings(default_tolerance_pct=tol))
    o = result.overall
    return {"total_in": o.total_in, "total_out": o.total_out, "deviation_pct": o.deviation_pct,
            "closes": "yes" if o.closes else "no", "tolerance_pct": tol, "unit": d["unit"]}


def _economics_model(d: dict[str, Any]) -> dict[str, Any]:
    inp = economics.EconomicInput(
        total_investment=Decimal(d["investment"]), annual_saving=Decimal(d["annual_saving"]),
        depreciation_years=int(d["depreciation_years"]), tax_rate=Decimal(d["tax_rate"]),
        discount_rate=Decimal(d["discount_rate"]), economic_life=int(d["economic_life"]))
    result = economics.evaluate(inp)
    settings = load_settings()
    cost_class = classify(inp.total_investment, settings.thresholds)
    verdict = economics.verdict(result, cost_class, settings.norms)
    return {"D": result.D, "F": result.F, "N": result.N, "NPV": result.npv,
            "IRR": result.irr * 100 if result.irr is not None else None,
            "feasible": "yes" if verdict.passed else "no",
            "I": result.I, "P": result.P, "E": result.E, "tax_rate": result.tax_rate, "rate": result.discount_rate,
            "life": result.economic_life, "Y": inp.depreciation_years, "cost_class": cost_class,
            "norm": settings.norms.norm(cost_class), "failed_rules": verdict.reasons}


# -- loading -----------------------------------------------------------------------------
def exercises_dir() -> Path:
    return paths.resource_path("training")


def _need(cond: bool, file: Path, what: str) -> None:
    if not cond:
        raise ExerciseError(f"{file.name}: {what}")


def load_exercise(file: Path) -> Exercise:
    data = tomllib.loads(file.read_text(encoding="utf-8"))
    head = data.get("exercise") or {}
    for key in ("id", "kind", "title", "brief", "source"):
        _need(isinstance(head.get(key), str) and head[key].strip() != "", file, f"[exercise].{key} is required")
    _need(head["kind"] in KINDS, file, f"kind must be one of {KINDS}")
    required = {"focus": ("factor", "candidate"), "balance": ("stream", "unit"),
                "economics": ("investment", "annual_saving", "depreciation_years", "tax_rate", "discount_rate",
                              "economic_life")}[head["kind"]]
    body = {**{k: v for k, v in data.items() if k != "exercise"}, **{k: v for k, v in head.items() if k not in
                                                                       ("id", "kind", "order", "title", "brief", "source")}}
    for key in required:
        _need(key in body, file, f"'{key}' is required for a {head['kind']} exercise")
    ex = Exercise(head["id"], head["kind"], int(head.get("order", 99)), head["title"], head["brief"], head["source"], body)
    ex.model()  # a definition the calculations reject is refused at load time, not in front of a class
    return ex


def load_exercises(folder: Path | None = None) -> list[Exercise]:
    folder = folder or exercises_dir()
    found = [load_exercise(f) for f in sorted(folder.glob("*.toml"))] if folder.is_dir() else []
    ids = [e.id for e in found]
    if len(set(ids)) != len(ids):
        raise ExerciseError(f"duplicate exercise ids in {folder}")
    return sorted(found, key=lambda e: (e.order, e.id))


def exercise_messages(folder: Path | None = None) -> Iterator[tuple[str, str]]:
    """(msgid, where) of every text of the exercise files, for the message catalog."""
    for ex in load_exercises(folder):
        where = f"training {ex.id}"
        yield ex.title, where + " title"
        yield ex.brief, where + " brief"
        for f in ex.fields():
            yield f.label, where + " field"
        for row in ex.rows():
            if ex.kind != "economics" and row[0]:
                yield row[0], where + " row"
        for item in ex.data.get("factor", []):
            yield item["label"], where + " factor"
