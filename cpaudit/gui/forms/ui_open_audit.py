# SPDX-License-Identifier: Apache-2.0
# generated from ui/open_audit.ui — do not edit — regenerate with `uv run python -m cpaudit._dev.build_forms`

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QDialogButtonBox,
    QHBoxLayout, QHeaderView, QLabel, QPushButton,
    QSizePolicy, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
    QWidget)

from cpaudit.i18n import _

class Ui_OpenAuditDialog(object):
    def setupUi(self, OpenAuditDialog):
        if not OpenAuditDialog.objectName():
            OpenAuditDialog.setObjectName(u"OpenAuditDialog")
        OpenAuditDialog.resize(640, 400)
        self.dialog_layout = QVBoxLayout(OpenAuditDialog)
        self.dialog_layout.setObjectName(u"dialog_layout")
        self.intro_label = QLabel(OpenAuditDialog)
        self.intro_label.setObjectName(u"intro_label")
        self.intro_label.setWordWrap(True)

        self.dialog_layout.addWidget(self.intro_label)

        self.audit_list = QTreeWidget(OpenAuditDialog)
        self.audit_list.setObjectName(u"audit_list")
        self.audit_list.setRootIsDecorated(False)
        self.audit_list.setUniformRowHeights(True)
        self.audit_list.setAlternatingRowColors(True)

        self.dialog_layout.addWidget(self.audit_list)

        self.button_layout = QHBoxLayout()
        self.button_layout.setObjectName(u"button_layout")
        self.new_audit_button = QPushButton(OpenAuditDialog)
        self.new_audit_button.setObjectName(u"new_audit_button")

        self.button_layout.addWidget(self.new_audit_button)

        self.button_box = QDialogButtonBox(OpenAuditDialog)
        self.button_box.setObjectName(u"button_box")
        self.button_box.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Open)

        self.button_layout.addWidget(self.button_box)


        self.dialog_layout.addLayout(self.button_layout)


        self.retranslateUi(OpenAuditDialog)

        QMetaObject.connectSlotsByName(OpenAuditDialog)
    # setupUi

    def retranslateUi(self, OpenAuditDialog):
        OpenAuditDialog.setWindowTitle(_("Open audit"))
        self.intro_label.setText(_("This workspace holds several audits. Choose the one to work on."))
        ___qtreewidgetitem = self.audit_list.headerItem()
        ___qtreewidgetitem.setText(3, _("Status"))
        ___qtreewidgetitem.setText(2, _("Last change"))
        ___qtreewidgetitem.setText(1, _("Round"))
        ___qtreewidgetitem.setText(0, _("Title"))
        self.new_audit_button.setText(_("&New audit\u2026"))
    # retranslateUi

