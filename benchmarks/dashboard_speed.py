"""City dashboard time at 10,000 imported audits (target ≤ 1 s).

    uv run python benchmarks/dashboard_speed.py [--audits 10000] [--db FILE]

Generates synthetic submissions straight into an inspector workspace's
tables (no signing: the dashboard reads only the typed columns the import
fills) — every audit an assessment submission, most also an acceptance one,
and one in five with an older superseded revision — then times the whole
dashboard (all sections, no filter) and a filtered one, best of 5 runs.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DISTRICTS = ["小店区", "迎泽区", "杏花岭区", "尖草坪区", "万柏林区", "晋源区", "清徐县", "阳曲县", "娄烦县", "古交市"]
SECTORS = [("C3360", "金属表面处理及热处理加工", "electroplating-2015"), ("C2521", "炼焦", "iron-steel-integrated"),
           ("C3110", "炼铁", "iron-steel-integrated"), ("C2221", "机制纸及纸板制造", "pulp-paper-2015")]
LEVELS = ["I", "II", "III", "below", None]
STATUSES = ["received", "in_review", "returned", "passed", "failed"]


def generate(ws, audits: int, seed: int = 7) -> int:
    from cpaudit.review.columns import BENEFITS

    rng = random.Random(seed)
    rows = []
    for n in range(audits):
        uscc = f"9114{n:014d}"
        code, name, system = rng.choice(SECTORS)
        common = {"uscc": uscc, "enterprise_name": f"企业 {n}", "audit_id": uuid.uuid4().hex, "round": 1,
                  "year": rng.choice(range(2019, 2027)), "district": rng.choice(DISTRICTS), "sector_code": code,
                  "sector_name": name, "indicator_system": system}
        stages = ["assessment"] + (["acceptance"] if rng.random() < 0.7 else [])
        for stage in stages:
            revisions = 2 if rng.random() < 0.2 else 1
            for revision in range(1, revisions + 1):
                sid = str(uuid.uuid4())
                row = dict(common, submission_id=sid, manifest_sha256=uuid.uuid4().hex * 2, stage=stage, revision=revision,
                           created_at="2026-01-01T00:00:00+08:00", received_at="2026-01-02T00:00:00+08:00",
                           key_id="0" * 16, fingerprint="-", signer_name="-", trust_state="trusted", trust_via="registry",
                           file_name=f"{sid}.cpaudit", stored_file=f"{sid}.cpaudit", file_size=1,
                           chain_state="current" if revision == revisions else "superseded",
                           status=rng.choice(STATUSES), level=rng.choice(LEVELS),
                           options_no_low=rng.randint(5, 20), options_medium_high=rng.randint(0, 5))
                row["options_active"] = row["options_no_low"] + row["options_medium_high"]
                row["options_implemented"] = rng.randint(0, row["options_active"])
                row["invest_no_low"] = rng.randint(0, 200) * 100_000
                row["invest_medium_high"] = rng.randint(0, 30000) * 1_000_000
                row.update({b: rng.randint(0, 10**12) for b in BENEFITS})
                rows.append(row)
    columns = list(rows[0])
    with ws.db.conn:
        ws.db.conn.execute("BEGIN IMMEDIATE")
        ws.db.conn.executemany(f"INSERT INTO submissions ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                               [[r[c] for c in columns] for r in rows])
    ws.db.execute("ANALYZE")
    return len(rows)


def best_of(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    from cpaudit.review.dashboard import Filters, dashboard
    from cpaudit.review.inspector import open_inspector

    parser = argparse.ArgumentParser()
    parser.add_argument("--audits", type=int, default=10_000)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "bureau.db"
    ws = open_inspector(path)
    submissions = generate(ws, args.audits)
    full = best_of(lambda: dashboard(ws))
    board = dashboard(ws)
    filtered = best_of(lambda: dashboard(ws, Filters(year=2024, district="晋源区")))
    print(f"{args.audits} audits ({submissions} submissions incl. superseded revisions) in {path}")
    print(f"dashboard, all sections, no filter: {full * 1000:.0f} ms (best of 5); {board.audits} audits counted")
    print(f"dashboard, year + district filter: {filtered * 1000:.0f} ms")
    print("target ≤ 1000 ms:", "met" if max(full, filtered) <= 1.0 else "MISSED")
    ws.close()
    return 0 if max(full, filtered) <= 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
