# SPDX-License-Identifier: Apache-2.0
"""Photos shown upright and decoded no larger than needed (GUI layer).

Phones store most photos turned on their side with an EXIF note to turn them
back; Qt ignores that note unless asked, so a meter photographed upright showed
lying down. A preview of a 12-megapixel photo is also decoded at the scale it
is shown at, not at full size.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QImageReader


def upright_image(source: str | bytes, longest: int | None = None) -> QImage:
    """The image at ``source`` (a path, or the file's bytes) as it was taken; at most ``longest``
    pixels on its long side when given. A null QImage when it cannot be read."""
    buffer = None
    if isinstance(source, bytes):
        buffer = QBuffer()
        buffer.setData(QByteArray(source))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer)
    else:
        reader = QImageReader(source)
    reader.setAutoTransform(True)
    size = reader.size()
    if longest and size.isValid() and max(size.width(), size.height()) > longest:
        reader.setScaledSize(size.scaled(longest, longest, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    del buffer  # only now: the reader reads from it
    return image
