from decimal import Decimal as D

import pytest

from cpaudit.calc.errors import InvalidInput
from cpaudit.calc.scoring import Candidate, Factor, rank, weighted_sum
from cpaudit.calc.targets import Target, evaluate_target

# sample-cases.md A.3: classic weights, four candidate focuses
FACTORS = [Factor("waste", D(10)), Factor("consumption", D(8)), Factor("env_cost", D(9)),
           Factor("toxicity", D(8)), Factor("potential", D(6)), Factor("willingness", D(2))]
KEYS = [f.key for f in FACTORS]


def cand(key, *scores):
    return Candidate(key, dict(zip(KEYS, map(D, scores))))


A3 = [cand("L1+L2", 9, 8, 6, 6, 7, 6), cand("L3", 6, 8, 9, 10, 9, 8), cand("L4", 3, 7, 7, 8, 6, 7),
      cand("WWTP", 5, 4, 6, 5, 3, 5)]


def test_sample_a3_ranking():
    ranked = rank(FACTORS, A3)
    assert [(r.key, r.total, r.rank, r.tied) for r in ranked] == [
        ("L3", D(355), 1, False), ("L1+L2", D(310), 2, False), ("L4", D(263), 3, False), ("WWTP", D(204), 4, False)]


def test_ties_share_rank_and_keep_input_order():
    # "copy" scores 310 like L1+L2 but was entered later
    ranked = rank(FACTORS, A3 + [cand("copy", 9, 8, 6, 6, 7, 6)])
    assert [(r.key, r.rank, r.tied) for r in ranked] == [
        ("L3", 1, False), ("L1+L2", 2, True), ("copy", 2, True), ("L4", 4, False), ("WWTP", 5, False)]
    assert [r.input_index for r in ranked] == [1, 0, 4, 2, 3]


def test_scoring_validation():
    with pytest.raises(InvalidInput) as e:
        weighted_sum(FACTORS, {k: D(5) for k in KEYS[:-1]}, candidate="x")
    assert e.value.rule == "scoring.missing_score" and e.value.params["factor"] == "willingness"
    with pytest.raises(InvalidInput) as e:
        weighted_sum(FACTORS, {**{k: D(5) for k in KEYS}, "waste": D(11)})
    assert e.value.rule == "scoring.score_out_of_range"
    with pytest.raises(InvalidInput):
        weighted_sum(FACTORS, {**{k: D(5) for k in KEYS}, "extra": D(1)})
    # edited factor list: a team-defined factor changes the sum
    assert weighted_sum(FACTORS + [Factor("prospects", D(3))], {**{k: D(1) for k in KEYS}, "prospects": D(2)}) \
        == D(43 + 6)


def test_reduction_target_reached():
    # sample A.4/A.8: fresh water 0.300 → 0.240, achieved 0.233 → 0.067/0.060 = 111.67 %
    r = evaluate_target(Target("fresh water", "m³/m²", D("0.300"), D("0.240"), D("0.233")))
    assert r.status == "reached"
    assert r.achievement_pct.quantize(D("0.01")) == D("111.67")
    assert r.planned_change_pct == D(-20)
    assert r.actual_change_pct.quantize(D("0.01")) == D("-22.33")


def test_reduction_target_not_reached():
    # HW17 136 → 110, achieved 120 → 16/26 = 61.54 %
    r = evaluate_target(Target("HW17", "t/a", D(136), D(110), D(120)))
    assert r.status == "not_reached" and r.achievement_pct.quantize(D("0.01")) == D("61.54")


def test_increase_target():
    # Ni utilisation 85.9 → 90, achieved 92.9 → 7/4.1 = 170.73 %
    r = evaluate_target(Target("Ni utilisation", "%", D("85.9"), D(90), D("92.9"), "increase"))
    assert r.status == "reached" and r.achievement_pct.quantize(D("0.01")) == D("170.73")
    r = evaluate_target(Target("Ni utilisation", "%", D("85.9"), D(90), D(87), "increase"))
    assert r.status == "not_reached" and r.achievement_pct.quantize(D("0.01")) == D("26.83")


def test_target_errors_are_results():
    assert evaluate_target(Target("x", "t", None, D(1), D(1))).error == "target.baseline_missing"
    assert evaluate_target(Target("x", "t", D(1), D(1), D(1))).error == "target.no_change"
    assert evaluate_target(Target("x", "t", D(10), D(12), D(1))).error == "target.wrong_direction"
    assert evaluate_target(Target("x", "t", D(10), D(8))).status == "pending"
    assert evaluate_target(Target("x", "t", "NaN", D(8))).status == "error"


# --- maintain targets (维持; ref §2.2, calc/targets.py) -------------------------------------


def test_maintain_at_least_is_met_at_or_above_the_baseline():
    # "keep the water reuse rate at ≥ 95 %": baseline 95.0, target 95.0
    kept = evaluate_target(Target("water reuse rate", "%", D("95.0"), D("95.0"), D("96.2"), "maintain_at_least"))
    assert kept.status == "reached" and kept.error is None
    assert kept.planned_change_pct == 0 and kept.achievement_pct is None  # no change planned
    # (96.2 − 95.0) / 95.0 × 100 = 1.2631578…
    assert kept.actual_change_pct.quantize(D("0.0001")) == D("1.2632")
    exact = evaluate_target(Target("water reuse rate", "%", D("95.0"), D("95.0"), D("95.0"), "maintain_at_least"))
    assert exact.status == "reached" and exact.actual_change_pct == 0
    slipped = evaluate_target(Target("water reuse rate", "%", D("95.0"), D("95.0"), D("94.5"), "maintain_at_least"))
    # (94.5 − 95.0) / 95.0 × 100 = −0.5263157…
    assert slipped.status == "not_reached" and slipped.actual_change_pct.quantize(D("0.0001")) == D("-0.5263")
    assert evaluate_target(Target("water reuse rate", "%", D(95), D(95), None, "maintain_at_least")).status == "pending"


def test_maintain_at_most_is_met_at_or_below_the_baseline():
    # COD 50 mg/L kept: 48 is better (−4 %), 52 worse (+4 %)
    better = evaluate_target(Target("COD", "mg/L", D(50), D(50), D(48), "maintain_at_most"))
    assert (better.status, better.actual_change_pct, better.achievement_pct) == ("reached", D(-4), None)
    worse = evaluate_target(Target("COD", "mg/L", D(50), D(50), D(52), "maintain_at_most"))
    assert (worse.status, worse.actual_change_pct) == ("not_reached", D(4))
    # zero discharge kept: a zero baseline has no percentages but a clear status
    zero = evaluate_target(Target("wastewater discharged", "m³/a", D(0), D(0), D(0), "maintain_at_most"))
    assert (zero.status, zero.planned_change_pct, zero.actual_change_pct) == ("reached", None, None)
    assert evaluate_target(Target("wastewater discharged", "m³/a", D(0), D(0), D(120), "maintain_at_most")).status == "not_reached"


def test_maintain_target_must_equal_the_baseline_and_change_targets_must_not():
    assert evaluate_target(Target("x", "%", D(95), D(96), D(97), "maintain_at_least")).error == "target.maintain_changes"
    assert evaluate_target(Target("x", "%", D(95), D(94), None, "maintain_at_most")).error == "target.maintain_changes"
    assert evaluate_target(Target("x", "%", D(95), D(95), D(96), "increase")).error == "target.no_change"
    assert evaluate_target(Target("x", "%", D(95), D(95), D(94), "reduce")).error == "target.no_change"
    assert evaluate_target(Target("x", "%", None, D(95), None, "maintain_at_least")).error == "target.baseline_missing"
    with pytest.raises(InvalidInput):
        evaluate_target(Target("x", "%", D(95), D(95), None, "maintain"))  # type: ignore[arg-type]
