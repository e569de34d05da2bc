# SPDX-License-Identifier: Apache-2.0
"""Trainer mode in the main window: one ``install_training(window)`` call (GUI layer).

Adds the Training menu (guided tour, exercises, presentation mode, the
language shortcut, the sandbox), marks a sandbox window DEMO / 演示 in its
title, and keeps all of it translated when the language is switched.
"""

from __future__ import annotations

from cpaudit.gui.training.install import TrainingMode, install_training

__all__ = ["TrainingMode", "install_training"]
