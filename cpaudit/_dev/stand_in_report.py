"""A one-page real PDF standing in for the audit report where its content does not matter.

Tests and benchmarks of export, verification and import pass it as ``render=``:
the real report takes seconds and its size would be what is measured.
"""

from __future__ import annotations

import io
from typing import Any


def stand_in_report(doc: Any, wf: Any, stage: str, lang: str, **kw: Any) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    line = f"Report {doc.meta.id} {stage} {lang} watermark={kw.get('watermark')!r}"
    c.drawString(72, 760, line.encode("ascii", "replace").decode())  # the standard fonts have no CJK glyphs
    c.showPage()
    c.save()
    return buf.getvalue()
