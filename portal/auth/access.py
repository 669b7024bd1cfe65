"""Who may see what: the sign-in manager and the role check decorator."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, request, session
from flask_login import LoginManager, current_user, login_user

from portal.auth.models import Employee, Role
from portal.auth.signin import employee_for_session
from portal.db import db

login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"
login_manager.login_message = "Sign in to see that page."
login_manager.login_message_category = "info"
# Flask-Login's own protection hashes the client-supplied X-Forwarded-For; start_session binds instead.
login_manager.session_protection = None
# Where a staff session was opened from: the address as the app sees it, which only TRUSTED_PROXIES can change.
BOUND_TO = "staff_address"

F = TypeVar("F", bound=Callable[..., Any])


@login_manager.user_loader
def load_employee(user_id: str) -> Employee | None:
    """Checked on every request: the session must not have been ended and must come from where it began."""
    if session.get(BOUND_TO) != request.remote_addr:
        return None
    return employee_for_session(db.session, user_id)


def start_session(employee: Employee) -> None:
    """Sign ``employee`` in in this browser, bound to the client's address."""
    login_user(employee)
    session[BOUND_TO] = request.remote_addr


def role_required(*roles: Role) -> Callable[[F], F]:
    """Signed-in employees with one of ``roles`` (admins always pass); others get a 403 page."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role != Role.admin and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
