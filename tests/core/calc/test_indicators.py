"""Indicator systems: the §5 demo, level rules, renormalisation, strict loading."""

from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpaudit.calc.errors import DataFileError, InvalidInput
from cpaudit.calc.indicators import IndicatorInput, evaluate, list_bundled_systems, load_bundled, load_system

DATA = Path(__file__).parent / "data"
DEMO_FILE = DATA / "demo-steel.toml"
DEMO_INPUT = {"ironmaking_energy": D(400), "fuel_ratio": D(485), "fresh_water": D("3.6"),
              "cod": D("0.05"), "so2": D("1.0"), "nox": D("0.85")}
ORDER = {"I": 0, "II": 1, "III": 2, "below": 3}


@pytest.fixture(scope="module")
def demo():
    return load_system(DEMO_FILE)


def test_reference_demo(demo):
    ev = evaluate(demo, DEMO_INPUT)
    assert ev.scored
    assert ev.y == {"I": D("47.5"), "II": D(100), "III": D(100)}
    assert ev.level == "II"
    assert ev.gap_target == "I"
    assert [(g.key, g.benchmark, g.gap) for g in ev.gaps] == [
        ("ironmaking_energy", D(390), D(10)), ("fresh_water", D("3.5"), D("0.1")), ("so2", D("0.8"), D("0.2"))]
    assert {f.rule for f in ev.findings} == {"indicator.level_I.y_below_threshold",
                                             "indicator.level_I.limiting_not_met"}
    assert ev.counts == {"I": 3, "II": 3, "III": 0, "below": 0, "not_assessed": 0}


def test_all_at_level_one(demo):
    values = {"ironmaking_energy": 380, "fuel_ratio": 480, "fresh_water": "3.4", "cod": "0.05", "so2": "0.7",
              "nox": "0.8"}
    ev = evaluate(demo, values)
    assert ev.level == "I" and ev.y == {"I": D(100), "II": D(100), "III": D(100)} and ev.gaps == ()


def test_limiting_indicator_blocks_despite_score(demo):
    # fresh water 3.9 (Ⅲ only, limiting, ω 0.3 × w 0.5 = 15); everything else Ⅰ → Y_Ⅰ = Y_Ⅱ = 85
    values = dict(DEMO_INPUT, ironmaking_energy=380, so2="0.7", fresh_water="3.9")
    ev = evaluate(demo, values)
    assert ev.y["I"] == D(85) and ev.y["II"] == D(85)
    assert ev.level == "III"
    assert ev.gap_target == "II" and [g.key for g in ev.gaps] == ["fresh_water"]
    assert ev.gaps[0].gap == D("0.1")  # 3.9 − 3.8


def test_below_three(demo):
    ev = evaluate(demo, dict(DEMO_INPUT, nox="2.0"))  # NOx 2.0 > 1.8: ω 0.35 × 0.5 lost → Y_Ⅲ = 82.5
    assert ev.y["III"] == D("82.5") and ev.level == "below"
    assert ev.gap_target == "III" and [(g.key, g.gap) for g in ev.gaps] == [("nox", D("0.2"))]


def test_not_applicable_renormalises(demo):
    # SO2 dropped: group B = COD 0.3/0.65 + NOx 0.35/0.65, both Ⅰ → 50; Y_Ⅰ = 15 + 50 = 65
    inputs = dict(DEMO_INPUT, so2=IndicatorInput(applicable=False))
    ev = evaluate(demo, inputs)
    assert ev.y["I"] == D(65) and ev.y["II"] == D(100)
    so2 = next(o for o in ev.outcomes if o.key == "so2")
    assert not so2.applicable and so2.weight is None


def test_missing_input_counts_as_not_met(demo):
    inputs = {k: v for k, v in DEMO_INPUT.items() if k != "cod"}
    ev = evaluate(demo, inputs)
    assert ev.not_assessed == ("cod",) and ev.y["III"] == D(85)  # 100 − 0.5 × 0.3 × 100
    assert ev.y["I"] == D("32.5") and ev.y["II"] == D(85)
    assert ev.level == "II"  # the rules tolerate 15 points of misses outside the limiting rows
    assert ev.counts["not_assessed"] == 1


def test_unknown_indicator_and_bad_level(demo):
    with pytest.raises(InvalidInput):
        evaluate(demo, {"nope": 1})


@settings(max_examples=80, deadline=None)
@given(values=st.fixed_dictionaries({k: st.decimals(min_value=D(-10), max_value=D(600), places=2)
                                     for k in DEMO_INPUT}),
       which=st.sampled_from(sorted(DEMO_INPUT)),
       worse=st.decimals(min_value=D("0.01"), max_value=D(200), places=2))
def test_level_never_improves_when_a_value_gets_worse(values, which, worse):
    system = load_system(DEMO_FILE)
    before = evaluate(system, values)
    after = evaluate(system, dict(values, **{which: values[which] + worse}))  # all rows are "≤"
    assert ORDER[after.level] >= ORDER[before.level]
    for lv in ("I", "II", "III"):
        assert after.y[lv] <= before.y[lv]


# --- shares (electroplating ω = 0.8/n) and qualitative rows -------------------

SHARE_SYSTEM = '''schema = 1
id = "{id}"
title_zh = "份额测试"
sector = "test"
source = "test"
edition = "test"
rule_set = "joint-2014"
status = "training"

[[groups]]
key = "C"
name_zh = "资源综合利用"
weight = 1
shares = {{ metals = 0.8 }}

[[groups.indicators]]
key = "zn"
name_zh = "锌利用率"
kind = "quantitative"
unit = "%"
direction = ">="
benchmarks = {{ I = 82, II = 80, III = 75 }}
weight_share = "metals"
verified = false
provenance = "transcription"

[[groups.indicators]]
key = "ni"
name_zh = "镍利用率"
kind = "quantitative"
unit = "%"
direction = ">="
benchmarks = {{ I = 95, II = 85, III = 80 }}
weight_share = "metals"
verified = false
provenance = "transcription"

[[groups.indicators]]
key = "cu"
name_zh = "铜利用率"
kind = "quantitative"
unit = "%"
direction = ">="
benchmarks = {{ I = 90, II = 80, III = 75 }}
weight_share = "metals"
verified = false
provenance = "transcription"

[[groups.indicators]]
key = "reuse"
name_zh = "节水"
kind = "qualitative"
texts = {{ I = "a", II = "b", III = "c" }}
weight = 0.2
{extra}verified = false
provenance = "recalled"
'''


def write_system(tmp_path, extra="", sid="share-test", text=None):
    path = tmp_path / f"{sid}.toml"
    path.write_text(text or SHARE_SYSTEM.format(id=sid, extra=extra), encoding="utf-8")
    return path


def test_weight_share_over_participating_metals(tmp_path):
    system = load_system(write_system(tmp_path))
    # two metals run (Cu not applicable): ω = 0.4 each; Zn Ⅰ, Ni Ⅲ (81 %), reuse Ⅰ
    ev = evaluate(system, {"zn": 83, "ni": 81, "cu": IndicatorInput(applicable=False), "reuse": "I"})
    assert ev.y == {"I": D(60), "II": D(60), "III": D(100)} and ev.level == "III"
    # three metals: ω = 0.8/3; Zn, Cu Ⅰ, Ni Ⅲ, reuse Ⅱ → Y_Ⅰ = 2 × 26.67 = 53.33, Y_Ⅱ = 73.33
    ev = evaluate(system, {"zn": 83, "ni": 81, "cu": 91, "reuse": "II"})
    assert ev.y["I"].quantize(D("0.01")) == D("53.33") and ev.y["II"].quantize(D("0.01")) == D("73.33")
    assert ev.level == "III" and ev.gap_target == "II"
    assert [(g.key, g.benchmark, g.gap) for g in ev.gaps] == [("ni", D(85), D(4))]  # 85 − 81
    ev = evaluate(system, {"zn": 83, "ni": 81, "cu": 91, "reuse": "III"})
    reuse_gap = next(g for g in ev.gaps if g.key == "reuse")
    assert (reuse_gap.current, reuse_gap.benchmark, reuse_gap.gap) == ("III", "b", None)
    with pytest.raises(InvalidInput):
        evaluate(system, {"reuse": "IV"})


# --- strict loader -------------------------------------------------------------

def test_unknown_key_names_file_and_key(tmp_path):
    path = write_system(tmp_path, extra="wieght = 0.1\n")
    with pytest.raises(DataFileError) as e:
        load_system(path)
    assert e.value.rule == "data.unknown_key"
    assert e.value.params == {"file": str(path), "key": "groups[0].indicators[3].wieght"}


def test_bad_weights_rejected(tmp_path):
    text = SHARE_SYSTEM.format(id="bad-w", extra="").replace("weight = 0.2", "weight = 0.3")
    with pytest.raises(DataFileError) as e:
        load_system(write_system(tmp_path, sid="bad-w", text=text))
    assert e.value.rule == "data.bad_weights" and e.value.params["key"] == "groups[0].indicators"
    text = SHARE_SYSTEM.format(id="bad-g", extra="").replace("weight = 1\n", "weight = 0.9\n")
    with pytest.raises(DataFileError) as e:
        load_system(write_system(tmp_path, sid="bad-g", text=text))
    assert e.value.params["key"] == "groups"


def test_benchmarks_must_be_ordered_and_verified_consistent(tmp_path):
    text = SHARE_SYSTEM.format(id="bad-b", extra="").replace("I = 82, II = 80", "I = 78, II = 80")
    with pytest.raises(DataFileError) as e:
        load_system(write_system(tmp_path, sid="bad-b", text=text))
    assert e.value.rule == "data.benchmarks_not_monotonic"
    text = SHARE_SYSTEM.format(id="bad-v", extra="").replace('verified = false\nprovenance = "recalled"',
                                                            'verified = true\nprovenance = "recalled"')
    with pytest.raises(DataFileError) as e:
        load_system(write_system(tmp_path, sid="bad-v", text=text))
    assert e.value.rule == "data.verified_conflict"


def test_id_must_match_file_name(tmp_path):
    path = tmp_path / "other.toml"
    path.write_text(SHARE_SYSTEM.format(id="share-test", extra=""), encoding="utf-8")
    with pytest.raises(DataFileError):
        load_system(path)


# --- bundled systems --------------------------------------------------------------

def test_bundled_systems_load():
    ids = list_bundled_systems()
    assert {"electroplating-2015", "iron-steel-integrated", "pulp-paper-2015", "training-example"} <= set(ids)
    for sid in ids:
        assert load_bundled(sid).id == sid


def test_partial_systems_never_score():
    ep = load_bundled("electroplating-2015")
    assert ep.status == "partial" and not ep.scorable
    assert [g.weight for g in ep.groups] == [D("0.33"), D("0.10"), D("0.18"), None, None, None]
    # sample A.4 baseline: rinse water 36 L/m² is Ⅲ; Ni utilisation 85.9 % is Ⅱ
    ev = evaluate(ep, {"rinse_water_per_m2": 36, "ni_utilisation": D("85.9")})
    assert ev.y is None and ev.level is None and not ev.scored
    assert {o.key: o.level for o in ev.outcomes if o.assessed} == {"rinse_water_per_m2": "III",
                                                                    "ni_utilisation": "II"}
    assert any(f.rule == "indicator.system_not_scored" for f in ev.findings)
    gap = next(g for g in ev.gaps if g.key == "rinse_water_per_m2")
    assert gap.gap == D(28)  # 36 − 8


def test_steel_transcription_is_unverified_and_has_variants():
    steel = load_bundled("iron-steel-integrated")
    assert not steel.scorable
    assert all(not i.verified and i.provenance == "transcription" for i in steel.indicators)
    assert steel.indicator("bof_energy").benchmarks == {"I": D(-20), "II": D(-8), "III": D(0)}
    ev = evaluate(steel, {"rolling_yield": IndicatorInput(value=D(95), variant="hot_cold"),
                          "coal_moisture_control": D(10)})
    levels = {o.key: o.level for o in ev.outcomes if o.assessed}
    assert levels == {"rolling_yield": "III", "coal_moisture_control": "III"}  # 95 ≥ 94; Ⅲ is "--"
    assert ev.uses_unverified
    with pytest.raises(InvalidInput):
        evaluate(steel, {"rolling_yield": D(95)})


def test_electroplating_verified_rows_and_training_system():
    ep = load_bundled("electroplating-2015")
    assert ep.indicator("ni_utilisation").verified and not ep.indicator("water_reuse_rate").verified
    assert not ep.indicator("clean_process").fully_verified  # merged Ⅲ cell
    training = load_bundled("training-example")
    assert training.status == "training" and training.scorable
    ev = evaluate(training, DEMO_INPUT)
    assert ev.level == "II" and ev.y["I"] == D("47.5")
