# SPDX-License-Identifier: Apache-2.0
"""Translated labels and colours of the inspector's states, in ONE place (GUI layer).

Colours reuse ``step_state.COLOURS`` so red, orange, blue and green mean the
same here as on the enterprise's pages: red refused/failed, orange needs a
look (stale, untrusted, returned), blue in progress, green accepted/passed.
"""

from __future__ import annotations

from typing import Any

from cpaudit import formatting
from cpaudit.gui.step_state import COLOURS
from cpaudit.i18n import _
from cpaudit.review import scoring
from cpaudit.review.dashboard import stage_label, status_label
from cpaudit.review.importer import ALREADY, IMPORTED, REJECTED, STALE
from cpaudit.workflow.validate import COMPLETE, EMPTY, ERRORS, INCOMPLETE, WARNINGS

__all__ = ["stage_label", "status_label", "trust_label", "chain_label", "import_colour", "status_colour",
           "decision_text", "when", "trust_colour"]


def trust_label(state: str, via: str) -> str:
    """How far the signature is trusted, standing alone ("Trusted (registry)", zh "受信任（备案名录）")."""
    text = {"trusted": _("Trusted"), "untrusted": _("Not trusted"), "revoked": _("Revoked"),
            "unknown": _("Unknown signer")}.get(state, state)
    how = {"registry": _("registry"), "certificate": _("bureau certificate"), "demo": _("demo key"),
           "tofu": _("first sight"), "own-key": _("own key")}.get(via, via)
    return _("{state} ({how})").format(state=text, how=how) if how else text


def trust_colour(state: str, via: str) -> str:
    if state != "trusted":
        return COLOURS[ERRORS]
    return COLOURS[WARNINGS] if via in ("demo", "tofu") else COLOURS[COMPLETE]


def chain_label(chain_state: str) -> str:
    return {"current": "", "stale": _("stale revision"), "superseded": _("superseded")}.get(chain_state, chain_state)


def status_colour(status: str) -> str:
    return {"received": COLOURS[EMPTY], "in_review": COLOURS[INCOMPLETE], "returned": COLOURS[WARNINGS],
            "passed": COLOURS[COMPLETE], "failed": COLOURS[ERRORS]}.get(status, COLOURS[EMPTY])


def import_colour(status: str) -> str:
    return {IMPORTED: COLOURS[COMPLETE], ALREADY: COLOURS[EMPTY], STALE: COLOURS[WARNINGS],
            REJECTED: COLOURS[ERRORS]}[status]


def decision_text(stage: str, decision: str | None) -> str:
    return scoring.decision_label(stage, decision) if decision else ""


def when(iso_text: Any) -> str:
    """Local date and minute of a stored timestamp."""
    try:
        moment = formatting.local_moment(str(iso_text))
    except ValueError:
        return str(iso_text or "")
    return f"{formatting.date(moment.date())} {moment:%H:%M}"
