"""PostgreSQL's half of the staff search: the newest visible cases whose own words, or whose timeline's words
(migration 0027_case_timeline_search), match what was typed, in bounded time for a word in ten cases or in half a
million.

A GIN index answers "which cases hold this word" but not "which are the newest": asked for a word in half the cases
it hands over every one of them (a phrase of three common words: 40 ms at a million cases before a row is read),
and the planner, guessing from its statistics, sometimes walks the whole table for a word it thinks common that is
not there at all (an e-mail address: 0.8 s). So the way is chosen here, per vector column, from the share of cases
holding the rarest typed word (ANALYZE's most common elements of the column, read with the table's size):

- a **rare** word (not among the most common, or in at most RARE_MATCHES cases): every match from the index, the
  newest ranked. The CTE is materialised so that the planner cannot turn it back into a walk of the primary key.
- a **common** word: the cases newest first, by the primary key, a slice at a time (sized from the share to hold
  about CANDIDATES visible matches; each next slice four times deeper), the permission tested before the words
  (a CASE: the vector of a case the employee may not see is never read) and the words tested with
  ``ts_match_vq``, the function behind ``@@``, which no index matches, so the walk is what runs. At most MAX_WALK
  cases are walked: a word that common among other teams' cases but not among the employee's would otherwise
  cost the whole table. The results then say how far back they looked, and ``everywhere`` asks the index for the
  rest (slower, complete).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Float, case, false, func, literal_column, select, text
from sqlalchemy.orm import Session

from portal.cases.models import Case
from portal.cases.search_terms import Query

__all__ = ["MAX_WALK", "Found", "Scored", "newest_matches"]

Scored = list[tuple[int, float]]  # (case id, score), the newest first

VISIBLE_SHARE = 0.25  # the share of an organisation's cases a typical employee may see (a team's)
RARE_MATCHES = 20_000  # at most this many matches: the index lists them faster than a walk finds the newest
MAX_WALK = 20_000  # cases walked for a common word at most (about 10 ms at a million cases), unless everywhere
_ENGLISH = literal_column("'english'::regconfig")
VECTORS = {"search_vector": literal_column('"case".search_vector'),
           "timeline_vector": literal_column('"case".timeline_vector')}

# ANALYZE's most common elements of each vector column and their shares of the cases: read once per ANALYZE (the
# statement below tells when the table was last analysed) rather than on every search, as reading pg_stats cost as
# much as a rare word's whole look-up. The two arrays are zipped by unnest (the shares carry three more values at
# their end: their min, max and the share of nulls, which zip with nothing).
_COMMON_ELEMENTS = text("""
    SELECT s.attname, u.lexeme, u.share
      FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS u(lexeme, share)
     WHERE s.schemaname = current_schema() AND s.tablename = 'case'
       AND s.attname IN ('search_vector', 'timeline_vector') AND u.lexeme IS NOT NULL""")
# What every search needs to know first, in one round trip: the typed words as the index holds them, the newest case,
# the table's size, and which ANALYZE the statistics are from (the table's oid too: a table made again starts over).
# PostgreSQL reads that time once per transaction, and a search is a transaction of its own (a request).
_FACTS = text("""
    SELECT tsvector_to_array(to_tsvector('english', :words)) AS lexemes,
           (SELECT max(id) FROM "case") AS newest,
           c.reltuples, current_database() AS db, c.oid AS table_oid,
           greatest(pg_stat_get_last_analyze_time(c.oid), pg_stat_get_last_autoanalyze_time(c.oid)) AS analysed
      FROM pg_class c WHERE c.oid = '"case"'::regclass""")
_common: dict[tuple, dict[str, dict[str, float]]] = {}  # per (database, table, when analysed): column → lexeme → share


@dataclass(frozen=True)
class _Facts:
    newest: int  # the newest case's id
    cases: float  # ANALYZE's count of cases
    shares: dict[str, float]  # per vector column, the share of cases holding the rarest typed word (0: a rare word)


def _facts(session: Session, query: Query) -> _Facts:
    row = session.execute(_FACTS, {"words": " ".join(query.words)}).one()
    key = (row.db, row.table_oid, row.analysed)
    if key not in _common:
        common: dict[str, dict[str, float]] = {column: {} for column in VECTORS}
        for column, lexeme, share in session.execute(_COMMON_ELEMENTS):
            common[column][lexeme] = float(share)
        if len(_common) >= 8:  # other databases (the tests'), or statistics since replaced
            _common.clear()
        _common[key] = common
    lexemes = row.lexemes or []
    shares = {}
    for column, common in _common[key].items():
        found = [common[lexeme] for lexeme in lexemes if lexeme in common]
        # A word not among the most common is rare: the index lists its cases faster than any walk.
        shares[column] = min(found) if lexemes and len(found) == len(lexemes) else 0.0
    return _Facts(newest=row.newest or 0, cases=float(row.reltuples or 0), shares=shares)


@dataclass(frozen=True)
class Found:
    sources: list[Scored]  # per vector column, the newest matches first
    looked_back: int = 0  # when a common word's walk stopped early: how many of the newest cases were looked at


def newest_matches(session: Session, query: Query, visible: ColumnElement[bool], *, candidates: int,
                   weights: dict[str, float], everywhere: bool = False) -> Found:
    """For each vector column (``weights``: its name and the weight of its rank), the newest ``candidates`` cases
    ``visible`` to the employee that match, with ts_rank times that weight."""
    words = func.websearch_to_tsquery(_ENGLISH, query.text)
    facts = _facts(session, query)
    newest, cases = facts.newest, facts.cases
    sources, looked_back = [], 0
    for column, weight in weights.items():
        vector, share = VECTORS[column], facts.shares[column]
        score = (func.ts_rank(vector, words) * weight).cast(Float).label("score")
        from_index = select(Case.id.label("id"), score).where(vector.op("@@")(words), visible)
        if share * cases <= RARE_MATCHES:
            sources.append(_from_the_index(session, from_index, candidates))
            continue
        # The permission first, so that the words of cases the employee may not see are never read.
        walked = case((visible, func.ts_match_vq(vector, words)), else_=false())
        found, lowest = _walk(session, select(Case.id, score), walked, newest, candidates,
                              first_slice=int(2 * candidates / (share * VISIBLE_SHARE)))
        if len(found) < candidates and lowest > 0:
            if everywhere:
                found += _from_the_index(session, from_index.where(Case.id <= lowest), candidates - len(found))
            else:
                looked_back = max(looked_back, newest - lowest)
        sources.append(found)
    return Found(sources, looked_back)


def _from_the_index(session: Session, matches, limit: int) -> Scored:
    every = matches.cte("matches").prefix_with("MATERIALIZED")
    rows = session.execute(select(every.c.id, every.c.score).order_by(every.c.id.desc()).limit(limit))
    return [(row.id, float(row.score)) for row in rows]


def _walk(session: Session, scored, walked, newest: int, candidates: int, *, first_slice: int) -> tuple[Scored, int]:
    """The newest ``candidates`` cases at or below ``newest`` for which ``walked`` holds, and the lowest case id
    not yet looked at (0: all were), walking at most MAX_WALK cases."""
    found: Scored = []
    upper, depth = newest, min(max(first_slice, candidates), MAX_WALK)
    while upper > 0 and len(found) < candidates and newest - upper < MAX_WALK:
        lower = max(0, upper - depth, newest - MAX_WALK)
        rows = session.execute(scored.where(Case.id > lower, Case.id <= upper, walked)
                               .order_by(Case.id.desc()).limit(candidates - len(found)))
        found += [(row.id, float(row.score)) for row in rows]
        upper, depth = lower, depth * 4
    return found, upper
