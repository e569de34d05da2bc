"""Screenshots of the inspector GUI (issue 7) in both languages, offscreen.

    uv run python -m cpaudit._dev.screenshots_inspector --out screenshots/inspector [--lang zh_CN|en]

Builds everything in a throw-away folder (``CPAUDIT_HOME`` points there, so the
real user data is never touched): two enterprises export real signed files
(the electroplating one twice, with evidence, after an edit), a tampered copy
and a duplicate complete the inbox. Then, per language, a fresh inspector
workspace registers the keys, imports the folder, reviews revision 2 and
saves ``<lang>-inspector-<nn>-<what>.png``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any, Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSPHRASE = "screenshot passphrase"
NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _evidence() -> list[Any]:
    """A photo-like PNG and the one-page monitoring PDF an enterprise would attach."""
    import io

    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QImage, QPainter
    from reportlab.pdfgen import canvas

    from cpaudit.bundle.export import Attachment

    image = QImage(640, 400, QImage.Format.Format_RGB32)
    image.fill(QColor("#eceff1"))
    p = QPainter(image)
    p.fillRect(QRect(40, 220, 560, 120), QColor("#90a4ae"))
    for n in range(6):
        p.fillRect(QRect(70 + 90 * n, 120, 50, 100), QColor("#1565c0"))
    p.drawText(QRect(0, 20, 640, 40), Qt.AlignmentFlag.AlignCenter, "L3 plating line: counter-current rinse tanks")
    p.end()
    png = io.BytesIO()
    from PySide6.QtCore import QBuffer, QIODevice

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    png.write(bytes(buffer.data()))
    pdf = io.BytesIO()
    c = canvas.Canvas(pdf, invariant=1)
    c.drawString(72, 760, "Monitoring report 2026-09: total nickel in rinse water 0.08 mg/L")
    c.showPage()
    c.save()
    return [Attachment(png.getvalue(), "image/png", "png", "Rinse tanks after the retrofit", "option_generation"),
            Attachment(pdf.getvalue(), "application/pdf", "pdf", "Monitoring report 2026-09", "nlc_results")]


def build_files(root: Path) -> dict[str, Any]:
    from cpaudit import audit_json
    from cpaudit.bundle import keys
    from cpaudit.bundle.export import export_submission
    from cpaudit.bundle.request import registration_request
    from cpaudit.domain.changes import SetField
    from cpaudit.samples import sample_data
    from cpaudit.workflow.loader import load_workflow
    from cpaudit.workspace import Workspace, import_document

    wf = load_workflow()
    inbox = root / "inbox"
    inbox.mkdir(parents=True)
    out: dict[str, Any] = {"inbox": inbox, "requests": []}
    for sample in ("electroplating", "coking"):
        home = root / sample
        home.mkdir()
        doc = audit_json.parse(sample_data(sample), wf)
        doc.meta.kind = "enterprise"
        ws = Workspace(home / "enterprise.db", user="enterprise")
        meta = import_document(ws, doc, f"sample:{sample}")
        folder = home / "keys"
        keys.init_key(PASSPHRASE, enterprise_name=doc.get("enterprise", "name"), uscc=doc.get("enterprise", "uscc"),
                      signer_name="张伟", signer_title="法定代表人", folder=folder, now=NOW)

        def export(name: str, attachments: list[Any] = ()) -> Path:  # type: ignore[assignment]
            return export_submission(ws, meta.id, "assessment", inbox / name, PASSPHRASE, certification_accepted=True,
                                     key_folder=folder, attachments=list(attachments), now=NOW)

        request = home / "request.json"
        import json

        request.write_text(json.dumps(registration_request(keys.unlock(PASSPHRASE, folder), NOW)), encoding="utf-8")
        out["requests"].append((request, keys.load_info(folder).fingerprint))
        if sample == "electroplating":
            export("plating_r1.cpaudit", _evidence())
            session = ws.session(meta.id)
            session.apply(SetField("enterprise", "staff", 131))
            session.apply(SetField("final_report", "reviewed_by", "咨询单位技术负责人（复核）"))
            export("plating_r2.cpaudit", _evidence())
        else:
            r1 = export("coking_r1.cpaudit")
            shutil.copy(r1, inbox / "coking_r1_copy.cpaudit")
            raw = bytearray(r1.read_bytes())
            with zipfile.ZipFile(r1) as zf:
                info = zf.getinfo("report/report.pdf")
            raw[info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + info.compress_size // 2] ^= 1
            (inbox / "coking_r1_tampered.cpaudit").write_bytes(bytes(raw))
        ws.close()
    return out


def _wait(app: Any, done: Callable[[], bool], timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not done() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()


def shoot(lang: str, files: dict[str, Any], root: Path, out: Path) -> list[Path]:
    from cpaudit.gui.app import create_application
    from cpaudit.gui.inspector.answer_dialog import AnswerDialog
    from cpaudit.gui.inspector.trust_dialog import TrustDialog
    from cpaudit.gui.inspector.window import build_inspector_window
    from cpaudit.review import registry, reviews

    app = create_application()
    saved: list[Path] = []

    def save(widget: Any, name: str, settle: float = 0.0) -> None:
        end = time.monotonic() + settle  # QtPdf renders pages in the background
        while True:
            app.processEvents()
            if time.monotonic() >= end:
                break
            time.sleep(0.02)
        path = out / f"{lang}-inspector-{len(saved) + 1:02d}-{name}.png"
        widget.grab().save(str(path))
        saved.append(path)

    window = build_inspector_window(root / f"bureau-{lang}.db", lang, bureau_key_folder=root / f"bureau-key-{lang}")
    window.show()
    window.start()
    (request, fingerprint), (coking_request, _fp) = files["requests"]
    registry.add_request(window.workspace, request, confirm_fingerprint=fingerprint)
    dialog = TrustDialog(window.workspace, window)
    key = dialog.add_request(coking_request)
    dialog.typed.setText(_fp.replace("-", " ")[:24].lower())  # half typed: four groups green
    dialog.show()
    save(dialog, "trust")
    dialog.close()
    registry.trust_key(window.workspace, key.key_id, _fp)
    window.import_paths([files["inbox"]])
    _wait(app, lambda: not window.import_panel.running)
    window.submissions.view.selectRow(0)
    save(window, "import")

    sid = next(s.submission_id for s in window.submissions.model.rows if s.revision == 2)
    page = window.open_review(sid)
    _wait(app, lambda: page.checks.task is None)
    sheet = page.scoring.sheet
    for item in sheet.scored[:9]:
        page.scoring.spins[item.id].setValue(float(item.max) - (1 if item.max >= 5 else 0))
    page.go_to("enterprise")
    page.pick(reviews.Anchor("enterprise", "staff"))
    page.comments.text.setPlainText("职工人数与上一版不同，请附劳动合同统计表。" if lang == "zh_CN" else "The staff number changed since revision 1; please attach the payroll count.")
    page.comments.add()
    page.side.setCurrentWidget(page.scoring)
    save(window, "scoring")
    page.side.setCurrentWidget(page.checks)
    save(window, "checks")
    page.side.setCurrentWidget(page.diff)
    save(window, "changes")
    page.side.setCurrentWidget(page.comments)
    save(window, "comments")
    page.side.setCurrentWidget(page.evidence)
    photo = next(n for n, e in enumerate(page.evidence.items) if e.media_type.startswith("image/"))
    page.evidence.list.setCurrentRow(photo)
    save(window, "evidence")
    page.side.setCurrentWidget(page.report)
    save(window, "report", settle=1.5)
    answer = AnswerDialog(window.workspace, sid, window, key_folder=root / f"bureau-key-{lang}")
    answer.show()
    save(answer, "answer")
    answer.close()
    window.tabs.setCurrentWidget(window.dashboard)
    _wait(app, lambda: window.dashboard.task is None)
    save(window, "dashboard")
    window.close()
    window.workspace.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots/inspector"))
    parser.add_argument("--lang", choices=("zh_CN", "en"), action="append")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cpaudit-inspector-shots-") as tmp:
        os.environ["CPAUDIT_HOME"] = str(Path(tmp) / "home")
        root = Path(tmp)
        from cpaudit.gui.app import create_application

        create_application()  # the evidence image is painted with Qt
        files = build_files(root / "files")
        for lang in args.lang or ["zh_CN", "en"]:
            for path in shoot(lang, files, root, args.out):
                print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
