"""The customer's side: telling us, following a case by private link or account, replying, withdrawing."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from portal.auth.sessions import end_sessions
from portal.cases import contact_preferences, customer_access, customer_replies, filing
from portal.cases.forms import (
    CustomerPasswordForm,
    CustomerSignInForm,
    FilingForm,
    FindCasesForm,
    MakeItRightForm,
    ReplyForm,
    SuggestionForm,
    WithdrawForm,
)
from portal.cases.models import Case, CaseKind, Category, Customer
from portal.cases.progress import case_page_data
from portal.cases.sections import case_sections
from portal.cases.views.shared import send_attachment
from portal.db import db
from portal.errors import PrivateLinkNotFound
from portal.forms import placeholder
from portal.page_cache import cached_page
from portal.security import limiter
from portal.tokens import TokenInvalid
from portal.urls import case_link, public_url
from portal.web import form_status

bp = Blueprint("cases", __name__)
preferences_bp = Blueprint("email_preferences", __name__)


def _email_key() -> str:
    return "email:" + (request.form.get("email") or "").strip().lower()[:254]


def _uploaded_files(field) -> list[tuple[str, bytes]]:
    return [(f.filename or "", f.read()) for f in (field.data or []) if f and (f.filename or "")]



# --- Telling us ---------------------------------------------------------------------------------------------------

# One limit shared by both forms: per address sending, and per e-mail address given.
_filing_by_ip = limiter.shared_limit("20 per hour", scope="filing", methods=["POST"])
_filing_by_email = limiter.shared_limit("6 per hour", scope="filing-email", methods=["POST"], key_func=_email_key)


@bp.route("/tell-us", methods=["GET", "POST"])
@_filing_by_ip
@_filing_by_email
@cached_page(with_form=True)
def tell_us() -> str | Response | tuple[str, int]:
    return _file_a_case("complaint")


@bp.route("/suggest", methods=["GET", "POST"])
@_filing_by_ip
@_filing_by_email
@cached_page(with_form=True)
def suggest() -> str | Response | tuple[str, int]:
    return _file_a_case("suggestion")


def _file_a_case(kind: str) -> str | Response | tuple[str, int]:
    """The filing form and its POST, for a complaint or a suggestion."""
    form = SuggestionForm() if kind == "suggestion" else FilingForm()
    categories = db.session.scalars(select(Category).where(Category.active).order_by(Category.name)).all()
    form.category_id.choices = [placeholder("Choose one")] + [(c.id, c.name) for c in categories]
    if form.validate_on_submit():
        if form.website.data:
            # A bot filled the hidden field: answer as if all went well, keep nothing.
            return redirect(url_for("cases.received"))
        details = filing.Filing(
            name=form.name.data, email=form.email.data, category_id=form.category_id.data,
            what_happened=form.what_happened.data, kind=CaseKind(kind),
            make_it_right=form.make_it_right.data if kind == "complaint" else "",
            better_in_future=form.better_in_future.data or "", phone=form.phone.data or "",
            booking_reference=form.booking_reference.data or "",
            preferred_contact=form.preferred_contact.data, consent_to_contact=form.consent_to_contact.data,
        )
        files = _uploaded_files(form.attachments)
        for attempt in (1, 2):
            try:
                filed = filing.file_case(db.session, details, files=files,
                                         upload_dir=current_app.config["UPLOAD_DIR"], link_for=case_link)
                db.session.commit()
            except filing.FilingRefused as refused:
                db.session.rollback()
                form.form_errors.append(str(refused))
                break
            except IntegrityError:
                # The same new customer filed twice at the same moment: the other filing created them first,
                # so the second try finds them.
                db.session.rollback()
                if attempt == 2:
                    raise
            else:
                session["filed_case"] = filed.case.id
                session["filed_duplicate"] = filed.duplicate
                return redirect(url_for("cases.received"))
    return render_template("cases/file.html", form=form, kind=kind, categories=categories), form_status()


@bp.get("/tell-us/received")
def received() -> str:
    case = db.session.get(Case, session.get("filed_case") or 0)
    return render_template("cases/received.html", case=case, duplicate=session.get("filed_duplicate", False))


# --- Following a case by private link ------------------------------------------------------------------------------

def _case_by_token(token: str) -> Case:
    case = customer_access.case_for_token(db.session, token)
    if case is None:
        raise PrivateLinkNotFound()
    return case


def _render_case(case: Case, actions: dict[str, str], reply_form=None, withdraw_form=None, wish_form=None,
                 status: int = 200):
    data = case_page_data(db.session, case)
    return render_template(
        "cases/case.html", case=case, data=data, actions=actions, audience="customer",
        reply_form=reply_form or ReplyForm(), withdraw_form=withdraw_form or WithdrawForm(),
        wish_form=(wish_form or MakeItRightForm()) if customer_replies.asks_what_would_make_it_right(case) else None,
        **case_sections(db.session, case, "customer"),
    ), status


def _actions(way: str, **key: str) -> dict[str, str]:
    """Where the case page's forms and links go: by private link (``private``) or from the account (``account``)."""
    return {
        "reply": url_for(f"cases.{way}_reply", **key),
        "withdraw": url_for(f"cases.{way}_withdraw", **key),
        "make_it_right": url_for(f"cases.{way}_make_it_right", **key),
        "attachment": url_for(f"cases.{way}_attachment", **key, attachment_id=0)[:-1],
        "self": url_for(f"cases.{way}_case", **key),
    }


def _token_actions(token: str) -> dict[str, str]:
    return _actions("private", token=token)


@bp.get("/my-case/<token>")
def private_case(token: str):
    case = _case_by_token(token)
    db.session.commit()  # keeps the link's last use
    return _render_case(case, _token_actions(token))


@bp.post("/my-case/<token>/reply")
@limiter.limit("30 per hour")
def private_reply(token: str):
    case = _case_by_token(token)
    return _reply(case, _token_actions(token))


@bp.post("/my-case/<token>/withdraw")
def private_withdraw(token: str):
    case = _case_by_token(token)
    return _withdraw(case, _token_actions(token))


@bp.post("/my-case/<token>/make-it-right")
def private_make_it_right(token: str):
    return _make_it_right(_case_by_token(token), _token_actions(token))


@bp.get("/my-case/<token>/attachments/<int:attachment_id>")
def private_attachment(token: str, attachment_id: int) -> Response:
    return send_attachment(_case_by_token(token), attachment_id)


def _reply(case: Case, actions: dict[str, str]):
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            customer_replies.add_customer_reply(db.session, case, form.body.data or "",
                                                files=_uploaded_files(form.attachments),
                                                upload_dir=current_app.config["UPLOAD_DIR"])
        except customer_replies.CustomerActionRefused as refused:
            form.body.errors = [str(refused)]
        else:
            db.session.commit()
            flash(f"Your reply has been sent to {case.owner.first_name}.", "success")
            return redirect(actions["self"] + "#conversation")
    return _render_case(case, actions, reply_form=form, status=422)


def _make_it_right(case: Case, actions: dict[str, str]):
    form = MakeItRightForm()
    if form.validate_on_submit():
        try:
            customer_replies.add_make_it_right(db.session, case, form.make_it_right.data or "")
        except customer_replies.CustomerActionRefused as refused:
            db.session.rollback()
            flash(str(refused), "error")
            return redirect(actions["self"])
        db.session.commit()
        flash(f"Thank you. {case.owner.first_name} will start from what you asked for.", "success")
        return redirect(actions["self"])
    return _render_case(case, actions, wish_form=form, status=422)


def _withdraw(case: Case, actions: dict[str, str]):
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            customer_replies.withdraw_case(db.session, case, form.reason.data or "")
        except customer_replies.CustomerActionRefused as refused:
            flash(str(refused), "error")
        else:
            db.session.commit()
            flash("You have withdrawn your case. Thank you for letting us know.", "success")
        return redirect(actions["self"])
    return _render_case(case, actions, withdraw_form=form, status=422)


# --- Finding my cases and the optional account -------------------------------------------------------------------

@bp.route("/find-my-case", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@limiter.limit("3 per hour", methods=["POST"], key_func=_email_key)
def find_cases() -> str | Response | tuple[str, int]:
    form = FindCasesForm()
    if form.validate_on_submit():
        customer_access.send_links(db.session, form.email.data, link_for=case_link)
        db.session.commit()
        flash(f"If {form.email.data.strip()} has cases with us, we have e-mailed a link to each of them. "
              "It can take a few minutes to arrive.", "info")
        return redirect(url_for("cases.find_cases"))
    return render_template("cases/find.html", form=form), form_status()


CUSTOMER_SESSION = "customer"  # the account's session key (portal.auth.sessions), never a bare customer id


def _signed_in_customer() -> Customer | None:
    return customer_access.customer_for_session(db.session, session.get(CUSTOMER_SESSION))


def _start_customer_session(customer: Customer) -> None:
    session[CUSTOMER_SESSION] = customer.session_key()


@bp.route("/account/sign-in", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def account_sign_in() -> str | Response | tuple[str, int]:
    form = CustomerSignInForm()
    if form.validate_on_submit():
        if form.password.data:
            try:
                customer = customer_access.sign_in_with_password(db.session, form.email.data, form.password.data,
                                                                 address=request.remote_addr or "")
            except customer_access.CustomerSignInRefused as refused:
                db.session.commit()
                form.password.errors = [str(refused)]
                return render_template("cases/account_sign_in.html", form=form), 422
            db.session.commit()
            _start_customer_session(customer)
            return redirect(url_for("cases.account"))
        customer_access.sign_in_link(
            db.session, form.email.data, secret_key=current_app.config["SECRET_KEY"],
            link_for=lambda t: public_url("cases.account_link", token=t),
        )
        db.session.commit()
        flash(f"If {form.email.data.strip()} has cases with us, we have e-mailed it a sign-in link. "
              "It works once, within 30 minutes.", "info")
        return redirect(url_for("cases.account_sign_in"))
    return render_template("cases/account_sign_in.html", form=form), form_status()


@bp.get("/account/sign-in/<token>")
def account_link(token: str) -> Response:
    try:
        customer = customer_access.customer_for_sign_in_token(db.session, token,
                                                               secret_key=current_app.config["SECRET_KEY"])
    except TokenInvalid as invalid:
        flash(f"{invalid} Ask for a new one below.", "error")
        return redirect(url_for("cases.account_sign_in"))
    db.session.commit()
    _start_customer_session(customer)
    return redirect(url_for("cases.account"))


@bp.get("/account")
def account() -> str | Response:
    customer = _signed_in_customer()
    if customer is None:
        return redirect(url_for("cases.account_sign_in"))
    cases = db.session.scalars(
        select(Case).where(Case.customer_id == customer.id).options(selectinload(Case.owner))
        .order_by(Case.created_at.desc())
    ).all()
    return render_template("cases/account.html", customer=customer, cases=cases)


@bp.route("/account/password", methods=["GET", "POST"])
def account_password() -> str | Response | tuple[str, int]:
    customer = _signed_in_customer()
    if customer is None:
        return redirect(url_for("cases.account_sign_in"))
    form = CustomerPasswordForm()
    if form.validate_on_submit():
        customer_access.set_password(customer, form.password.data)
        db.session.commit()
        _start_customer_session(customer)  # other copies of the old cookie stop working; this browser stays in
        flash("Your password is set. Next time you can sign in with it.", "success")
        return redirect(url_for("cases.account"))
    return render_template("cases/account_password.html", form=form), form_status()


@bp.post("/account/sign-out")
def account_sign_out() -> Response:
    customer = _signed_in_customer()
    if customer is not None:
        end_sessions(customer)  # every copy of the cookie, not only this browser's
        db.session.commit()
    session.pop(CUSTOMER_SESSION, None)
    flash("You have signed out.", "info")
    return redirect(url_for("public.home"))


def _account_case(reference: str) -> Case:
    customer = _signed_in_customer()
    if customer is None:
        abort(403)
    case = db.session.scalar(select(Case).where(Case.reference == reference))
    if case is None or case.customer_id != customer.id:
        abort(404)
    return case


def _account_actions(reference: str) -> dict[str, str]:
    return _actions("account", reference=reference)


@bp.get("/account/cases/<reference>")
def account_case(reference: str):
    return _render_case(_account_case(reference), _account_actions(reference))


@bp.post("/account/cases/<reference>/reply")
@limiter.limit("30 per hour")
def account_reply(reference: str):
    return _reply(_account_case(reference), _account_actions(reference))


@bp.post("/account/cases/<reference>/withdraw")
def account_withdraw(reference: str):
    return _withdraw(_account_case(reference), _account_actions(reference))


@bp.post("/account/cases/<reference>/make-it-right")
def account_make_it_right(reference: str):
    return _make_it_right(_account_case(reference), _account_actions(reference))


@bp.get("/account/cases/<reference>/attachments/<int:attachment_id>")
def account_attachment(reference: str, attachment_id: int) -> Response:
    return send_attachment(_account_case(reference), attachment_id)


# The customer's e-mail preferences, reached from the link in every e-mail that is not about their case.
@preferences_bp.route("/email-preferences/<token>", methods=["GET", "POST"])
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
    return render_template("cases/email_preferences.html", email=email,
                           wants=contact_preferences.wants_news(db.session, email))
