"""Managers' customer imports from the club's ticketing system or CRM: upload, the progress of the check, the
preview line by line, the progress of the import, and its result."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from portal.auth.access import role_required
from portal.auth.models import Role
from portal.auth.permissions import require
from portal.cases import customer_import
from portal.cases.forms import CustomerImportForm
from portal.cases.import_runner import start_pass
from portal.cases.models import CustomerImport
from portal.db import db, utcnow
from portal.inputs import db_int

bp = Blueprint("customer_records", __name__, url_prefix="/staff/customers")
KEEP_UNCONFIRMED_SECONDS = 24 * 3600


def _imports() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _tidy(folder: Path) -> None:
    """Files previewed a day ago and never confirmed are not kept."""
    for old in folder.glob("customers-*.csv"):
        if time.time() - old.stat().st_mtime > KEEP_UNCONFIRMED_SECONDS:
            old.unlink(missing_ok=True)


def _job(import_id: int) -> CustomerImport:
    job = db.session.get(CustomerImport, import_id) or abort(404)
    require(customer_import.may_see(current_user, job), "That import belongs to another team.")
    return job


def _start(job: CustomerImport) -> None:
    start_pass(db.engine, job.id, _imports(), by_id=current_user.id, today=utcnow().date(),
               background=current_app.config.get("IMPORTS_IN_BACKGROUND", True))


@bp.route("/import", methods=["GET", "POST"])
@role_required(Role.manager)
def imports():
    form = CustomerImportForm()
    status = 200
    if request.method == "POST":
        upload = form.file.data if form.validate_on_submit() else None
        if not isinstance(upload, FileStorage) or not upload.filename:
            form.file.errors = ["Choose a CSV file to import."]
        else:
            folder = _imports()
            _tidy(folder)
            stored = f"customers-{uuid.uuid4().hex}.csv"
            upload.save(folder / stored)  # streamed to disk, whatever its size
            size = (folder / stored).stat().st_size
            if not size:
                (folder / stored).unlink(missing_ok=True)
                form.file.errors = ["The file is empty. Export the customers again, with the column names on "
                                    "the first line."]
            else:
                job = customer_import.start(db.session, filename=upload.filename, stored_name=stored, size=size,
                                            by=current_user)
                db.session.commit()
                _start(job)
                return redirect(url_for("customer_records.import_job", import_id=job.id))
        status = 422
    max_mb = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // 2**20
    return render_template("cases/staff/customer_import.html", form=form, max_mb=max_mb,
                           jobs=customer_import.recent(db.session, current_user),
                           fields=customer_import.FIELDS, labels=customer_import.LABELS,
                           spellings=customer_import.SPELLINGS), status


@bp.get("/imports/<int:import_id>")
@role_required(Role.manager)
def import_job(import_id: int):
    job = _job(import_id)
    show = request.args.get("show", "")
    after = request.args.get("after", 0, type=db_int) or 0
    page = customer_import.lines(db.session, job, only=show or None, after=after) if job.status in (
        "checked", "importing", "done") else []
    running = job.status in ("checking", "importing")
    return render_template("cases/staff/customer_import_job.html", job=job, lines=page, show=show, after=after,
                           running=running, stalled=customer_import.stalled(job, utcnow()),
                           actions=customer_import.ACTION_LABELS, summary=customer_import.summary,
                           per_page=100), 200


@bp.post("/imports/<int:import_id>/confirm")
@role_required(Role.manager)
def confirm(import_id: int) -> Response:
    job = _job(import_id)
    try:
        customer_import.confirm(db.session, job, by=current_user)
    except customer_import.ImportRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("customer_records.import_job", import_id=job.id))
    if not (_imports() / job.stored_name).is_file():
        db.session.rollback()
        flash("That preview has expired. Choose the file again.", "error")
        return redirect(url_for("customer_records.imports"))
    db.session.commit()
    _start(job)
    return redirect(url_for("customer_records.import_job", import_id=job.id))
