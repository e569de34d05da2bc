"""Trainer mode (issue 8): the sandbox, the guided tour, exercises with model answers.

Qt-free like the rest of the core; ``cpaudit.gui.training`` shows it.
"""
