# SPDX-License-Identifier: Apache-2.0
"""The application style sheet: typography of pages and the invalid-field frame (GUI layer).

Widgets carry a ``role``/``invalid``/``computed`` property; the look lives here,
once, instead of in scattered ``setStyleSheet`` calls. Colours match ``step_state``.
"""

from cpaudit.gui.step_state import COLOURS

STYLE_SHEET = f"""
QLabel[role="title"] {{ font-size: 17pt; font-weight: 600; }}
QLabel[role="phase"] {{ color: #607d8b; font-size: 10pt; }}
QLabel[role="help"] {{ color: #5f6368; }}
QLabel[role="audit_title"] {{ font-weight: 600; font-size: 11pt; padding: 2px 0 4px 2px; }}
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QDateEdit[invalid="true"] {{
    border: 1px solid {COLOURS["errors"]}; border-radius: 2px; background: #fffafa; padding: 2px;
}}
QLineEdit[computed="true"] {{ background: #f3f4f6; color: #37474f; }}
QTreeView#step_tree::item {{ padding: 3px 0; }}
"""
