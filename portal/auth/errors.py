"""Domain errors of sign-in, accounts and permissions: each message is written for the person who reads it."""

from __future__ import annotations

import math
from datetime import timedelta


class AccountRefused(ValueError):
    """The account cannot be created as asked; the message says why."""


class PasswordRefused(ValueError):
    """A new password that does not meet the rules; the message says which."""


class Throttled(Exception):
    """This client must wait before trying again; ``scope`` says whether for one account or for all."""

    def __init__(self, scope: str, wait: timedelta) -> None:
        super().__init__(f"wait {wait} ({scope})")
        self.scope = scope
        self.wait = wait

    @property
    def wait_text(self) -> str:
        minutes = max(1, math.ceil(self.wait.total_seconds() / 60))
        return "1 minute" if minutes == 1 else f"{minutes} minutes"


class SignInRefused(Exception):
    """Wrong e-mail or password, a client that must wait, or an inactive account; the message is for the user."""

    def __init__(self, message: str, retry_after: timedelta | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NotPermitted(Exception):  # noqa: N818 - the domain's word, like the capabilities' "…Refused"
    """The actor may not do this to this object (views answer 403); the message says whose it is."""
