"""gunicorn's settings for production: `gunicorn -c gunicorn.conf.py wsgi:app` (gunicorn also reads this file by
itself when started from this folder). Each setting can be changed from the environment.

Threaded workers (gthread): a client that sends its request slowly holds one thread, not a whole worker, so two
slow uploads can no longer leave /healthz and everyone else waiting, as they did with sync workers. A buffering
proxy in front (nginx) still belongs in production: it reads each request completely before passing it on, so
even many slow clients cost the app nothing."""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8))
threads = _int("GUNICORN_THREADS", 8)
# A worker that stops answering its heartbeat for this long is restarted; a thread waiting on a slow client does not
# stop the heartbeat. Keep-alive is short: an idle kept-alive connection holds a thread.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Bounds on what a client may send before the app sees it (the body is bounded by MAX_CONTENT_LENGTH).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Restart workers now and then so that a slow leak cannot grow without end; jitter keeps them from restarting at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
