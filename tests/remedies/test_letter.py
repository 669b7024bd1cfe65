"""The resolution letter: what it says, and that hostile customer text can make WeasyPrint fetch nothing."""

import shutil
import subprocess
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from portal.pdf import STATIC, FetchRefused, render_pdf, static_path
from portal.remedies.choice import choose
from portal.remedies.letter import letter_html, render_letter
from tests.factories import make_case, make_customer, make_offer

OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "letters"


class Spy:
    """A tiny HTTP server on 127.0.0.1 that records every request it gets."""

    def __init__(self) -> None:
        requests: list[str] = []
        self.requests = requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.end_headers()
                self.wfile.write(b"body { background: red; }")

            def log_message(self, *args) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def hostile(url: str) -> str:
    return (
        f'<h1>Injected heading</h1><script>alert(1)</script> <img src="file:///etc/passwd"> '
        f'<img src="{url}/tracker.png"> <link rel="stylesheet" href="{url}/evil.css"> '
        f'<iframe src="{url}/frame"></iframe> <object data="file:///etc/shadow"></object> '
        f'<style>@import url("{url}/import.css"); body {{ background: url("file:///etc/hostname"); }}</style> '
        f"see {url}/page"
    )


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils (pdftotext, pdftoppm)")
def test_hostile_customer_text_is_printed_as_text_and_nothing_is_fetched(session, settings, tmp_path):
    with Spy() as spy:
        words = hostile(spy.url)
        customer = make_customer(session, name='Eve <img src="file:///etc/passwd">')
        case = make_case(session, customer=customer, what_happened=words)
        case.make_it_right = f'<a href="{spy.url}/click">Refund</a> me'
        offer = make_offer(session, case=case)
        choose(session, offer, offer.remedies[0].id)
        offer.fulfilment = words
        pdf = render_letter(offer, org_name=settings.org_name)
        # The same text straight into WeasyPrint, without the template's escaping: the fetcher alone must hold.
        raw = render_pdf(f"<html><body>{words}</body></html>")
        assert spy.requests == []
        urllib.request.urlopen(f"{spy.url}/probe", timeout=5).read()  # the spy does answer when asked
        assert spy.requests == ["/probe"]
    assert pdf.startswith(b"%PDF") and raw.startswith(b"%PDF")
    html = letter_html(offer, org_name=settings.org_name)
    assert '&lt;img src=&#34;file:///etc/passwd&#34;&gt;' in html and '<img src="file:///etc/passwd">' not in html
    text = " ".join(_pdf_text(pdf, tmp_path).split())
    assert '<img src="file:///etc/passwd">' in text and "<script>alert(1)</script>" in text
    assert "root:" not in text and "root:" not in _pdf_text(raw, tmp_path)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "hostile-letter.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(OUTPUT / "hostile-letter.pdf"),
                    str(OUTPUT / "hostile-letter")], check=True)
    assert list(OUTPUT.glob("hostile-letter*.png"))


def test_the_letter_says_what_was_offered_chosen_and_done_and_by_whom(session, settings, tmp_path):
    offer = make_offer(session)
    choose(session, offer, offer.remedies[1].id)
    offer.fulfilment = "We put £30 on your account on 3 March."
    offer.fulfilled_by = offer.case.owner
    html = letter_html(offer, org_name=settings.org_name)
    for text in (offer.case.what_happened, offer.case.make_it_right, offer.remedies[0].description,
                 offer.remedies[2].description, "We put £30 on your account on 3 March.", offer.case.owner.name,
                 offer.case.reference):
        assert text in html
    assert html.count('class="chosen"') == 1


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    f"{STATIC.as_uri()}/../pyproject.toml",
    f"{STATIC.as_uri()}/%2e%2e/pyproject.toml",
    "http://127.0.0.1:1/x.css",
    "https://example.org/font.woff",
    "data:text/css,body{}",
    "file://evil.example/etc/passwd",
    STATIC.as_uri() + "/",
])
def test_the_fetcher_refuses_everything_outside_static(url):
    with pytest.raises(FetchRefused):
        static_path(url)


def test_the_fetcher_serves_our_own_static_files():
    assert static_path(f"{STATIC.as_uri()}/css/portal.css") == STATIC / "css" / "portal.css"
