"""HTML to PDF with WeasyPrint, fetching nothing but our own static files.

User text ends up in PDFs (a customer's complaint in a resolution letter), so a stray ``<img src="file:///etc/passwd">``
or a URL to an internal address must never be read: every URL outside ``static/`` is refused before any I/O."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML

STATIC = (Path(__file__).resolve().parent.parent.parent / "static").resolve()


class FetchRefused(ValueError):
    """WeasyPrint catches this, logs it and carries on without the resource."""


def static_path(url: str) -> Path:
    """The file inside static/ that ``url`` names; anything else is refused."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise FetchRefused(f"refused to fetch {url[:80]!r}: only our static files may be used")
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(STATIC) or path == STATIC or not path.is_file():
        raise FetchRefused(f"refused to fetch {url[:80]!r}: only our static files may be used")
    return path


def _response(url: str):
    from weasyprint.urls import URLFetcherResponse

    path = static_path(url)
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


try:
    from weasyprint.urls import URLFetcher
except ImportError:  # WeasyPrint before 68 takes a plain function returning a dict
    URLFetcher = None


if URLFetcher is not None:

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            return _response(url)

    def _fetcher():
        return StaticOnlyFetcher(timeout=1, allowed_protocols=("file",), allow_redirects=False)

else:

    def _fetcher():
        def fetch(url: str) -> dict:
            path = static_path(url)
            return {"string": path.read_bytes(), "mime_type": mimetypes.guess_type(path.name)[0]}

        return fetch


def render_pdf(html: str) -> bytes:
    """Render ``html`` to PDF; relative URLs resolve inside static/ (``css/letter.css``, say)."""
    return HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=_fetcher()).write_pdf()
