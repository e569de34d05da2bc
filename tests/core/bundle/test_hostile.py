"""Hostile archives are refused quickly, with a named reason, without writing anything."""

from __future__ import annotations

import io
import os
import stat
import struct
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from cpaudit.bundle import format as fmt
from cpaudit.bundle.verify import verify_file


def _zip(entries: list[tuple[zipfile.ZipInfo | str, bytes]], compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compress) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return buf.getvalue()


def _stored_mimetype() -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(fmt.E_MIMETYPE)
    zi.compress_type = zipfile.ZIP_STORED
    return zi


def _with_mimetype(*entries: tuple[zipfile.ZipInfo | str, bytes]) -> bytes:
    return _zip([(_stored_mimetype(), fmt.MIMETYPE), *entries])


def _symlink() -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo("data/audit.json")
    zi.create_system, zi.external_attr = 3, (stat.S_IFLNK | 0o777) << 16
    return zi


def _patch_declared_size(data: bytes, name: str, size: int) -> bytes:
    """Claim ``size`` bytes for ``name`` in both headers (what a bomb announces); on disk it stays small."""
    out = bytearray(data)
    encoded = name.encode()
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := out.find(sig, at)) >= 0:
            name_at = at + (30 if sig == b"PK\x03\x04" else 46)
            if out[name_at:name_at + len(encoded)] == encoded:
                struct.pack_into("<L", out, at + offset, size)
            at += 4
    return bytes(out)


def _many_entries(n: int) -> bytes:
    """A real archive directory of ``n`` empty entries, written compactly (zip64 end record, as n > 65535 needs)."""
    local, central, offset = bytearray(), bytearray(), 0
    for i in range(n):
        name = f"a/{i}".encode()
        header = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 33, 0, 0, 0, len(name), 0) + name
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 33, 0, 0, 0, len(name), 0, 0, 0, 0, 0, offset) + name
        local += header
        offset += len(header)
    cd_offset, cd_size = len(local), len(central)
    z64 = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, n, n, cd_size, cd_offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, cd_offset + cd_size, 1)
    eocd = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return bytes(local + central + z64 + locator + eocd)


HOSTILE = {
    "zip slip": (lambda: _with_mimetype(("data/../../evil.txt", b"x")), "entry_path_traversal"),
    "absolute path": (lambda: _with_mimetype(("/etc/evil", b"x")), "entry_path_absolute"),
    "windows drive": (lambda: _with_mimetype(("C:/evil", b"x")), "entry_path_absolute"),
    "backslash traversal": (lambda: _with_mimetype(("data\\..\\..\\evil", b"x")), "entry_path_traversal"),
    "symlink": (lambda: _with_mimetype((_symlink(), b"/etc/passwd")), "entry_symlink"),
    "duplicate entry": (lambda: _with_mimetype(("manifest.json", b"{}"), ("manifest.json", b"{}")), "entry_duplicate"),
    "duplicate by case": (lambda: _with_mimetype(("manifest.json", b"{}"), ("MANIFEST.json", b"{}")), "entry_duplicate"),
    "1 GB declared size": (lambda: _patch_declared_size(_with_mimetype(("report/report.pdf", b"%PDF-1.4 small")),
                                                        "report/report.pdf", 1024**3), "entry_too_large"),
    "100,000 entries": (lambda: _many_entries(100_000), "too_many_entries"),
    "deflate bomb": (lambda: _with_mimetype(("data/audit.json", b"\0" * (20 * 1024 * 1024))), "compression_ratio"),
    "encrypted entry": (lambda: _patch_flag(_with_mimetype(("data/audit.json", b"{}"))), "entry_encrypted"),
    "not a zip": (lambda: b"MZ\x90\x00 this is an executable" * 10, "not_a_zip"),
    "trailing bytes": (lambda: _with_mimetype(("manifest.json", b"{}")) + b"#!/bin/sh\n", "archive_comment"),
    "prepended bytes": (lambda: b"junk" + _with_mimetype(("manifest.json", b"{}")), "zip_layout"),
    "no mimetype": (lambda: _zip([("manifest.json", b"{}")]), "mimetype_missing"),
    "compressed mimetype": (lambda: _zip([(fmt.E_MIMETYPE, fmt.MIMETYPE)]), "mimetype_compressed"),
    "wrong mimetype": (lambda: _zip([(_stored_mimetype(), b"application/zip")]), "mimetype_wrong"),
    "no manifest": (lambda: _with_mimetype(("data/audit.json", b"{}")), "manifest_missing"),
    "manifest with duplicate keys": (lambda: _with_mimetype(("manifest.json", b'{"format":1,"format":2}')), "manifest_not_json"),
    "empty file": (lambda: b"", "not_a_zip"),
}


def _patch_flag(data: bytes) -> bytes:
    out = bytearray(data)
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = 0
        while (at := out.find(sig, at)) >= 0:
            if out.find(b"data/audit.json", at) in (at + 30, at + 46):
                out[at + offset] |= 1
            at += 4
    return bytes(out)


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_archive_is_rejected_quickly_with_a_named_reason(case, tmp_path):
    build, expected = HOSTILE[case]
    path = tmp_path / "hostile.cpaudit"
    path.write_bytes(build())
    assert path.stat().st_size < 16 * 1024 * 1024  # small on disk, whatever it claims
    before = set(os.listdir(tmp_path))
    start = time.perf_counter()
    result = verify_file(path)
    elapsed = time.perf_counter() - start
    assert not result.valid and result.reason.code == expected, (case, result.findings)
    assert elapsed < 0.5, f"{case}: {elapsed:.2f} s"
    assert set(os.listdir(tmp_path)) == before  # nothing extracted, nothing written


def test_the_reader_never_uses_zipfile_extraction():
    """Extraction writes to disk; the verifier only streams (a guard against a later 'simplification')."""
    import inspect

    from cpaudit.bundle import safezip, verify

    for module in (safezip, verify):
        source = inspect.getsource(module)
        assert "extractall" not in source and ".extract(" not in source
