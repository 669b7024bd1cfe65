"""Managers' themes and changes: grouping cases, quoting customers, writing, publishing and reporting changes."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import page_cache
from portal.auth.access import role_required
from portal.auth.models import Role
from portal.cases.models import Case, Category
from portal.cases.permissions import categories_managed_by
from portal.changes import permissions, publishing, themes
from portal.changes.forms import ChangeForm, QuoteForm, ThemeForm
from portal.changes.models import Change, ChangeStatus
from portal.changes.report import quarter_of, report_pdf
from portal.db import db, utcnow
from portal.forms import placeholder
from portal.inputs import db_int, optional_db_int
from portal.organisation import organisation_name
from portal.urls import case_link, public_url
from portal.web import form_status

staff = Blueprint("themes", __name__, url_prefix="/staff")


@staff.after_request
def _fresh_public_pages(response: Response) -> Response:
    if request.method == "POST":  # any change to themes or changes may show on the public pages
        page_cache.clear()
    return response



def _categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.name)))


def _change_url(change: Change) -> str:
    return public_url("you_said.show", slug=change.slug)


# --- Managers: themes -----------------------------------------------------------------------------------------

@staff.route("/themes", methods=["GET", "POST"])
@role_required(Role.manager)
def theme_list() -> str | WerkzeugResponse | tuple[str, int]:
    form = ThemeForm()
    form.category_id.choices = [(0, "Any category")] + [
        (c.id, c.name) for c in categories_managed_by(db.session, current_user)]
    if form.validate_on_submit():
        theme = themes.create_theme(db.session, title=form.title.data, description=form.description.data or "",
                                    category=db.session.get(Category, form.category_id.data or 0), by=current_user)
        db.session.commit()
        flash(f"Theme “{theme.title}” created. Now link the cases that raised it.", "success")
        return redirect(url_for("themes.theme", theme_id=theme.id))
    rows = permissions.themes_managed_by(db.session, current_user)
    return render_template("changes/themes.html", themes=rows, stats={t.id: themes.stats(db.session, t.id)
                                                                     for t in rows}, form=form), form_status()


@staff.route("/themes/<int:theme_id>", methods=["GET", "POST"])
@role_required(Role.manager)
def theme(theme_id: int):
    item = permissions.theme_to_manage(db.session, theme_id, current_user) or abort(404)
    linked = themes.linked_cases(db.session, item)
    quote_form = QuoteForm()
    quote_form.case_id.choices = [placeholder("Choose a case")] + [(c.id, f"{c.reference}: {c.what_happened[:60]}")
                                                           for c in linked]
    status = 200
    if request.method == "POST":
        if quote_form.validate_on_submit():
            case = db.session.get(Case, quote_form.case_id.data) or abort(400)
            try:
                themes.add_quote(db.session, item, case, quote_form.text.data,
                                 customer_agreed=quote_form.customer_agreed.data)
            except themes.ThemeRefused as refused:
                quote_form.text.errors = [str(refused)]
            else:
                db.session.commit()
                flash("Quote added.", "success")
                return redirect(url_for("themes.theme", theme_id=theme_id, _anchor="quotes"))
        status = 422
    search = themes.search_cases(db.session, words=request.args.get("q", ""), viewer=current_user,
                                 category_id=request.args.get("category", type=db_int) or item.category_id,
                                 page=request.args.get("page", 1, type=db_int) or 1) \
        if request.args.get("q") or request.args.get("category") else None
    changes = db.session.scalars(select(Change).where(Change.theme_id == item.id).order_by(Change.id)).all()
    return render_template("changes/theme.html", theme=item, linked=linked, stats=themes.stats(db.session, item.id),
                           search=search, categories=_categories(), quote_form=quote_form,
                           linked_ids={c.id for c in linked}, changes=changes), status


@staff.post("/themes/<int:theme_id>/cases")
@role_required(Role.manager)
def link_cases(theme_id: int) -> WerkzeugResponse:
    item = permissions.theme_to_manage(db.session, theme_id, current_user) or abort(404)
    ids = [i for i in request.form.getlist("case_ids", type=optional_db_int) if i is not None]
    added = themes.add_cases_to_theme(db.session, item, ids, by=current_user)
    db.session.commit()
    flash(f"{added} case{'s' if added != 1 else ''} linked to “{item.title}”." if added else
          "Choose at least one case that is not linked yet.", "success" if added else "error")
    return redirect(request.form.get("back") if (request.form.get("back") or "").startswith("/staff/")
                    else url_for("themes.theme", theme_id=theme_id))


@staff.post("/themes/<int:theme_id>/cases/<int:case_id>/remove")
@role_required(Role.manager)
def unlink_case(theme_id: int, case_id: int) -> WerkzeugResponse:
    item = permissions.theme_to_manage(db.session, theme_id, current_user) or abort(404)
    themes.remove_case(db.session, item, case_id)
    db.session.commit()
    flash("Case unlinked from the theme.", "success")
    return redirect(url_for("themes.theme", theme_id=theme_id))


# --- Managers: changes ------------------------------------------------------------------------------------------

@staff.get("/changes")
@role_required(Role.manager)
def change_list() -> str:
    rows = permissions.changes_managed_by(db.session, current_user)
    start, end = quarter_of(utcnow().date())
    return render_template("changes/changes.html", changes=rows, votes=publishing.votes_by_change(db.session),
                           no_votes=publishing.Votes(), quarter=(start, end))


def _change_form(change: Change | None) -> ChangeForm:
    form = ChangeForm(obj=change)
    if change is not None and request.method == "GET":
        form.status.data = change.status.value
    if change is None and request.method == "GET":
        # A change begun elsewhere (a closed task force's "Tell customers what changed") arrives with its words;
        # nothing is saved until the manager saves it here.
        for name in ("title", "you_said", "we_did"):
            if request.args.get(name):
                getattr(form, name).data = request.args[name][:3000]
    return form


@staff.route("/changes/new", methods=["GET", "POST"], defaults={"change_id": None})
@staff.route("/changes/<int:change_id>", methods=["GET", "POST"])
@role_required(Role.manager)
def change(change_id: int | None):
    existing = (permissions.change_to_manage(db.session, change_id, current_user) or abort(404)) if change_id \
        else None
    item_theme = existing.theme if existing else permissions.theme_to_manage(
        db.session, request.args.get("theme", type=db_int) or 0, current_user)
    if item_theme is None:
        flash("Start a change from its theme: which feedback does it answer?", "info")
        return redirect(url_for("themes.theme_list"))
    form = _change_form(existing)
    if form.validate_on_submit():
        try:
            saved = publishing.save_change(
                db.session, existing, theme=item_theme, title=form.title.data, you_said=form.you_said.data,
                we_did=form.we_did.data, whats_next=form.whats_next.data or "", status=ChangeStatus(form.status.data),
                started_on=form.started_on.data, done_on=form.done_on.data, by=current_user,
                notify=lambda c, occasion: publishing.notify_customers(
                    db.session, c, occasion, change_url=_change_url(c), case_link_for=case_link),
            )
            if form.cover.data:
                publishing.set_cover(saved, form.cover.data.read(), form.cover_alt.data or "",
                                     upload_dir=current_app.config["UPLOAD_DIR"])
        except publishing.ChangeRefused as refused:
            db.session.rollback()
            form.form_errors.append(str(refused))
        else:
            db.session.commit()
            flash("Change saved." + ("" if saved.published else " It is a draft: only staff can see it."), "success")
            return redirect(url_for("themes.change", change_id=saved.id))
    stats = themes.stats(db.session, item_theme.id)
    votes, feedback = publishing.feedback_on(db.session, existing) if existing else (publishing.Votes(), [])
    return render_template("changes/change_form.html", form=form, change=existing, theme=item_theme, stats=stats,
                           votes=votes, feedback=feedback), form_status()


@staff.post("/changes/<int:change_id>/publish")
@role_required(Role.manager)
def publish(change_id: int) -> WerkzeugResponse:
    item = permissions.change_to_manage(db.session, change_id, current_user) or abort(404)
    try:
        told = publishing.publish(db.session, item, by=current_user, change_url=_change_url(item),
                                  case_link_for=case_link)
    except publishing.ChangeRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("themes.change", change_id=change_id))
    db.session.commit()
    flash(f"Published. {told} customer{'s' if told != 1 else ''} who raised it will be told by e-mail.", "success")
    return redirect(url_for("themes.change", change_id=change_id))


@staff.post("/changes/<int:change_id>/unpublish")
@role_required(Role.manager)
def unpublish(change_id: int) -> WerkzeugResponse:
    item = permissions.change_to_manage(db.session, change_id, current_user) or abort(404)
    publishing.unpublish(db.session, item)
    db.session.commit()
    flash("The change is no longer public.", "success")
    return redirect(url_for("themes.change", change_id=change_id))


@staff.get("/changes/report.pdf")
@role_required(Role.manager)
def report() -> Response:
    default_start, default_end = quarter_of(utcnow().date())
    try:
        start = date.fromisoformat(request.args.get("from") or default_start.isoformat())
        end = date.fromisoformat(request.args.get("to") or default_end.isoformat())
    except ValueError:
        abort(400)
    if end <= start:
        abort(400)

    pdf = report_pdf(db.session, start=start, end=end, zone=ZoneInfo(current_app.config["ORG_TIMEZONE"]),
                     org_name=organisation_name(db.session))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="you-said-we-did-{start}-{end}.pdf"'})
