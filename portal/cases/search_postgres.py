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

# The share of cases holding the rarest of the typed words, per column, where ANALYZE counted every one of them among
# the most common elements; the number of typed words (stop words left out) and cases. The two arrays are zipped by
# unnest (the frequencies carry three more values: their min, max and the share of nulls).
_FREQUENCIES = text("""
    WITH typed AS (SELECT tsvector_to_array(to_tsvector('english', :words)) AS lexemes)
    SELECT s.attname, min(u.freq), count(u.freq), max(cardinality(typed.lexemes)), max(c.reltuples)
      FROM typed CROSS JOIN pg_class c
      LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = 'case'
                          AND s.attname IN ('search_vector', 'timeline_vector')
      LEFT JOIN LATERAL unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS u(lexeme, freq)
             ON u.lexeme = ANY (typed.lexemes)
     WHERE c.oid = '"case"'::regclass
     GROUP BY s.attname""")


@dataclass(frozen=True)
class Found:
    sources: list[Scored]  # per vector column, the newest matches first
    looked_back: int = 0  # when a common word's walk stopped early: how many of the newest cases were looked at


def _shares(session: Session, query: Query) -> tuple[dict[str, float], float]:
    """The share of cases that hold the rarest typed word, per vector column (0 when a word is not among the most
    common: a rare word), and the number of cases."""
    shares: dict[str, float] = dict.fromkeys(VECTORS, 0.0)
    cases = 0.0
    for column, share, counted, typed, tuples in session.execute(_FREQUENCIES, {"words": " ".join(query.words)}):
        cases = max(cases, float(tuples or 0))
        if column in shares and share is not None and typed and counted >= typed:
            shares[column] = float(share)
    return shares, cases


def newest_matches(session: Session, query: Query, visible: ColumnElement[bool], *, candidates: int,
                   weights: dict[str, float], everywhere: bool = False) -> Found:
    """For each vector column (``weights``: its name and the weight of its rank), the newest ``candidates`` cases
    ``visible`` to the employee that match, with ts_rank times that weight."""
    words = func.websearch_to_tsquery(_ENGLISH, query.text)
    shares, cases = _shares(session, query)
    newest = session.scalar(select(func.max(Case.id))) or 0
    sources, looked_back = [], 0
    for column, weight in weights.items():
        vector, share = VECTORS[column], shares[column]
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
