"""Issue 3's done-when on the shipped samples, through the real CLI:
dump → load round-trips losslessly, the schema validates every dump, every complete sample
passes check with zero errors, and figures prints every figure section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cpaudit import audit_json
from cpaudit.cli import main
from cpaudit.figures import section_names
from cpaudit.samples import sample_data, sample_names
from cpaudit.workflow.loader import load_workflow

COMPLETE = ("electroplating", "coking")


def test_the_shipped_samples_are_there():
    assert set(COMPLETE) | {"electroplating-midway"} <= set(sample_names())


@pytest.mark.parametrize("name", sample_names())
def test_dump_load_round_trip_and_schema(name: str, tmp_path: Path, capsys):
    jsonschema = pytest.importorskip("jsonschema")
    first = tmp_path / "first.json"
    first.write_text(json.dumps(sample_data(name), ensure_ascii=False), encoding="utf-8")
    assert main(["--lang", "en", "load", str(first), "--db", str(tmp_path / "a.db")]) == 0
    audit_id = audit_json.parse(sample_data(name), load_workflow()).id
    dumped = tmp_path / "dump.json"
    assert main(["dump", audit_id, "--db", str(tmp_path / "a.db"), "--out", str(dumped)]) == 0
    assert main(["--lang", "en", "load", str(dumped), "--db", str(tmp_path / "b.db")]) == 0
    again = tmp_path / "again.json"
    assert main(["dump", audit_id, "--db", str(tmp_path / "b.db"), "--out", str(again)]) == 0
    one, two = json.loads(dumped.read_text(encoding="utf-8")), json.loads(again.read_text(encoding="utf-8"))
    assert one == two
    capsys.readouterr()
    assert main(["schema"]) == 0
    jsonschema.validate(one, json.loads(capsys.readouterr().out))


@pytest.mark.parametrize("name", COMPLETE)
def test_complete_samples_check_clean_and_print_every_figure(name: str, tmp_path: Path, capsys):
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(sample_data(name), ensure_ascii=False), encoding="utf-8")
    assert main(["--lang", "en", "check", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["errors"] == 0
    assert main(["figures", str(path)]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert set(figures) == set(section_names())
    for key in ("economics", "material_balance", "water_balance", "energy", "focus_ranking",
                "option_ranking", "target_achievement", "env_benefit", "indicator_evaluation"):
        assert figures[key], key


def test_midway_sample_reports_its_open_balance(tmp_path: Path, capsys):
    path = tmp_path / "midway.json"
    path.write_text(json.dumps(sample_data("electroplating-midway"), ensure_ascii=False), encoding="utf-8")
    main(["--lang", "en", "check", str(path), "--json"])
    rules = {i["rule"] for i in json.loads(capsys.readouterr().out)["issues"]}
    assert "balance.closure" in rules
