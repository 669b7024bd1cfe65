"""A small stand-in for SendGrid's v3 API on 127.0.0.1: records each mail/send call and answers as told.

Used by the tests and by bench/ with the real `sendgrid` client pointed at it."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Server(ThreadingHTTPServer):
    # The default backlog of 5 drops connections when a worker sends several at once, and the client's
    # SYN retry then costs a second: a fake should not be slower than the real thing.
    request_queue_size = 128


class FakeSendGrid:
    """``answers`` are statuses to give in order ("hang": no answer), then ``default``.

    A message counts as delivered the moment a whole request arrives that will be answered 202, as at SendGrid:
    a client that dies while ``delay_seconds`` keep the answer back has still sent it. ``hang_seconds`` is an
    outage instead: nothing is taken and no answer comes."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.answers: list[int | str] = []
        self.default = 202
        self.hang_seconds = 0.0
        self.delay_seconds = 0.0
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with fake.lock:
                    status = fake.answers.pop(0) if fake.answers else fake.default
                    hang, delay = fake.hang_seconds, fake.delay_seconds
                    if status == 202 and not hang:
                        fake.requests.append({"path": self.path, "json": json.loads(body or b"{}"),
                                              "auth": self.headers.get("Authorization", ""), "at": time.time()})
                if hang or status == "hang":
                    time.sleep(hang or 10)
                    return  # never answers in time: the client gives up
                time.sleep(delay)
                self.send_response(status)
                self.send_header("X-Message-Id", uuid.uuid4().hex[:22])
                payload = b"" if status == 202 else json.dumps({"errors": [{"message": f"status {status}"}]}).encode()
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

            def handle(self) -> None:
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    super().handle()  # the worker may be killed while its answer is held back

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeSendGrid:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def outbox_ids(self) -> list[int]:
        """The outbox id SendGrid would report back for each accepted message (its custom argument)."""
        with self.lock:
            return [int(r["json"]["custom_args"]["outbox_id"]) for r in self.requests]

    def duplicates(self) -> dict[int, int]:
        """Outbox ids accepted more than once, with how many times."""
        return {i: n for i, n in Counter(self.outbox_ids()).items() if n > 1}
