"""A scripted editor for the kill tests: prints "ACK n" after edit n is acknowledged.

Run as ``python crash_editor.py WORKSPACE AUDIT_ID``; it edits until killed.
"""

from __future__ import annotations

import sys

from cpaudit.domain.changes import InsertRow, SetField
from cpaudit.workspace import Workspace


def main(path: str, audit_id: str) -> None:
    ws = Workspace(path, user="crash")
    session = ws.session(audit_id)
    # Resume numbering after what earlier (killed) runs committed; the ack counts from 0 per run.
    start = len(session.document.rows("training", "sessions"))
    n = 0
    while True:
        # Two kinds of edit: a row per edit (all must survive) and an overwrite (last one wins).
        session.apply(InsertRow("training", "sessions", {"date": "2025-03-01", "topic": f"edit {start + n}", "participants": n}))
        session.apply(SetField("enterprise", "name", f"name {start + n}"))
        print(f"ACK {n}", flush=True)
        n += 1


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
