"""SendGrid's webhooks, the customer's e-mail preferences page, and the admins' outbox."""

from __future__ import annotations

import hmac

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from portal.auth.access import role_required
from portal.cases import customer_replies
from portal.cases.customer_replies import CustomerActionRefused
from portal.cases.models import Case
from portal.db import db, utcnow
from portal.inputs import db_int
from portal.mail import admin, events, inbound, preferences, webhook_signature, worker
from portal.mail.models import OutboxMessage, OutboxStatus
from portal.security import csrf
from portal.tokens import TokenInvalid
from portal.web import get_or_404

webhooks = Blueprint("sendgrid_webhooks", __name__, url_prefix="/webhooks/sendgrid")
public = Blueprint("email_preferences", __name__)
staff = Blueprint("outbox", __name__, url_prefix="/staff/admin/outbox")
csrf.exempt(webhooks)

SIGNATURE = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP = "X-Twilio-Email-Event-Webhook-Timestamp"


@webhooks.post("/events")
def delivery_events() -> tuple[Response, int]:
    payload = request.get_data(as_text=True)
    unsigned = webhook_signature.verify(current_app.config["SENDGRID_WEBHOOK_PUBLIC_KEY"], payload,
                                        request.headers.get(SIGNATURE, ""), request.headers.get(TIMESTAMP, ""),
                                        now=utcnow())
    if unsigned:
        return jsonify(error=unsigned), 403
    try:
        stored = events.record_events(db.session, events.parse(payload))
    except events.PayloadRefused as refused:
        return jsonify(error=str(refused)), 400
    db.session.commit()
    return jsonify(recorded=stored), 200


@webhooks.post("/inbound/<secret>")
def inbound_reply(secret: str) -> tuple[Response, int]:
    expected = current_app.config["SENDGRID_INBOUND_SECRET"]
    if not expected or not hmac.compare_digest(secret, expected):
        return jsonify(error="Unknown inbound address."), 403
    reference = inbound.reference_from(inbound.recipients(request.form), secret_key=current_app.config["SECRET_KEY"])
    case = db.session.query(Case).filter_by(reference=reference).one_or_none() if reference else None
    if case is None:
        current_app.logger.warning("Inbound e-mail refused: no verified case address in %r",
                                   request.form.get("to", "")[:200])
        # SendGrid retries on errors; a forged or stale address must not come back, so answer 200 and keep nothing.
        return jsonify(accepted=False, reason="no verified case address"), 200
    files = [(f.filename or "attachment", f.read()) for name, f in request.files.items() if name.startswith("attach")]
    body = inbound.strip_quoted(request.form.get("text", "")) or inbound.strip_quoted(request.form.get("html", ""))
    try:
        event, note = customer_replies.receive_emailed_reply(db.session, case, sender=inbound.sender(request.form),
                                                             body=body, files=files,
                                                             upload_dir=current_app.config["UPLOAD_DIR"])
    except CustomerActionRefused as refused:
        db.session.rollback()
        current_app.logger.warning("Inbound e-mail for %s not added: %s", case.reference, refused)
        return jsonify(accepted=False, reason=str(refused)), 200
    db.session.commit()
    return jsonify(accepted=True, case=case.reference, held=event.kind == "email_held", note=note), 200


@public.route("/email-preferences/<token>", methods=["GET", "POST"])
def email_preferences(token: str) -> str | Response:
    try:
        email = preferences.email_for_token(token, secret_key=current_app.config["SECRET_KEY"])
    except TokenInvalid:
        abort(404)
    if request.method == "POST":
        wanted = request.form.get("news") == "yes"
        preferences.set_news(db.session, email, wanted=wanted)
        db.session.commit()
        flash("Saved. " + ("We will tell you about changes and ask your views." if wanted else
                           "You will only get e-mails about your own cases."), "success")
        return redirect(url_for("email_preferences.email_preferences", token=token))
    return render_template("mail_admin/preferences.html", email=email,
                           wants=preferences.wants_news(db.session, email))


@staff.get("/")
@role_required()
def index() -> str:
    status = request.args.get("status", "")
    result = admin.list_outbox(db.session, status=OutboxStatus(status) if status in OutboxStatus.__members__ else None,
                               search=request.args.get("q", ""), before=request.args.get("before", type=db_int),
                               after=request.args.get("after", type=db_int))
    return render_template("mail_admin/outbox.html", result=result, status=status, statuses=list(OutboxStatus))


@staff.get("/<int:message_id>")
@role_required()
def show(message_id: int) -> str:
    message = get_or_404(OutboxMessage, message_id)
    return render_template("mail_admin/message.html", message=message)


@staff.get("/<int:message_id>/preview")
@role_required()
def preview(message_id: int) -> Response:
    message = get_or_404(OutboxMessage, message_id)
    response = Response(message.body_html, mimetype="text/html")
    # Shown in a sandboxed frame: the e-mail's own inline styles, nothing that runs or loads.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@staff.post("/<int:message_id>/retry")
@role_required()
def retry(message_id: int) -> Response:
    message = get_or_404(OutboxMessage, message_id)
    try:
        worker.retry(db.session, message)
    except ValueError as refused:
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash(f"Message {message.id} to {message.to_address} will be sent again.", "success")
    return redirect(url_for("outbox.show", message_id=message.id))
