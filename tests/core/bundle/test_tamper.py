"""Every changed byte is caught, with a named reason; so are re-signed forgeries."""

from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path

import pytest
from bundle_helpers import PASSPHRASE

from cpaudit.bundle import format as fmt
from cpaudit.bundle.reasons import reason_text
from cpaudit.bundle.verify import verify_file


def _data_ranges(path: Path) -> dict[str, tuple[int, int]]:
    """name → (start, end) of the stored bytes of each entry inside the zip."""
    raw = path.read_bytes()
    out = {}
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            n, e = struct.unpack("<HH", raw[info.header_offset + 26:info.header_offset + 30])
            start = info.header_offset + 30 + n + e
            out[info.filename] = (start, start + info.compress_size)
    return out


def _positions(start: int, end: int, count: int = 5) -> list[int]:
    if end - start <= count:
        return list(range(start, end))
    return sorted({start + (end - 1 - start) * i // (count - 1) for i in range(count)})


def test_a_flipped_byte_anywhere_is_rejected_with_a_named_reason(setup, bundle, tmp_path):
    assert verify_file(bundle, setup.trust()).valid
    raw = bundle.read_bytes()
    ranges = _data_ranges(bundle)
    assert set(ranges) >= {fmt.E_MIMETYPE, fmt.E_MANIFEST, fmt.E_SIGNATURE, fmt.E_AUDIT, fmt.E_JOURNAL, fmt.E_FIGURES, fmt.E_REPORT}
    positions = [(name, p) for name, (a, b) in ranges.items() for p in _positions(a, b)]
    # plus the zip structure itself: a local header, the central directory, the end record
    positions += [("local header", 5), ("central directory", len(raw) - 60), ("end record", len(raw) - 10)]
    tampered = tmp_path / "t.cpaudit"
    for name, pos in positions:
        data = bytearray(raw)
        data[pos] ^= 0x01
        tampered.write_bytes(bytes(data))
        result = verify_file(tampered, setup.trust())
        assert not result.valid, (name, pos)
        code = result.reason.code
        assert reason_text(code) != code, f"{name}@{pos}: unnamed reason {code}"


def _rewrite(src: Path, dst: Path, change) -> None:
    """Copy the bundle entry by entry, letting ``change(name, data)`` replace contents."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info, data)


def _resign(manifest: dict, key) -> tuple[bytes, bytes]:
    raw = fmt.canonical_bytes(manifest)
    return raw, key.sign(fmt.signature_input(raw))


def test_changed_figures_are_caught_even_when_rehashed_and_resigned(setup, bundle, tmp_path):
    """An insider with the key edits a stored figure: hashes and signature fit, the recomputation does not."""
    from cpaudit.bundle import keys

    key = keys.unlock(PASSPHRASE, setup.key_folder)
    with zipfile.ZipFile(bundle) as zf:
        manifest = json.loads(zf.read(fmt.E_MANIFEST))
        figures = json.loads(zf.read(fmt.E_FIGURES))
    section = sorted(figures)[0]
    figures[section] = {"forged": "1"}
    new_figures = fmt.canonical_bytes(figures)
    for f in manifest["files"]:
        if f["path"] == fmt.E_FIGURES:
            f.update(sha256=fmt.sha256_hex(new_figures), size=len(new_figures))
    raw, sig = _resign(manifest, key)
    out = tmp_path / "forged.cpaudit"
    _rewrite(bundle, out, lambda name, data: {fmt.E_FIGURES: new_figures, fmt.E_MANIFEST: raw, fmt.E_SIGNATURE: sig}.get(name, data))
    result = verify_file(out, setup.trust())
    assert result.reason.code == "figures_mismatch" and section in result.reason.detail
    assert verify_file(out, setup.trust(), depth="schema").valid  # the quick check says so by not recomputing


def test_an_extra_entry_or_a_missing_one_is_rejected(setup, bundle, tmp_path):
    extra = tmp_path / "extra.cpaudit"
    _rewrite(bundle, extra, lambda name, data: data)
    with zipfile.ZipFile(extra, "a") as zf:
        zf.writestr("data/notes.txt", b"hello")
    assert verify_file(extra, setup.trust()).reason.code == "entry_unlisted"
    missing = tmp_path / "missing.cpaudit"
    _rewrite(bundle, missing, lambda name, data: None if name == fmt.E_JOURNAL else data)
    assert verify_file(missing, setup.trust()).reason.code == "entry_missing"


def test_a_manifest_rewritten_in_another_json_form_is_rejected(setup, bundle, tmp_path):
    with zipfile.ZipFile(bundle) as zf:
        manifest = json.loads(zf.read(fmt.E_MANIFEST))
    pretty = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
    out = tmp_path / "pretty.cpaudit"
    _rewrite(bundle, out, lambda name, data: pretty if name == fmt.E_MANIFEST else data)
    assert verify_file(out, setup.trust()).reason.code == "manifest_not_canonical"
