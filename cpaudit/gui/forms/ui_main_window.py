# SPDX-License-Identifier: Apache-2.0
# generated from ui/main_window.ui — do not edit — regenerate with `uv run python -m cpaudit._dev.build_forms`

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QAction, QBrush, QColor, QConicalGradient,
    QCursor, QFont, QFontDatabase, QGradient,
    QIcon, QImage, QKeySequence, QLinearGradient,
    QPainter, QPalette, QPixmap, QRadialGradient,
    QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QHBoxLayout, QHeaderView,
    QLabel, QMainWindow, QMenu, QMenuBar,
    QPushButton, QSizePolicy, QSpacerItem, QSplitter,
    QStackedWidget, QStatusBar, QTreeView, QVBoxLayout,
    QWidget)

from cpaudit.i18n import _

class Ui_MainWindow(object):
    def setupUi(self, MainWindow):
        if not MainWindow.objectName():
            MainWindow.setObjectName(u"MainWindow")
        MainWindow.resize(1280, 800)
        self.action_new_audit = QAction(MainWindow)
        self.action_new_audit.setObjectName(u"action_new_audit")
#if QT_CONFIG(shortcut)
        self.action_new_audit.setShortcut(u"Ctrl+N")
#endif // QT_CONFIG(shortcut)
        self.action_open_audit = QAction(MainWindow)
        self.action_open_audit.setObjectName(u"action_open_audit")
#if QT_CONFIG(shortcut)
        self.action_open_audit.setShortcut(u"Ctrl+O")
#endif // QT_CONFIG(shortcut)
        self.action_quit = QAction(MainWindow)
        self.action_quit.setObjectName(u"action_quit")
#if QT_CONFIG(shortcut)
        self.action_quit.setShortcut(u"Ctrl+Q")
#endif // QT_CONFIG(shortcut)
        self.action_undo = QAction(MainWindow)
        self.action_undo.setObjectName(u"action_undo")
        self.action_undo.setEnabled(False)
#if QT_CONFIG(shortcut)
        self.action_undo.setShortcut(u"Ctrl+Z")
#endif // QT_CONFIG(shortcut)
        self.action_redo = QAction(MainWindow)
        self.action_redo.setObjectName(u"action_redo")
        self.action_redo.setEnabled(False)
#if QT_CONFIG(shortcut)
        self.action_redo.setShortcut(u"Ctrl+Shift+Z")
#endif // QT_CONFIG(shortcut)
        self.action_lang_zh_cn = QAction(MainWindow)
        self.action_lang_zh_cn.setObjectName(u"action_lang_zh_cn")
        self.action_lang_zh_cn.setCheckable(True)
        self.action_lang_zh_cn.setText(u"\u4e2d\u6587\uff08\u7b80\u4f53\uff09(&Z)")
        self.action_lang_en = QAction(MainWindow)
        self.action_lang_en.setObjectName(u"action_lang_en")
        self.action_lang_en.setCheckable(True)
        self.action_lang_en.setText(u"&English")
        self.action_previous_step = QAction(MainWindow)
        self.action_previous_step.setObjectName(u"action_previous_step")
#if QT_CONFIG(shortcut)
        self.action_previous_step.setShortcut(u"Ctrl+PgUp")
#endif // QT_CONFIG(shortcut)
        self.action_next_step = QAction(MainWindow)
        self.action_next_step.setObjectName(u"action_next_step")
#if QT_CONFIG(shortcut)
        self.action_next_step.setShortcut(u"Ctrl+PgDown")
#endif // QT_CONFIG(shortcut)
        self.action_about = QAction(MainWindow)
        self.action_about.setObjectName(u"action_about")
        self.central_widget = QWidget(MainWindow)
        self.central_widget.setObjectName(u"central_widget")
        self.central_layout = QHBoxLayout(self.central_widget)
        self.central_layout.setObjectName(u"central_layout")
        self.central_layout.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(self.central_widget)
        self.splitter.setObjectName(u"splitter")
        self.splitter.setOrientation(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.navigator_panel = QWidget(self.splitter)
        self.navigator_panel.setObjectName(u"navigator_panel")
        self.navigator_layout = QVBoxLayout(self.navigator_panel)
        self.navigator_layout.setObjectName(u"navigator_layout")
        self.navigator_layout.setContentsMargins(6, 6, 0, 6)
        self.audit_title_label = QLabel(self.navigator_panel)
        self.audit_title_label.setObjectName(u"audit_title_label")
        self.audit_title_label.setText(u"")
        self.audit_title_label.setWordWrap(True)

        self.navigator_layout.addWidget(self.audit_title_label)

        self.step_tree = QTreeView(self.navigator_panel)
        self.step_tree.setObjectName(u"step_tree")
        self.step_tree.setMinimumSize(QSize(260, 0))
        self.step_tree.setHeaderHidden(True)
        self.step_tree.setUniformRowHeights(True)
        self.step_tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

        self.navigator_layout.addWidget(self.step_tree)

        self.progress_label = QLabel(self.navigator_panel)
        self.progress_label.setObjectName(u"progress_label")
        self.progress_label.setText(u"")
        self.progress_label.setWordWrap(True)

        self.navigator_layout.addWidget(self.progress_label)

        self.splitter.addWidget(self.navigator_panel)
        self.page_stack = QStackedWidget(self.splitter)
        self.page_stack.setObjectName(u"page_stack")
        self.welcome_page = QWidget()
        self.welcome_page.setObjectName(u"welcome_page")
        self.welcome_layout = QVBoxLayout(self.welcome_page)
        self.welcome_layout.setObjectName(u"welcome_layout")
        self.welcome_top_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.welcome_layout.addItem(self.welcome_top_spacer)

        self.welcome_label = QLabel(self.welcome_page)
        self.welcome_label.setObjectName(u"welcome_label")
        self.welcome_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.welcome_label.setWordWrap(True)

        self.welcome_layout.addWidget(self.welcome_label)

        self.welcome_buttons = QHBoxLayout()
        self.welcome_buttons.setObjectName(u"welcome_buttons")
        self.welcome_left_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.welcome_buttons.addItem(self.welcome_left_spacer)

        self.welcome_new_button = QPushButton(self.welcome_page)
        self.welcome_new_button.setObjectName(u"welcome_new_button")

        self.welcome_buttons.addWidget(self.welcome_new_button)

        self.welcome_open_button = QPushButton(self.welcome_page)
        self.welcome_open_button.setObjectName(u"welcome_open_button")

        self.welcome_buttons.addWidget(self.welcome_open_button)

        self.welcome_right_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.welcome_buttons.addItem(self.welcome_right_spacer)


        self.welcome_layout.addLayout(self.welcome_buttons)

        self.welcome_bottom_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.welcome_layout.addItem(self.welcome_bottom_spacer)

        self.page_stack.addWidget(self.welcome_page)
        self.splitter.addWidget(self.page_stack)

        self.central_layout.addWidget(self.splitter)

        MainWindow.setCentralWidget(self.central_widget)
        self.menu_bar = QMenuBar(MainWindow)
        self.menu_bar.setObjectName(u"menu_bar")
        self.menu_file = QMenu(self.menu_bar)
        self.menu_file.setObjectName(u"menu_file")
        self.menu_edit = QMenu(self.menu_bar)
        self.menu_edit.setObjectName(u"menu_edit")
        self.menu_view = QMenu(self.menu_bar)
        self.menu_view.setObjectName(u"menu_view")
        self.menu_language = QMenu(self.menu_view)
        self.menu_language.setObjectName(u"menu_language")
        self.menu_help = QMenu(self.menu_bar)
        self.menu_help.setObjectName(u"menu_help")
        MainWindow.setMenuBar(self.menu_bar)
        self.status_bar = QStatusBar(MainWindow)
        self.status_bar.setObjectName(u"status_bar")
        MainWindow.setStatusBar(self.status_bar)

        self.menu_bar.addAction(self.menu_file.menuAction())
        self.menu_bar.addAction(self.menu_edit.menuAction())
        self.menu_bar.addAction(self.menu_view.menuAction())
        self.menu_bar.addAction(self.menu_help.menuAction())
        self.menu_file.addAction(self.action_new_audit)
        self.menu_file.addAction(self.action_open_audit)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.action_quit)
        self.menu_edit.addAction(self.action_undo)
        self.menu_edit.addAction(self.action_redo)
        self.menu_view.addAction(self.action_previous_step)
        self.menu_view.addAction(self.action_next_step)
        self.menu_view.addSeparator()
        self.menu_view.addAction(self.menu_language.menuAction())
        self.menu_language.addAction(self.action_lang_zh_cn)
        self.menu_language.addAction(self.action_lang_en)
        self.menu_help.addAction(self.action_about)

        self.retranslateUi(MainWindow)

        QMetaObject.connectSlotsByName(MainWindow)
    # setupUi

    def retranslateUi(self, MainWindow):
        MainWindow.setWindowTitle(_("Cleaner production audit"))
        self.action_new_audit.setText(_("&New audit\u2026"))
        self.action_open_audit.setText(_("&Open audit\u2026"))
        self.action_quit.setText(_("&Quit"))
        self.action_undo.setText(_("&Undo"))
        self.action_redo.setText(_("&Redo"))
        self.action_previous_step.setText(_("&Previous step"))
        self.action_next_step.setText(_("Ne&xt step"))
        self.action_about.setText(_("&About cpaudit"))
        self.welcome_label.setText(_("No audit is open. Start a new audit, open one from this workspace, or try the procedure in the training sandbox."))
        self.welcome_new_button.setText(_("&New audit\u2026"))
        self.welcome_open_button.setText(_("&Open audit\u2026"))
        self.menu_file.setTitle(_("&File"))
        self.menu_edit.setTitle(_("&Edit"))
        self.menu_view.setTitle(_("&View"))
        self.menu_language.setTitle(_("&Language"))
        self.menu_help.setTitle(_("&Help"))
    # retranslateUi

