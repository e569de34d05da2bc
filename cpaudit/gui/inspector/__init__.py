# SPDX-License-Identifier: Apache-2.0
"""The inspector's GUI (issue 7) over the Qt-free ``cpaudit.review`` core.

- ``window``: the inspector window (submissions, import, dashboard, review tabs).
- ``submissions``: the list of received submissions with filters.
- ``import_panel``: background import with progress, cancel and a per-file result list.
- ``trust_dialog``: the trust registry (registration requests, fingerprint check, revoke).
- ``review_page`` / ``review_panels``: one submission read-only, checks, evidence, report, diff, comments.
- ``scoring_panel`` / ``answer_dialog``: the scoring sheet, the decision and the signed answer file.
- ``dashboard_view`` / ``bar_chart``: the city dashboard.
- ``enterprise_answers``: the enterprise side (File ▸ Import bureau answer…, comments on fields).
"""
