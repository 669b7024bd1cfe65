"""Who may see what: the sign-in manager and the role check decorator."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import LoginManager, current_user

from portal.auth.models import Employee, Role
from portal.db import db

login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"
login_manager.login_message = "Sign in to see that page."
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"

F = TypeVar("F", bound=Callable[..., Any])


@login_manager.user_loader
def load_employee(user_id: str) -> Employee | None:
    employee_id, _, fingerprint = user_id.partition(":")
    if not employee_id.isdigit():
        return None
    employee = db.session.get(Employee, int(employee_id))
    if employee is None or not employee.active or employee.get_id() != user_id:
        return None
    return employee


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
