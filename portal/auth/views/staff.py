from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user
from werkzeug.wrappers import Response

from portal.auth import reset, signin
from portal.auth.access import start_session
from portal.auth.forms import ForgotPasswordForm, ResetPasswordForm, SignInForm
from portal.auth.passwords import PasswordRefused
from portal.auth.sessions import end_sessions
from portal.db import db
from portal.inputs import safe_next
from portal.security import limiter
from portal.tokens import TokenInvalid
from portal.urls import public_url
from portal.web import form_status

bp = Blueprint("auth", __name__, url_prefix="/staff")


def _safe_next(target: str | None) -> str:
    return safe_next(target, url_for(current_app.config.get("STAFF_HOME_ENDPOINT", "public.home")))


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("30/minute", methods=["POST"])
def sign_in() -> str | Response | tuple[str, int]:
    form = SignInForm()
    next_url = request.values.get("next", "")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(next_url))
    if not form.validate_on_submit():
        status = form_status()
        return render_template("auth/sign_in.html", form=form, next_url=next_url), status
    try:
        employee = signin.sign_in(db.session, form.email.data or "", form.password.data or "",
                                  address=request.remote_addr or "")
    except signin.SignInRefused as refused:
        db.session.commit()  # the failure count must survive the refusal
        form.email.errors = [str(refused)]
        return render_template("auth/sign_in.html", form=form, next_url=next_url), 422
    db.session.commit()
    start_session(employee)
    flash(f"Signed in as {employee.name}.", "success")
    if not next_url and employee.is_manager and "staff.team" in current_app.view_functions:
        return redirect(url_for("staff.team"))  # managers start from their team's queue
    return redirect(_safe_next(next_url))


@bp.post("/sign-out")
@login_required
def sign_out() -> Response:
    # Ends this session everywhere a copy of the cookie might be, not only in this browser.
    end_sessions(current_user)
    db.session.commit()
    logout_user()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
def forgot_password() -> str | Response | tuple[str, int]:
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        status = form_status()
        return render_template("auth/forgot_password.html", form=form), status
    reset.request_reset(
        db.session,
        form.email.data or "",
        secret_key=current_app.config["SECRET_KEY"],
        link=lambda token: public_url("auth.reset_password", token=token),
    )
    db.session.commit()
    flash(
        "If that address belongs to a staff account, we have sent it a link to reset the password. "
        "The link works for one hour.",
        "info",
    )
    return redirect(url_for("auth.forgot_password"))


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    return _choose_password(token, invitation=False)


@bp.route("/welcome/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> str | Response | tuple[str, int]:
    return _choose_password(token, invitation=True)


def _choose_password(token: str, *, invitation: bool) -> str | Response | tuple[str, int]:
    """One page for a reset link and an invitation: both are signed, single-use ways to set a password."""
    secret_key = current_app.config["SECRET_KEY"]
    try:
        employee = reset.employee_for_token(db.session, token, secret_key=secret_key, invitation=invitation)
    except TokenInvalid as invalid:
        flash(f"{invalid} Ask for a new link below.", "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset.reset_password(db.session, token, form.password.data or "", secret_key=secret_key,
                                 invitation=invitation)
        except PasswordRefused as refused:
            form.password.errors = [str(refused)]
        else:
            db.session.commit()
            done = "Your password is set" if invitation else "Your password has been changed"
            flash(f"{done}, {employee.first_name}. Sign in with it now.", "success")
            return redirect(url_for("auth.sign_in"))
    status = form_status()
    action = url_for("auth.accept_invitation" if invitation else "auth.reset_password", token=token)
    return render_template(
        "auth/reset_password.html", form=form, token=token, action=action, invitation=invitation, employee=employee
    ), status
