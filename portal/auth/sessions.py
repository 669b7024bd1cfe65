"""Sessions the server can end: each account keeps a session generation, and a cookie names "<id>:<generation>".

The cookie itself lives in the browser (Flask's signed cookie), so a captured copy cannot be deleted; instead
ending the account's sessions moves its generation on, and every cookie naming the old one stops working on its
next request. Signing out, a new password and deactivation (or erasure) all do that. The key is signed by the app,
so it cannot be edited, and holds nothing derived from the password.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.orm import InstrumentedAttribute, Mapped, Session, mapped_column

# Large enough for any real generation; a cookie naming a bigger number is not ours (and would overflow BIGINT).
_MAX_DIGITS = 18


class SessionHolder:
    """A mixin for accounts that sign in (employees, customers)."""

    id: Mapped[int]
    session_generation: Mapped[int] = mapped_column(default=0, server_default=text("0"))

    def session_key(self) -> str:
        return f"{self.id}:{self.session_generation or 0}"


Holder = TypeVar("Holder", bound=SessionHolder)


def end_sessions(account: SessionHolder) -> None:
    """Every cookie naming this account's sessions so far stops working (saved with the caller's commit)."""
    account.session_generation = (account.session_generation or 0) + 1


def account_for_session(session: Session, model: type[Holder], key: object) -> Holder | None:
    """The account a session key names, or None when the key is garbled or its sessions have been ended."""
    if not isinstance(key, str):
        return None
    account_id, _, generation = key.partition(":")
    if not (_is_number(account_id) and _is_number(generation)):
        return None
    account = session.get(model, int(account_id))
    if account is None or (account.session_generation or 0) != int(generation):
        return None
    return account


def _is_number(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= _MAX_DIGITS


def end_sessions_when_changed(attribute: InstrumentedAttribute[Any]) -> None:
    """Whatever code changes ``attribute`` (a password, the active flag), the account's sessions end with it."""

    def changed(target: SessionHolder, value: Any, old: Any, _initiator: Any) -> None:
        if value != old:
            end_sessions(target)

    event.listen(attribute, "set", changed)
