"""The public "You said, we did" pages: the index, the feed, each change with its "Did this help?" vote."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, send_file, url_for

from portal.changes import public, publishing
from portal.changes.feed import atom_feed
from portal.changes.forms import FeedbackForm
from portal.changes.models import ChangeStatus
from portal.db import db
from portal.inputs import db_int
from portal.organisation import organisation_name
from portal.page_cache import cached_page
from portal.security import csrf, limiter
from portal.urls import public_url
from portal.web import form_status

site = Blueprint("you_said", __name__, url_prefix="/you-said-we-did")


@site.get("/")
@cached_page()
def index() -> str:
    status = request.args.get("status", "")
    result = public.list_published(
        db.session, category_id=request.args.get("category", type=db_int) or None,
        status=ChangeStatus(status) if status in ChangeStatus.__members__ else None,
        search=request.args.get("q", "")[:200], page=request.args.get("page", 1, type=db_int) or 1)
    return render_template("changes/public_index.html", result=result,
                           categories=public.categories_with_changes(db.session), statuses=list(ChangeStatus),
                           status=status)


@site.get("/feed.atom")
@cached_page()
def feed() -> Response:
    items = public.list_published(db.session, page_size=50).items

    body = atom_feed(items, title=f"{organisation_name(db.session)}: You said, we did",
                     site_url=public_url("you_said.index"), feed_url=public_url("you_said.feed"),
                     entry_url=lambda slug: public_url("you_said.show", slug=slug))
    return Response(body, mimetype="application/atom+xml")


# The anonymous "Did this help?" vote carries no CSRF token, so that one cached copy of the page serves every
# visitor (a forged vote gains nothing: it is rate-limited per address and counted once per browser).
@csrf.exempt
@site.route("/<slug>", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@cached_page(skip_cookie_prefix="helped-")
def show(slug: str):
    detail = public.published_change(db.session, slug)
    if detail is None:
        abort(404)
    form = FeedbackForm()
    voted = request.cookies.get(f"helped-{detail.change.id}") == "1"
    if request.method == "POST" and not voted and form.validate_on_submit():
        try:
            publishing.record_feedback(db.session, detail.change, helped=form.helped.data == "yes",
                                       comment=form.comment.data or "")
        except publishing.ChangeRefused as refused:
            form.comment.errors = [str(refused)]
        else:
            db.session.commit()
            flash("Thank you for telling us whether this helped.", "success")
            response = redirect(url_for("you_said.show", slug=slug, _anchor="did-this-help"))
            response.set_cookie(f"helped-{detail.change.id}", "1", max_age=365 * 86400, httponly=True,
                                samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
            return response
    return render_template("changes/public_change.html", detail=detail, form=form, voted=voted,
                           page_url=public_url("you_said.show", slug=slug)), form_status()


@site.get("/<slug>/cover")
def cover(slug: str) -> Response:
    detail = public.published_change(db.session, slug)
    path = publishing.cover_path(current_app.config["UPLOAD_DIR"], detail.change) if detail else None
    if path is None:
        abort(404)
    return send_file(path, mimetype=detail.change.cover_content_type, max_age=3600)
