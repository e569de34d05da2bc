"""Generate a large, valid audit for benchmarks: every table filled from its column types.

    ./uvw run python -m benchmarks.generate --out /tmp/large.json [--rows 1000]

Sizes follow issue 9: 1,000-row tables, 300 options, 50 unit operations, 5,000 measurements.
Values are random but readable by the definition (the same coercion as typing), so the
document loads with `cpaudit load` and renders in the forms and the report.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import uuid
from pathlib import Path
from typing import Any

from cpaudit.audit_json import FORMAT
from cpaudit.workflow.loader import load_workflow
from cpaudit.workflow.schema import FieldSpec, Workflow

SIZES = {("option_list", "options"): 300, ("focus_data", "unit_operations"): 50, ("measurement", "data"): 5000}


def _value(spec: FieldSpec, wf: Workflow, rnd: random.Random, n: int) -> Any:
    t = spec.type
    lo = spec.min if spec.min is not None else 0
    hi = spec.max if spec.max is not None else 10_000
    if t == "integer":
        return rnd.randint(int(lo), int(min(hi, lo + 1000)))
    if t in ("decimal", "money", "percent", "quantity"):
        return f"{rnd.uniform(float(lo), float(min(hi, lo + 1000))):.2f}"
    if t == "date":
        return (dt.date(2023, 1, 1) + dt.timedelta(days=rnd.randint(0, 900))).isoformat()
    if t == "choice":
        return rnd.choice(wf.enums[spec.choices].values)  # type: ignore[index]
    if t == "multichoice":
        return [rnd.choice(wf.enums[spec.choices].values)]  # type: ignore[index]
    if t == "yesno":
        return rnd.random() < 0.5
    if t == "uscc":
        return "91110000600037341L"  # a valid public example (ref §10)
    if t == "longtext":
        return f"第 {n} 条说明：" + "清洁生产审核示例文字。" * rnd.randint(1, 5)
    return f"项目 {n}"


def generate(rows: int = 1000, seed: int = 7) -> dict[str, Any]:
    wf = load_workflow()
    rnd = random.Random(seed)
    values: dict[str, dict[str, Any]] = {}
    for step in wf.steps():
        out: dict[str, Any] = {}
        for spec in step.fields:
            if spec.computed is not None:
                continue
            if spec.is_table:
                count = SIZES.get((step.id, spec.id), rows)
                out[spec.id] = [
                    dict({c.id: _value(c, wf, rnd, i) for c in spec.columns if c.computed is None}, _id=f"{step.id}-{spec.id}-{i:05d}")
                    for i in range(count)
                ]
            else:
                out[spec.id] = _value(spec, wf, rnd, 0)
        values[step.id] = out
    return {
        "format": FORMAT,
        "workflow": {"id": wf.id, "version": wf.version, "hash": wf.hash},
        "audit": {"id": uuid.UUID(int=seed).hex, "title": "大型基准审核 Large benchmark audit", "round": 1,
                  "kind": "enterprise", "status": "active", "created_at": "2025-01-01T00:00:00+00:00",
                  "updated_at": "2025-01-01T00:00:00+00:00", "previous_audit": None},
        "values": values,
        "justifications": {},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    args.out.write_text(json.dumps(generate(args.rows), ensure_ascii=False), encoding="utf-8")
    print(args.out)


if __name__ == "__main__":
    main()
