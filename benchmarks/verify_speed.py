"""Submission files verified per second on one core, next to the raw limit for the same bytes.

    uv run python benchmarks/verify_speed.py [--seconds 3]

For every complete shipped sample it exports one signed file (with a small
stand-in report, so the PDF size is not what is measured: pass --real-report
for the real one) and prints, per verification depth:
  integrity  mimetype, manifest, Ed25519 signature, trust, every SHA-256
  schema     + audit data parsed against the workflow, journal, policy checks
  full       + every figure recomputed and compared (what `cpaudit verify` does)
and the raw limit: inflate + SHA-256 of every entry + one Ed25519 verify + JSON
parse of manifest and audit data, with nothing else.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: the repo for `benchmarks`
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "core" / "bundle"))

from benchmarks.bundle_throughput import raw_limit  # noqa: E402  (one definition of the raw limit)


def rate(fn, seconds: float) -> float:
    from cpaudit.workflow import validate

    fn()  # warm caches (workflow, imports) as a long-running inspector app would have them
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        # ... but not the per-row validation results: files of different enterprises share no rows.
        validate.forget_checked_rows()
        fn()
        n += 1
    return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--real-report", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    from bundle_helpers import complete_samples, make_setup, mini_report

    from cpaudit.bundle.export import _default_renderer
    from cpaudit.bundle.verify import verify_file

    print(f"{'sample':<16}{'size':>9}  {'integrity/s':>12}{'schema/s':>10}{'full/s':>8}  {'raw limit/s':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in complete_samples():
            s = make_setup(Path(tmp) / name, name)
            out = s.export(Path(tmp) / f"{name}.cpaudit", render=_default_renderer() if args.real_report else mini_report)
            trust = s.trust()
            assert verify_file(out, trust).valid
            rates = [rate(lambda d=d: verify_file(out, trust, depth=d), args.seconds) for d in ("integrity", "schema", "full")]
            limit = rate(lambda: raw_limit(out), args.seconds)
            print(f"{name:<16}{out.stat().st_size // 1024:>7}KB  {rates[0]:>12.0f}{rates[1]:>10.1f}{rates[2]:>8.1f}  {limit:>12.0f}")
            s.ws.close()


if __name__ == "__main__":
    main()
