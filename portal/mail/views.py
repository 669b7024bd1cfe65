"""SendGrid's webhooks: delivery events, and e-mailed replies to a case's signed address.

Both are checked and read here; what they mean for a case is reported upwards (`portal.mail.outcomes`)."""

from __future__ import annotations

import hmac

from flask import Blueprint, current_app, jsonify, request
from werkzeug.wrappers import Response

from portal.db import db, utcnow
from portal.mail import events, inbound, outcomes, webhook_signature
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
def inbound_reply(secret: str) -> tuple[Response, int]:
    expected = current_app.config["SENDGRID_INBOUND_SECRET"]
    if not expected or not hmac.compare_digest(secret, expected):
        return jsonify(error="Unknown inbound address."), 403
    reference = inbound.reference_from(inbound.recipients(request.form), secret_key=current_app.config["SECRET_KEY"])
    if reference is None:
        return _no_case_address()
    files = [(f.filename or "attachment", f.read()) for name, f in request.files.items() if name.startswith("attach")]
    body = inbound.strip_quoted(request.form.get("text", "")) or inbound.strip_quoted(request.form.get("html", ""))
    outcome = outcomes.receive_reply(db.session, outcomes.InboundReply(
        reference, inbound.sender(request.form), body, files, current_app.config["UPLOAD_DIR"]))
    if not outcome.accepted:
        db.session.rollback()
        if outcome.reason == outcomes.NO_CASE:
            return _no_case_address()
        return jsonify(accepted=False, reason=outcome.reason), 200
    db.session.commit()
    return jsonify(accepted=True, **outcome.details), 200


def _no_case_address() -> tuple[Response, int]:
    current_app.logger.warning("Inbound e-mail refused: no verified case address in %r",
                               request.form.get("to", "")[:200])
    # SendGrid retries on errors; a forged or stale address must not come back, so answer 200 and keep nothing.
    return jsonify(accepted=False, reason=outcomes.NO_CASE), 200
