# SPDX-License-Identifier: Apache-2.0
"""The PySide6 GUI: a thin layer over the Qt-free core.

Importing it first guards against a reference-count defect of the Qt binding
(``_keep_none_alive``), before any Qt method is called.
"""

from __future__ import annotations

import sys


def _keep_none_alive() -> None:
    """PySide6 6.12 hands back ``None`` from every void Qt method without a reference of its own
    (measured: 2,000 calls of ``QLineEdit.update()`` take 2,000 from ``None``'s count). On Python
    3.12+ ``None`` is immortal (PEP 683), so nothing happens; on 3.11 its count, a few thousand at
    start, runs down in a long session and the process aborts with "Fatal Python error:
    none_dealloc: deallocating None" (seen in the test run, and a user would see it after an
    afternoon of typing). Giving ``None`` a count no session can use up is what PEP 683 does."""
    if sys.version_info >= (3, 12):
        return
    import ctypes

    refcount = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt, the first field of every object
    if refcount.value < 1 << 40:
        refcount.value += 1 << 40


_keep_none_alive()
