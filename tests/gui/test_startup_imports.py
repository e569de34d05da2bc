"""What the window's start-up must not load: the signing code, cryptography, Pillow, the report.

Each costs 80–200 ms of every cold start (docs/quality.md, start-up) and is needed only when a
file is signed, verified, a photo reduced or a report written: those import it when they run.
"""

from __future__ import annotations

import os
import subprocess
import sys

HEAVY = ("cpaudit.bundle.export", "cryptography", "PIL.Image", "reportlab.platypus", "pyhanko")


def test_opening_the_application_module_loads_none_of_the_heavy_parts() -> None:
    code = ("import sys, cpaudit.gui.app; "
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == ""
