"""The workflow definition loads strictly and names file and line on errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cpaudit._dev.workflow_release import earlier_release
from cpaudit.workflow import loader
from cpaudit.workflow.loader import WorkflowError, find_workflow, load_workflow_dir, workflow_dir


def test_shipped_workflow_has_seven_phases_and_35_steps(workflow):
    phases = [p for p in workflow.phases if p.number >= 1]
    assert [p.number for p in phases] == [1, 2, 3, 4, 5, 6, 7]
    assert [len(p.steps) for p in phases] == [4, 6, 5, 7, 5, 4, 4]  # ref §1: 35 steps
    numbers = [s.number for p in phases for s in p.steps]
    assert numbers == list(range(1, 36))


def test_every_field_type_is_exercised_by_the_definition(workflow):
    from cpaudit.workflow.schema import FIELD_TYPES

    used = set()
    for step in workflow.steps():
        for f in step.fields:
            used.add(f.type)
            used.update(c.type for c in f.columns)
    assert set(FIELD_TYPES) <= used


def test_hash_is_stable_and_recorded(workflow):
    again = load_workflow_dir(workflow_dir())
    assert again.hash == workflow.hash and len(workflow.hash) == 64
    assert workflow.ref == {"id": "cn-cp-audit", "version": workflow.version, "hash": workflow.hash}


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    folder = tmp_path / "wf"
    shutil.copytree(workflow_dir(), folder)
    return folder


def _replace(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text[: text.index(new)].count("\n") + 1


def test_unknown_key_names_file_and_line(broken: Path):
    line = _replace(broken / "phase-1.toml", 'label = "Leadership commitment"', 'label = "Leadership commitment"\ncolour = "red"')
    with pytest.raises(WorkflowError) as err:
        load_workflow_dir(broken)
    assert err.value.file.name == "phase-1.toml"
    assert err.value.line == line + 1
    assert "colour" in err.value.message


def test_dangling_enum_reference_is_an_error(broken: Path):
    _replace(broken / "phase-1.toml", 'choices = "team_role"', 'choices = "no_such_enum"')
    with pytest.raises(WorkflowError, match="no_such_enum"):
        load_workflow_dir(broken)


def test_unknown_computed_function_is_an_error(broken: Path):
    _replace(broken / "phase-1.toml", 'function = "row_product"', 'function = "eval"')
    with pytest.raises(WorkflowError, match="eval"):
        load_workflow_dir(broken)


def test_visible_if_must_name_an_existing_field(broken: Path):
    _replace(broken / "profile.toml", 'visible_if = { field = "basis"', 'visible_if = { field = "basiz"')
    with pytest.raises(WorkflowError, match="basiz") as err:
        load_workflow_dir(broken)
    assert err.value.file.name == "profile.toml"


def test_shown_up_to_names_an_existing_field_and_belongs_to_computed_columns(broken: Path):
    _replace(broken / "phase-5.toml", 'shown_up_to = "settings.economic_life"', 'shown_up_to = "settings.economic_lief"')
    with pytest.raises(WorkflowError, match="economic_lief"):
        load_workflow_dir(broken)
    _replace(broken / "phase-5.toml", 'shown_up_to = "settings.economic_lief"', 'shown_up_to = "settings.economic_life"')
    line = _replace(broken / "phase-1.toml", 'label = "Leadership commitment"',
                    'label = "Leadership commitment"\nshown_up_to = "settings.economic_life"')
    with pytest.raises(WorkflowError) as err:  # a single field: its display has no document to read the limit from
        load_workflow_dir(broken)
    assert err.value.file.name == "phase-1.toml" and err.value.line == line + 1


def test_unknown_field_type_and_bad_toml(broken: Path):
    _replace(broken / "profile.toml", 'type = "uscc"', 'type = "creditcode"')
    with pytest.raises(WorkflowError, match="creditcode"):
        load_workflow_dir(broken)
    (broken / "profile.toml").write_text("[phase\nid=", encoding="utf-8")
    with pytest.raises(WorkflowError) as err:
        load_workflow_dir(broken)
    assert err.value.line >= 1 and "TOML" in err.value.message


def test_gate_requiring_unknown_step(broken: Path):
    text = (broken / "workflow.toml").read_text(encoding="utf-8")
    text = text.replace('requires = ["', 'requires = ["nowhere", "', 1)
    (broken / "workflow.toml").write_text(text, encoding="utf-8")
    with pytest.raises(WorkflowError, match="nowhere"):
        load_workflow_dir(broken)


def test_a_file_names_the_shipped_definition_or_a_kept_earlier_release(workflow, tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "releases_dir", lambda workflow_id: tmp_path / workflow_id)
    release = load_workflow_dir(earlier_release(tmp_path))
    assert (release.version, release.hash != workflow.hash) == ("0.9", True)
    assert find_workflow("cn-cp-audit", "1.0", workflow.hash) is loader.load_workflow()  # the shipped one, cached
    assert find_workflow("cn-cp-audit", "0.9", release.hash).hash == release.hash
    assert find_workflow("cn-cp-audit", "0.9", workflow.hash) is None  # a version must come with its own hash
    assert find_workflow("cn-cp-audit", "0.8", release.hash) is None
    for hostile in ("../cn-cp-audit", "..", "/etc", "cn-cp-audit/../x"):  # names from a file are folder names only
        assert find_workflow(hostile, "1.0", workflow.hash) is None
        assert find_workflow("cn-cp-audit", hostile, workflow.hash) is None


def test_the_address_runs_from_city_to_district_and_the_work_plan_says_deliverable():
    """A Chinese address goes 市 → 区（县）; WS 1-2's column is 产出, not the literal 输出."""
    from cpaudit.i18n import _, using_language
    from cpaudit.workflow.loader import load_workflow

    wf = load_workflow()
    order = [f.id for f in wf.step("enterprise").fields]
    assert order.index("city") < order.index("district")
    with using_language("zh_CN"):
        assert _(wf.field("work_plan", "plan").column("output").label) == "产出"


def test_empty_meanings_name_columns_of_their_table(broken: Path):
    _replace(broken / "phase-5.toml", 'empty_beyond_if = "N"', 'empty_beyond_if = "M"')
    with pytest.raises(WorkflowError, match="empty_beyond_if.*M"):
        load_workflow_dir(broken)
    _replace(broken / "phase-5.toml", 'empty_beyond_if = "M"', 'empty_beyond_if = "N"')
    _replace(broken / "phase-5.toml", 'shown_up_to = "settings.economic_life"\nempty_never_if = "I"\nempty_beyond_if',
             'empty_never_if = "I"\nempty_beyond_if')
    with pytest.raises(WorkflowError, match="shown_up_to"):  # "> limit" needs the limit
        load_workflow_dir(broken)


def test_printed_from_names_a_report_stage(broken: Path):
    _replace(broken / "phase-4.toml", 'printed_from = "acceptance"', 'printed_from = "final"')
    with pytest.raises(WorkflowError, match="final"):
        load_workflow_dir(broken)
