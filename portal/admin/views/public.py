"""The organisation's logo, which every page (staff or public) shows in its header."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, send_file
from werkzeug.wrappers import Response

from portal import organisation as branding_settings
from portal.db import db

branding_bp = Blueprint("organisation", __name__)


@branding_bp.get("/organisation/logo")
def logo() -> Response:
    current = branding_settings.branding(db.session, current_app.config["ORG_NAME"])
    path = branding_settings.logo_path(current_app.config["UPLOAD_DIR"], current.logo_filename)
    if path is None:
        abort(404)
    return send_file(path, mimetype=current.logo_content_type, max_age=300)
