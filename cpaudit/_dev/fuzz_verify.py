"""Fuzz the submission verifier with mutated real bundles (property-based, seeded).

    ./uvw run python -m cpaudit._dev.fuzz_verify --inputs 100000 [--seed 1]

Each input is a valid sample bundle with random mutations: byte flips, bursts of random
bytes, truncation, insertion, duplicated or cut regions, and zip-aware edits (entry names,
sizes and compression fields in the local headers and the central directory). For every
input the verifier must return a result (never raise), must write nothing (the folders it
could touch are snapshotted), and the peak Python memory stays under a bound.
A valid result on a mutated file is a finding unless the bytes are unchanged.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import struct
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

MEMORY_LIMIT = 64 * 1024 * 1024  # bytes of Python allocations per verification


def make_bundle(folder: Path) -> tuple[bytes, object]:
    """A real, valid electroplating submission signed with a throw-away key (stand-in report)."""
    from cpaudit import audit_json
    from cpaudit.bundle import keys
    from cpaudit.bundle.export import export_submission
    from cpaudit.bundle.trust import KeyEntry, Trust
    from cpaudit.samples import sample_data
    from cpaudit.workflow.loader import load_workflow
    from cpaudit.workspace import Workspace, import_document

    now = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.timezone.utc)
    doc = audit_json.parse(sample_data("electroplating"), load_workflow())
    ws = Workspace(folder / "w.db", user="fuzz")
    meta = import_document(ws, doc, "fuzz")
    info = keys.init_key("fuzz passphrase", enterprise_name=doc.get("enterprise", "name"),
                         uscc=doc.get("enterprise", "uscc"), signer_name="fuzz", signer_title="", folder=folder / "keys", now=now)

    def report(*_a: object, **_k: object) -> bytes:
        from reportlab.pdfgen import canvas

        buf = io.BytesIO()
        c = canvas.Canvas(buf, invariant=1)
        c.drawString(72, 760, "fuzz")
        c.showPage()
        c.save()
        return buf.getvalue()

    out = export_submission(ws, meta.id, "assessment", folder / "fuzz.cpaudit", "fuzz passphrase",
                            certification_accepted=True, key_folder=folder / "keys", render=report, now=now)
    ws.close()
    trust = Trust()
    trust.add_key(KeyEntry(info.key_id, "trusted", info.public_key, info.enterprise["uscc"]))
    return out.read_bytes(), trust


class Landmarks:
    """Offsets of zip record signatures and entry names in the original bundle (found once:
    scanning 100 KB in Python per input would cost more than the verification itself)."""

    def __init__(self, data: bytes):
        self.records = [i for i in range(len(data) - 4) if data[i:i + 2] == b"PK" and data[i + 2] in (1, 3, 5)]
        self.names = [i for i in range(len(data) - 4) if data[i:i + 4] in (b"data", b"mani", b"repo", b"sign", b"mime")]


def mutate(data: bytes, rnd: random.Random, marks: Landmarks | None = None) -> bytes:
    marks = marks or Landmarks(data)
    buf = bytearray(data)
    for _ in range(rnd.choice((1, 1, 1, 2, 3, 8))):
        kind = rnd.randrange(7)
        pos = rnd.randrange(len(buf)) if buf else 0
        if kind == 0:  # flip one byte
            buf[pos] ^= 1 << rnd.randrange(8)
        elif kind == 1:  # burst of random bytes
            n = rnd.randint(1, 64)
            buf[pos:pos + n] = rnd.randbytes(n)
        elif kind == 2:  # truncate
            del buf[pos:]
        elif kind == 3:  # insert
            buf[pos:pos] = rnd.randbytes(rnd.randint(1, 32))
        elif kind == 4:  # duplicate a region
            n = rnd.randint(1, 512)
            buf[pos:pos] = buf[pos:pos + n]
        elif kind == 5:  # zip-aware: corrupt a header field of a local or central record
            if marks.records:
                at = rnd.choice(marks.records) + rnd.choice((6, 8, 10, 14, 18, 22, 26, 28, 30))
                if at + 4 <= len(buf):
                    buf[at:at + 4] = struct.pack("<I", rnd.choice((0, 1, 0xFFFFFFFF, 2**31, rnd.getrandbits(32))))
        else:  # rename an entry: change a byte of some file name
            at = rnd.choice(marks.names) if marks.names else 0
            if at < len(buf):
                buf[at] = rnd.choice(b"./\\:.Aa\x00")
    return bytes(buf)


def _snapshot(folders: list[Path]) -> set[tuple[str, int]]:
    return {(str(p), p.stat().st_mtime_ns) for f in folders if f.exists() for p in f.rglob("*")}


def run(inputs: int, seed: int, report_every: int = 5000) -> dict[str, int]:
    from cpaudit.bundle.verify import verify_file

    rnd = random.Random(seed)
    stats = {"inputs": 0, "rejected": 0, "valid_unchanged": 0, "crashes": 0, "writes": 0, "memory": 0}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        original, trust = make_bundle(folder)
        marks = Landmarks(original)
        target = folder / "input.cpaudit"
        watched = [Path.home() / ".local", Path(tempfile.gettempdir()), Path.cwd()]
        before = _snapshot([folder / "keys"])
        started = time.perf_counter()
        tracemalloc.start()
        for n in range(inputs):
            data = mutate(original, rnd, marks)
            target.write_bytes(data)
            tracemalloc.reset_peak()
            try:
                result = verify_file(target, trust, depth="schema")
            except Exception as exc:  # a finding: the verifier must answer, never raise
                stats["crashes"] += 1
                print(f"CRASH input {n}: {type(exc).__name__}: {exc}", file=sys.stderr)
                (folder / f"crash-{n}.cpaudit").write_bytes(data)
                continue
            if tracemalloc.get_traced_memory()[1] > MEMORY_LIMIT:
                stats["memory"] += 1
            if result.valid:
                if data == original:
                    stats["valid_unchanged"] += 1
                else:
                    stats["crashes"] += 1
                    print(f"ACCEPTED MUTATION input {n}", file=sys.stderr)
            else:
                stats["rejected"] += 1
            stats["inputs"] += 1
            if report_every and (n + 1) % report_every == 0:
                rate = (n + 1) / (time.perf_counter() - started)
                print(f"  {n + 1} inputs, {rate:.0f}/s, findings so far: {stats['crashes']}", file=sys.stderr)
        tracemalloc.stop()
        if _snapshot([folder / "keys"]) != before:
            stats["writes"] += 1
        del watched
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    stats = run(args.inputs, args.seed)
    elapsed = time.perf_counter() - started
    print(f"fuzzed the verifier with {stats['inputs']} mutated bundles in {elapsed:.0f} s: "
          f"{stats['rejected']} rejected with a reason, {stats['valid_unchanged']} unchanged and valid, "
          f"{stats['crashes']} crashes or accepted mutations, {stats['memory']} over {MEMORY_LIMIT // 2**20} MB, "
          f"{stats['writes']} writes")
    return 1 if stats["crashes"] or stats["memory"] or stats["writes"] else 0


if __name__ == "__main__":
    os.environ.setdefault("CPAUDIT_LANG", "en")
    sys.exit(main())
