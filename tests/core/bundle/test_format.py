"""Canonical JSON (JCS for our value set), strict parsing, key id and fingerprint."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cpaudit.bundle import format as fmt


def test_canonical_json_matches_jcs_for_our_values():
    value = {"b": [1, True, None], "a": "é\n\"\\\u001f\u2028", "c": {"z": "", "y": Decimal("1.50")}}
    assert fmt.canonical_bytes(value) == '{"a":"é\\n\\"\\\\\\u001f\u2028","b":[1,true,null],"c":{"y":"1.50","z":""}}'.encode()


@pytest.mark.parametrize("bad", [{"x": 1.5}, {"键": 1}, {"x": 2**53}, {"x": float("nan")}])
def test_canonical_json_refuses_what_other_languages_would_write_differently(bad):
    with pytest.raises(fmt.NotCanonical):
        fmt.canonical_bytes(bad)


def test_strict_parse_refuses_duplicate_keys_and_nan():
    with pytest.raises(ValueError):
        fmt.loads_strict(b'{"a":1,"a":2}')
    with pytest.raises(ValueError):
        fmt.loads_strict(b'{"a":NaN}')


def test_key_id_and_fingerprint():
    public = bytes(range(32))
    assert fmt.key_id_of(public) == "630DCD2966C43366"
    fp = fmt.fingerprint_of(public)
    assert len(fp.split("-")) == 8 and all(len(g) == 4 for g in fp.split("-"))
