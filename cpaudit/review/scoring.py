"""Scoring sheets as data (``resources/scoring/<id>.toml``) and the scoring math.

Why data: the 2018 national guideline publishes no points table, so every
locality uses its own (ref §6). A sheet has veto items (any one → fail),
scored items with maximum points and guidance, bonus items under a cap, and
a pass mark. total = Σ scored (each ≤ its max) + min(Σ bonus, cap); pass
when no veto holds and total ≥ pass mark. The wording of the decision is
the stage's: 评估 通过/不通过, 验收 合格/不合格, or returned for correction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable, Mapping

from cpaudit import paths
from cpaudit.calc.datafile import check_keys, get_decimal, get_str, load_toml
from cpaudit.calc.errors import DataFileError
from cpaudit.i18n import _
from cpaudit.review.inspector import ReviewError

SHEET_FORMAT = "cpaudit-scoring-sheet"
STAGES = ("assessment", "acceptance")
PASS, FAIL, RETURNED = "pass", "fail", "returned"
# Official terms of the review opinion, fixed (not translated: they are what the bureau writes).
DECISION_TERMS = {("assessment", PASS): "通过", ("assessment", FAIL): "不通过",
                  ("acceptance", PASS): "合格", ("acceptance", FAIL): "不合格",
                  ("assessment", RETURNED): "退回修改", ("acceptance", RETURNED): "退回修改"}
DECISION_TERMS_KEYS = (PASS, FAIL, RETURNED)
DEFAULT_SHEETS = {"assessment": "assessment-default", "acceptance": "acceptance-default"}


class ScoringError(ReviewError):
    """A sheet file is malformed or a score is out of range; ``message`` is translated."""


@dataclass(frozen=True)
class Item:
    id: str
    kind: str  # veto | scored | bonus
    text: str
    text_zh: str
    max: Decimal = Decimal(0)
    guidance: str = ""
    guidance_zh: str = ""
    group: str = ""
    checked: bool = False  # value and wording checked against the named official text

    def label(self, lang: str) -> str:
        return self.text_zh if lang == "zh_CN" and self.text_zh else self.text


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    title_zh: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Sheet:
    id: str
    version: str
    stage: str
    title: str
    title_zh: str
    source: str
    total: Decimal
    pass_mark: Decimal
    bonus_cap: Decimal
    vetoes: tuple[Item, ...]
    groups: tuple[Group, ...]
    bonus: tuple[Item, ...]
    path: Path

    @property
    def scored(self) -> tuple[Item, ...]:
        return tuple(i for g in self.groups for i in g.items)

    def item(self, item_id: str) -> Item:
        for i in (*self.vetoes, *self.scored, *self.bonus):
            if i.id == item_id:
                return i
        raise ScoringError(_("the scoring sheet {sheet} has no item {item}").format(sheet=self.id, item=item_id))


_ITEM_KEYS = ("id", "text", "text_zh")
_ITEM_OPTIONAL = ("guidance", "guidance_zh", "checked")


def _item(raw: Any, kind: str, file: Path, where: str, group: str = "") -> Item:
    if not isinstance(raw, dict):
        raise DataFileError("data.bad_table", file=str(file), key=where)
    check_keys(raw, file=file, where=where, required=_ITEM_KEYS + (() if kind == "veto" else ("max",)), optional=_ITEM_OPTIONAL)
    maximum = Decimal(0) if kind == "veto" else get_decimal(raw, "max", file=file, where=where)
    if maximum < 0:
        raise DataFileError("data.bad_number", file=str(file), key=f"{where}.max")
    checked = raw.get("checked", False)
    if not isinstance(checked, bool):
        raise DataFileError("data.bad_bool", file=str(file), key=f"{where}.checked")
    s = lambda key: get_str(raw, key, file=file, where=where, default="")  # noqa: E731
    return Item(s("id"), kind, s("text"), s("text_zh"), maximum, s("guidance"), s("guidance_zh"), group, checked)


def _parse(data: dict[str, Any], file: Path) -> Sheet:
    check_keys(data, file=file, where="", required=("format", "version", "id", "sheet_version", "stage", "title", "title_zh",
                                                   "source", "total", "pass_mark", "bonus_cap", "veto", "groups"),
               optional=("bonus", "note"))
    if data["format"] != SHEET_FORMAT or data["version"] != 1:
        raise DataFileError("data.bad_format", file=str(file), key="format")
    if data["stage"] not in STAGES:
        raise DataFileError("data.bad_choice", file=str(file), key="stage")
    s = lambda key: get_str(data, key, file=file, where="")  # noqa: E731
    vetoes = tuple(_item(r, "veto", file, f"veto[{n}]") for n, r in enumerate(data["veto"]))
    groups = []
    for n, g in enumerate(data["groups"]):
        where = f"groups[{n}]"
        check_keys(g, file=file, where=where, required=("id", "title", "title_zh", "items"))
        items = tuple(_item(r, "scored", file, f"{where}.items[{k}]", g["id"]) for k, r in enumerate(g["items"]))
        groups.append(Group(g["id"], g["title"], g["title_zh"], items))
    bonus = tuple(_item(r, "bonus", file, f"bonus[{n}]") for n, r in enumerate(data.get("bonus", [])))
    sheet = Sheet(s("id"), s("sheet_version"), s("stage"), s("title"), s("title_zh"), s("source"),
                  get_decimal(data, "total", file=file, where=""), get_decimal(data, "pass_mark", file=file, where=""),
                  get_decimal(data, "bonus_cap", file=file, where=""), vetoes, tuple(groups), bonus, file)
    ids = [i.id for i in (*sheet.vetoes, *sheet.scored, *sheet.bonus)] + [g.id for g in sheet.groups]
    if len(ids) != len(set(ids)):
        raise DataFileError("data.duplicate_id", file=str(file), key=next(i for i in ids if ids.count(i) > 1))
    if sum((i.max for i in sheet.scored), Decimal(0)) != sheet.total:
        raise DataFileError("data.total_mismatch", file=str(file), key="total")
    if not Decimal(0) < sheet.pass_mark <= sheet.total:
        raise DataFileError("data.bad_number", file=str(file), key="pass_mark")
    return sheet


def load_sheet(path: Path) -> Sheet:
    """Strict: an unknown or missing key, a wrong type, or maxima that do not add up to the total is an error."""
    try:
        return _parse(load_toml(path), path)
    except DataFileError as exc:
        messages = {
            "data.unknown_key": _("{file}: unknown key '{key}'"),
            "data.missing_key": _("{file}: missing key '{key}'"),
            "data.total_mismatch": _("{file}: the maximum points of the scored items do not add up to '{key}'"),
            "data.duplicate_id": _("{file}: the id '{key}' is used twice"),
            "data.not_found": _("scoring sheet not found: {file}"),
        }
        text = messages.get(exc.rule, _("{file}: invalid value at '{key}'"))
        raise ScoringError(text.format(file=exc.params.get("file"), key=exc.params.get("key"))) from None


def sheets_dir() -> Path:
    return paths.resource_path("scoring")


def sheet_ids() -> list[str]:
    folder = sheets_dir()
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def get_sheet(sheet_id: str) -> Sheet:
    if sheet_id not in sheet_ids():  # ids only from the shipped folder: never a path from user input
        raise ScoringError(_("no scoring sheet '{id}'").format(id=sheet_id))
    return load_sheet(sheets_dir() / f"{sheet_id}.toml")


def default_sheet(stage: str) -> Sheet:
    return get_sheet(DEFAULT_SHEETS[stage])


@dataclass(frozen=True)
class Result:
    scored: Decimal
    bonus: Decimal
    total: Decimal
    vetoes: tuple[str, ...]
    missing: tuple[str, ...]  # scored items without points yet (counted as 0)
    pass_mark: Decimal

    @property
    def below_pass_mark(self) -> bool:
        return self.total < self.pass_mark

    @property
    def passed(self) -> bool:
        return not self.vetoes and not self.below_pass_mark

    @property
    def complete(self) -> bool:
        return not self.missing


def _points(value: Any, item: Item) -> Decimal:
    try:
        points = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        points = Decimal("NaN")
    if not points.is_finite() or points < 0 or points > item.max:
        raise ScoringError(_("{item}: points must be between 0 and {max}").format(item=item.id, max=item.max))
    return points


def compute(sheet: Sheet, points: Mapping[str, Any], bonus: Mapping[str, Any] | None = None,
            vetoes: Iterable[str] = ()) -> Result:
    """The score of one review; ``points`` and ``bonus`` map item ids to points, ``vetoes`` the veto items that hold."""
    scored = {i.id: i for i in sheet.scored}
    bonus_items = {i.id: i for i in sheet.bonus}
    veto_ids = {i.id for i in sheet.vetoes}
    for item_id in [*points, *(bonus or {}), *vetoes]:
        if item_id not in scored and item_id not in bonus_items and item_id not in veto_ids:
            sheet.item(item_id)  # raises with the translated message
    wrong_kind = [i for i in points if i not in scored] + [i for i in (bonus or {}) if i not in bonus_items] + [
        i for i in vetoes if i not in veto_ids]
    if wrong_kind:
        raise ScoringError(_("{item} is not that kind of item on the scoring sheet").format(item=wrong_kind[0]))
    scored_sum = sum((_points(v, scored[k]) for k, v in points.items() if v is not None), Decimal(0))
    bonus_sum = sum((_points(v, bonus_items[k]) for k, v in (bonus or {}).items() if v is not None), Decimal(0))
    bonus_total = min(bonus_sum, sheet.bonus_cap)
    missing = tuple(i.id for i in sheet.scored if points.get(i.id) is None)
    held = tuple(i.id for i in sheet.vetoes if i.id in set(vetoes))
    return Result(scored_sum, bonus_total, scored_sum + bonus_total, held, missing, sheet.pass_mark)


def decision_term(stage: str, decision: str) -> str:
    """The official term: 通过/不通过 (评估), 合格/不合格 (验收), 退回修改."""
    return DECISION_TERMS[(stage, decision)]


def decision_label(stage: str, decision: str, in_sentence: bool = False) -> str:
    """For the UI: the translated meaning with the official term; "Pass (通过)" where it stands alone
    (a radio button, a cell), "pass (通过)" inside a sentence."""
    from cpaudit.i18n import current_language

    term = decision_term(stage, decision)
    if current_language() == "zh_CN":  # the official term says it all
        return term
    if in_sentence:
        meaning = {PASS: _("pass"), FAIL: _("fail"), RETURNED: _("returned for correction")}[decision]
    else:
        meaning = {PASS: _("Pass"), FAIL: _("Fail"), RETURNED: _("Returned for correction")}[decision]
    return f"{meaning} ({term})"


def suggested_decision(result: Result) -> str:
    return PASS if result.passed else FAIL
