"""What remedy services need from the configuration, passed in as plain values (services know no Flask)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from portal.config import Settings
from portal.times import DEFAULT_ZONE


@dataclass(frozen=True)
class RemedySettings:
    secret_key: str
    org_name: str = "Riverside Rovers FC"
    expiry_days: int = Settings.OFFER_EXPIRY_DAYS  # the one home of the default: OFFER_EXPIRY_DAYS
    timezone: str = DEFAULT_ZONE  # ORG_TIMEZONE: how times read in the e-mails and letters
    # The one reminder goes this long before an unanswered offer expires.
    reminder_lead: timedelta = timedelta(days=3)

    @classmethod
    def from_config(cls, config: Mapping[str, Any], *, org_name: str) -> RemedySettings:
        """From the app's configuration (views and commands alike); the organisation's name is read by the caller."""
        return cls(secret_key=config["SECRET_KEY"], org_name=org_name, expiry_days=int(config["OFFER_EXPIRY_DAYS"]),
                   timezone=config["ORG_TIMEZONE"])
