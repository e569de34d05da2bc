"""Screenshots of the figure views, the report dialog, the signing ceremony and the key/verify dialogs.

    uv run python -m cpaudit._dev.screenshots_report --out screenshots/ [--lang zh_CN|en]

A sibling of ``screenshots.py``: a throw-away workspace (``CPAUDIT_HOME`` in a
temporary folder) holds the two complete samples as enterprise audits and a
fresh signing key, so nothing touches real user data. Files are named
``<lang>-r<nn>-<what>.png``.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSPHRASE = "correct horse battery"
FIGURE_STEPS = ("material_balance", "economic", "cp_targets", "pollution_status", "impact")


def _settle(app: Any, seconds: float = 0.4, until: Callable[[], bool] | None = None, timeout: float = 90.0) -> None:
    """Let background work and QtPdf's page rendering finish."""
    end = time.monotonic() + timeout
    while until is not None and not until() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        app.processEvents()
        time.sleep(0.02)


def take(out: Path, languages: list[str]) -> list[Path]:
    from cpaudit import audit_json
    from cpaudit.bundle import keys
    from cpaudit.gui.app import build_window, create_application
    from cpaudit.samples import sample_data
    from cpaudit.workflow.loader import load_workflow
    from cpaudit.workspace import import_document

    app = create_application()
    saved: list[Path] = []
    out.mkdir(parents=True, exist_ok=True)

    def shot(widget: Any, lang: str, number: int, name: str) -> None:
        path = out / f"{lang}-r{number:02d}-{name}.png"
        widget.grab().save(str(path))
        saved.append(path)

    with tempfile.TemporaryDirectory(prefix="cpaudit-shots-") as home:
        os.environ["CPAUDIT_HOME"] = home
        window = build_window(Path(home) / "workspace.cpaudit.db", lang=languages[0])
        wf = load_workflow()
        ids = {}
        for name in ("electroplating", "coking"):
            doc = audit_json.parse(sample_data(name), wf)
            doc.meta = dataclasses.replace(doc.meta, kind="enterprise")
            ids[name] = import_document(window.workspace, doc, f"sample:{name}").id
            if name == "electroplating":
                keys.init_key(PASSPHRASE, enterprise_name=doc.get("enterprise", "name"), uscc=doc.get("enterprise", "uscc"),
                              signer_name="张伟", signer_title="法定代表人")
        window.show()
        for lang in languages:
            window.set_language(lang)
            n = 0
            for sample, audit_id in ids.items():
                window.open_audit(audit_id)
                for step in FIGURE_STEPS:
                    window.go_to_step(step)
                    _settle(app, 0.1)
                    n += 1
                    shot(window, lang, n, f"{sample}-{step}")
                    page = window.page(step)
                    if getattr(page.panel, "tabs", None) is not None:
                        page.panel.tabs.setCurrentIndex(1)
                        _settle(app, 0.1)
                        n += 1
                        shot(window, lang, n, f"{sample}-{step}-2")
                        page.panel.tabs.setCurrentIndex(0)
            window.open_audit(ids["electroplating"])
            n = _dialogs(app, window, ids["electroplating"], lang, n, shot, Path(home))
        window.close()
        window.workspace.close()
    return saved


def _dialogs(app: Any, window: Any, audit_id: str, lang: str, n: int, shot: Callable[..., None], home: Path) -> int:
    from cpaudit.gui.dialogs.key_dialogs import KeyDialog
    from cpaudit.gui.dialogs.report_dialog import ReportDialog
    from cpaudit.gui.dialogs.signing_wizard import SigningWizard
    from cpaudit.gui.dialogs.verify_dialog import VerifyDialog

    session = window.session
    report = ReportDialog(window.workspace.path, audit_id, session.document.meta.title, window)
    report.show()
    _settle(app, 0.05)
    n += 1
    shot(report, lang, n, "report-running")
    _settle(app, 0.8, until=lambda: report.pdf is not None)
    n += 1
    shot(report, lang, n, "report-preview")
    report.close()
    wizard = SigningWizard(window.workspace.path, audit_id, window)
    wizard.show()
    _settle(app, 0.2)
    n += 1
    shot(wizard, lang, n, "sign-1-preflight")
    wizard.next()
    _settle(app, 0.8, until=lambda: wizard.review.pdf is not None)
    n += 1
    shot(wizard, lang, n, "sign-2-review")
    for page in range(wizard.review.preview.page_count()):
        wizard.review.preview.go_to(page)
    wizard.next()
    _settle(app, 0.1)
    n += 1
    shot(wizard, lang, n, "sign-3-certification")
    wizard.certification.accept_box.setChecked(True)
    wizard.next()
    wizard.sign_page.path_edit.setText(str(home / f"signed-{lang}.cpaudit"))
    wizard.sign_page.passphrase.setText("wrong passphrase")
    wizard.next()
    _settle(app, 0.2, until=lambda: wizard.sign_page.task is None)
    n += 1
    shot(wizard, lang, n, "sign-4-wrong-passphrase")
    wizard.sign_page.passphrase.setText(PASSPHRASE)
    wizard.next()
    _settle(app, 0.2, until=lambda: wizard.currentPage() is wizard.result_page)
    n += 1
    shot(wizard, lang, n, "sign-5-result")
    signed = wizard.sign_page.out_path
    wizard.close()
    for which, folder in (("create", home / "no-key-here"), ("info", None)):
        dialog = KeyDialog(window, document=session.document, key_folder=folder)
        if which == "create":
            dialog.pair.first.setText("短口令")
        dialog.show()
        _settle(app, 0.1)
        n += 1
        shot(dialog, lang, n, f"key-{which}")
        dialog.close()
    verify = VerifyDialog(window)
    verify.show()
    junk = home / "damaged.cpaudit"
    data = bytearray(Path(signed).read_bytes())
    data[len(data) // 2] ^= 0xFF
    junk.write_bytes(bytes(data))
    verify.verify([Path(signed), junk])
    _settle(app, 0.2, until=lambda: verify.task is None)
    n += 1
    shot(verify, lang, n, "verify")
    verify.close()
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--lang", choices=("zh_CN", "en"), default=None, help="one language (default: both)")
    args = parser.parse_args(argv)
    for path in take(args.out, [args.lang] if args.lang else ["zh_CN", "en"]):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
