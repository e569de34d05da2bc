# SPDX-License-Identifier: Apache-2.0
"""How a step state and an issue severity look, in ONE place (GUI layer).

The navigator, the page header and the inline field messages all take their
icon and colour from here, so "red" always means an error that blocks
submission, "orange" a warning to justify, "blue" started but incomplete,
"grey" untouched and "green" complete (a light-grey hourglass: not checked yet).
"""

from __future__ import annotations

import qtawesome
from PySide6.QtGui import QColor, QIcon

from cpaudit.i18n import N_, _
from cpaudit.workflow.validate import COMPLETE, EMPTY, ERRORS, INCOMPLETE, WARNINGS

# Not a state of the audit: the navigator shows it until a step has been checked
# (a large audit's steps are checked in idle time after it opens).
PENDING = "pending"

COLOURS = {
    PENDING: "#bdbdbd",
    ERRORS: "#c62828",
    WARNINGS: "#e65100",
    INCOMPLETE: "#1565c0",
    EMPTY: "#9e9e9e",
    COMPLETE: "#2e7d32",
}
_ICONS = {
    PENDING: "fa6s.hourglass-half",
    ERRORS: "fa6s.circle-xmark",
    WARNINGS: "fa6s.triangle-exclamation",
    INCOMPLETE: "fa6s.circle-half-stroke",
    EMPTY: "fa5.circle",
    COMPLETE: "fa6s.circle-check",
}
_LABELS = {
    PENDING: N_("Being checked…"),
    ERRORS: N_("Has errors"),
    WARNINGS: N_("Warnings to justify"),
    INCOMPLETE: N_("Incomplete"),
    EMPTY: N_("Not started"),
    COMPLETE: N_("Complete"),
}
# Issue severities borrow the state colours so a red message and a red step agree.
SEVERITY_STATE = {"error": ERRORS, "warning": WARNINGS, "info": INCOMPLETE}


def state_icon(state: str) -> QIcon:
    return qtawesome.icon(_ICONS[state], color=COLOURS[state])


def state_colour(state: str) -> QColor:
    return QColor(COLOURS[state])


def state_label(state: str) -> str:
    return _(_LABELS[state])


def severity_colour(severity: str) -> str:
    return COLOURS[SEVERITY_STATE.get(severity, ERRORS)]


def severity_icon(severity: str) -> QIcon:
    return state_icon(SEVERITY_STATE.get(severity, ERRORS))
