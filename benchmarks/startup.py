"""Cold start to an interactive main window with the large audit, next to a bare PySide6
window (goal ≤ 1.5×), and the GUI's peak RSS with that audit. Offscreen.

    ./uvw run python -m benchmarks.startup [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = """
import time, resource
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1280, 800); w.show()
app.processEvents()
print(time.time(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

CPAUDIT = """
import sys, time, resource
from pathlib import Path
from cpaudit.gui.app import build_window, create_application
app = create_application()
w = build_window(Path(sys.argv[1]), "enterprise", "zh_CN")
w.show(); w.start(sys.argv[2])
app.processEvents()
print(time.time(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
w.workspace.close()
"""


def _run(code: str, *args: str) -> tuple[float, int]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    started = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True)
    shown, rss_kb = out.stdout.split()[-2:]
    return float(shown) - started, int(rss_kb)


def prepare(folder: Path, sample: str | None = None) -> tuple[Path, str]:
    """A workspace holding the large generated audit, or the shipped ``sample``."""
    from benchmarks.generate import generate
    from cpaudit import audit_json
    from cpaudit.samples import sample_data
    from cpaudit.workflow.loader import load_workflow
    from cpaudit.workspace import Workspace, import_document

    doc = audit_json.parse(sample_data(sample) if sample else generate(1000), load_workflow())
    db = folder / f"{sample or 'large'}.db"
    with Workspace(db) as ws:
        import_document(ws, doc, "benchmark")
    return db, doc.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db, audit = prepare(Path(tmp))
        small_db, small_audit = prepare(Path(tmp), "electroplating")
        bare = [_run(BARE) for _ in range(args.runs)]
        ours = [_run(CPAUDIT, str(db), audit) for _ in range(args.runs)]
        sample = [_run(CPAUDIT, str(small_db), small_audit) for _ in range(args.runs)]
    b, c = statistics.median(t for t, _ in bare), statistics.median(t for t, _ in ours)
    s = statistics.median(t for t, _ in sample)
    print(json.dumps({"bare_s": round(b, 3), "cpaudit_s": round(c, 3), "ratio": round(c / b, 2),
                      "sample_s": round(s, 3), "peak_rss_mb": round(max(r for _, r in ours) / 1024, 1)}))
    print(f"cold start to the main window with the large audit: {c:.2f} s vs bare PySide6 window {b:.2f} s "
          f"= {c / b:.2f}× (goal ≤ 1.5×); peak RSS {max(r for _, r in ours) / 1024:.0f} MB")
    print(f"  the same with the electroplating sample: {s:.2f} s = {s / b:.2f}×")
    print("  reproduce: ./uvw run python -m benchmarks.startup")


if __name__ == "__main__":
    main()
