"""One search box for staff: a case reference, a customer's name, address or phone, a booking reference, and the
words of what happened, replies and notes, through each database's own full-text engine.

The indexes are the database's (migration 0023_search): on PostgreSQL a generated ``search_vector`` tsvector with
a GIN index on case, event and customer, queried with ``websearch_to_tsquery``; on SQLite the FTS5 external-content
tables ``case_fts``, ``event_fts`` and ``customer_fts`` kept by triggers. What a person types is never handed to
either engine as syntax: control characters go, and on SQLite the words are rebuilt as quoted FTS5 strings, so
``"``, ``*``, ``NEAR(`` or ``AND`` are only words.

Results are only what the employee may see (``permissions.visible_cases``), ranked, paged by keyset (a cursor of
the last row's score and id, never an offset), with the matching words marked: the text is escaped first and only
then wrapped in ``<mark>``, so nothing a customer wrote can become markup.

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
    Numeric,
    Select,
    and_,
    any_,
    bindparam,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, joinedload

from portal.auth.models import Employee
from portal.cases.customers import EXACT_MATCH, customer_scores
from portal.cases.models import Case, Customer, Event, EventKind
from portal.cases.permissions import visible_cases, visible_customers
from portal.cases.search_terms import CONTROL_CHARACTERS, START, STOP, Query, mark_words, marked, parse, snippet
from portal.inputs import DB_INT_MAX

__all__ = ["KEPT_BY_THE_DATABASE", "CaseHit", "CustomerHit", "Results", "include_object", "jump_target", "search"]

PAGE_SIZE = 25
CUSTOMERS_SHOWN = 5
CUSTOMER_CASES = 50  # the cases of at most this many matching customers join the case results
# From each source (the cases' words, the timelines' words, the customers) the newest this many matches are ranked:
# a word in half the cases of a million would otherwise be scored half a million times for one page of 25.
CANDIDATES = 200
SPARSE = 2000  # PostgreSQL: up to this many matches of a source are read from the GIN index and ranked
MAX_WINDOW = 100_000  # PostgreSQL: a common word is looked for among at most this many newest rows of a table
# (20,000 was faster, p50 64 rather than 86 ms at 200,000 cases, but left a word in a few hundred cases findable
# in only its newest dozen: finding the case comes first)
VISIBLE_SHARE = 0.25  # the share of an organisation's cases a typical employee may see (a team's), for that guess
# Added to a case's score when its customer matched by address or phone, or by the words of their name.
EXACT_CUSTOMER, CUSTOMER_WORDS = 20.0, 4.0

# Kept by the database, not the models (migration 0023_search): the model-drift check and autogenerate skip them.
FTS_TABLES = ("case_fts", "event_fts", "customer_fts")
KEPT_BY_THE_DATABASE = frozenset({
    *FTS_TABLES, "search_vector", "ix_case_search_vector", "ix_event_search_vector", "ix_customer_search_vector",
    "ix_customer_phone_key",
})

SNIPPET_WORDS = 18
# ts_headline's options: the same markers as search_terms.snippet, about as many words.
HEADLINE_OPTIONS = f"StartSel={START}, StopSel={STOP}, MaxWords=24, MinWords=10, MaxFragments=2, " \
                   "FragmentDelimiter=\" … \""


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


# Full-text tables and columns the models do not map (migration 0023_search), for queries only.
_CASE_FTS = table("case_fts", column("rowid", Integer), column("rank", Float), column("case_fts"))
_EVENT_FTS = table("event_fts", column("rowid", Integer), column("rank", Float), column("event_fts"))
_CASE_VECTOR, _EVENT_VECTOR = literal_column('"case".search_vector'), literal_column("event.search_vector")
_ENGLISH = literal_column("'english'::regconfig")


def _newest(statement: Select, order) -> Select:
    """At most CANDIDATES rows, the newest first, as a select a UNION can hold (SQLite wants the LIMIT inside)."""
    piece = statement.order_by(order.desc()).limit(CANDIDATES).subquery()
    return select(piece.c.case_id, piece.c.score)


def _case_hits(session: Session, query: Query, found_customers: list[tuple[int, float]], employee: Employee):
    """(case id, score) of the cases ``employee`` may see that the words (a booking reference among them) or the
    customers find, as one subquery: from each source the newest CANDIDATES, so a word in every other case costs
    no more than a rare one; and whether the newest were all that was looked at."""
    dialect = session.get_bind().dialect.name
    visible = visible_cases(employee)
    parts: list[Select] = []
    capped = False
    if dialect == "postgresql":
        tsquery = func.websearch_to_tsquery(_ENGLISH, query.text)
        for key, vector, case_id, weight, joined in ((Case.id, _CASE_VECTOR, Case.id, 10, False),
                                                      (Event.id, _EVENT_VECTOR, Event.case_id, 5, True)):
            ranked = select(case_id.label("case_id"), (func.ts_rank(vector, tsquery).cast(Float) * weight)
                            .label("score"))
            if joined:
                ranked = ranked.join(Case, Case.id == Event.case_id)
            matches = vector.op("@@")(tsquery)
            # Ask the GIN index for the matches, stopping after SPARSE: when that is all of them, rank exactly
            # those. When there are more (a common word), rank the newest: from the share of matches among the
            # rows the first SPARSE came from, guess how far back from the newest row CANDIDATES visible ones
            # lie (at most MAX_WINDOW rows), and look only there. Left to itself, the planner may walk the whole
            # primary key for a word it thinks common, reading every row.
            found = session.scalars(select(key).where(matches).limit(SPARSE + 1)).all()
            if len(found) <= SPARSE:
                parts.append(_newest(ranked.where(key == any_(bindparam(f"found_{weight}", found,
                                                                        type_=ARRAY(Integer))), visible), key))
                continue
            capped = True
            share = len(found) / (max(found) - min(found) + 1)
            newest = session.scalar(select(func.max(key))) or 0
            window = min(int(CANDIDATES / (share * VISIBLE_SHARE)) * 2, MAX_WINDOW)
            parts.append(_newest(ranked.where(matches, key > newest - window, visible), key))
    elif fts := query.fts5():  # rank is bm25() with the weights set in migration 0023 (lower is better)
        parts.append(_newest(select(Case.id.label("case_id"), (-_CASE_FTS.c.rank).label("score"))
                             .join_from(_CASE_FTS, Case, Case.id == _CASE_FTS.c.rowid)
                             .where(_CASE_FTS.c.case_fts.op("MATCH")(fts), visible), _CASE_FTS.c.rowid))
        parts.append(_newest(select(Event.case_id.label("case_id"), (-0.5 * _EVENT_FTS.c.rank).label("score"))
                             .join_from(_EVENT_FTS, Event, Event.id == _EVENT_FTS.c.rowid)
                             .join(Case, Case.id == Event.case_id)
                             .where(_EVENT_FTS.c.event_fts.op("MATCH")(fts), visible), _EVENT_FTS.c.rowid))
    exact = [cid for cid, score in found_customers if score >= EXACT_MATCH]
    by_words = [cid for cid, score in found_customers if score < EXACT_MATCH]
    for customer_ids, bonus in ((exact, EXACT_CUSTOMER), (by_words, CUSTOMER_WORDS)):
        if customer_ids:
            parts.append(_newest(select(Case.id.label("case_id"), literal(bonus, Float).label("score"))
                                 .where(Case.customer_id.in_(customer_ids), visible), Case.id))
    return (union_all(*parts).subquery("hits") if parts else None), capped


def _rounded(value, dialect: str):
    """Scores rounded to six places the same way on every run, so a cursor's score compares equal."""
    if dialect == "postgresql":
        return func.round(value.cast(Numeric()), 6).cast(Float)
    return func.round(value, 6)


def _snippets(session: Session, query: Query, cases: dict[int, Case]) -> dict[int, tuple[str, str]]:
    """(where, snippet with START/STOP) per case: what happened if the words are there, else the best timeline
    entry, else the customer's other words."""
    case_ids = list(cases)
    if not case_ids:
        return {}
    dialect = session.get_bind().dialect.name
    ids = bindparam("ids", case_ids, expanding=True)
    own: dict[int, tuple[str, str]] = {}
    events: dict[int, tuple[str, str]] = {}
    if dialect == "postgresql":
        q = "websearch_to_tsquery('english', :q)"
        for row in session.execute(text(
            f"SELECT id, ts_headline('english', what_happened, {q}, :opts), "
            f"ts_headline('english', make_it_right || ' ' || better_in_future, {q}, :opts) "
            f'FROM "case" WHERE id IN :ids AND search_vector @@ {q}'
        ).bindparams(ids, q=query.text, opts=HEADLINE_OPTIONS)):
            own[row[0]] = _pick(row[1], row[2])
        for row in session.execute(text(
            # The best entry of each case first, then its headline only: ts_headline is the costly part.
            f"SELECT best.case_id, best.kind, ts_headline('english', best.body, {q}, :opts) FROM ("
            f"SELECT DISTINCT ON (case_id) case_id, kind, body FROM event "
            f"WHERE case_id IN :ids AND search_vector @@ {q} ORDER BY case_id, ts_rank(search_vector, {q}) DESC, id"
            f") AS best"
        ).bindparams(ids, q=query.text, opts=HEADLINE_OPTIONS)):
            events[row[0]] = (_event_label(row[1]), row[2])
    else:  # see search_terms.snippet: marked here, in the same way, for the page's cases only
        words = query.words
        for case in cases.values():
            own[case.id] = _pick(snippet(case.what_happened, words),
                                 snippet(f"{case.make_it_right} {case.better_in_future}", words))
        for event in session.execute(select(Event.case_id, Event.kind, Event.body)
                                     .where(Event.case_id.in_(case_ids), Event.body != "")
                                     .order_by(Event.id.desc())):
            if event.case_id not in events and START in (marked_body := snippet(event.body, words)):
                events[event.case_id] = (_event_label(event.kind), marked_body)
    found: dict[int, tuple[str, str]] = {}
    for case_id in case_ids:
        where, text_found = own.get(case_id, ("", ""))
        if where != "What happened" and case_id in events:
            where, text_found = events[case_id]
        if START in text_found:
            found[case_id] = (where, text_found)
    return found


def _pick(what_happened: str, rest: str) -> tuple[str, str]:
    if START in (what_happened or ""):
        return "What happened", what_happened
    if START in (rest or ""):
        return "Make it right", rest
    return "", ""


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
    if not reference or len(reference) > 20:
        return None
    return session.scalar(select(Case).where(Case.reference == reference, visible_cases(employee)))


def search(session: Session, typed: str | None, employee: Employee, *, after: str | None = None,
           per_page: int = PAGE_SIZE) -> Results:
    """The cases and customers ``employee`` may see that match what was typed, best first, one page from the
    cursor ``after`` (a previous page's ``next_after``)."""
    query = parse(typed)
    if not query and not query.phone_key:
        return Results(query, [], [], 0, None, True)
    dialect = session.get_bind().dialect.name
    found_customers = customer_scores(session, query, limit=CUSTOMER_CASES)
    hits, capped = _case_hits(session, query, found_customers, employee)
    if hits is None:
        return Results(query, [], [], 0, None, True)
    score = _rounded(func.sum(hits.c.score), dialect).label("score")
    scored = select(hits.c.case_id, score).group_by(hits.c.case_id).subquery("scored")
    ranked = select(scored.c.case_id.label("id"), scored.c.score, func.count().over().label("total")).subquery("ranked")
    page = select(ranked.c.id, ranked.c.score, ranked.c.total)
    cursor = _read_cursor(after)
    if cursor is not None:
        page = page.where(or_(ranked.c.score < cursor[0], and_(ranked.c.score == cursor[0], ranked.c.id < cursor[1])))
    rows = session.execute(page.order_by(ranked.c.score.desc(), ranked.c.id.desc()).limit(per_page + 1)).all()
    more, rows = len(rows) > per_page, rows[:per_page]
    total = rows[0].total if rows else 0
    if cursor is not None:
        total = _count(session, ranked)  # a later page's window counts only what is left: count them all
    case_ids = [row.id for row in rows]
    cases = {c.id: c for c in session.scalars(
        select(Case).where(Case.id.in_(case_ids))
        .options(joinedload(Case.customer), joinedload(Case.owner), joinedload(Case.category)))}
    snippets = _snippets(session, query, cases)
    words = query.words
    hits_out = []
    for row in rows:
        case = cases[row.id]
        where, snippet = snippets.get(row.id, ("What happened", ""))
        hits_out.append(CaseHit(case, float(row.score), marked(snippet) if snippet else
                                _plain_start(case.what_happened), where, mark_words(case.customer.name, words)))
    customers = _customers(session, found_customers, employee, words) if cursor is None else []
    next_after = _cursor(float(rows[-1].score), rows[-1].id) if more else None
    return Results(query, hits_out, customers, total, next_after, cursor is None, capped or total >= CANDIDATES)


def _count(session: Session, ranked) -> int:
    return session.scalar(select(func.count()).select_from(ranked)) or 0


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
