"""The guided tour covers every step of the workflow, in both languages."""

from __future__ import annotations

import re

import pytest

from cpaudit.i18n import translator
from cpaudit.training.tour import show_me, stop_for, stops
from cpaudit.workflow.loader import load_workflow

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def wf():
    return load_workflow()


def test_one_stop_per_step_in_workflow_order(wf):
    tour = stops(wf)
    assert [s.step_id for s in tour] == [s.id for s in wf.steps()]
    assert [s.index for s in tour] == list(range(len(tour)))
    assert [s.phase_number for s in tour] == sorted(s.phase_number for s in tour)
    assert {s.phase_number for s in tour} == set(range(8))  # the profile and the 7 phases
    assert sum(1 for s in tour if s.phase_number) == 35


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_step_has_a_tour_entry_in_both_languages(wf, lang):
    tr = translator(lang)
    for stop in stops(wf):
        for part in ("title", "purpose", "bureau_checks", "mistakes"):
            msgid = getattr(stop, part)
            assert msgid.strip(), f"{stop.step_id}: empty tour {part}"
            text = tr.gettext(msgid)
            assert text.strip(), (stop.step_id, part)
            if lang == "zh_CN":
                assert text != msgid and CJK.search(text), f"{stop.step_id}: tour {part} not translated to zh_CN"
            else:
                assert text == msgid


def test_show_me_points_at_a_field_of_the_page(wf):
    for stop in stops(wf):
        step = wf.step(stop.step_id)
        assert stop.target is not None and step.has_field(stop.target), stop.step_id
    # The first required field, else the first table.
    assert show_me(wf.step("material_balance")) == next(f.id for f in wf.step("material_balance").fields if f.required)
    assert stop_for(wf, "economic").step_number == 26
