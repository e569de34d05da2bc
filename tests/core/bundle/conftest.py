"""Fixtures for the signed submission tests.

Module-scoped where the work is slow (scrypt, PAdES), with explicit folders
instead of the per-test CPAUDIT_HOME, so nothing leaks between tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_helpers import Setup, make_setup


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory):
    s = make_setup(tmp_path_factory.mktemp("bundle"))
    yield s
    s.ws.close()


@pytest.fixture(scope="module")
def bundle(setup: Setup) -> Path:
    """One valid submission file (mini report), shared read-only by the tamper and trust tests."""
    return setup.export(setup.home / "sample.cpaudit")
