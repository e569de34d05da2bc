"""The audit report PDF (issue 5): §6 outline, both stages, zh_CN and en, deterministic.

    from cpaudit.report import build_report
    pdf = build_report(doc, wf, "assessment", "zh_CN", journal=records, progress=cb)

Qt-free: the GUI runs ``build_report`` in a worker and previews the bytes.
"""

from __future__ import annotations

from cpaudit.report.outline import ACCEPTANCE, ASSESSMENT, STAGES

__all__ = ["ACCEPTANCE", "ASSESSMENT", "STAGES", "build_report", "build_model"]


def build_report(*args, **kwargs) -> bytes:  # noqa: D103  (documented in report.build)
    from cpaudit.report.build import build_report as _build

    return _build(*args, **kwargs)


def build_model(*args, **kwargs):  # noqa: D103  (documented in report.model)
    from cpaudit.report.model import build_model as _build

    return _build(*args, **kwargs)
