"""Reading an untrusted zip without trusting it.

Nothing is ever extracted to disk: entries are streamed into hashes or read
into memory up to a per-entry cap. Before ``zipfile`` parses anything, the
end-of-central-directory record is read by hand, so an archive announcing
100,000 entries or zip64 sizes is refused after reading ~64 KB. Then every
entry of the central directory is checked (name, type, declared size,
compression ratio, encryption, overlaps with its neighbours) before any of
its bytes are decompressed.
"""

from __future__ import annotations

import hashlib
import os
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cpaudit.bundle import format as fmt

_EOCD = b"PK\x05\x06"
_Z64_LOCATOR = b"PK\x06\x07"
_Z64_EOCD = b"PK\x06\x06"
_LOCAL = b"PK\x03\x04"
_CHUNK = 64 * 1024


class Rejected(Exception):
    """The archive is refused; ``code`` is one of the reason codes of the format spec."""

    def __init__(self, code: str, entry: str | None = None, detail: str = ""):
        self.code, self.entry, self.detail = code, entry, detail
        super().__init__(f"{code}: {entry or ''} {detail}".strip())


@dataclass(frozen=True)
class Limits:
    file_bytes: int = fmt.MAX_FILE_BYTES
    entries: int = fmt.MAX_ENTRIES
    total_bytes: int = fmt.MAX_TOTAL_BYTES
    entry_bytes: int = fmt.MAX_ENTRY_BYTES
    ratio: int = fmt.MAX_RATIO


def _end_record(fh: BinaryIO, size: int, limits: Limits) -> tuple[int, int, int]:
    """(entry count, central directory size, offset), checked, from the EOCD record."""
    tail_len = min(size, 22 + 65535)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(_EOCD)  # same search as zipfile, so both read the same record
    if at < 0 or len(tail) - at < 22:
        raise Rejected("not_a_zip")
    (_sig, disk, cd_disk, _n_disk, count, cd_size, cd_offset, comment_len) = struct.unpack("<4s4H2LH", tail[at:at + 22])
    if at + 22 + comment_len != len(tail) or comment_len:
        raise Rejected("archive_comment")  # we never write one; trailing bytes hide polyglots
    if count == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
        count = _zip64_count(tail, at)
        if count > limits.entries:
            raise Rejected("too_many_entries", detail=str(count))
        raise Rejected("zip64_unsupported")
    if disk or cd_disk:
        raise Rejected("zip_multidisk")
    if count > limits.entries:
        raise Rejected("too_many_entries", detail=str(count))
    eocd_pos = size - tail_len + at
    if cd_offset + cd_size != eocd_pos:
        raise Rejected("zip_layout")  # data before the first entry or between directory and end record
    return count, cd_size, cd_offset


def _zip64_count(tail: bytes, at: int) -> int:
    loc = tail.rfind(_Z64_LOCATOR, 0, at)
    if loc < 0:
        raise Rejected("zip64_unsupported")
    # The zip64 end record usually sits right before the locator; read its entry count if it is in the tail.
    rec = tail.rfind(_Z64_EOCD, 0, loc)
    if rec < 0 or loc - rec < 56:
        raise Rejected("zip64_unsupported")
    return struct.unpack("<Q", tail[rec + 32:rec + 40])[0]


def check_name(name: str) -> None:
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise Rejected("entry_path_absolute", name)
    parts = name.replace("\\", "/").split("/")
    if ".." in parts:
        raise Rejected("entry_path_traversal", name)
    if len(name) > fmt.MAX_NAME_LENGTH or not fmt.NAME_RE.match(name):
        raise Rejected("entry_name_invalid", name)


class SafeArchive:
    """An opened .cpaudit archive whose directory passed every structural check."""

    def __init__(self, path: Path, limits: Limits = Limits()):
        self.path, self.limits = path, limits
        try:
            self._fh = open(path, "rb")
        except OSError:
            raise Rejected("file_unreadable") from None
        try:
            size = os.fstat(self._fh.fileno()).st_size
            if size > limits.file_bytes:
                raise Rejected("file_too_large", detail=str(size))
            count, _cd_size, cd_offset = _end_record(self._fh, size, limits)
            self._fh.seek(0)
            try:
                self.zip = zipfile.ZipFile(self._fh)
            except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
                raise Rejected("not_a_zip") from None
            self.infos = self.zip.infolist()
            if len(self.infos) != count:
                raise Rejected("zip_layout")
            self._check_entries(cd_offset)
        except BaseException:
            self._fh.close()
            raise
        self.names = [i.filename for i in self.infos]
        self._by_name = {i.filename: i for i in self.infos}
        self._kept: dict[str, bytes] = {}  # entries hashed with keep=True, so they are inflated once

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> "SafeArchive":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_entries(self, cd_offset: int) -> None:
        seen: set[str] = set()
        total = 0
        for info in self.infos:
            name = info.filename
            check_name(name)
            if name.lower() in seen:  # case-insensitive: Windows and macOS would merge them
                raise Rejected("entry_duplicate", name)
            seen.add(name.lower())
            mode = info.external_attr >> 16
            if info.create_system == 3 and stat.S_ISLNK(mode):
                raise Rejected("entry_symlink", name)
            if info.is_dir() or (info.create_system == 3 and stat.S_IFMT(mode) not in (0, stat.S_IFREG)):
                raise Rejected("entry_not_regular", name)
            if info.flag_bits & 0x1:
                raise Rejected("entry_encrypted", name)
            if info.flag_bits & 0x8:
                raise Rejected("zip_feature_unsupported", name, "data descriptor")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise Rejected("compression_unsupported", name)
            if info.file_size > self.limits.entry_bytes:
                raise Rejected("entry_too_large", name, str(info.file_size))
            total += info.file_size
            if total > self.limits.total_bytes:
                raise Rejected("total_too_large", name, str(total))
            if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
                raise Rejected("entry_corrupt", name, "stored sizes differ")
            if info.file_size > 1024 and info.file_size > self.limits.ratio * max(info.compress_size, 1):
                raise Rejected("compression_ratio", name, f"{info.file_size}/{info.compress_size}")
        self._check_layout(cd_offset)

    def _check_layout(self, cd_offset: int) -> None:
        """Entries start at 0, follow each other without overlap, end before the directory, and
        each local header says exactly what the central directory says (no parser differentials)."""
        expected = 0
        self._data_at: dict[str, int] = {}
        for info in sorted(self.infos, key=lambda i: i.header_offset):
            if info.header_offset != expected:
                raise Rejected("entries_overlap" if info.header_offset < expected else "zip_layout", info.filename)
            self._fh.seek(info.header_offset)
            head = self._fh.read(30)
            if len(head) < 30 or head[:4] != _LOCAL:
                raise Rejected("zip_layout", info.filename)
            (_sig, version, flags, method, mtime, mdate, crc, csize, usize, name_len,
             extra_len) = struct.unpack("<4s5H3L2H", head)
            y, mo, d, h, mi, sec = info.date_time
            central = (info.extract_version, info.flag_bits, info.compress_type,
                       (h << 11) | (mi << 5) | (sec // 2), ((y - 1980) << 9) | (mo << 5) | d,
                       info.CRC, info.compress_size, info.file_size)
            if (version, flags, method, mtime, mdate, crc, csize, usize) != central:
                raise Rejected("zip_layout", info.filename, "local header differs from the directory")
            if self._fh.read(name_len) != info.orig_filename.encode("ascii", "replace"):
                raise Rejected("zip_layout", info.filename, "local name differs")
            self._data_at[info.filename] = info.header_offset + 30 + name_len + extra_len
            expected = self._data_at[info.filename] + info.compress_size
        if expected != cd_offset:
            raise Rejected("zip_layout")

    # -- reading ---------------------------------------------------------------------
    def info(self, name: str) -> zipfile.ZipInfo:
        return self._by_name[name]

    def _chunks(self, name: str):
        """Decompress by hand from the checked data offset: bounded output per step, the CRC
        checked, and the deflate stream required to end exactly where the entry ends (a stream
        that ends early or late would let the stored bytes change without the content changing)."""
        info = self._by_name[name]
        self._fh.seek(self._data_at[name])
        left, produced, crc = info.compress_size, 0, 0
        inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
        try:
            while left or (inflater is not None and inflater.unconsumed_tail):
                raw = b""
                if left and not (inflater is not None and inflater.unconsumed_tail):
                    raw = self._fh.read(min(_CHUNK, left))
                    if not raw:
                        raise Rejected("entry_corrupt", name, "truncated")
                    left -= len(raw)
                if inflater is None:
                    chunk = raw
                else:
                    chunk = inflater.decompress(inflater.unconsumed_tail + raw, _CHUNK)
                    if inflater.eof and (left or inflater.unused_data or inflater.unconsumed_tail):
                        raise Rejected("entry_corrupt", name, "data after the end of the stream")
                produced += len(chunk)
                if produced > info.file_size:
                    raise Rejected("entry_corrupt", name, "longer than declared")
                crc = zlib.crc32(chunk, crc)
                if chunk:
                    yield chunk
        except zlib.error:
            raise Rejected("entry_corrupt", name) from None
        if inflater is not None and not inflater.eof:
            raise Rejected("entry_corrupt", name, "stream does not end")
        if produced != info.file_size or crc != info.CRC:
            raise Rejected("entry_corrupt", name, "checksum")

    def read(self, name: str, cap: int) -> bytes:
        """The whole entry, refused when its declared size exceeds ``cap`` (bounded memory)."""
        info = self._by_name[name]
        if info.file_size > cap:
            raise Rejected("entry_too_large", name, str(info.file_size))
        data = self._kept.pop(name, None)
        if data is None:
            data = b"".join(self._chunks(name))
        if len(data) != info.file_size:
            raise Rejected("entry_corrupt", name)
        return data

    def head(self, name: str, n: int) -> bytes:
        """The first ``n`` bytes of an entry (its first chunk, not the whole entry)."""
        return next(self._chunks(name), b"")[:n]

    def digest(self, name: str, keep: bool = False) -> tuple[str, int]:
        """(SHA-256 hex, size) streamed; never more than one chunk in memory, unless ``keep``:
        then the bytes are also kept for one later ``read`` (an entry about to be read anyway)."""
        h, n, kept = hashlib.sha256(), 0, []
        for chunk in self._chunks(name):
            h.update(chunk)
            n += len(chunk)
            if keep:
                kept.append(chunk)
        if keep:
            self._kept[name] = b"".join(kept)
        return h.hexdigest(), n
