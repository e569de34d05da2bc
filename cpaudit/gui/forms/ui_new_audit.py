# SPDX-License-Identifier: Apache-2.0
# generated from ui/new_audit.ui — do not edit — regenerate with `uv run python -m cpaudit._dev.build_forms`

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QDialogButtonBox,
    QFormLayout, QLabel, QLineEdit, QSizePolicy,
    QSpacerItem, QVBoxLayout, QWidget)

from cpaudit.i18n import _

class Ui_NewAuditDialog(object):
    def setupUi(self, NewAuditDialog):
        if not NewAuditDialog.objectName():
            NewAuditDialog.setObjectName(u"NewAuditDialog")
        NewAuditDialog.resize(480, 200)
        self.dialog_layout = QVBoxLayout(NewAuditDialog)
        self.dialog_layout.setObjectName(u"dialog_layout")
        self.intro_label = QLabel(NewAuditDialog)
        self.intro_label.setObjectName(u"intro_label")
        self.intro_label.setWordWrap(True)

        self.dialog_layout.addWidget(self.intro_label)

        self.form_layout = QFormLayout()
        self.form_layout.setObjectName(u"form_layout")
        self.title_label = QLabel(NewAuditDialog)
        self.title_label.setObjectName(u"title_label")

        self.form_layout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.title_label)

        self.title_edit = QLineEdit(NewAuditDialog)
        self.title_edit.setObjectName(u"title_edit")
        self.title_edit.setMaxLength(200)

        self.form_layout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.title_edit)


        self.dialog_layout.addLayout(self.form_layout)

        self.message_label = QLabel(NewAuditDialog)
        self.message_label.setObjectName(u"message_label")
        self.message_label.setText(u"")
        self.message_label.setWordWrap(True)

        self.dialog_layout.addWidget(self.message_label)

        self.vertical_spacer = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.dialog_layout.addItem(self.vertical_spacer)

        self.button_box = QDialogButtonBox(NewAuditDialog)
        self.button_box.setObjectName(u"button_box")
        self.button_box.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.dialog_layout.addWidget(self.button_box)

#if QT_CONFIG(shortcut)
        self.title_label.setBuddy(self.title_edit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(NewAuditDialog)

        QMetaObject.connectSlotsByName(NewAuditDialog)
    # setupUi

    def retranslateUi(self, NewAuditDialog):
        NewAuditDialog.setWindowTitle(_("New audit"))
        self.intro_label.setText(_("Start a new cleaner production audit. You can change the title later."))
        self.title_label.setText(_("Audit &title"))
        self.title_edit.setPlaceholderText(_("e.g. Round 2 audit 2025"))
    # retranslateUi

