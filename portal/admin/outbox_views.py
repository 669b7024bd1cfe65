"""The admins' outbox pages: the list, one message and its preview, and sending a failed one again."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from portal.admin import outbox
from portal.auth.access import role_required
from portal.db import db
from portal.inputs import db_int
from portal.mail import worker
from portal.mail.models import OutboxMessage, OutboxStatus

bp = Blueprint("outbox", __name__, url_prefix="/staff/admin/outbox")


@bp.get("/")
@role_required()
def index() -> str:
    status = request.args.get("status", "")
    result = outbox.list_outbox(db.session, status=OutboxStatus(status) if status in OutboxStatus.__members__ else None,
                               search=request.args.get("q", ""), before=request.args.get("before", type=db_int),
                               after=request.args.get("after", type=db_int))
    return render_template("mail_admin/outbox.html", result=result, status=status, statuses=list(OutboxStatus))


@bp.get("/<int:message_id>")
@role_required()
def show(message_id: int) -> str:
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    return render_template("mail_admin/message.html", message=message)


@bp.get("/<int:message_id>/preview")
@role_required()
def preview(message_id: int) -> Response:
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    response = Response(message.body_html, mimetype="text/html")
    # Shown in a sandboxed frame: the e-mail's own inline styles, nothing that runs or loads.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.post("/<int:message_id>/retry")
@role_required()
def retry(message_id: int) -> Response:
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    try:
        worker.retry(db.session, message)
    except ValueError as refused:
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash(f"Message {message.id} to {message.to_address} will be sent again.", "success")
    return redirect(url_for("outbox.show", message_id=message.id))
