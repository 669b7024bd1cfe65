"""What remedy services need from the configuration, passed in as plain values (services know no Flask)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from portal.times import DEFAULT_ZONE


@dataclass(frozen=True)
class RemedySettings:
    secret_key: str
    org_name: str = "Riverside Rovers FC"
    expiry_days: int = 14
    timezone: str = DEFAULT_ZONE  # ORG_TIMEZONE: how times read in the e-mails and letters
    # The one reminder goes this long before an unanswered offer expires.
    reminder_lead: timedelta = timedelta(days=3)
