"""Export (sign) time, and verify and import throughput over many distinct bundles, next to
the raw SHA-256 + Ed25519 + JSON-parse limit for the same bytes (goal ≥ 1/3 of it, ≥ 200/s).

    ./uvw run python -m benchmarks.bundle_throughput [--count 1000]

Bundles: the electroplating sample as `count` distinct audits (rounds 1…count), signed with
one key; the report inside is a one-page stand-in so that what is measured is the
submission machinery (the real report's time is benchmarks/report_speed.py). One core.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "core" / "bundle"))


def raw_limit(path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from cpaudit.bundle import format as fmt

    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            hashlib.sha256(zf.read(info)).digest()
        manifest = zf.read(fmt.E_MANIFEST)
        data = json.loads(manifest)
        json.loads(zf.read(fmt.E_AUDIT))
        ed25519.Ed25519PublicKey.from_public_bytes(fmt.unb64(data["signer"]["public_key"])).verify(
            zf.read(fmt.E_SIGNATURE), fmt.signature_input(manifest))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from bundle_helpers import PASSPHRASE, make_setup, mini_report

    from cpaudit.bundle import keys
    from cpaudit.bundle.export import write_submission
    from cpaudit.bundle.verify import verify_file
    from cpaudit.report.build import build_report
    from cpaudit.review.importer import import_paths
    from cpaudit.review.inspector import open_inspector
    from cpaudit.store import journal as journal_store

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        setup = make_setup(home)
        key = keys.unlock(PASSPHRASE, setup.key_folder)
        doc = setup.ws.document(setup.audit_id)
        wf = setup.ws.session(setup.audit_id).workflow
        journal = list(journal_store.iter_journal(setup.ws.db, setup.audit_id))
        now = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.timezone.utc)

        # Export (sign) with the real report, as an enterprise does it.
        export_times = []
        for _ in range(3):
            started = time.perf_counter()
            write_submission(doc, wf, "assessment", key, journal=journal, revision=1, supersedes=None, lang="zh_CN",
                             render=build_report, now=now)
            export_times.append(time.perf_counter() - started)

        folder = home / "bundles"
        folder.mkdir()
        started = time.perf_counter()
        for n in range(args.count):
            d = copy.deepcopy(doc)
            d.meta.id, d.meta.round = f"{n:032x}", n + 1
            (folder / f"{n:05d}.cpaudit").write_bytes(write_submission(
                d, wf, "assessment", key, journal=journal, revision=1, supersedes=None, lang="zh_CN",
                render=mini_report, now=now))
        made = time.perf_counter() - started
        files = sorted(folder.glob("*.cpaudit"))
        trust = setup.trust()

        def rate(fn) -> float:
            from cpaudit.workflow import validate

            t = time.perf_counter()
            for f in files:
                validate.forget_checked_rows()  # the copies share their rows; real enterprises' files do not
                fn(f)
            return len(files) / (time.perf_counter() - t)

        raw = rate(raw_limit)
        integrity = rate(lambda f: verify_file(f, trust, depth="integrity"))
        full = rate(lambda f: verify_file(f, trust, depth="full"))
        inspector = open_inspector(home / "inspector.db", training=False)
        t = time.perf_counter()
        outcomes = import_paths(inspector, files, trust=trust)
        imported = len(files) / (time.perf_counter() - t)
        statuses = {o.status for o in outcomes}
        inspector.close()
    print(f"export (sign) with the real report: median {statistics.median(export_times):.2f} s "
          f"(report + PAdES + manifest + Ed25519)")
    print(f"{len(files)} distinct bundles made in {made:.0f} s")
    print(f"raw limit (inflate + SHA-256 + Ed25519 + JSON parse): {raw:.0f}/s")
    print(f"verify, integrity depth: {integrity:.0f}/s ({integrity / raw:.2f} of raw; goal ≥ 1/3 and ≥ 200/s)")
    print(f"verify, full depth (figures recomputed): {full:.1f}/s")
    print(f"inspector import (full verify + store): {imported:.1f}/s, statuses {sorted(statuses)}")
    print("  reproduce: ./uvw run python -m benchmarks.bundle_throughput")


if __name__ == "__main__":
    main()
