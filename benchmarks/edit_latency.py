"""Edit → persisted + dependents recomputed, p50/p99 on a 1,000-row table (goal p99 ≤ 20 ms).

    ./uvw run python -m benchmarks.edit_latency [--edits 500]

Each measured edit is what the GUI does on a cell commit: `AuditSession.apply(SetCell)`
(coerce, one SQLite transaction with the journal, synchronous=FULL), then the edited row's
computed cells, the table's totals and the computed fields the ChangeSet names.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.generate import generate
from cpaudit import audit_json
from cpaudit.calc.tables import cell_value, column_totals, field_value
from cpaudit.domain.changes import SetCell
from cpaudit.workflow.loader import load_workflow
from cpaudit.workspace import Workspace, import_document

STEP, TABLE = "pollution_status", "monitoring"


def run(edits: int) -> dict[str, float]:
    wf = load_workflow()
    doc = audit_json.parse(generate(1000), wf)
    table = wf.field(STEP, TABLE)
    numeric = [c for c in table.columns if c.computed is None and c.type in ("decimal", "quantity", "money", "percent")]
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Path(tmp) / "bench.db")
        import_document(ws, doc, "benchmark")
        session = ws.session(doc.id)
        rows = session.document.rows(STEP, TABLE)
        rnd = random.Random(1)
        timings = []
        for n in range(edits):
            row = rows[rnd.randrange(len(rows))]
            column = rnd.choice(numeric)
            started = time.perf_counter()
            cs = session.apply(SetCell(STEP, TABLE, row["_id"], column.id, f"{rnd.uniform(1, 500):.2f}"))
            for c in table.columns:
                if c.computed is not None:
                    cell_value(session.document, STEP, c, row)
            column_totals(session.document, STEP, table)
            for step_id, field_id in cs.computed:
                field_value(session.document, step_id, wf.field(step_id, field_id))
            timings.append((time.perf_counter() - started) * 1000)
        ws.close()
    timings.sort()
    return {
        "rows": len(rows), "edits": edits, "p50_ms": statistics.median(timings),
        "p99_ms": timings[int(len(timings) * 0.99) - 1], "max_ms": timings[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edits", type=int, default=500)
    args = parser.parse_args()
    r = run(args.edits)
    print(f"edit → persisted + recomputed on a {r['rows']}-row table, {r['edits']} edits: "
          f"p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms (goal ≤ 20 ms), max {r['max_ms']:.2f} ms")
    print("  reproduce: ./uvw run python -m benchmarks.edit_latency")


if __name__ == "__main__":
    main()
