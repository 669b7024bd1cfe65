"""Uploaded files are served under a name that says what they are, shown in the page only when they are safe
pictures, and refused when they claim an absurd number of pixels."""

from __future__ import annotations

import re
import struct
import zlib
from io import BytesIO

from PIL import Image
from sqlalchemy import select

from portal.cases.attachments import MAX_PIXELS, AttachmentRefused, check_files, served_name
from portal.cases.models import Attachment, Case
from tests.cases.conftest import form_data, private_link


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header announces width x height (its pixel data is never read)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def gif_script_polyglot() -> bytes:
    """A real GIF whose bytes also read as JavaScript: `GIF87a/*...*/=alert(1);`."""
    buffer = BytesIO()
    Image.new("P", (1, 1)).save(buffer, "GIF")
    gif = buffer.getvalue()
    return gif[:6] + b"/*" + gif[8:] + b"*/=alert(1);"


def test_a_gif_named_html_is_served_as_a_gif(client, category, outbox, db_session):  # noqa: F811
    client.post("/tell-us", data=form_data(category))
    link = private_link(outbox)
    response = client.post(f"{link}/reply", data={"body": "My ticket.",
                                                  "attachments": [(BytesIO(gif_script_polyglot()), "poly.html")]},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    attachment = db_session.scalar(select(Attachment))
    assert attachment.filename == "poly.gif"
    served = client.get(f"{link}/attachments/{attachment.id}")
    assert served.status_code == 200 and served.mimetype == "image/gif"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    disposition = served.headers["Content-Disposition"]
    assert "poly.gif" in disposition and ".html" not in disposition


def test_a_pdf_is_downloaded_and_never_shown_in_the_page():
    assert served_name("menu.html", "application/pdf") == "menu.pdf"
    assert served_name("photo", "image/jpeg") == "photo.jpg"
    assert served_name(".htaccess", "image/png") == ".htaccess.png"
    assert served_name("archive.tar.gz", "image/webp") == "archive.tar.webp"


def test_rows_stored_with_a_wrong_name_are_served_with_the_right_one(client, category, outbox, db_session,  # noqa: F811
                                                                      tmp_path):
    client.post("/tell-us", data=form_data(category))
    link = private_link(outbox)
    case = db_session.scalar(select(Case))
    folder = tmp_path / "uploads" / "attachments"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "old-pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    attachment = Attachment(case_id=case.id, filename="notes.html", content_type="application/pdf", size=15,
                            storage_name="old-pdf")
    db_session.add(attachment)
    db_session.commit()
    served = client.get(f"{link}/attachments/{attachment.id}")
    assert re.match(r'attachment; filename="?notes\.pdf', served.headers["Content-Disposition"])


def test_a_picture_of_30000_by_30000_pixels_is_refused_on_the_upload_field(client, category, db_session):  # noqa: F811
    data = form_data(category, what_happened="The big screen was blank.")
    data["attachments"] = [(BytesIO(png_header(30000, 30000)), "screen.png")]
    response = client.post("/tell-us", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "screen.png has too many pixels" in page and "The big screen was blank." in page
    assert db_session.scalar(select(Case)) is None


def test_pixel_limits_sit_between_a_camera_and_a_bomb():
    assert check_files([("phone.png", png_header(4032, 3024))])  # a 12-megapixel phone photo
    for width, height in ((8000, 6000), (30000, 30000), (1, MAX_PIXELS + 1)):
        try:
            check_files([("big.png", png_header(width, height))])
        except AttachmentRefused as refused:
            assert "too many pixels" in str(refused)
        else:
            raise AssertionError(f"{width}x{height} was accepted")
