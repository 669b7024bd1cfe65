"""The one Jinja environment for what leaves the request as a document: e-mails and PDFs (letters, reports).

Flask-free, so services render with it; pages use Flask's own environment (`portal.templating`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from portal import times

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@lru_cache(maxsize=4)
def environment(zone: str = times.DEFAULT_ZONE) -> Environment:
    """HTML is escaped (customers' own words go into letters and e-mails); a missing value is an error, not a blank.
    Dates read as on the organisation's wall in ``zone``, like every page (portal.times)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["exact"] = lambda moment: times.exact_time(moment, zone)
    env.filters["day"] = lambda moment: times.day(moment, zone)
    return env
