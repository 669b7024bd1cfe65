"""The public front page, the favicon and the health check."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, send_from_directory
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.db import db
from portal.page_cache import cached_page

bp = Blueprint("public", __name__)


@bp.get("/")
@cached_page()
def home() -> str:
    return render_template("public/home.html")


@bp.get("/favicon.ico")
def favicon() -> Response:
    # Browsers ask for /favicon.ico on every site whatever the page links to; a 404 is a console error each time.
    return send_from_directory(current_app.static_folder or "static", "favicon.ico", max_age=7 * 86400)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        return jsonify(status="error", database="unavailable", detail=type(exc).__name__), 503
    return jsonify(status="ok", database="ok")
