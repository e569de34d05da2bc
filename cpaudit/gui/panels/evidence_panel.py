# SPDX-License-Identifier: Apache-2.0
"""The evidence dock: files attached to the fields and table rows of the step shown (GUI layer).

"Attach files…" (or dropping files on the dock or on a table row) attaches
to the field the cursor is in, or to the selected table row. The core copies
and hashes each file at once (``Attach`` via ``apply``); refused files are
listed with the reason. Large photos and scans are offered as smaller copies
first (``evidence_photos``). Images show a thumbnail, PDFs a preview; "Open"
hands a temporary copy to the system viewer; "Remove" is undoable.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Callable

import qtawesome
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDropEvent, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QApplication, QDockWidget, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QSplitter,
    QStackedWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from cpaudit import evidence, formatting
from cpaudit.domain.changes import Attach, Change, Detach
from cpaudit.domain.document import Attachment
from cpaudit.evidence import SUBMISSION_LIMIT, evidence_total
from cpaudit.evidence_photos import LONG_SIDE, LargePhoto, large_attachments, large_photo, reduce_all, replacements
from cpaudit.gui.background import run_with_progress
from cpaudit.gui.image_preview import upright_image
from cpaudit.gui.pages.base import StepPage
from cpaudit.gui.step_state import COLOURS
from cpaudit.history_view import place_label
from cpaudit.i18n import N_, _
from cpaudit.session import AuditSession, EditRejected

ID_ROLE = Qt.ItemDataRole.UserRole + 1
THUMBNAIL = 220
Where = tuple[str, str, "str | None"]  # step, field, row
REDUCE, ORIGINALS = "reduce", "originals"  # the answers to "attach smaller copies?"


def file_size(size: int) -> str:
    if size < 1024 * 1024:
        return _("{n} KB").format(n=formatting.number(max(1, round(size / 1024)), 0))
    return _("{n} MB").format(n=formatting.number(size / (1024 * 1024), 1))


def target_in(page: StepPage, widget: QWidget | None) -> Where | None:
    """The field (and table row) ``widget`` belongs to on ``page``, if any."""
    rows = getattr(page, "rows", {})
    tables = getattr(page, "tables", {})
    while widget is not None and widget is not page:
        for field_id, row in rows.items():
            if widget is row.column or widget is row.editor:
                if field_id in tables:
                    row_id = tables[field_id].model.row_id(tables[field_id].view.currentIndex().row())
                    return page.step.id, field_id, row_id
                return page.step.id, field_id, None
        widget = widget.parentWidget()
    return None


def default_target(page: StepPage) -> Where | None:
    """Where files go when the cursor is in no field: the step's evidence field, else its first."""
    fields = page.step.fields
    for spec in fields:
        if spec.evidence or any(c.evidence for c in spec.columns):
            return page.step.id, spec.id, None
    return (page.step.id, fields[0].id, None) if fields else None


class EvidencePanel(QDockWidget):
    changed_by_user = Signal()

    def __init__(self, apply: Callable[..., object], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("evidence_dock")
        self._apply = apply
        self.session: AuditSession | None = None
        self.page: StepPage | None = None
        self.target: Where | None = None
        self.read_only = False
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl  # tests replace it
        self.choose_files: Callable[[], list[str]] = self._ask_for_files  # tests replace it
        self.ask_reduce: Callable[[list[LargePhoto]], str | None] = self._ask_reduce  # tests replace it
        self.confirm_shrink: Callable[[list[LargePhoto]], bool] = self._confirm_shrink  # tests replace it
        self._open_dir: str | None = None
        body = QWidget(self)
        body.setAcceptDrops(True)
        body.installEventFilter(self)
        self.target_label = QLabel(body)
        self.target_label.setObjectName("evidence_target")
        self.target_label.setWordWrap(True)
        self.attach_button = QPushButton(qtawesome.icon("fa6s.paperclip", color="#455a64"), "", body)
        self.attach_button.setObjectName("attach_button")
        self.shrink_button = QPushButton(qtawesome.icon("fa6s.compress", color="#455a64"), "", body)
        self.shrink_button.setObjectName("shrink_photos_button")
        self.total_label = QLabel(body)
        self.total_label.setObjectName("evidence_total")
        self.total_label.setWordWrap(True)
        self.tree = QTreeWidget(body)
        self.tree.setObjectName("evidence_tree")
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.preview = QStackedWidget(body)
        self.preview.setObjectName("evidence_preview")
        self.image = QLabel(self.preview)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumHeight(120)
        self.pdf = QPdfDocument(self)
        self.pdf_view = QPdfView(self.preview)
        self.pdf_view.setDocument(self.pdf)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.preview.addWidget(self.image)
        self.preview.addWidget(self.pdf_view)
        self.info = QLabel(body)
        self.info.setObjectName("evidence_info")
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton(qtawesome.icon("fa6s.up-right-from-square", color="#455a64"), "", body)
        self.open_button.setObjectName("open_evidence_button")
        self.remove_button = QPushButton(qtawesome.icon("fa6s.trash-can", color=COLOURS["errors"]), "", body)
        self.remove_button.setObjectName("remove_evidence_button")
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        lower = QWidget(body)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.preview, 1)
        lower_layout.addWidget(self.info)
        lower_layout.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical, body)
        split.addWidget(self.tree)
        split.addWidget(lower)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(self.target_label)
        top_buttons = QHBoxLayout()
        top_buttons.addWidget(self.attach_button)
        top_buttons.addWidget(self.shrink_button)
        top_buttons.addStretch(1)
        layout.addLayout(top_buttons)
        layout.addWidget(self.total_label)
        layout.addWidget(split, 1)
        self.setWidget(body)
        self.retranslate()
        # connect signals
        self.attach_button.clicked.connect(self.attach_chosen)
        self.shrink_button.clicked.connect(self.shrink_all)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.tree.currentItemChanged.connect(lambda *_a: self._show_selected())
        self.tree.itemDoubleClicked.connect(lambda *_a: self.open_selected())

    # -- what the main window calls --------------------------------------------------------
    def set_session(self, session: AuditSession | None) -> None:
        self.session = session
        self.page = None
        self.target = None
        self.reload()

    def set_page(self, page: StepPage | None) -> None:
        if page is not self.page:
            self.page = page
            # The page gives focus back to its last editor before this runs, so no focus change follows:
            # start from the focused field, or a file would attach to the page's first field.
            focused = target_in(page, QApplication.focusWidget()) if page else None
            self.target = focused or (default_target(page) if page else None)
            for table in getattr(page, "tables", {}).values():  # files dropped on a row attach to it
                table.view.viewport().setAcceptDrops(True)
                table.view.viewport().installEventFilter(self)
            self.reload()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self._show_target()
        self._show_selected()

    def focus_moved(self, widget: QWidget | None) -> None:
        if self.page is not None:
            found = target_in(self.page, widget)
            if found is not None and found != self.target:
                self.target = found
                self._show_target()

    def changed(self) -> None:
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Evidence files"))
        self.attach_button.setText(_("Attach files…"))
        self.attach_button.setToolTip(_("Copy files into the audit (or drop them here or on a table row)"))
        self.shrink_button.setText(_("Make large photos smaller…"))
        self.shrink_button.setToolTip(_("Replace every large photo or scan of this audit by a smaller copy at the same place "
                                        "(Undo brings the originals back)"))
        self.open_button.setText(_("Open"))
        self.open_button.setToolTip(_("Open a copy with the program your computer uses for this type of file"))
        self.remove_button.setText(_("Remove"))
        self.remove_button.setToolTip(_("Remove the file from the audit (Undo brings it back)"))
        self.tree.setHeaderLabels([_("File"), _("Attached to"), _("Size"), "SHA-256"])
        self.reload()

    # -- listing -------------------------------------------------------------------------
    def attachments(self) -> list[Attachment]:
        if self.session is None or self.page is None:
            return []
        step = self.page.step.id
        return sorted((a for a in self.session.document.attachments.values() if a.step == step),
                      key=lambda a: (a.added_at, a.name))

    def reload(self) -> None:
        selected = self._selected()
        self.tree.clear()
        self._show_target()
        for a in self.attachments():
            where = self._short_place(a)
            item = QTreeWidgetItem([a.name, where, file_size(a.size), a.sha256[:8]])
            item.setIcon(0, qtawesome.icon(_type_icon(a.mime), color="#455a64"))
            item.setToolTip(0, a.name)
            item.setToolTip(1, place_label(self.session.workflow, a.step, a.field, a.row_id, self.session.document))  # type: ignore[union-attr]
            item.setToolTip(3, a.sha256)
            item.setData(0, ID_ROLE, a.id)
            self.tree.addTopLevelItem(item)
            if selected and a.id == selected.id:
                self.tree.setCurrentItem(item)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(48)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        for column in (2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setColumnWidth(1, 110)
        self._show_total()
        self._show_selected()

    def _show_total(self) -> None:
        """How much of what a submission file can hold the audit's evidence takes, before the pre-flight says so."""
        total = evidence_total(self.session.document.attachments.values()) if self.session is not None else 0
        self.total_label.setVisible(total > 0)
        if not total:
            return
        self.total_label.setText(_("All evidence of this audit: {total} of the {limit} a submission file can hold.").format(
            total=file_size(total), limit=file_size(SUBMISSION_LIMIT)))
        self.total_label.setStyleSheet(f"color: {COLOURS['warnings']};" if total > 0.8 * SUBMISSION_LIMIT else "")

    def _short_place(self, a: Attachment) -> str:
        """The field (and row) within the step shown; the step is the page's own."""
        assert self.session is not None
        spec = self.session.workflow.field(a.step, a.field)
        text = _(spec.label)
        if a.row_id is not None:
            ids = [r["_id"] for r in self.session.document.rows(a.step, a.field)]
            if a.row_id in ids:
                text = _("{table}, row {n}").format(table=text, n=ids.index(a.row_id) + 1)
        return text

    def _show_target(self) -> None:
        enabled = self.session is not None and self.target is not None and not self.read_only
        if self.target and self.session:
            place = place_label(self.session.workflow, *self.target, self.session.document)
            self.target_label.setText(_("New files are attached to: {place}").format(place=place))
        else:
            self.target_label.setText(_("Open a step to attach files to it."))
        self.attach_button.setEnabled(enabled)
        self.shrink_button.setEnabled(self.session is not None and not self.read_only)

    def _selected(self) -> Attachment | None:
        item = self.tree.currentItem()
        if item is None or self.session is None:
            return None
        return self.session.document.attachments.get(item.data(0, ID_ROLE))

    def _show_selected(self) -> None:
        a = self._selected()
        self.open_button.setEnabled(a is not None)
        self.remove_button.setEnabled(a is not None and not self.read_only)
        self.pdf.close()
        self.image.clear()
        self.preview.setCurrentWidget(self.image)
        if a is None or self.session is None or self.session.workspace_path is None:
            self.info.setText("")
            return
        path = evidence.stored_path(self.session.workspace_path, a.sha256)
        intact = evidence.verify_stored(self.session.workspace_path, a.sha256)
        state = _("✔ stored and unchanged") if intact else _("✖ the stored copy is missing or has been changed")
        self.info.setText(f"{a.name} · {file_size(a.size)} · {formatting.datetime(a.added_at)}\n"
                          f"SHA-256 {a.sha256[:32]}\n{a.sha256[32:]}\n{state}")
        self.info.setStyleSheet("" if intact else f"color: {COLOURS['errors']};")
        if not intact:
            return
        if a.mime.startswith("image/"):
            image = upright_image(str(path), THUMBNAIL)
            if image.isNull():
                self.image.setText(_("This image cannot be shown here; use Open."))
            else:
                self.image.setPixmap(QPixmap.fromImage(image))
        elif a.mime == "application/pdf" and self.pdf.load(str(path)) == QPdfDocument.Error.None_:
            self.preview.setCurrentWidget(self.pdf_view)
        else:
            self.image.setText(_("No preview for this type of file; use Open."))

    # -- attaching, opening, removing ----------------------------------------------------------
    def _ask_for_files(self) -> list[str]:
        patterns = " ".join(f"*{s}" for s in sorted(evidence.ALLOWED_TYPES))
        names, _filter = QFileDialog.getOpenFileNames(self, _("Attach evidence files"), "",
                                                      _("Evidence files ({patterns})").format(patterns=patterns))
        return names

    def attach_chosen(self) -> None:
        if self.target is not None:
            self.attach(self.choose_files(), self.target)

    def attach(self, paths: list[str], where: Where) -> int:
        """Attach every acceptable file in ONE undo step; say which were refused and why.

        Large photos and scans are first offered as smaller copies (made in the
        background); returns how many files are being attached.
        """
        if self.session is None or not paths:
            return 0
        refused = []
        good = []
        for path in paths:
            try:
                evidence.check_source(Path(path))
                good.append(path)
            except evidence.EvidenceRejected as exc:
                refused.append(exc.message)
        photos = [found for found in map(large_photo, map(Path, good)) if found is not None]
        if photos:
            answer = self.ask_reduce(photos)
            if answer is None:  # cancelled: nothing is attached, but what could not be is still said
                if refused:
                    self.refused(refused)
                return 0
            if answer == REDUCE:
                self._reduce_then_attach(good, [p.path for p in photos], where, refused)
                return len(good)
        return self._attach_now(good, where, refused)

    def _reduce_then_attach(self, good: list[str], photos: list[Path], where: Where, refused: list[str]) -> None:
        self._reduce_in_background(photos, None, lambda copies: self._attach_now(
            [str(copies.get(Path(p), p)) for p in good], where, refused))

    def shrink_all(self) -> None:
        """Every large photo or scan already attached to the audit, replaced by a smaller copy (one undo step)."""
        if self.session is None or self.session.workspace_path is None or self.read_only:
            return
        large = large_attachments(self.session.document, self.session.workspace_path)
        if not large:
            box = QMessageBox(QMessageBox.Icon.Information, _("Make large photos smaller"),
                              _("No photo or scan of this audit is larger than it needs to be."), QMessageBox.StandardButton.Ok, self)
            box.setObjectName("nothing_to_shrink_box")
            box.open()
            return
        if self.confirm_shrink([photo for _uses, photo in large]):
            self._reduce_in_background([p.path for _u, p in large], [uses[0].name for uses, _p in large],
                                       lambda copies: self._replace(replacements(large, copies)))

    def _replace(self, changes: list[Change]) -> None:
        try:
            self._apply(changes, N_("Replace large photos by smaller copies"))  # a message id: edit_labels
        except EditRejected as exc:  # a file removed (or its row deleted) while the copies were made
            self.refused([r.message for r in exc.rejections])

    def _reduce_in_background(self, photos: list[Path], names: list[str] | None,
                              then: Callable[[dict[Path, Path]], object]) -> None:
        """Make the smaller copies off the GUI thread (progress, Cancel), then ``then(copies)`` and clean up."""
        session, folder = self.session, Path(tempfile.mkdtemp(prefix="cpaudit-smaller-"))

        def work(progress: Callable[..., None]) -> dict[Path, Path]:
            try:
                return reduce_all(photos, folder, progress, names)
            except BaseException:  # Cancel or failure: nothing changes, nothing is left behind
                shutil.rmtree(folder, ignore_errors=True)
                raise

        def done(copies: dict[Path, Path]) -> None:
            try:
                if self.session is session:  # the user may have opened another audit meanwhile
                    then(copies)
                    self.reload()
            finally:
                shutil.rmtree(folder, ignore_errors=True)

        run_with_progress(self, _("Making smaller copies of the photos…"), work, done)

    def _confirm_shrink(self, photos: list[LargePhoto]) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, _("Make large photos smaller"),
                          _("Large photos or scans in this audit: {count}, {size} in all.").format(
                              count=len(photos), size=file_size(sum(p.size for p in photos))),
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("shrink_photos_box")
        box.setInformativeText(_("Each is replaced, at the same place, by a copy whose long side is {pixels} pixels. "
                                 "Undo brings the originals back.").format(pixels=LONG_SIDE))
        replace = box.addButton(_("Replace with smaller copies"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(replace)
        box.exec()
        return box.clickedButton() is replace

    def _ask_reduce(self, photos: list[LargePhoto]) -> str | None:
        box = QMessageBox(QMessageBox.Icon.Question, _("Attach smaller copies?"),
                          _("Large photos or scans: {count}, {size} in all.").format(
                              count=len(photos), size=file_size(sum(p.size for p in photos))),
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("reduce_photos_box")
        box.setInformativeText(_(
            "A copy whose long side is {pixels} pixels keeps every reading legible and keeps the submission "
            "file small enough to upload. The files on your disk are not changed.").format(pixels=LONG_SIDE))
        smaller = box.addButton(_("Attach smaller copies"), QMessageBox.ButtonRole.AcceptRole)
        originals = box.addButton(_("Attach originals"), QMessageBox.ButtonRole.ActionRole)
        box.setDefaultButton(smaller)
        box.exec()
        return {smaller: REDUCE, originals: ORIGINALS}.get(box.clickedButton())

    def _attach_now(self, good: list[str], where: Where, refused: list[str]) -> int:
        if good:
            try:
                self._apply([Attach(where[0], where[1], path, where[2]) for path in good])
            except EditRejected as exc:
                refused += [r.message for r in exc.rejections]
                good = []
        if refused:
            self.refused(refused)
        self.reload()
        return len(good)

    def refused(self, messages: list[str]) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, _("Some files were not attached"),
                          _("These files were not attached:"), QMessageBox.StandardButton.Ok, self)
        box.setObjectName("refused_files_box")
        box.setInformativeText("\n".join(f"• {m}" for m in messages))
        box.open()  # not modal-blocking: the list stays readable while the user carries on
        self.last_refusal = box

    def open_selected(self) -> None:
        a = self._selected()
        if a is None or self.session is None or self.session.workspace_path is None:
            return
        if self._open_dir is None:
            self._open_dir = tempfile.mkdtemp(prefix="cpaudit-open-")
        folder = Path(self._open_dir) / a.id
        folder.mkdir(exist_ok=True)
        copy = evidence.copy_out(self.session.workspace_path, a.sha256, folder / a.name)
        self.open_url(QUrl.fromLocalFile(str(copy)))

    def remove_selected(self) -> None:
        a = self._selected()
        if a is not None:
            self._apply([Detach(a.id)])
            self.reload()

    # -- drag and drop ---------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if event.mimeData().hasUrls() and not self.read_only:  # type: ignore[attr-defined]
                event.acceptProposedAction()  # type: ignore[attr-defined]
                return True
        elif kind == QEvent.Type.Drop and isinstance(event, QDropEvent) and event.mimeData().hasUrls() and not self.read_only:
            paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
            where = self._drop_target(watched, event)
            if where is not None:
                event.acceptProposedAction()
                # After the drop returns: the file manager the files came from waits for it, and
                # attaching may ask about large photos first.
                QTimer.singleShot(0, lambda: self.attach(paths, where))
                return True
        return False

    def _drop_target(self, watched: QObject, event: QDropEvent) -> Where | None:
        for field_id, table in getattr(self.page, "tables", {}).items():
            if watched is table.view.viewport():
                row_id = table.model.row_id(table.view.indexAt(event.position().toPoint()).row())
                return self.page.step.id, field_id, row_id  # type: ignore[union-attr]
        return self.target


def _type_icon(mime: str) -> str:
    if mime.startswith("image/"):
        return "fa6s.file-image"
    if mime == "application/pdf":
        return "fa6s.file-pdf"
    if "sheet" in mime or "excel" in mime or mime == "text/csv":
        return "fa6s.file-excel"
    if "word" in mime:
        return "fa6s.file-word"
    return "fa6s.file"
