"""The customer's e-mail preferences page, reached from the link in every e-mail that is not about their case."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from portal.cases import contact_preferences
from portal.db import db
from portal.tokens import TokenInvalid

bp = Blueprint("email_preferences", __name__)


@bp.route("/email-preferences/<token>", methods=["GET", "POST"])
def email_preferences(token: str) -> str | Response:
    try:
        email = contact_preferences.email_for_token(token, secret_key=current_app.config["SECRET_KEY"])
    except TokenInvalid:
        abort(404)
    if request.method == "POST":
        wanted = request.form.get("news") == "yes"
        contact_preferences.set_news(db.session, email, wanted=wanted)
        db.session.commit()
        flash("Saved. " + ("We will tell you about changes and ask your views." if wanted else
                           "You will only get e-mails about your own cases."), "success")
        return redirect(url_for("email_preferences.email_preferences", token=token))
    return render_template("mail_admin/preferences.html", email=email,
                           wants=contact_preferences.wants_news(db.session, email))
