"""One search box for staff: a case reference, a customer's name, address or phone, a booking reference, and the
words of what happened, replies and notes, through each database's own full-text engine.

The indexes are the database's (migrations 0023_search and 0027_case_timeline_search): on PostgreSQL a generated
``search_vector`` tsvector on case and customer and a case's ``timeline_vector`` (every reply and note, kept by a
trigger on event), each with a GIN index, queried with ``websearch_to_tsquery`` (``search_postgres`` chooses how);
on SQLite the FTS5 external-content tables ``case_fts``, ``event_fts`` and ``customer_fts`` kept by triggers. What
a person types is never handed to either engine as syntax: control characters go, and on SQLite the words are
rebuilt as quoted FTS5 strings, so ``"``, ``*``, ``NEAR(`` or ``AND`` are only words.

Results are only what the employee may see (``permissions.visible_cases``): the newest CANDIDATES matches of each
source, ranked, paged by keyset (a cursor of the last row's score and id, never an offset), with the matching words
marked: the text is escaped first and only then wrapped in ``<mark>``, so nothing a customer wrote can become
markup.

Customers are looked up by ``customers.matching_customers`` (also the staff "New case" form's look-up).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import (
    Float,
    Integer,
    Select,
    column,
    func,
    literal,
    select,
    table,
)
from sqlalchemy.orm import Session, joinedload

from portal.auth.models import Employee
from portal.cases import references
from portal.cases.customers import EXACT_MATCH, customer_scores
from portal.cases.models import Case, Customer, Event, EventKind
from portal.cases.permissions import visible_cases, visible_customers
from portal.cases.search_postgres import Scored, newest_matches
from portal.cases.search_terms import CONTROL_CHARACTERS, START, Query, mark_words, marked, parse, snippet
from portal.inputs import DB_INT_MAX

__all__ = ["KEPT_BY_THE_DATABASE", "CaseHit", "CustomerHit", "Results", "include_object", "jump_target", "search"]

PAGE_SIZE = 25
CUSTOMERS_SHOWN = 5
CUSTOMER_CASES = 50  # the cases of at most this many matching customers join the case results
# From each source (the cases' words, their timelines' words, the customers) the newest this many visible matches
# are ranked: a word in half the cases of a million would otherwise be scored half a million times for one page.
CANDIDATES = 50
# Added to a case's score when its customer matched by address or phone, or by the words of their name.
EXACT_CUSTOMER, CUSTOMER_WORDS = 20.0, 4.0
# The weights of where the words were found: what the customer wrote, then the timeline (replies, notes).
OWN_WORDS, TIMELINE_WORDS = 10.0, 5.0

# Kept by the database, not the models (migration 0023_search): the model-drift check and autogenerate skip them.
FTS_TABLES = ("case_fts", "event_fts", "customer_fts")
KEPT_BY_THE_DATABASE = frozenset({
    *FTS_TABLES, "search_vector", "timeline_vector", "ix_case_search_vector", "ix_case_timeline_vector",
    "ix_customer_search_vector", "ix_customer_phone_key",
})

SNIPPET_WORDS = 18


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's hook: leave out what the database keeps for the search (FTS5 tables and their shadow tables,
    the generated tsvector columns, their indexes)."""
    if name is None:
        return True
    if name in KEPT_BY_THE_DATABASE:
        return False
    return not (type_ == "table" and any(name.startswith(f"{fts}_") for fts in FTS_TABLES))


def _plain_start(value: str, words: int = SNIPPET_WORDS) -> Markup:
    parts = value.split()
    return escape(" ".join(parts[:words]) + (" …" if len(parts) > words else ""))


@dataclass(frozen=True)
class CaseHit:
    case: Case
    score: float
    snippet: Markup  # escaped, the matching words in <mark>
    found_in: str  # where the snippet comes from: "What happened", "Reply", "Internal note", ...
    customer_name: Markup


@dataclass(frozen=True)
class CustomerHit:
    customer: Customer
    name: Markup
    email: Markup
    cases: int


@dataclass(frozen=True)
class Results:
    query: Query
    cases: list[CaseHit]
    customers: list[CustomerHit]
    total: int  # the cases that match and the employee may see (at least, when capped)
    next_after: str | None  # the cursor of the next page, None on the last one
    first_page: bool
    capped: bool = False  # so many match that only the best of the newest CANDIDATES are ranked
    looked_back: int = 0  # PostgreSQL: a common word was looked for in only this many of the newest cases


def _cursor(score: float, case_id: int) -> str:
    return f"{score!r}_{case_id}"


_CURSOR = re.compile(r"(-?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?)_([0-9]{1,19})")


def _read_cursor(after: str | None) -> tuple[float, int] | None:
    """A cursor from the URL, or None (the first page) for anything that is not one."""
    match = _CURSOR.fullmatch(after or "")
    if match is None:
        return None
    value, number = float(match.group(1)), int(match.group(2))
    if not math.isfinite(value) or not 0 < number <= DB_INT_MAX:
        return None
    return value, number


# Full-text tables and columns the models do not map (migrations 0023_search, 0027), for queries only.
_CASE_FTS = table("case_fts", column("rowid", Integer), column("rank", Float), column("case_fts"))
_EVENT_FTS = table("event_fts", column("rowid", Integer), column("rank", Float), column("event_fts"))


def _newest(session: Session, statement: Select, order) -> Scored:
    rows = session.execute(statement.order_by(order.desc()).limit(CANDIDATES))  # read here: tests change it
    return [(row[0], float(row[1])) for row in rows]


def _sqlite_words(session: Session, query: Query, visible) -> list[Scored]:
    """The newest CANDIDATES visible matches of the cases' words and of their timelines' (FTS5; rank is bm25() with
    the weights set in migration 0023, lower is better)."""
    fts = query.fts5()
    if not fts:
        return []
    own = select(Case.id, -_CASE_FTS.c.rank).join_from(_CASE_FTS, Case, Case.id == _CASE_FTS.c.rowid) \
        .where(_CASE_FTS.c.case_fts.op("MATCH")(fts), visible)
    timeline = select(Event.case_id, -0.5 * _EVENT_FTS.c.rank) \
        .join_from(_EVENT_FTS, Event, Event.id == _EVENT_FTS.c.rowid).join(Case, Case.id == Event.case_id) \
        .where(_EVENT_FTS.c.event_fts.op("MATCH")(fts), visible)
    return [_newest(session, own, _CASE_FTS.c.rowid), _newest(session, timeline, _EVENT_FTS.c.rowid)]


def _candidates(session: Session, query: Query, found_customers: list[tuple[int, float]], employee: Employee,
                everywhere: bool) -> tuple[dict[int, float], bool, int]:
    """Each case ``employee`` may see that the words (a booking reference among them) or the customers find, with
    its summed score; whether any source had more matches than it ranked (the newest CANDIDATES); and how many of
    the newest cases were looked through when a common word's walk stopped early (0 when none did)."""
    visible = visible_cases(employee)
    looked_back = 0
    if session.get_bind().dialect.name != "postgresql":
        sources = _sqlite_words(session, query, visible)
    elif query:
        found = newest_matches(session, query, visible, candidates=CANDIDATES, everywhere=everywhere,
                               weights={"search_vector": OWN_WORDS, "timeline_vector": TIMELINE_WORDS})
        sources, looked_back = found.sources, found.looked_back
    else:
        sources = []
    exact = [cid for cid, score in found_customers if score >= EXACT_MATCH]
    by_words = [cid for cid, score in found_customers if score < EXACT_MATCH]
    for customer_ids, bonus in ((exact, EXACT_CUSTOMER), (by_words, CUSTOMER_WORDS)):
        if customer_ids:
            sources.append(_newest(session, select(Case.id, literal(bonus, Float))
                                   .where(Case.customer_id.in_(customer_ids), visible), Case.id))
    scores: dict[int, float] = {}
    for source in sources:  # always in the same order, so a case's sum is the same on every page
        for case_id, score in source:
            scores[case_id] = scores.get(case_id, 0.0) + score
    # Rounded, so a cursor's score read back from the URL compares equal to the one computed again.
    return {case_id: round(score, 6) for case_id, score in scores.items()}, \
        any(len(source) >= CANDIDATES for source in sources), looked_back


def _snippets(session: Session, query: Query, cases: dict[int, Case]) -> dict[int, tuple[str, str]]:
    """(where, snippet with START/STOP) per case: what happened if the words are there, else the newest timeline
    entry that holds them, else the customer's other words. Marked here (search_terms.snippet), for the page's
    cases only, on both databases: asking the engines (ts_headline, FTS5's snippet()) costs more than the search."""
    if not cases:
        return {}
    words = query.words
    found: dict[int, tuple[str, str]] = {}
    for case in cases.values():
        if START in (marked_text := snippet(case.what_happened, words)):
            found[case.id] = ("What happened", marked_text)
    events: dict[int, tuple[str, str]] = {}
    rest = [cid for cid in cases if cid not in found]
    for event in () if not rest else session.execute(select(Event.case_id, Event.kind, Event.body)
                                 .where(Event.case_id.in_(rest), Event.body != "")
                                 .order_by(Event.id.desc())):
        if event.case_id not in events and START in (marked_body := snippet(event.body, words)):
            events[event.case_id] = (_event_label(event.kind), marked_body)
    for case in cases.values():
        if case.id in found:
            continue
        if case.id in events:
            found[case.id] = events[case.id]
        elif START in (rest := snippet(f"{case.make_it_right} {case.better_in_future}", words)):
            found[case.id] = ("Make it right", rest)
    return found


EVENT_LABELS = {
    EventKind.reply: "Reply", EventKind.customer_reply: "Customer's reply", EventKind.note: "Internal note",
    EventKind.draft_reply: "Draft reply", EventKind.handoff: "Handoff note",
}


def _event_label(kind: str) -> str:
    try:
        return EVENT_LABELS.get(EventKind(kind), kind.replace("_", " ").capitalize())
    except ValueError:
        return kind.replace("_", " ").capitalize()


def jump_target(session: Session, typed: str | None, employee: Employee) -> Case | None:
    """The case whose reference is exactly what was typed (any letter case, spaces around), if ``employee`` may see
    it; None otherwise, so a reference the employee may not open looks like one that does not exist."""
    reference = " ".join(CONTROL_CHARACTERS.sub("", typed or "").split()).upper()
    if len(reference) > 20 or not references.SHAPE.fullmatch(reference):
        return None  # not a reference: no need to ask the database
    return session.scalar(select(Case).where(Case.reference == reference, visible_cases(employee)))


def search(session: Session, typed: str | None, employee: Employee, *, after: str | None = None,
           per_page: int = PAGE_SIZE, everywhere: bool = False) -> Results:
    """The cases and customers ``employee`` may see that match what was typed, best first, one page from the
    cursor ``after`` (a previous page's ``next_after``). With ``everywhere``, a common word is looked for in every
    case, not only the newest ``search_postgres.MAX_WALK`` (slower)."""
    query = parse(typed)
    if not query and not query.phone_key:
        return Results(query, [], [], 0, None, True)
    found_customers = customer_scores(session, query, limit=CUSTOMER_CASES)
    scores, capped, looked_back = _candidates(session, query, found_customers, employee, everywhere)
    ranked = sorted(scores.items(), key=lambda item: (item[1], item[0]), reverse=True)
    cursor = _read_cursor(after)
    if cursor is not None:
        ranked = [(cid, score) for cid, score in ranked if (score, cid) < (cursor[0], cursor[1])]
    more, page = len(ranked) > per_page, ranked[:per_page]
    cases = {c.id: c for c in session.scalars(
        select(Case).where(Case.id.in_([cid for cid, _ in page]))
        .options(joinedload(Case.customer), joinedload(Case.owner), joinedload(Case.category)))}
    snippets = _snippets(session, query, cases)
    words = query.words
    hits = []
    for case_id, score in page:
        case = cases[case_id]
        where, marked_text = snippets.get(case_id, ("What happened", ""))
        hits.append(CaseHit(case, score, marked(marked_text) if marked_text else _plain_start(case.what_happened),
                            where, mark_words(case.customer.name, words)))
    customers = _customers(session, found_customers, employee, words) if cursor is None else []
    next_after = _cursor(page[-1][1], page[-1][0]) if more else None
    return Results(query, hits, customers, len(scores), next_after, cursor is None, capped, looked_back)


def _customers(session: Session, scores: list[tuple[int, float]], employee: Employee,
               words: list[str]) -> list[CustomerHit]:
    if not scores:
        return []
    ids = [cid for cid, _ in scores]
    visible = {c.id: c for c in session.scalars(
        select(Customer).where(Customer.id.in_(ids), visible_customers(employee)))}
    shown = [visible[cid] for cid in ids if cid in visible][:CUSTOMERS_SHOWN]
    counts = dict(session.execute(
        select(Case.customer_id, func.count()).where(Case.customer_id.in_([c.id for c in shown]),
                                                     visible_cases(employee)).group_by(Case.customer_id)).all())
    return [CustomerHit(c, mark_words(c.name, words), mark_words(c.email or "", words), counts.get(c.id, 0))
            for c in shown]
