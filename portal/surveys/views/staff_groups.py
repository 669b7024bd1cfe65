"""Managers' focus groups: create a group, add members by hand or from a CSV file previewed first."""

from __future__ import annotations

import uuid
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.access import role_required
from portal.auth.models import Role
from portal.db import db, utcnow
from portal.surveys import groups, permissions
from portal.surveys.forms import GroupForm, ImportForm, MemberForm
from portal.surveys.models import FocusGroup, Member

bp = Blueprint("focus_groups", __name__, url_prefix="/staff/focus-groups")
MAX_UPLOAD = 2 * 1024 * 1024


def _group(group_id: int) -> FocusGroup:
    """The group, if the signed-in manager may manage it (403 when it is another team's, 404 when none)."""
    return permissions.group_to_manage(db.session, group_id, current_user) or abort(404)


def _imports() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.manager)
def index():
    form = GroupForm()
    if form.validate_on_submit():
        try:
            group = groups.create_group(db.session, name=form.name.data, description=form.description.data or "",
                                        by=current_user)
        except groups.GroupRefused as refused:
            form.name.errors = [str(refused)]
        else:
            db.session.commit()
            flash(f"Group “{group.name}” created. Now add its members.", "success")
            return redirect(url_for("focus_groups.show", group_id=group.id))
    rows = permissions.groups_managed_by(db.session, current_user)
    return render_template("surveys/groups.html", groups=rows, form=form), 422 if form.errors else 200


def _render_group(group: FocusGroup, member_form=None, import_form=None, status: int = 200):
    today = utcnow().date()
    active = [m for m in group.members if m.active]
    return render_template("surveys/group.html", group=group, members=active,
                           bands={m.id: groups.tenure_band(m, today) for m in active},
                           member_form=member_form or MemberForm(), import_form=import_form or ImportForm()), status


@bp.get("/<int:group_id>")
@role_required(Role.manager)
def show(group_id: int):
    return _render_group(_group(group_id))


@bp.post("/<int:group_id>/members")
@role_required(Role.manager)
def add_member(group_id: int):
    group = _group(group_id)
    form = MemberForm()
    if form.validate_on_submit():
        try:
            groups.add_member(db.session, group, name=form.name.data, email=form.email.data,
                              membership_number=form.membership_number.data or "", member_since=form.member_since.data)
        except groups.GroupRefused as refused:
            form.email.errors = [str(refused)]
        else:
            db.session.commit()
            flash(f"{form.name.data} added.", "success")
            return redirect(url_for("focus_groups.show", group_id=group.id))
    return _render_group(group, member_form=form, status=422)


@bp.post("/<int:group_id>/members/<int:member_id>/remove")
@role_required(Role.manager)
def remove_member(group_id: int, member_id: int) -> Response:
    _group(group_id)
    member = db.session.get(Member, member_id)
    if member is None or member.group_id != group_id:
        abort(404)
    member.left_at = utcnow()
    db.session.commit()
    flash(f"{member.name} is no longer in the group.", "success")
    return redirect(url_for("focus_groups.show", group_id=group_id))


@bp.post("/<int:group_id>/import")
@role_required(Role.manager)
def preview(group_id: int):
    group = _group(group_id)
    form = ImportForm()
    upload = form.file.data if form.validate_on_submit() else None
    data = upload.read(MAX_UPLOAD + 1) if upload else b""
    if not data:
        form.file.errors = ["Choose a CSV file to import."]
        return _render_group(group, import_form=form, status=422)
    if len(data) > MAX_UPLOAD:
        form.file.errors = ["The file is larger than 2 MB; split it and import each part."]
        return _render_group(group, import_form=form, status=422)
    result = groups.preview_import(db.session, group, data)
    token = uuid.uuid4().hex
    if not result.problems:
        (_imports() / f"{group.id}-{token}.csv").write_bytes(data)
    return render_template("surveys/import_preview.html", group=group, preview=result, token=token,
                           filename=upload.filename), 422 if result.problems else 200


@bp.post("/<int:group_id>/import/<token>")
@role_required(Role.manager)
def confirm(group_id: int, token: str) -> Response:
    group = _group(group_id)
    path = _imports() / f"{group.id}-{token}.csv"
    if not token.isalnum() or not path.is_file():
        flash("That preview has expired. Choose the file again.", "error")
        return redirect(url_for("focus_groups.show", group_id=group.id))
    result = groups.preview_import(db.session, group, path.read_bytes())
    changed = groups.apply_import(db.session, group, result)
    db.session.commit()
    path.unlink(missing_ok=True)
    skipped = result.counts["error"]
    flash(f"Imported: {changed} member{'s' if changed != 1 else ''} added or updated"
          + (f"; {skipped} line{'s' if skipped != 1 else ''} with problems skipped." if skipped else "."), "success")
    return redirect(url_for("focus_groups.show", group_id=group.id))
