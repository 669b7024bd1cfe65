"""SendGrid's webhooks: delivery events, and e-mails that reached us (replies and new messages to the care address).

Both are checked and read here; what they mean for a case is reported upwards (`portal.mail.outcomes`)."""

from __future__ import annotations

import hmac

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from portal.db import db, utcnow
from portal.mail import events, receiving, webhook_signature
from portal.security import csrf

webhooks = Blueprint("sendgrid_webhooks", __name__, url_prefix="/webhooks/sendgrid")
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
def inbound_email(secret: str) -> tuple[Response, int]:
    """SendGrid's Inbound Parse: a reply to a case's signed address, an answer to one of our e-mails, or a new
    message to the care address. Every outcome answers 200: SendGrid retries on errors, and a forged, repeated or
    machine-sent message must not come back."""
    expected = current_app.config["SENDGRID_INBOUND_SECRET"]
    if not expected or not hmac.compare_digest(secret, expected):
        return jsonify(error="Unknown inbound address."), 403
    config = current_app.config
    settings = receiving.ReceivingSettings(
        secret_key=config["SECRET_KEY"], care_address=config["CARE_ADDRESS"] or config["MAIL_FROM"],
        mail_from=config["MAIL_FROM"], inbound_domain=config["INBOUND_DOMAIN"], upload_dir=config["UPLOAD_DIR"],
        file_under=config["EMAIL_CATEGORY"])
    files = [(f.filename or "attachment", f.read()) for name, f in request.files.items() if name.startswith("attach")]
    try:
        outcome = receiving.receive(db.session, request.form, files, settings)
        db.session.commit()
    except IntegrityError:
        # The same message delivered twice at the same moment: the other delivery acted on it.
        db.session.rollback()
        return jsonify(accepted=False, reason=receiving.ALREADY_RECEIVED, duplicate=True), 200
    if not outcome.accepted:
        current_app.logger.warning("Inbound e-mail not acted on (%s); to %r", outcome.reason,
                                   request.form.get("to", "")[:200])
        return jsonify(accepted=False, reason=outcome.reason, **outcome.details), 200
    return jsonify(accepted=True, **outcome.details), 200
