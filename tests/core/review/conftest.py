"""Fixtures for the inspector tests: module-scoped enterprises and their exported files (scrypt and PAdES are slow)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from review_helpers import Enterprise, make_enterprise  # noqa: E402


@pytest.fixture(scope="module")
def plating(tmp_path_factory: pytest.TempPathFactory) -> Enterprise:
    e = make_enterprise(tmp_path_factory.mktemp("plating"), "electroplating")
    yield e
    e.ws.close()


@pytest.fixture(scope="module")
def coking(tmp_path_factory: pytest.TempPathFactory) -> Enterprise:
    e = make_enterprise(tmp_path_factory.mktemp("coking"), "coking")
    yield e
    e.ws.close()
