"""Each case's milestones, as its timeline gives them, kept beside the case so the dashboard reads one row per
case instead of grouping every event of the period on every request."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, false
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base


class CaseMilestones(Base):
    """Never written by hand: `portal.metrics.milestone_sync` recomputes a case's row from its events whenever events
    are added to it, and `portal metrics rebuild` recomputes every row, so it cannot drift from the timeline."""

    __tablename__ = "case_milestones"

    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), primary_key=True)
    first_response_at: Mapped[datetime | None]
    first_offer_at: Mapped[datetime | None]
    first_proposed_at: Mapped[datetime | None]
    first_approved_at: Mapped[datetime | None]
    first_choice_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    handoffs: Mapped[int] = mapped_column(default=0)
    reopens: Mapped[int] = mapped_column(default=0)
    counter_proposals: Mapped[int] = mapped_column(default=0)
    choices: Mapped[int] = mapped_column(default=0)
    rating: Mapped[int | None]
    # Resolved at first contact, as the shared definition says (see milestones.from_timeline): its first
    # resolution came with no message from the customer before it and at most one public reply from staff.
    resolved_at_first_contact: Mapped[bool] = mapped_column(default=False, server_default=false())
