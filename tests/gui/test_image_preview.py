"""Evidence photos are previewed upright, as taken, and decoded at the size they are shown."""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image

from cpaudit.gui.image_preview import upright_image


def turned_photo(width: int = 400, height: int = 300) -> bytes:
    """What a phone writes for a photo taken upright: the pixels on their side, EXIF orientation 6."""
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_turned_photo_is_shown_upright_from_a_file_or_from_bytes(tmp_path: Path, qtbot) -> None:
    data = turned_photo()
    path = tmp_path / "meter.jpg"
    path.write_bytes(data)
    for source in (str(path), data):
        image = upright_image(source)
        assert (image.width(), image.height()) == (300, 400)  # portrait, as the photo was taken


def test_a_large_photo_is_decoded_at_the_size_it_is_shown(qtbot) -> None:
    image = upright_image(turned_photo(4000, 3000), 220)
    assert (image.width(), image.height()) == (165, 220)
    assert upright_image(b"not an image").isNull()
