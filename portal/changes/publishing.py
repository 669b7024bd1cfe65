"""Writing a "You said, we did" change, publishing it, and telling every customer who raised it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import filetype
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.auth.models import Employee
from portal.cases.customer_access import issue_link
from portal.cases.models import Case, EventKind
from portal.cases.timeline import record
from portal.changes import notify
from portal.changes.errors import ChangeRefused
from portal.changes.models import Change, ChangeFeedback, ChangeNotification, ChangeStatus, Theme, ThemeCase
from portal.changes.permissions import require_change, require_theme
from portal.db import utcnow

COVER_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
MAX_COVER_BYTES = 3 * 1024 * 1024


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100] or "change"


def _unique_slug(session: Session, title: str, change: Change | None) -> str:
    base, n = slugify(title), 1
    slug = base
    while True:
        other = session.scalar(select(Change).where(Change.slug == slug))
        if other is None or other is change:
            return slug
        n += 1
        slug = f"{base}-{n}"


def save_change(
    session: Session, change: Change | None, *, theme: Theme, title: str, you_said: str, we_did: str,
    whats_next: str, status: ChangeStatus, started_on: date | None, done_on: date | None, by: Employee,
    notify: Callable[[Change, str], None] | None = None,
) -> Change:
    require_theme(by, theme)
    if change is not None:
        require_change(by, change)
    if not title.strip() or not you_said.strip() or not we_did.strip():
        raise ChangeRefused("A change needs a title, what customers said and what we did.")
    if started_on and done_on and done_on < started_on:
        raise ChangeRefused("The date it was done cannot be before the date it started.")
    creating = change is None
    became_done = not creating and change.status is not ChangeStatus.done and status is ChangeStatus.done
    change = change or Change(theme=theme, created_by=by, slug="")
    change.slug = change.slug if change.published and change.slug else _unique_slug(session, title, change)
    change.theme, change.title = theme, title.strip()
    change.you_said, change.we_did, change.whats_next = you_said.strip(), we_did.strip(), whats_next.strip()
    change.status, change.started_on, change.done_on = status, started_on, done_on
    if status is ChangeStatus.done and change.done_on is None:
        change.done_on = utcnow().date()
    session.add(change)
    session.flush()
    if became_done and change.published and notify is not None:
        notify(change, "done")
    return change


def set_cover(change: Change, data: bytes, alt: str, *, upload_dir: str) -> None:
    if len(data) > MAX_COVER_BYTES:
        raise ChangeRefused("The cover picture must be 3 MB or smaller.")
    kind = filetype.guess(data)
    if kind is None or kind.mime not in COVER_TYPES:
        raise ChangeRefused("The cover picture must be a JPEG, PNG or WebP image.")
    if not alt.strip():
        raise ChangeRefused("Describe the cover picture for people who cannot see it.")
    folder = Path(upload_dir) / "changes"
    folder.mkdir(parents=True, exist_ok=True)
    filename = f"{change.id}.{COVER_TYPES[kind.mime]}"
    (folder / filename).write_bytes(data)
    change.cover_filename, change.cover_content_type, change.cover_alt = filename, kind.mime, alt.strip()[:200]


def cover_path(upload_dir: str, change: Change) -> Path | None:
    path = Path(upload_dir) / "changes" / change.cover_filename
    return path if change.cover_filename and path.is_file() else None


def publish(session: Session, change: Change, *, by: Employee, change_url: str,
            case_link_for: Callable[[str], str]) -> int:
    """Make the change public, mark it on every linked case, and tell the customers who raised it."""
    require_change(by, change)
    if change.published:
        raise ChangeRefused("This change is already published.")
    change.published, change.published_at = True, utcnow()
    cases = session.scalars(select(Case).join(ThemeCase, ThemeCase.case_id == Case.id)
                            .where(ThemeCase.theme_id == change.theme_id)).all()
    for case in cases:
        record(session, case, EventKind.change_published, by=by, public=True,
               body=f"We made a change because of feedback like yours: {change.title}.",
               detail={"change": change.id, "slug": change.slug})
    session.flush()
    return notify_customers(session, change, "published", change_url=change_url, case_link_for=case_link_for)


def notify_customers(session: Session, change: Change, occasion: str, *, change_url: str,
                     case_link_for: Callable[[str], str]) -> int:
    """Queue one e-mail per consenting customer for this occasion; anyone already told is skipped."""
    cases = session.scalars(
        select(Case).join(ThemeCase, ThemeCase.case_id == Case.id)
        .where(ThemeCase.theme_id == change.theme_id, Case.consent_to_contact.is_(True)).order_by(Case.id)
    ).all()
    told = set(session.scalars(select(ChangeNotification.customer_id).where(
        ChangeNotification.change_id == change.id, ChangeNotification.occasion == occasion)))
    queued = 0
    for case in cases:
        if case.customer_id in told:
            continue
        told.add(case.customer_id)
        message = notify.change_published(session, change, case, done=occasion == "done", change_url=change_url,
                                          case_url=case_link_for(issue_link(session, case)))
        session.add(ChangeNotification(change_id=change.id, customer_id=case.customer_id, occasion=occasion))
        queued += message is not None
    return queued


def unpublish(session: Session, change: Change) -> None:
    change.published = False


def record_feedback(session: Session, change: Change, *, helped: bool, comment: str) -> ChangeFeedback:
    if not change.published:
        raise ChangeRefused("This change is not public.")
    if len(comment) > 1000:
        raise ChangeRefused("Keep your comment to 1,000 characters or fewer.")
    feedback = ChangeFeedback(change_id=change.id, helped=helped, comment=comment.strip())
    session.add(feedback)
    return feedback


@dataclass(frozen=True)
class Votes:
    """What readers answered to "Did this help?" on a change's public page."""

    helped: int = 0
    not_helped: int = 0


def votes_by_change(session: Session) -> dict[int, Votes]:
    """Every change's votes, counted in the database (a change nobody answered is absent: no votes)."""
    counts: dict[int, dict[bool, int]] = {}
    for change_id, helped, count in session.execute(
        select(ChangeFeedback.change_id, ChangeFeedback.helped, func.count())
        .group_by(ChangeFeedback.change_id, ChangeFeedback.helped)
    ):
        counts.setdefault(change_id, {})[helped] = count
    return {change_id: Votes(c.get(True, 0), c.get(False, 0)) for change_id, c in counts.items()}


def feedback_on(session: Session, change: Change) -> tuple[Votes, list[ChangeFeedback]]:
    """A change's votes and its answers, newest first (the comments are read on the change's staff page)."""
    answers = list(session.scalars(select(ChangeFeedback).where(ChangeFeedback.change_id == change.id)
                                   .order_by(ChangeFeedback.id.desc())))
    return Votes(sum(a.helped for a in answers), sum(not a.helped for a in answers)), answers
