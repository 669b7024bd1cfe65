"""Two records of one person (one person, two addresses) made one: every case, note and consent moves to the
record kept, the other is deleted, and an audit row says what each was.

Each capability moves what it holds of a customer (its ``privacy.move_customer``; together they cover every
foreign key to ``customer.id``: cases and notes, "You said, we did" notifications, focus-group memberships); the
customer's record (cases) goes last, as in erasure. The record merged away is described in a note on the one kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from portal.admin.errors import MergeRefused
from portal.audit import record, snapshot
from portal.auth.models import Employee, Role
from portal.auth.permissions import require
from portal.cases import privacy as cases_privacy
from portal.cases.models import Case, Customer, CustomerNote
from portal.cases.permissions import can_view
from portal.changes import privacy as changes_privacy
from portal.changes.models import ChangeNotification
from portal.privacy import plain
from portal.surveys import privacy as surveys_privacy
from portal.surveys.models import Member

__all__ = ["MergePlan", "MergeRefused", "find_other", "may_merge", "merge", "plan"]

FIELDS = ("id", "email", "name", "phone", "external_id", "membership", "customer_since", "lifetime_spend",
          "preferences", "email_opt_out_at", "preferred_contact")
MOVERS = (changes_privacy, surveys_privacy, cases_privacy)


@dataclass(frozen=True)
class MergePlan:
    keep: Customer
    remove: Customer
    cases: int
    notes: int
    memberships: int
    notifications: int


def may_merge(session: Session, actor: Employee, customer: Customer) -> bool:
    """Admins; a manager when every case of the record is one they may see (a merge shows one record's history on
    the other's page, so it must never bring another team's case into view). Agents do not merge."""
    if not actor.active or actor.role is Role.agent:
        return False
    if actor.role is Role.admin:
        return True
    return all(can_view(session, actor, case) for case in customer.cases)


def find_other(session: Session, text: str, actor: Employee) -> Customer | None:
    """The record named by an e-mail address (any letter case), an external id or "#123", if ``actor`` may merge
    it (another team's customer is not found, as if there were none)."""
    text = text.strip()
    found = None
    if text.startswith("#") and text[1:].isdigit() and len(text) < 19:
        found = session.get(Customer, int(text[1:]))
    elif text:
        found = session.scalar(select(Customer).where(func.lower(Customer.email) == text.lower())) or \
            session.scalar(select(Customer).where(Customer.external_id == text))
    return found if found is not None and may_merge(session, actor, found) else None


def _count(session: Session, *conditions) -> int:
    return session.scalar(select(func.count()).where(*conditions)) or 0


def plan(session: Session, keep: Customer, remove: Customer, *, by: Employee) -> MergePlan:
    """What a merge of ``remove`` into ``keep`` would move; refused for one record twice, or two of the club's."""
    require(may_merge(session, by, keep) and may_merge(session, by, remove),
            "Only an admin, or a manager who may see every case of both records, can merge them.")
    if keep.id == remove.id:
        raise MergeRefused("That is this record itself: a record cannot be merged into itself.")
    if keep.external_id and remove.external_id:
        raise MergeRefused(f"Both records are in the club's own system (external ids {keep.external_id} and "
                           f"{remove.external_id}). Merge them there first: the next import would make them two "
                           "again.")
    return MergePlan(
        keep, remove, _count(session, Case.customer_id == remove.id),
        _count(session, CustomerNote.customer_id == remove.id),
        _count(session, or_(Member.customer_id == remove.id, func.lower(Member.email) == (remove.email or "").lower())
               if remove.email else Member.customer_id == remove.id),
        _count(session, ChangeNotification.customer_id == remove.id))


def merge(session: Session, keep: Customer, remove: Customer, *, by: Employee) -> MergePlan:
    """Move everything of ``remove`` to ``keep``, combine what each holds, delete ``remove``; an audit row."""
    done = plan(session, keep, remove, by=by)
    before = {"kept": _values(keep), "merged away": _values(remove)}
    moved: dict[str, int] = {}
    for module in MOVERS:
        moved.update(module.move_customer(session, keep, remove))
    session.add(CustomerNote(customer_id=keep.id, author=by, kind="note", body=(
        f"Merged with the record of {remove.name} <{remove.email or 'no e-mail address'}>"
        + (f" (external id {remove.external_id})" if remove.external_id else "")
        + f": {_n(done.cases, 'case')}, {_n(done.notes, 'note')} and "
        f"{_n(done.memberships, 'focus-group membership')} moved here.")))
    remove_id = remove.id
    session.expunge(remove)
    with session.no_autoflush:  # gone before the kept record takes over its external id (unique)
        session.execute(delete(Customer).where(Customer.id == remove_id))
    session.flush()
    record(session, actor=by, action="merge", entity="customer", entity_id=keep.id,
           summary=f"Merged {before['merged away']['name']} <{before['merged away']['email'] or 'no address'}> "
                   f"(#{remove_id}) into {keep.name} <{keep.email or 'no address'}> (#{keep.id})",
           before=before, after={"kept": _values(keep), "moved": moved})
    session.expire(keep, ["cases"])
    return done


def _values(customer: Customer) -> dict[str, object]:
    return {name: plain(value) for name, value in snapshot(customer, FIELDS).items()}


def _n(count: int, what: str) -> str:
    return f"{count} {what}{'' if count == 1 else 's'}"
