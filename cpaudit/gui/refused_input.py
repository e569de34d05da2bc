# SPDX-License-Identifier: Apache-2.0
"""Input the core refused: said in the status bar, and asked about before it is thrown away (GUI layer).

A refused entry stays on screen in red so nothing typed vanishes, but it is NOT
saved: the stored value is unchanged. Left at that, the red text read as an entry
waiting to be saved while the status bar said "All changes saved", and closing
dropped it without a word. So the window counts refused entries, shows them
instead of "saved", and asks before closing or switching audits.
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from cpaudit.gui.step_state import COLOURS
from cpaudit.i18n import _, ngettext
from cpaudit.workflow.validate import ERRORS

GO_TO = "refused:go"
DISCARD = "refused:discard"
LISTED = 5  # messages listed in the question; the rest are counted


def status_html(count: int) -> str:
    """The status bar's text while ``count`` entries are refused, with its two links."""
    said = html.escape(ngettext("{n} entry was refused and is not saved",
                                "{n} entries were refused and are not saved", count).format(n=count))
    show, restore = html.escape(_("Show")), html.escape(_("Restore the saved values"))  # not in the f-string: extracted
    return (f'<span style="color:{COLOURS[ERRORS]}">⚠ {said}</span> · '
            f'<a href="{GO_TO}">{show}</a> · <a href="{DISCARD}">{restore}</a>')


def ask_discard(parent: QWidget, messages: list[str], doing: str) -> bool:
    """True when the user lets the refused entries go (``doing``: what happens next, as a verb phrase
    that ends the go-on button, e.g. "close the window")."""
    box, back = discard_question(parent, messages, doing)
    box.exec()
    return box.clickedButton() is not back


def discard_question(parent: QWidget, messages: list[str], doing: str) -> tuple[QMessageBox, QPushButton]:
    """The question and its go-back button; each button says what it does, not "go on"."""
    box = QMessageBox(QMessageBox.Icon.Warning, doing[:1].upper() + doing[1:], ngettext(
        "{n} entry was refused and is not saved:", "{n} entries were refused and are not saved:",
        len(messages)).format(n=len(messages)), parent=parent)
    listed = "\n".join(f"• {m}" for m in messages[:LISTED])
    if len(messages) > LISTED:
        listed += "\n" + _("… and {n} more").format(n=len(messages) - LISTED)
    box.setInformativeText(listed + "\n\n" + _("The stored values stay as they were. Correct the entries first, "
                                                "or go on without them."))
    back = box.addButton(_("Go back and correct"), QMessageBox.ButtonRole.RejectRole)
    box.addButton(_("Discard these entries and {doing}").format(doing=doing), QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    return box, back
