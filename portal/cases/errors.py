"""Domain errors of cases: each message is written for the person who reads it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portal.cases.models import Event


class CaseActionRefused(ValueError):
    """What an employee asked cannot be done on this case; the message says why."""


class StaleCase(CaseActionRefused):
    """Someone added to the case after this employee loaded it; nothing was saved, the newer entries are shown."""

    def __init__(self, newer: list[Event]) -> None:
        super().__init__(
            f"{len(newer)} new entr{'y' if len(newer) == 1 else 'ies'} arrived while you were writing. "
            "Read them below; your text is kept so you can send it again."
        )
        self.newer = newer


class HandoffRefused(CaseActionRefused):
    """The handoff cannot happen as asked; the message says why."""


class FilingRefused(ValueError):
    """The case cannot be filed as sent; the message says why and nothing was saved."""


class AttachmentRefused(ValueError):
    """A file that cannot be accepted; the message says which and why."""


class NoteRefused(ValueError):
    """The note cannot be saved; the message says why."""


class CustomerSignInRefused(Exception):
    """Wrong e-mail address or password for a customer account, or a client that must wait."""


class CustomerActionRefused(ValueError):
    """What the customer asked cannot be done on this case now; the message says why."""


class ReplyTemplateRefused(ValueError):
    """A reply template that cannot be saved as written; the message says why, ``field`` which part (the title
    or the body), and nothing was saved."""

    def __init__(self, message: str, *, field: str = "body") -> None:
        super().__init__(message)
        self.field = field
