"""How long the resolution letter takes to render: the median of warm renders (target: under 150 ms).

Run `python -m bench.letter_bench` (or call `measure_letter_render()` from `make bench`)."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from decimal import Decimal

TARGET_MS = 150.0


def _sample_offer():
    """A realistic fulfilled offer, built in memory: rendering needs no database."""
    from portal.auth.models import Employee, Role
    from portal.cases.models import Case, Category, Customer
    from portal.db import utcnow
    from portal.remedies.models import Choice, Offer, OfferStatus, Remedy, RemedyKind

    now = utcnow()
    owner = Employee(name="Maria Lopez", job_title="Ticket Office Adviser", role=Role.agent, email="m@example.org")
    case = Case(
        reference="MIR-2026-000123", customer=Customer(name="Olivia Taylor", email="olivia@fans.example"),
        category=Category(name="Tickets and season tickets"), owner=owner,
        what_happened="My season ticket card would not scan at turnstile 14 and I missed the first 20 minutes "
                      "queuing at the ticket office. " * 3,
        make_it_right="Refund the match or give me a credit for the next home game.",
    )
    offer = Offer(case=case, status=OfferStatus.chosen, proposed_by=owner, sent_at=now - timedelta(days=3),
                  fulfilled_at=now, fulfilled_by=owner,
                  fulfilment="We added £30 credit to your supporter account and posted you a tested new card.")
    offer.remedies = [
        Remedy(position=1, kind=RemedyKind.refund, description="A full refund of the match ticket.",
               when_text="Back on your card within 5 working days.", cost=Decimal("35")),
        Remedy(position=2, kind=RemedyKind.account_credit, description="£30 credit for the next home match.",
               when_text="On your account today.", cost=Decimal("30")),
        Remedy(position=3, kind=RemedyKind.callback, description="A call from the Ticket Office Manager.",
               when_text="Within two working days.", cost=Decimal("0")),
    ]
    offer.choice = Choice(remedy=offer.remedies[1], chosen_at=now - timedelta(days=2))
    return offer


def measure_letter_render(n: int = 20) -> dict:
    from portal.remedies.letter import render_letter

    offer = _sample_offer()
    for _ in range(2):  # warm up: fonts, templates and WeasyPrint's caches
        render_letter(offer, org_name="Riverside Rovers FC")
    timings = []
    for _ in range(n):
        start = time.perf_counter()
        pdf = render_letter(offer, org_name="Riverside Rovers FC")
        timings.append((time.perf_counter() - start) * 1000)
    median = statistics.median(timings)
    return {
        "name": "resolution letter render",
        "runs": n,
        "median_ms": round(median, 1),
        "min_ms": round(min(timings), 1),
        "max_ms": round(max(timings), 1),
        "pdf_bytes": len(pdf),
        "target_ms": TARGET_MS,
        "ok": median < TARGET_MS,
    }


if __name__ == "__main__":
    result = measure_letter_render()
    print(f"{result['name']}: median {result['median_ms']} ms over {result['runs']} warm renders "
          f"(min {result['min_ms']}, max {result['max_ms']}; target < {result['target_ms']:.0f} ms) "
          f"{'OK' if result['ok'] else 'TOO SLOW'}")
