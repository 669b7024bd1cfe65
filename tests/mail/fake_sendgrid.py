"""A fake SendGrid v3 API on 127.0.0.1 for tests and the benchmark: records requests, answers as told.

    with FakeSendGrid() as server:
        server.respond("500", "429")   # the next two requests fail, then the default (202) again
        server.default = "hang"        # or hold every request until server.release_hung()
        ... SendGridTransport("SG.test", server.url) ...
        server.accepted                # the JSON bodies it answered 202 to
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeSendGrid:
    def __init__(self) -> None:
        self.default = "202"
        self._script: deque[str] = deque()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._released = threading.Event()
        self.requests: list[dict[str, Any]] = []  # every request: path, headers, body
        self.accepted: list[dict[str, Any]] = []  # bodies answered 202
        self.hanging = threading.Semaphore(0)  # released once per request that starts hanging
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def respond(self, *answers: str) -> None:
        """Answers for the next requests, in order: "202", "429", "500" or "hang"."""
        with self._lock:
            self._script.extend(answers)

    def release_hung(self) -> None:
        self._released.set()

    def accepted_outbox_ids(self) -> list[int]:
        with self._lock:
            return [int(body["custom_args"]["outbox_id"]) for body in self.accepted]

    def start(self) -> FakeSendGrid:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._released.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSendGrid:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _next_answer(self) -> str:
        with self._lock:
            return self._script.popleft() if self._script else self.default

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = json.loads(raw or b"null")
                with fake._lock:
                    fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                answer = fake._next_answer()
                if answer == "hang":
                    fake.hanging.release()
                    fake._released.wait()
                    self.close_connection = True
                    return  # never answered: the client times out or its process dies
                if answer == "202":
                    with fake._lock:
                        fake.accepted.append(body)
                        message_id = f"fake-{next(fake._ids):06d}"
                    self._answer(202, b"", {"X-Message-Id": message_id})
                elif answer == "429":
                    self._answer(429, b'{"errors":[{"message":"too many requests"}]}', {"Retry-After": "1"})
                else:
                    self._answer(int(answer), b'{"errors":[{"message":"internal error"}]}', {})

            def _answer(self, status: int, payload: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler
