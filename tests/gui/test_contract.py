"""A page or editor class that leaves out a method of its base's contract is refused when it is defined."""

from __future__ import annotations

import pytest

from cpaudit.gui.fields.base import FieldEditor
from cpaudit.gui.pages.base import StepPage


def test_a_page_without_load_and_focus_field_is_refused_at_definition():
    with pytest.raises(TypeError, match="Half must define load, focus_field"):
        class Half(StepPage):
            def collect(self):
                return {}

            def refresh(self, changeset):
                pass


def test_an_editor_without_set_value_is_refused_and_a_complete_one_is_accepted():
    with pytest.raises(TypeError, match="Mute must define set_value"):
        class Mute(FieldEditor):
            pass

    class Echo(FieldEditor):
        def set_value(self, value):
            self.value = value

    assert Echo.set_value is not FieldEditor.set_value
