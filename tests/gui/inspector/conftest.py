"""Fixtures for the inspector GUI: enterprises with real signed files (module scope: scrypt is slow), factory windows."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

sys.path.insert(0, str(Path(__file__).parents[2] / "core" / "review"))

from review_helpers import Enterprise, make_enterprise, tamper  # noqa: E402

from cpaudit.clock import FixedClock  # noqa: E402
from cpaudit.domain.changes import SetField  # noqa: E402


@dataclass
class Files:
    """Signed files of two enterprises: plating r1 and r2 (r2 after an edit), a tampered r2, and coking r1."""

    plating: Enterprise
    coking: Enterprise
    r1: Path
    r2: Path
    tampered: Path
    coking_r1: Path
    request: Path
    folder: Path  # r2, tampered r2, a duplicate of r2, coking (unknown signer)


@pytest.fixture(scope="package")
def files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Files]:
    root = tmp_path_factory.mktemp("inspector-files")
    plating = make_enterprise(root / "plating", "electroplating")
    coking = make_enterprise(root / "coking", "coking")
    r1 = plating.export(root / "out" / "plating_r1.cpaudit")
    plating.ws.session(plating.audit_id).apply(SetField("enterprise", "staff", 131))
    r2 = plating.export(root / "out" / "plating_r2.cpaudit")
    folder = root / "inbox"
    folder.mkdir()
    shutil.copy(r2, folder / "a_plating_r2.cpaudit")
    tampered = tamper(r2, folder / "b_tampered.cpaudit")
    shutil.copy(r2, folder / "c_duplicate.cpaudit")
    coking_r1 = coking.export(folder / "d_coking.cpaudit")
    request = plating.request(root / "plating-request.json")
    yield Files(plating, coking, r1, r2, tampered, coking_r1, request, folder)
    plating.ws.close()
    coking.ws.close()


@pytest.fixture
def make_inspector(qtbot: Any, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """``make_inspector(lang=…, training=…)`` → a shown InspectorWindow on a fresh inspector workspace."""
    from cpaudit.gui.inspector.window import InspectorWindow
    from cpaudit.gui.language import apply_language
    from cpaudit.review.inspector import open_inspector

    opened = []

    def make(lang: str = "zh_CN", training: bool = False, name: str = "bureau.db") -> InspectorWindow:
        apply_language(lang)
        clock = FixedClock(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone.utc))
        ws = open_inspector(tmp_path / name, training=training, clock=clock, user="inspector")
        opened.append(ws)
        window = InspectorWindow(ws, bureau_key_folder=tmp_path / "bureau-key")
        qtbot.addWidget(window)
        window.resize(1400, 860)
        window.show()
        window.start()
        return window

    yield make
    for ws in opened:
        ws.close()


def wait_import(qtbot: Any, window: Any, paths: list[Path]) -> dict[str, str]:
    with qtbot.waitSignal(window.import_panel.finished, timeout=60_000):
        window.import_paths(paths)
    return window.import_panel.statuses()


def trust_plating(window: Any, files: Files) -> None:
    from cpaudit.review import registry

    registry.add_request(window.workspace, files.request, confirm_fingerprint=files.plating.info.fingerprint)
