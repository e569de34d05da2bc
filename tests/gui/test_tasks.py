"""Background tasks report back on the GUI thread, successes and failures alike."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject

from cpaudit.gui.tasks import run_task


def test_result_arrives_on_the_gui_thread(qtbot) -> None:
    parent = QObject()
    worker_threads: list[threading.Thread] = []
    seen: list[tuple[int, bool]] = []

    def work() -> int:
        worker_threads.append(threading.current_thread())
        return 6 * 7

    task = run_task(parent, work).success(lambda r: seen.append((r, threading.current_thread() is threading.main_thread())))
    with qtbot.waitSignal(task.reporter.done, timeout=5000):
        task.start()
    assert seen == [(42, True)]
    assert worker_threads and worker_threads[0] is not threading.main_thread()


def test_failure_is_reported_not_lost(qtbot) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        raise ValueError("bad bundle")

    task = run_task(None, work).success(lambda r: pytest.fail("no success expected")).failure(errors.append)
    with qtbot.waitSignal(task.reporter.failed, timeout=5000):
        task.start()
    assert len(errors) == 1 and str(errors[0]) == "bad bundle"


def test_a_file_the_system_refused_is_said_in_words_under_the_name_the_user_chose(qtbot) -> None:
    """A backup into a missing folder said "[Errno 2] No such file or directory: '…/x.zip.partial'"."""
    import errno

    from cpaudit.gui.background import show_failure

    box = show_failure(None, FileNotFoundError(errno.ENOENT, "No such file or directory", "/media/usb/x.zip.partial"))
    qtbot.addWidget(box)
    assert box.text() == "无法使用 /media/usb/x.zip：文件夹不存在" or ("/media/usb/x.zip：" in box.text() and "Errno" not in box.text())
    assert ".partial" not in box.text()
