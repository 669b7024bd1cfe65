"""A task force's meeting notes: written on its page by its members."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from portal.db import db
from portal.ideas import meetings
from portal.ideas.errors import IdeaRefused
from portal.ideas.forms import MeetingNoteForm
from portal.ideas.models import TaskForce
from portal.ideas.views.staff import bp, render_task_force, today
from portal.web import get_or_404


@bp.post("/task-forces/<int:task_force_id>/notes")
@login_required
def add_meeting_note(task_force_id: int) -> Response | tuple[str, int]:
    force = get_or_404(TaskForce, task_force_id)
    meetings.require_on_it(current_user, force)
    form = MeetingNoteForm()
    if form.validate_on_submit():
        try:
            meetings.add_note(db.session, force, by=current_user, met_on=form.met_on.data, body=form.body.data,
                              today=today())
        except IdeaRefused as refused:
            db.session.rollback()
            if not meetings.may_write(current_user, force):  # closed meanwhile: the page shows no form to mend
                flash(str(refused), "error")
                return redirect(url_for("ideas.task_force", task_force_id=force.id))
            form.body.errors = [str(refused)]
        else:
            db.session.commit()
            flash("Meeting note added.", "success")
            return redirect(url_for("ideas.task_force", task_force_id=force.id, _anchor="meetings"))
    return render_task_force(force, form, 422)
