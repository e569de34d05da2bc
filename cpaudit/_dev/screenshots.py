"""Screenshots of the main window, every step page of a sample and the workbench dialogs, offscreen.

    uv run python -m cpaudit._dev.screenshots --out screenshots/ [--lang zh_CN|en] [--sample coking]

Opens a throw-away workspace (``CPAUDIT_HOME`` points to a temporary folder,
so the real user data is never touched), fills a few fields through the
session so the pages are not empty, and saves ``<lang>-<nn>-<step>.png``; then
imports the sample and saves every step page and the workbench's dialogs and
docks (``screenshots_workbench``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# (step, field to put the cursor in or None); the order is the order of the files.
SHOTS = [
    ("enterprise", "staff"),
    ("audit_info", None),
    ("leadership", None),
    ("team", "members"),
    ("work_plan", None),
    ("training", "sessions"),
    ("option_generation", None),
]


def _fill(session) -> None:  # type: ignore[no-untyped-def]
    from cpaudit.calc.uscc import check_character
    from cpaudit.domain.changes import InsertRow, SetCell, SetField

    first17 = "91370700MA3C4D5E6"
    s = "enterprise"
    session.apply([
        SetField(s, "name", "潍坊绿源造纸有限公司"),
        SetField(s, "uscc", first17 + check_character(first17)),
        SetField(s, "legal_representative", "王建国"),
        SetField(s, "address", "山东省潍坊市寒亭区造纸路 18 号"),
        SetField(s, "registered_capital", "3500"),
    ])
    session.apply([
        SetField("audit_info", "basis", "mandatory"),
        SetField("audit_info", "mandatory_reasons", ["double_exceed", "energy"]),
        SetField("audit_info", "round", "2"),
        SetField("audit_info", "period_start", "2025-03-01"),
        SetField("audit_info", "period_end", "2025-12-31"),
        SetField("audit_info", "consultant_used", True),
        SetField("audit_info", "consultant", "山东省清洁生产中心"),
    ])
    session.apply([
        SetField("leadership", "commitment", "总经理主持召开清洁生产动员会，承诺提供审核所需的人员、资金和时间，"
                 "并将清洁生产目标纳入年度考核。"),
        SetField("leadership", "decision_date", "2025-03-05"),
    ])
    members = [
        {"name": "王建国", "role": "leader", "department": "总经理", "duties": "统筹审核工作", "time_share": "20"},
        {"name": "李红", "role": "deputy", "department": "生产部 部长", "duties": "组织现场调查", "time_share": "40"},
        {"name": "张伟", "role": "member", "department": "环保科", "duties": "物料平衡与数据", "time_share": "60"},
        {"name": "陈静", "role": "consultant", "department": "清洁生产中心", "duties": "方法指导", "time_share": "130"},
    ]
    session.apply([InsertRow("team", "members", m) for m in members])
    # A plan date after the audit period: the work-plan page shows a warning to justify.
    first_stage = session.document.rows("work_plan", "plan")[0]["_id"]
    session.apply([SetCell("work_plan", "plan", first_stage, "due", "2026-01-15"),
                   SetCell("work_plan", "plan", first_stage, "responsible", "王建国")])
    session.apply([
        InsertRow("training", "sessions", {"date": "2025-03-10", "topic": "清洁生产基础知识", "participants": "45", "hours": "2"}),
        InsertRow("training", "sessions", {"date": "2025-03-18", "topic": "Material balance workshop", "participants": "12", "hours": "3.5"}),
    ])


def take(out: Path, languages: list[str], sample: str | None = "coking") -> list[Path]:
    from cpaudit.gui.app import build_window, create_application

    app = create_application()
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="cpaudit-shots-") as home:
        os.environ["CPAUDIT_HOME"] = home
        window = build_window(Path(home) / "workspace.cpaudit.db", lang=languages[0])
        meta = window.workspace.create_audit("2025 年度清洁生产审核（第二轮）")
        _fill(window.workspace.session(meta.id))
        window.open_audit(meta.id)
        window.show()
        # A typed-but-refused value, to show the inline message beside the field.
        staff = window.page("enterprise").editors["staff"]
        staff.line.setText("约 300 人")
        staff._dirty = True  # type: ignore[attr-defined]
        staff.flush()
        out.mkdir(parents=True, exist_ok=True)
        for lang in languages:
            window.set_language(lang)
            for number, (step, field) in enumerate(SHOTS, start=1):
                if not window.session.workflow.has_step(step):  # type: ignore[union-attr]
                    continue
                window.go_to_step(step, field)
                app.processEvents()
                path = out / f"{lang}-{number:02d}-{step}.png"
                window.grab().save(str(path))
                saved.append(path)
        window.close()
        app.processEvents()
        window.workspace.close()
        if sample:
            from cpaudit._dev.screenshots_workbench import take_sample

            saved += take_sample(out, languages, Path(home), sample)
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--lang", choices=("zh_CN", "en"), default=None, help="one language (default: both)")
    parser.add_argument("--sample", default="coking", help="sample audit whose every step is shot ('' for none)")
    args = parser.parse_args(argv)
    for path in take(args.out, [args.lang] if args.lang else ["zh_CN", "en"], args.sample or None):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
