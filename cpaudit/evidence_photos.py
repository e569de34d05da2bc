"""Reduced copies of large photos and scans, offered before they are attached as evidence.

A plant's evidence is mostly phone photos (4,000 px, 5–12 MB each) and flatbed
scans saved as BMP or TIFF. Attached as they are, a few dozen make the signed
submission file too large to upload (peers-and-submission.md §4, item 5). A copy
whose long side is LONG_SIDE pixels still shows every gauge reading and every
line of an invoice. The user chooses; the originals on disk are never changed.

The copy is upright (EXIF orientation applied, the tag reset) and keeps the rest
of the EXIF data, such as the time the photo was taken. PNG stays PNG (sharp
text in screenshots); everything else becomes JPEG.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from cpaudit.domain.changes import Attach, Change, Detach
from cpaudit.domain.document import Attachment, AuditDocument
from cpaudit.evidence import stored_path

LONG_SIDE = 2560
WORTH_REDUCING = 2 * 1024 * 1024  # bytes: smaller files are attached as they are
JPEG_QUALITY = 85
# Formats stored without (much) compression: reduced even when they are not wider than LONG_SIDE.
_UNCOMPRESSED = {"BMP", "TIFF"}
# Photos and scans only: PDFs, spreadsheets and documents are never touched.
_FORMATS = {"JPEG", "PNG", "WEBP", "BMP", "TIFF", "GIF"}


@dataclass(frozen=True)
class LargePhoto:
    path: Path
    size: int  # bytes
    width: int
    height: int


def large_photo(path: Path) -> LargePhoto | None:
    """The photo's size when a reduced copy would be worth offering, else None.

    Reads only the image header: a file that is no image, or a damaged one, is simply not a candidate.
    """
    from PIL import Image, UnidentifiedImageError  # here, not at the top: Pillow costs the window's start-up 80 ms

    try:
        size = path.stat().st_size
        if size <= WORTH_REDUCING:
            return None
        with Image.open(path) as img:
            fmt, (width, height), frames = img.format, img.size, getattr(img, "n_frames", 1)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError):
        return None
    if fmt not in _FORMATS or frames > 1:  # an animation is left as it is
        return None
    if max(width, height) <= LONG_SIDE and fmt not in _UNCOMPRESSED:
        return None
    return LargePhoto(path, size, width, height)


def reduce_photo(source: Path, folder: Path, name: str | None = None) -> Path:
    """Write the reduced copy of ``source`` into ``folder`` and return its path, named after
    ``name`` (a stored file's name is its hash) or else ``source``, with the new type's extension.

    ValueError when the copy would overwrite ``source`` (use a folder of its own).
    OSError (or Pillow's errors) when the image cannot be decoded; the caller then
    attaches the original.
    """
    from PIL import Image, ImageOps

    with Image.open(source) as img:
        keep_png = img.format == "PNG"
        img.draft("RGB", (LONG_SIDE, LONG_SIDE))  # JPEG: decode at a reduced scale, much faster
        upright = ImageOps.exif_transpose(img)
        exif = upright.getexif()
        upright.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
        target = folder / (Path(name or source.name).stem + (".png" if keep_png else ".jpg"))
        if target.resolve() == source.resolve():
            raise ValueError(f"the reduced copy would overwrite {source}")
        if keep_png:
            upright.save(target, "PNG", optimize=True, exif=exif)
        else:
            rgb = upright.convert("RGB") if upright.mode not in ("RGB", "L") else upright
            rgb.save(target, "JPEG", quality=JPEG_QUALITY, optimize=True, exif=exif)
    return target


def reduce_all(photos: list[Path], folder: Path, progress: Callable[..., None] | None = None,
               names: list[str] | None = None) -> dict[Path, Path]:
    """Reduced copies of ``photos`` in ``folder``: original → copy (``names``: see ``reduce_photo``).

    A photo that cannot be decoded is left out, so the caller attaches its
    original. ``progress(fraction, name)`` may raise to stop (Cancel).
    """
    from PIL import Image

    copies: dict[Path, Path] = {}
    for i, path in enumerate(photos):
        if progress is not None:
            progress(i / len(photos), names[i] if names else path.name)
        own = folder / str(i)  # two photos with the same name in one batch keep theirs
        own.mkdir()
        try:
            copies[path] = reduce_photo(path, own, names[i] if names else None)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            continue
    if progress is not None:
        progress(1.0, "")
    return copies


def large_attachments(doc: AuditDocument, workspace: Path) -> list[tuple[list[Attachment], LargePhoto]]:
    """Every stored photo of the audit worth reducing, with the attachments that show it."""
    uses: dict[str, list[Attachment]] = {}
    for a in doc.attachments.values():
        uses.setdefault(a.sha256, []).append(a)
    found = ((attached, large_photo(stored_path(workspace, sha))) for sha, attached in uses.items())
    return [(attached, photo) for attached, photo in found if photo is not None]


def replacements(large: list[tuple[list[Attachment], LargePhoto]], copies: dict[Path, Path]) -> list[Change]:
    """One batch (one undo step): each attachment of a reduced photo detached and its copy attached in its place."""
    changes: list[Change] = []
    for attached, photo in large:
        copy = copies.get(photo.path)
        if copy is not None:
            for a in attached:
                changes += [Detach(a.id), Attach(a.step, a.field, str(copy), a.row_id)]
    return changes
