"""Reply templates for staff: the list, a new one, a change, a deletion with a confirm step. Managers keep their
team's, everyone their own; the rules are the service's (portal.cases.reply_templates)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from portal.auth.permissions import require
from portal.cases import reply_templates
from portal.cases.errors import ReplyTemplateRefused
from portal.cases.forms import ConfirmForm, ReplyTemplateForm
from portal.cases.models import ReplyTemplate
from portal.db import db
from portal.web import form_status, get_or_404

bp = Blueprint("reply_templates", __name__, url_prefix="/staff/reply-templates")


def _kept(template_id: int) -> ReplyTemplate:
    """A template the signed-in employee keeps: 404 when there is none, 403 when it is someone else's."""
    template = get_or_404(ReplyTemplate, template_id)
    require(reply_templates.can_manage(current_user, template), "This reply template is not yours to change.")
    return template


def _page(template_name: str, **context):
    return render_template(template_name, placeholders=reply_templates.PLACEHOLDERS,
                           body_max=reply_templates.BODY_MAX, **context), form_status()


@bp.get("")
@login_required
def index():
    templates = reply_templates.listed_templates(db.session, current_user)
    return render_template("cases/staff/reply_templates.html", templates=templates,
                           may_change=lambda t: reply_templates.can_manage(current_user, t),
                           placeholders=reply_templates.PLACEHOLDERS)


def _saved(form: ReplyTemplateForm, save: Callable[[], ReplyTemplate], done: Callable[[ReplyTemplate], str]):
    """A valid form through ``save`` (the service), then back to the list saying ``done``; or None, with the
    refusal on the field it is about, for the page to show the form again."""
    if not form.validate_on_submit():
        return None
    try:
        saved = save()
    except ReplyTemplateRefused as refused:
        db.session.rollback()
        form[refused.field].errors = [str(refused)]
        return None
    db.session.commit()
    flash(done(saved), "success")
    return redirect(url_for("reply_templates.index"))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = ReplyTemplateForm()
    teams = {team.id: team for team in reply_templates.teams_for_templates(db.session, current_user)}
    if teams:
        form.team.choices = [("", "Only me")] + [(i, f"The {t.name} team") for i, t in teams.items()]
        if not form.is_submitted():
            form.team.data = current_user.team_id if current_user.team_id in teams else None
    else:
        del form.team  # an agent keeps only their own
    team = teams.get(form.team.data) if teams else None
    done = _saved(
        form, lambda: reply_templates.create(db.session, by=current_user, title=form.title.data,
                                             body=form.body.data, team=team),
        lambda saved: f"Saved “{saved.title}”. It is in the picker of every reply "
                      f"{'of the ' + team.name + ' team' if team else 'you write'}.")
    return done or _page("cases/staff/reply_template_edit.html", form=form, template=None)


@bp.route("/<int:template_id>/edit", methods=["GET", "POST"])
@login_required
def edit(template_id: int):
    template = _kept(template_id)
    form = ReplyTemplateForm(obj=template)
    del form.team  # whose it is stays as it was
    done = _saved(
        form, lambda: reply_templates.edit(db.session, template, by=current_user, title=form.title.data,
                                           body=form.body.data),
        lambda saved: f"Saved “{saved.title}”.")
    return done or _page("cases/staff/reply_template_edit.html", form=form, template=template)


@bp.route("/<int:template_id>/delete", methods=["GET", "POST"])
@login_required
def delete(template_id: int):
    template = _kept(template_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        title = template.title
        reply_templates.delete(db.session, template, by=current_user)
        db.session.commit()
        flash(f"Deleted “{title}”.", "success")
        return redirect(url_for("reply_templates.index"))
    return _page("cases/staff/reply_template_delete.html", form=form, template=template)
