"""Reduced copies of large photos: upright, at most LONG_SIDE pixels, far smaller, EXIF kept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from cpaudit.domain.changes import Attach
from cpaudit.evidence import check_source, stored_path
from cpaudit.evidence_photos import (
    LONG_SIDE, WORTH_REDUCING, large_attachments, large_photo, reduce_all, reduce_photo, replacements,
)

TAKEN = 0x9003  # EXIF DateTimeOriginal
ORIENTATION = 0x0112


def noisy(width: int, height: int) -> Image.Image:
    """Random pixels: they compress as badly as a real photo's detail does."""
    return Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))


def phone_photo(path: Path, width: int = 4000, height: int = 3000, orientation: int = 6) -> Path:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation  # 6: the camera was held upright, the pixels lie on their side
    exif.get_ifd(0x8769)[TAKEN] = "2026:03:02 09:15:00"
    noisy(width, height).save(path, "JPEG", quality=95, exif=exif)
    return path


def test_a_phone_photo_is_offered_and_reduced_upright_with_its_exif(tmp_path: Path):
    source = phone_photo(tmp_path / "IMG_0815.JPG")
    found = large_photo(source)
    assert found is not None and (found.width, found.height) == (4000, 3000) and found.size > WORTH_REDUCING
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    copy = reduce_photo(source, out_dir)
    assert copy == out_dir / "IMG_0815.jpg" and check_source(copy) == "image/jpeg"
    with Image.open(copy) as img:
        assert img.size == (1920, LONG_SIDE)  # turned upright: 3000 × 4000 scaled to a 2,560 px long side
        exif = img.getexif()
        assert exif.get(ORIENTATION, 1) == 1 and exif.get_ifd(0x8769)[TAKEN] == "2026:03:02 09:15:00"
    assert copy.stat().st_size < source.stat().st_size / 2
    assert large_photo(copy) is None or copy.stat().st_size > WORTH_REDUCING  # never offered twice for nothing


def test_a_png_screenshot_stays_png_and_a_bmp_scan_becomes_jpeg(tmp_path: Path):
    png = tmp_path / "screen.png"
    noisy(3000, 1000).save(png)
    bmp = tmp_path / "scan.bmp"
    noisy(2000, 1400).save(bmp)  # not wider than LONG_SIDE, but 8 MB uncompressed
    assert large_photo(png) is not None and large_photo(bmp) is not None
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with Image.open(reduce_photo(png, out_dir)) as img:
        assert img.format == "PNG" and img.size == (LONG_SIDE, 853)
    with pytest.raises(ValueError):
        reduce_photo(png, tmp_path)  # the copy would overwrite the original
    copy = reduce_photo(bmp, out_dir)
    with Image.open(copy) as img:
        assert copy.suffix == ".jpg" and img.format == "JPEG" and img.size == (2000, 1400)


def test_small_photos_documents_and_broken_files_are_not_offered(tmp_path: Path):
    small = tmp_path / "small.jpg"
    noisy(4000, 3000).save(small, "JPEG", quality=5)  # wide but small: nothing to gain
    wide_enough = tmp_path / "fits.jpg"
    noisy(2000, 1500).save(wide_enough, "JPEG", quality=100)  # large, but already within LONG_SIDE
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + os.urandom(WORTH_REDUCING + 10))
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff" + os.urandom(WORTH_REDUCING + 10))
    assert small.stat().st_size < WORTH_REDUCING and wide_enough.stat().st_size > WORTH_REDUCING
    assert [large_photo(p) for p in (small, wide_enough, pdf, broken, tmp_path / "missing.jpg")] == [None] * 5


def test_a_batch_keeps_same_named_photos_apart_and_skips_what_cannot_be_decoded(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = phone_photo(tmp_path / "a" / "IMG_1.jpg", 3000, 2600, orientation=1)
    second = phone_photo(tmp_path / "b" / "IMG_1.jpg", 2700, 2000, orientation=1)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff" + os.urandom(1000))
    out = tmp_path / "out"
    out.mkdir()
    seen: list[tuple[float, str]] = []
    copies = reduce_all([first, second, broken], out, lambda f, name: seen.append((f, name)))
    assert set(copies) == {first, second} and len({c for c in copies.values()}) == 2
    assert [name for _f, name in seen] == ["IMG_1.jpg", "IMG_1.jpg", "broken.jpg", ""] and seen[-1][0] == 1.0
    with Image.open(copies[second]) as img:
        assert img.size == (LONG_SIDE, 1896)


def test_attached_photos_are_replaced_in_place_by_smaller_copies_in_one_undo_step(make_workspace, tmp_path: Path):
    ws = make_workspace()
    session = ws.session(ws.create_audit("Photos").id)
    photo = phone_photo(tmp_path / "IMG_2041.JPG", orientation=1)
    pdf = tmp_path / "monitoring.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + os.urandom(WORTH_REDUCING + 10))  # large, but no photo
    session.apply([Attach("leadership", "commitment", str(photo)), Attach("status_survey", "process_description", str(photo)),
                   Attach("status_survey", "process_description", str(pdf))])
    before = {a.id: a for a in session.document.attachments.values()}
    large = large_attachments(session.document, session.workspace_path)
    assert [(sorted(a.step for a in uses), p.width) for uses, p in large] == [(["leadership", "status_survey"], 4000)]
    out = tmp_path / "copies"
    out.mkdir()
    uses = large[0][0]
    copies = reduce_all([p.path for _u, p in large], out, names=[uses[0].name])
    session.apply(replacements(large, copies))
    after = sorted(session.document.attachments.values(), key=lambda a: (a.step, a.name))
    assert [(a.step, a.field, a.name) for a in after] == [
        ("leadership", "commitment", "IMG_2041.jpg"), ("status_survey", "process_description", "IMG_2041.jpg"),
        ("status_survey", "process_description", "monitoring.pdf")]
    assert after[0].sha256 == after[1].sha256 != uses[0].sha256 and after[0].size < uses[0].size / 2
    with Image.open(stored_path(session.workspace_path, after[0].sha256)) as img:
        assert img.size == (LONG_SIDE, 1920)
    assert large_attachments(session.document, session.workspace_path) == []  # nothing left to reduce
    session.undo()
    assert {a.id: a for a in session.document.attachments.values()} == before
