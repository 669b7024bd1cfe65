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

``find_customers`` is the customer look-up other features use (the staff "New case" form).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import (
    Float,
    Integer,
    Numeric,
    Select,
    and_,
    bindparam,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.orm import Session, selectinload

from portal.auth.models import Employee, Role
from portal.cases.models import Case, Customer, EventKind
from portal.cases.permissions import visible_cases
from portal.inputs import CONTROL_CHARACTERS

__all__ = ["KEPT_BY_THE_DATABASE", "CaseHit", "CustomerHit", "Results", "find_customers", "include_object",
           "jump_target", "parse", "search"]

PAGE_SIZE = 25
CUSTOMERS_SHOWN = 5
MAX_LENGTH = 200  # longer text is cut: nobody types more into a search box
CUSTOMER_CASES = 50  # the cases of at most this many matching customers join the case results

# Added to a case's score when its customer matched by address or phone, or by the words of their name.
EXACT_CUSTOMER, CUSTOMER_WORDS = 20.0, 4.0

# Kept by the database, not the models (migration 0023_search): the model-drift check and autogenerate skip them.
FTS_TABLES = ("case_fts", "event_fts", "customer_fts")
KEPT_BY_THE_DATABASE = frozenset({
    *FTS_TABLES, "search_vector", "ix_case_search_vector", "ix_event_search_vector", "ix_customer_search_vector",
    "ix_customer_phone_key",
})

# The last nine digits of a phone number (the same expressions as the index in migration 0023_search).
PHONE_KEY = {
    "sqlite": ("substr(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '+', ''), '-', ''), "
               "'(', ''), ')', ''), '.', ''), -9)"),
    "postgresql": "right(regexp_replace(phone, '[^0-9]', '', 'g'), 9)",
}
PHONE_DIGITS = 9
_PHONE_LIKE = re.compile(r"[\d\s+().\-/]+")

# Two characters no one types, which the engines put around a match; they are turned into <mark> after escaping.
START, STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{START}(.*?){STOP}", re.S)
_WORD = re.compile(r"\w+")
_TERM = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
_JOINING_WORDS = {"and", "or"}  # websearch_to_tsquery reads them as operators; on SQLite they are dropped

SNIPPET_WORDS = 18
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


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # more than one: a phrase, typed in quotes
    negated: bool = False


@dataclass(frozen=True)
class Query:
    """What was typed, made safe: ``text`` without control characters (at most MAX_LENGTH), its terms and digits."""

    text: str
    terms: tuple[Term, ...]

    @property
    def words(self) -> list[str]:
        return [w for t in self.terms if not t.negated for w in t.words]

    @property
    def phone_key(self) -> str | None:
        digits = re.sub(r"\D", "", self.text)
        if len(digits) >= PHONE_DIGITS and _PHONE_LIKE.fullmatch(self.text):
            return digits[-PHONE_DIGITS:]
        return None

    @property
    def email(self) -> str | None:
        return self.text.lower() if "@" in self.text and " " not in self.text else None

    def fts5(self) -> str:
        """The terms as an FTS5 query of quoted strings: every word must be there, a phrase in its order, a
        ``-word`` must not. Empty when nothing searchable is left."""
        positives = [t for t in self.terms if not t.negated]
        if not positives:
            return ""
        quote = lambda words: '"' + " ".join(w.replace('"', '""') for w in words) + '"'  # noqa: E731
        query = " AND ".join(quote(t.words) for t in positives)
        for term in self.terms:
            if term.negated:
                query = f"({query}) NOT {quote(term.words)}"
        return query

    def fts5_prefix(self) -> str:
        """Every positive word as a prefix (``"oliv"*``): for names and addresses typed in part."""
        return " AND ".join(f'"{w}"*' for w in self.words)

    def tsquery_prefix(self) -> str:
        """The same for PostgreSQL's to_tsquery: each word (letters and digits only) as ``'word':*``."""
        return " & ".join(f"'{w.lower()}':*" for w in self.words)

    def __bool__(self) -> bool:
        return bool(self.words)


def parse(typed: str | None) -> Query:
    """Read a search box: control characters (NUL included) removed, at most MAX_LENGTH characters, split into
    words, "quoted phrases" and -excluded words. Nothing typed here is ever syntax for a database."""
    cleaned = CONTROL_CHARACTERS.sub(" ", typed or "").replace("\t", " ").replace("\r", " ").replace("\n", " ")
    cleaned = " ".join(cleaned.split())[:MAX_LENGTH]
    terms = []
    for match in _TERM.finditer(cleaned):
        negated = bool(match.group(1) or match.group(3))
        phrase = match.group(2) is not None
        words = tuple(_WORD.findall(match.group(2) if phrase else match.group(4)))
        if not words or (not phrase and len(words) == 1 and words[0].lower() in _JOINING_WORDS):
            continue
        if phrase or negated:
            terms.append(Term(words, negated))
        else:
            terms.extend(Term((w,)) for w in words)  # "e-mail" or "o'brien" are words side by side
    return Query(cleaned, tuple(terms))


# --- marking matches -------------------------------------------------------------------------------------------


def marked(snippet: str) -> Markup:
    """An engine's snippet with START/STOP around matches, as safe HTML: every piece escaped, then marked."""
    pieces, last = [], 0
    for match in _MARKED.finditer(snippet):
        pieces.append(escape(snippet[last:match.start()].replace(START, "").replace(STOP, "")))
        pieces.append(Markup("<mark>%s</mark>") % match.group(1).replace(START, "").replace(STOP, ""))
        last = match.end()
    pieces.append(escape(snippet[last:].replace(START, "").replace(STOP, "")))
    return Markup("").join(pieces)


def mark_words(value: str, words: Sequence[str]) -> Markup:
    """A short field (a name, an address) with the words found in it marked, escaped piece by piece."""
    if not value or not words:
        return escape(value or "")
    pattern = re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)), re.I)
    pieces, last = [], 0
    for match in pattern.finditer(value):
        pieces += [escape(value[last:match.start()]), Markup("<mark>%s</mark>") % match.group(0)]
        last = match.end()
    pieces.append(escape(value[last:]))
    return Markup("").join(pieces)


def _plain_start(value: str, words: int = SNIPPET_WORDS) -> Markup:
    parts = value.split()
    return escape(" ".join(parts[:words]) + (" …" if len(parts) > words else ""))


def _rows(sql: str, name: str = "case_id", **params) -> Select:
    """A piece of engine-specific SQL returning (``name``, score), as a select that can go into a UNION."""
    piece = text(sql).bindparams(**params).columns(**{name: Integer, "score": Float}).subquery()
    return select(piece.c[name], piece.c.score)


# --- customers -----------------------------------------------------------------------------------------------


def _customer_scores(session: Session, query: Query, *, limit: int) -> list[tuple[int, float]]:
    """(customer id, score) of the customers whose name, address or phone match, best first."""
    dialect = session.get_bind().dialect.name
    parts: list[Select] = []
    if query.email:
        parts.append(select(Customer.id.label("customer_id"), literal(EXACT_CUSTOMER * 2, Float).label("score"))
                     .where(func.lower(Customer.email) == query.email))
    if query.phone_key:
        parts.append(select(Customer.id.label("customer_id"), literal(EXACT_CUSTOMER * 2, Float).label("score"))
                     .where(text(PHONE_KEY[dialect] + " = :phone_key").bindparams(phone_key=query.phone_key)))
    if query.words:
        if dialect == "postgresql":
            parts.append(_rows("SELECT id AS customer_id, ts_rank(search_vector, to_tsquery('simple', :cq))::float8 "
                               "* 10 AS score FROM customer WHERE search_vector @@ to_tsquery('simple', :cq)",
                               "customer_id", cq=query.tsquery_prefix()))
        else:  # FTS5's rank is bm25(), lower for better matches
            parts.append(_rows("SELECT rowid AS customer_id, -rank AS score FROM customer_fts "
                               "WHERE customer_fts MATCH :cq", "customer_id", cq=query.fts5_prefix()))
    if not parts:
        return []
    hits = union_all(*parts).subquery("customer_hits")
    best = func.max(hits.c.score)
    rows = session.execute(select(hits.c.customer_id, best).group_by(hits.c.customer_id)
                           .order_by(best.desc(), hits.c.customer_id).limit(limit))
    return [(row[0], float(row[1])) for row in rows]


def _visible_customer(employee: Employee):
    if employee.active and employee.role is Role.admin:
        return true()
    if not employee.active:
        return false()
    return exists().where(Case.customer_id == Customer.id, visible_cases(employee))


def find_customers(session: Session, text_typed: str, *, limit: int = 10,
                   visible_to: Employee | None = None) -> list[Customer]:
    """Customers whose name, e-mail or phone match what was typed, best first (at most ``limit``).

    An address matches exactly (whatever its letter case), a phone number by its digits ("07700 900123" finds
    "+44 7700 900123": the last nine digits), names and addresses also by the start of their words ("oliv tay"
    finds Olivia Taylor). With ``visible_to`` only customers with a case that employee may see come back (the
    search page); without it any customer (the "New case" form, where a caller may be anyone's customer)."""
    query = parse(text_typed)
    if not query and not query.phone_key:
        return []
    scores = _customer_scores(session, query, limit=limit if visible_to is None else limit * 20)
    if not scores:
        return []
    statement = select(Customer).where(Customer.id.in_([cid for cid, _ in scores]))
    if visible_to is not None:
        statement = statement.where(_visible_customer(visible_to))
    found = {c.id: c for c in session.scalars(statement)}
    return [found[cid] for cid, _ in scores if cid in found][:limit]


# --- cases ---------------------------------------------------------------------------------------------------


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
    total: int  # every case that matches and the employee may see
    next_after: str | None  # the cursor of the next page, None on the last one
    first_page: bool


def _cursor(score: float, case_id: int) -> str:
    return f"{score!r}_{case_id}"


_CURSOR = re.compile(r"(-?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?)_([0-9]{1,19})")


def _read_cursor(after: str | None) -> tuple[float, int] | None:
    """A cursor from the URL, or None (the first page) for anything that is not one."""
    match = _CURSOR.fullmatch(after or "")
    if match is None:
        return None
    value, number = float(match.group(1)), int(match.group(2))
    if not math.isfinite(value) or not 0 < number < 2**63:
        return None
    return value, number


def _case_hits(session: Session, query: Query, customer_scores: list[tuple[int, float]]):
    """Every (case id, score) the words (a booking reference among them) or the customers find, as one subquery."""
    dialect = session.get_bind().dialect.name
    parts: list[Select] = []
    if dialect == "postgresql":
        q = "websearch_to_tsquery('english', :q)"
        parts.append(_rows(f'SELECT id AS case_id, ts_rank(search_vector, {q})::float8 * 10 AS score FROM "case" '
                           f"WHERE search_vector @@ {q}", q=query.text))
        parts.append(_rows(f"SELECT case_id, ts_rank(search_vector, {q})::float8 * 5 AS score FROM event "
                           f"WHERE search_vector @@ {q}", q=query.text))
    elif fts := query.fts5():  # rank is bm25() with the weights set in migration 0023 (lower is better)
        parts.append(_rows("SELECT rowid AS case_id, -rank AS score FROM case_fts WHERE case_fts MATCH :fts", fts=fts))
        parts.append(_rows("SELECT event.case_id AS case_id, -0.5 * event_fts.rank AS score FROM event_fts "
                           "JOIN event ON event.id = event_fts.rowid WHERE event_fts MATCH :fts", fts=fts))
    exact = [cid for cid, score in customer_scores if score >= EXACT_CUSTOMER * 2]
    by_words = [cid for cid, score in customer_scores if score < EXACT_CUSTOMER * 2]
    for customer_ids, bonus in ((exact, EXACT_CUSTOMER), (by_words, CUSTOMER_WORDS)):
        if customer_ids:
            parts.append(select(Case.id.label("case_id"), literal(bonus, Float).label("score"))
                         .where(Case.customer_id.in_(customer_ids)))
    return union_all(*parts).subquery("hits")


def _rounded(value, dialect: str):
    """Scores rounded to six places the same way on every run, so a cursor's score compares equal."""
    if dialect == "postgresql":
        return func.round(value.cast(Numeric()), 6).cast(Float)
    return func.round(value, 6)


def _snippets(session: Session, query: Query, case_ids: list[int]) -> dict[int, tuple[str, str]]:
    """(where, snippet with START/STOP) per case: what happened if the words are there, else the best timeline
    entry, else the customer's other words."""
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
            f"SELECT DISTINCT ON (case_id) case_id, kind, ts_headline('english', body, {q}, :opts) FROM event "
            f"WHERE case_id IN :ids AND search_vector @@ {q} ORDER BY case_id, ts_rank(search_vector, {q}) DESC, id"
        ).bindparams(ids, q=query.text, opts=HEADLINE_OPTIONS)):
            events[row[0]] = (_event_label(row[1]), row[2])
    elif fts := query.fts5():
        marks = {"a": START, "b": STOP, "n": SNIPPET_WORDS}
        for row in session.execute(text(
            "SELECT rowid, snippet(case_fts, 2, :a, :b, ' … ', :n), snippet(case_fts, 3, :a, :b, ' … ', :n) "
            "FROM case_fts WHERE case_fts MATCH :fts AND rowid IN :ids"
        ).bindparams(ids, fts=fts, **marks)):
            own[row[0]] = _pick(row[1], row[2])
        for row in session.execute(text(
            "SELECT event.case_id, event.kind, snippet(event_fts, 0, :a, :b, ' … ', :n) FROM event_fts "
            "JOIN event ON event.id = event_fts.rowid "
            "WHERE event_fts MATCH :fts AND event_fts.rowid IN (SELECT id FROM event WHERE case_id IN :ids) "
            "ORDER BY event_fts.rank DESC"
        ).bindparams(ids, fts=fts, **marks)):
            events[row[0]] = (_event_label(row[1]), row[2])  # the last written is the best (ordered worst first)
    found: dict[int, tuple[str, str]] = {}
    for case_id in case_ids:
        where, snippet = own.get(case_id, ("", ""))
        if where != "What happened" and case_id in events:
            where, snippet = events[case_id]
        if START in snippet:
            found[case_id] = (where, snippet)
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
    customer_scores = _customer_scores(session, query, limit=CUSTOMER_CASES)
    hits = _case_hits(session, query, customer_scores)
    score = _rounded(func.sum(hits.c.score), dialect).label("score")
    scored = select(hits.c.case_id, score).group_by(hits.c.case_id).subquery("scored")
    ranked = (select(Case.id.label("id"), scored.c.score, func.count().over().label("total"))
              .join(scored, scored.c.case_id == Case.id).where(visible_cases(employee)).subquery("ranked"))
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
        .options(selectinload(Case.customer), selectinload(Case.owner), selectinload(Case.category)))}
    snippets = _snippets(session, query, case_ids)
    words = query.words
    hits_out = []
    for row in rows:
        case = cases[row.id]
        where, snippet = snippets.get(row.id, ("What happened", ""))
        hits_out.append(CaseHit(case, float(row.score), marked(snippet) if snippet else
                                _plain_start(case.what_happened), where, mark_words(case.customer.name, words)))
    customers = _customers(session, customer_scores, employee, words) if cursor is None else []
    next_after = _cursor(float(rows[-1].score), rows[-1].id) if more else None
    return Results(query, hits_out, customers, total, next_after, cursor is None)


def _count(session: Session, ranked) -> int:
    return session.scalar(select(func.count()).select_from(ranked)) or 0


def _customers(session: Session, scores: list[tuple[int, float]], employee: Employee,
               words: list[str]) -> list[CustomerHit]:
    if not scores:
        return []
    ids = [cid for cid, _ in scores]
    visible = {c.id: c for c in session.scalars(
        select(Customer).where(Customer.id.in_(ids), _visible_customer(employee)))}
    shown = [visible[cid] for cid in ids if cid in visible][:CUSTOMERS_SHOWN]
    counts = dict(session.execute(
        select(Case.customer_id, func.count()).where(Case.customer_id.in_([c.id for c in shown]),
                                                     visible_cases(employee)).group_by(Case.customer_id)).all())
    return [CustomerHit(c, mark_words(c.name, words), mark_words(c.email, words), counts.get(c.id, 0))
            for c in shown]
