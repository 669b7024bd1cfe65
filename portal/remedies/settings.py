"""What remedy services need from the configuration, passed in as plain values (services know no Flask)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class RemedySettings:
    secret_key: str
    org_name: str = "Riverside Rovers FC"
    expiry_days: int = 14
    # The one reminder goes this long before an unanswered offer expires.
    reminder_lead: timedelta = timedelta(days=3)
