"""Domain errors of remedies; each message is written for the person who will read it."""

from portal.auth.permissions import NotPermitted


class RemedyRefused(ValueError):
    """An action on remedies cannot be done as asked; the message says why."""


class NotAllowed(RemedyRefused, NotPermitted):
    """The employee may not do this on this case (views answer 403)."""


class OfferRefused(RemedyRefused):
    """An offer cannot be composed, approved or fulfilled as asked."""


class ChoiceRefused(RemedyRefused):
    """The customer's choice cannot be taken (already chosen, expired, not one of the options)."""


class RatingRefused(RemedyRefused):
    """The rating cannot be taken (already rated, not resolved, out of range)."""


class CatalogueRefused(RemedyRefused):
    """A catalogue entry cannot be saved as asked."""
