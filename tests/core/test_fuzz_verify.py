"""A short, seeded run of the verifier fuzzer (the 100,000-input run is documented in docs/quality.md)."""

from __future__ import annotations

import os

from cpaudit._dev.fuzz_verify import run


def test_verifier_survives_mutated_bundles():
    stats = run(int(os.environ.get("CPAUDIT_FUZZ_INPUTS", "3000")), seed=7, report_every=0)
    assert stats["crashes"] == 0  # no exception, no mutated file accepted
    assert stats["memory"] == 0 and stats["writes"] == 0
    assert stats["rejected"] + stats["valid_unchanged"] == stats["inputs"] > 0
