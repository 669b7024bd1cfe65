"""Customers: found by their address, whatever its letter case ("Olivia@…" and "olivia@…" are one person), and
looked up by what an employee types: a name, an address or a phone number (``matching_customers``)."""

from __future__ import annotations

from sqlalchemy import Float, Integer, Select, func, literal, select, text, union_all
from sqlalchemy.orm import Session

from portal.auth.models import Employee
from portal.cases.models import Customer
from portal.cases.permissions import visible_customers
from portal.cases.search_schema import PHONE_KEY
from portal.cases.search_terms import Query, parse

EXACT_MATCH = 40.0  # the score of a customer found by their whole address or phone number, above any by words
# PostgreSQL: customers by the words of their name, address and phone, typed whole (score 12) or as beginnings (10).
# The matches come from the index (a materialised CTE, planned whole), read only as far as the limit: with the limit
# in the same query the planner may walk the whole table for words it guesses common (it guesses 2 %), and without
# one "Fan 1…" hands over a quarter of a million customers.
_FOUND = ("WITH found AS MATERIALIZED (SELECT id FROM customer WHERE search_vector @@ to_tsquery('simple', :{})) "
          "SELECT id AS customer_id, {}::float8 AS score FROM found LIMIT :limit")
WHOLE_WORDS, BEGINNING = _FOUND.format("whole", 12.0), _FOUND.format("beginning", 10.0)


def find_customer(session: Session, email: str) -> Customer | None:
    """The customer with this address (the index on lower(email) serves it), or None; a blank address finds no one."""
    email = email.strip().lower()
    return session.scalar(select(Customer).where(func.lower(Customer.email) == email)) if email else None


def scored_rows(sql: str, name: str = "case_id", **params) -> Select:
    """A piece of engine-specific SQL returning (``name``, score), as a select that can go into a UNION."""
    piece = text(sql).bindparams(**params).columns(**{name: Integer, "score": Float}).subquery()
    return select(piece.c[name], piece.c.score)


def customer_scores(session: Session, query: Query, *, limit: int) -> list[tuple[int, float]]:
    """(customer id, score) of the customers whose address or phone is what was typed (score EXACT_MATCH), or
    whose name, address or phone hold words beginning as typed (the full-text index), best first.

    Words typed whole are looked up first, only the last as a prefix ("fan 5": the word "fan", then words
    beginning "5"), which the index answers at once however many names begin "fan"; only when that finds fewer
    than ``limit`` is every word taken as a prefix ("oliv tay" finds Olivia Taylor)."""
    found = _customer_scores(session, query, limit=limit, last_only=len(query.words) > 1)
    if len(found) < limit and len(query.words) > 1:
        found = _customer_scores(session, query, limit=limit, last_only=False)
    return found


def _customer_scores(session: Session, query: Query, *, limit: int, last_only: bool) -> list[tuple[int, float]]:
    dialect = session.get_bind().dialect.name
    parts: list[Select] = []
    exact = literal(EXACT_MATCH, Float).label("score")
    if query.email:
        parts.append(select(Customer.id.label("customer_id"), exact).where(func.lower(Customer.email) == query.email))
        # An address typed whole is found above; by words, only its local part: the domain's words ("gmail",
        # "com") are in too many addresses to narrow anything.
        query = parse(query.email.split("@")[0])
    if query.phone_key:
        parts.append(select(Customer.id.label("customer_id"), exact)
                     .where(text(PHONE_KEY[dialect] + " = :phone_key").bindparams(phone_key=query.phone_key)))
    if query.words:
        if dialect == "postgresql":
            # Every word whole first (a name typed in full), then those whose words begin as typed, unranked:
            # ts_rank over every "Fan 1…" of a quarter of a million customers cost more than the rest of the search.
            parts.append(scored_rows(WHOLE_WORDS, "customer_id", whole=query.tsquery_whole(), limit=limit))
            parts.append(scored_rows(BEGINNING, "customer_id", beginning=query.tsquery_prefix(last_only=last_only),
                                     limit=limit))
        else:  # FTS5's rank is bm25(), lower for better matches
            parts.append(scored_rows("SELECT rowid AS customer_id, -rank AS score FROM customer_fts "
                                     "WHERE customer_fts MATCH :cq", "customer_id",
                                     cq=query.fts5_prefix(last_only=last_only)))
    if not parts:
        return []
    hits = union_all(*parts).subquery("customer_hits")
    best = func.max(hits.c.score)
    rows = session.execute(select(hits.c.customer_id, best).group_by(hits.c.customer_id)
                           .order_by(best.desc(), hits.c.customer_id).limit(limit))
    return [(row[0], float(row[1])) for row in rows]


def matching_customers(session: Session, text_typed: str, *, limit: int = 10,
                       visible_to: Employee | None = None) -> list[Customer]:
    """Customers whose name, e-mail or phone match what was typed, best first (at most ``limit``).

    An address matches whole (whatever its letter case); a phone number by its digits, ignoring spaces, "+",
    dashes and brackets ("07700 900123" finds "+44 7700 900123": the last nine digits agree); names, addresses and
    numbers also by the start of their words ("oliv tay" finds Olivia Taylor). With ``visible_to`` only customers
    with a case that employee may see (the search page); without it any customer (the "New case" form, where a
    caller may be anyone's customer). Typed text is never database syntax (see ``search_terms``)."""
    query = parse(text_typed)
    if not query and not query.phone_key:
        return []
    scores = customer_scores(session, query, limit=limit if visible_to is None else limit * 20)
    if not scores:
        return []
    statement = select(Customer).where(Customer.id.in_([cid for cid, _ in scores]))
    if visible_to is not None:
        statement = statement.where(visible_customers(visible_to))
    found = {c.id: c for c in session.scalars(statement)}
    return [found[cid] for cid, _ in scores if cid in found][:limit]
