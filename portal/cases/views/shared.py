"""What both audiences' case pages use: sending a case's attached file."""


from __future__ import annotations

from flask import abort, current_app, send_file
from werkzeug.wrappers import Response

from portal.cases.attachments import attachment_path, served_name, shown_inline
from portal.cases.models import Attachment, Case
from portal.db import db


def send_attachment(case: Case, attachment_id: int) -> Response:
    """A file of ``case`` (never of another case), private to the browser that asked for it."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.case_id != case.id:
        abort(404)
    path = attachment_path(current_app.config["UPLOAD_DIR"], attachment)
    if not path.is_file():
        abort(404)
    # The name and disposition come from the checked type (rows stored before this rule included).
    response = send_file(path, mimetype=attachment.content_type,
                         download_name=served_name(attachment.filename, attachment.content_type),
                         as_attachment=not shown_inline(attachment.content_type), max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
