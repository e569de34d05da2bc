"""Sample narratives agree with the register and use the report's own terms (domain review D2, E1)."""

from __future__ import annotations

import json
import re

import pytest

from cpaudit.audit_json import parse
from cpaudit.calc import option_register as reg
from cpaudit.samples import sample_data, sample_names, samples_root
from cpaudit.workflow.loader import load_workflow


def texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from texts(v)
    elif isinstance(value, list):
        for v in value:
            yield from texts(v)


@pytest.mark.parametrize("name", sample_names())
def test_phase_names_and_terms_are_the_reports(name):
    """The chapters say 预评估/评估 (phases 2/3) and 折现率; §4.5 read '预审核、审核阶段'."""
    for path in sorted((samples_root() / name).glob("*.json")):
        said = list(texts(json.loads(path.read_text(encoding="utf-8"))))
        assert not [t for t in said if re.search("预审核|审核阶段|贴现率", t)], path.name


@pytest.mark.parametrize("name", sample_names())
def test_no_sample_text_names_a_file_the_user_cannot_see(name):
    """The signing wizard showed a justification ending '（sample-cases.md A.4、A.8）', and the report's
    preface said '数据来源：sample-cases.md 样本 B': the authors' notes, not something a trainee has."""
    for path in sorted((samples_root() / name).glob("*.json")):
        assert not [t for t in texts(json.loads(path.read_text(encoding="utf-8"))) if ".md" in t], path.name


def expand(cited: str) -> set[str]:
    """'N3–N6、N9' → {N3, N4, N5, N6, N9}."""
    out: set[str] = set()
    for part in re.split("[、,，]", cited):
        m = re.fullmatch(r"\s*([A-Z-]+)(\d+)(?:[–-]\1?(\d+))?\s*", part)
        assert m, part
        first, last = int(m.group(2)), int(m.group(3) or m.group(2))
        out |= {f"{m.group(1)}{k}" for k in range(first, last + 1)}
    return out


def test_pre_assessment_narrative_cites_the_options_the_register_dates_to_phase_2():
    """§2.8 said 10 options (N1, N3–N6, N9–N11, N13, N14) while the register has 5 with proposed_in p2."""
    wf = load_workflow()
    doc = parse(sample_data("electroplating"), wf)
    narrative = doc.get("p2_options", "narrative")
    m = re.search(r"提出无/低费方案 (\d+) 项（([^）]+)）", narrative)
    assert m
    in_p2 = {n for n, r in reg.register(doc).items() if r.get("proposed_in") == "p2"}
    assert expand(m.group(2)) == in_p2 and int(m.group(1)) == len(in_p2) == 5
