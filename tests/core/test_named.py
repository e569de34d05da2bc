"""The name tables of computed functions, rules and figure sections."""

from __future__ import annotations

import pytest

from cpaudit.calc.registry import known_functions
from cpaudit.domain.named import Named
from cpaudit.figures import section_names
from cpaudit.workflow.rules import known_rules


def test_modules_are_loaded_on_first_lookup_only():
    loads: list[str] = []
    table: Named = Named("thing", lambda: loads.append("loaded"))
    table.register("b")(len)
    table.register("a")(abs)
    assert loads == []
    assert table.names() == ["a", "b"] and table["a"] is abs
    assert loads == ["loaded"]


def test_a_name_taken_by_another_function_is_refused():
    table: Named = Named("rule", lambda: None)
    table.register("x")(len)
    table.register("x")(len)  # the same function again (a module imported twice) is harmless
    with pytest.raises(ValueError, match="rule 'x' registered twice"):
        table.register("x")(abs)
    with pytest.raises(KeyError):
        table["y"]


def test_the_three_tables_are_filled_by_their_modules():
    assert {"sum_column", "copy_value"} <= known_functions()
    assert {"balance_closure", "date_order"} <= known_rules()
    assert "economics" in section_names() and "gates" in section_names()
