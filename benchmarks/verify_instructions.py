"""Instructions per verification, counted by valgrind: a figure that does not move with the machine's load.

    ./uvw run python -m benchmarks.verify_instructions [--sample electroplating] [--depth full]

Wall-clock rates on a shared VM vary by ±20 % between runs, too much to see a
10 % change; callgrind's instruction count is the same on every run. Each
(sample, depth) runs the verifier under callgrind twice, with 0 and with N
verifications after the same start-up, and prints the difference ÷ N. The
per-row validation cache is cleared before each verification, as for files of
different enterprises. Needs valgrind (``apt-get install valgrind``); slow
(≈ 30 s per run).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 5


def child(path: Path, key_file: Path, depth: str, count: int) -> None:
    """Run under callgrind: verify ``path`` once to warm up, then ``count`` times."""
    from cpaudit.bundle.trust import KeyEntry, Trust
    from cpaudit.bundle.verify import verify_file
    from cpaudit.workflow import validate

    key = json.loads(key_file.read_text(encoding="utf-8"))
    trust = Trust()
    trust.add_key(KeyEntry(key["key_id"], "trusted", bytes.fromhex(key["public_key"]), key["uscc"]))
    assert verify_file(path, trust).valid
    for _ in range(count):
        validate.forget_checked_rows()
        verify_file(path, trust, depth=depth)


def instructions(path: Path, key_file: Path, depth: str, count: int) -> int:
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-m",
         "benchmarks.verify_instructions", "--child", str(path), str(key_file), depth, str(count)],
        cwd=ROOT, capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    match = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if match is None:
        raise SystemExit(f"callgrind printed no count:\n{out.stderr[-2000:]}")
    return int(match.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", action="append", help="a complete shipped sample (default: all)")
    parser.add_argument("--depth", action="append", choices=("integrity", "schema", "full"))
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        path, key_file, depth, count = args.child
        child(Path(path), Path(key_file), depth, int(count))
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    sys.path.insert(0, str(ROOT / "tests" / "core" / "bundle"))
    from bundle_helpers import complete_samples, make_setup, mini_report

    print(f"{'sample':<16}{'depth':<11}{'M instructions per verification':>32}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sample or complete_samples():
            s = make_setup(Path(tmp) / name, name)
            out = s.export(Path(tmp) / f"{name}.cpaudit", render=mini_report)
            key_file = Path(tmp) / f"{name}.key.json"
            key_file.write_text(json.dumps({"key_id": s.info.key_id, "public_key": s.info.public_key.hex(),
                                            "uscc": s.info.enterprise["uscc"]}), encoding="utf-8")
            s.ws.close()
            for depth in args.depth or ("integrity", "schema", "full"):
                extra = instructions(out, key_file, depth, REPEATS) - instructions(out, key_file, depth, 0)
                print(f"{name:<16}{depth:<11}{extra / REPEATS / 1e6:>32.1f}", flush=True)


if __name__ == "__main__":
    main()
