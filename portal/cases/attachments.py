"""Pictures and PDFs sent with a case: checked by their content, stored outside static/."""

from __future__ import annotations

import uuid
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import filetype
from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import Session

from portal.cases.errors import AttachmentRefused
from portal.cases.models import Attachment, Case, Event

MAX_FILES = 3
MAX_BYTES = 5 * 1024 * 1024
ALLOWED = {
    "image/jpeg": "JPEG picture",
    "image/png": "PNG picture",
    "image/gif": "GIF picture",
    "image/webp": "WebP picture",
    "image/heic": "HEIC photo",
    "application/pdf": "PDF",
}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp",
              "image/heic": "heic", "application/pdf": "pdf"}
# Shown in the browser; everything else (PDFs, HEIC) is downloaded, so no file of ours renders as a document.
INLINE = {"image/jpeg", "image/png", "image/gif", "image/webp"}
# Far above any camera (a phone photo is about 12 megapixels), far below what would exhaust memory to show.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    data: bytes
    content_type: str


def check_files(files: list[tuple[str, bytes]]) -> list[CheckedFile]:
    """Refuse the whole set if any file is wrong, before anything is saved."""
    files = [(name, data) for name, data in files if name or data]
    if len(files) > MAX_FILES:
        raise AttachmentRefused(f"Attach up to {MAX_FILES} files; you chose {len(files)}.")
    checked = []
    for name, data in files:
        shown = _display_name(name)
        if not data:
            raise AttachmentRefused(f"{shown} is empty.")
        if len(data) > MAX_BYTES:
            raise AttachmentRefused(f"{shown} is larger than 5 MB.")
        kind = filetype.guess(data)
        if kind is None or kind.mime not in ALLOWED:
            raise AttachmentRefused(f"{shown} must be a picture (JPEG, PNG, GIF, WebP, HEIC) or a PDF.")
        if kind.mime in INLINE:
            _check_pixels(shown, data)
        checked.append(CheckedFile(served_name(shown, kind.mime), data, kind.mime))
    return checked


def files_to_keep(files: list[tuple[str, bytes]]) -> tuple[list[tuple[str, bytes]], str]:
    """For an e-mail, which nobody can send again with a better file: keep each file the web form would take and
    say why the others were not kept. Returns the files to keep and the note ("" when all were kept)."""
    files = [(name, data) for name, data in files if name or data]
    kept, refused = [], []
    for name, data in files:
        if len(kept) == MAX_FILES:
            refused.append(f"{_display_name(name)} was not kept: we keep up to {MAX_FILES} files.")
            continue
        try:
            check_files([(name, data)])
        except AttachmentRefused as why:
            refused.append(str(why))
        else:
            kept.append((name, data))
    return kept, (f"(Attachments not kept: {' '.join(refused)})" if refused else "")


def _check_pixels(shown: str, data: bytes) -> None:
    """Read only the picture's header (Pillow decodes no pixels on open) and refuse an absurd size."""
    too_large = (f"{shown} has too many pixels to show; send a picture of at most {MAX_PIXELS // 1_000_000} "
                 "megapixels, such as a photo straight from a phone.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as image:
                width, height = image.size
    except Image.DecompressionBombError as exc:  # beyond what Pillow will even describe
        raise AttachmentRefused(too_large) from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise AttachmentRefused(f"{shown} could not be read as a picture; it may be damaged.") from exc
    if width * height > MAX_PIXELS:
        raise AttachmentRefused(too_large.replace("pixels to show", f"pixels to show ({width:,} × {height:,})"))


def served_name(filename: str, content_type: str) -> str:
    """The file name with the extension of what the file really is: ``poly.html`` that is a GIF is ``poly.gif``."""
    extension = EXTENSIONS.get(content_type, "bin")
    stem = filename.rsplit(".", 1)[0] if "." in filename.lstrip(".") else filename
    return f"{stem.strip() or 'attachment'}"[:190] + f".{extension}"


def shown_inline(content_type: str) -> bool:
    return content_type in INLINE


def _display_name(name: str) -> str:
    # Only the last part of a path, printable, and short: it is shown back to people, never used on disk.
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip()
    return (cleaned or "attachment")[:200]


def store_attachments(
    session: Session, case: Case, event: Event | None, files: list[tuple[str, bytes]], *, upload_dir: str
) -> list[Attachment]:
    checked = check_files(files)
    folder = Path(upload_dir) / "attachments"
    folder.mkdir(parents=True, exist_ok=True)
    stored = []
    for item in checked:
        storage_name = uuid.uuid4().hex
        (folder / storage_name).write_bytes(item.data)
        attachment = Attachment(
            case_id=case.id, event_id=event.id if event is not None else None, filename=item.filename,
            content_type=item.content_type, size=len(item.data), storage_name=storage_name,
        )
        session.add(attachment)
        stored.append(attachment)
    return stored


def attachment_path(upload_dir: str, attachment: Attachment) -> Path:
    return Path(upload_dir) / "attachments" / attachment.storage_name
