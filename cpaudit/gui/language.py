# SPDX-License-Identifier: Apache-2.0
"""Switching the UI language for both gettext (our strings) and Qt (its own dialogs).

Qt's ``qtbase_<lang>`` catalog translates standard buttons, context menus and
the calendar popup (Picard ``i18n/qt.py`` idea); ``QLocale.setDefault`` makes
Qt's own date and number widgets follow the same language.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from cpaudit import i18n

_QT_LOCALES = {"zh_CN": "zh_CN", "en": "en"}
_installed: list[QTranslator] = []  # kept referenced: Qt does not own installed translators


def qt_locale(lang: str) -> QLocale:
    if lang == "zh_CN":
        return QLocale(QLocale.Language.Chinese, QLocale.Script.SimplifiedChineseScript, QLocale.Country.China)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def apply_language(lang: str | None) -> str:
    """Set gettext's language and swap Qt's base translator; returns the normalised code."""
    lang = i18n.set_language(lang)
    QLocale.setDefault(qt_locale(lang))
    app = QCoreApplication.instance()
    if app is None:
        return lang
    while _installed:
        app.removeTranslator(_installed.pop())
    qt_name = _QT_LOCALES.get(lang)
    if qt_name:
        translator = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(f"qtbase_{qt_name}", folder):
            app.installTranslator(translator)
            _installed.append(translator)
    return lang
