"""What someone typed into a search box, read safely: words, "quoted phrases" and -excluded words, an address,
a phone number's digits; and the marking of matches in results, escaped first and only then wrapped in <mark>.

Nothing typed is ever handed to a database as syntax: control characters (NUL included) go, FTS5 queries are
rebuilt from quoted words (so ``"``, ``*``, ``NEAR(`` or ``AND`` are only words), PostgreSQL's prefix queries from
letters and digits only, and ``websearch_to_tsquery`` never fails on what it is given.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from portal.inputs import CONTROL_CHARACTERS

__all__ = ["CONTROL_CHARACTERS", "START", "STOP", "Query", "Term", "mark_words", "marked", "parse", "snippet"]

MAX_LENGTH = 200  # longer text is cut: nobody types more into a search box
PHONE_DIGITS = 9  # a phone number is matched on its last nine digits: "07700 900123" and "+44 7700 900123"
_PHONE_LIKE = re.compile(r"[\d\s+().\-/]+")

# Two characters no one types, which the engines put around a match; they are turned into <mark> after escaping.
START, STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{START}(.*?){STOP}", re.S)
_WORD = re.compile(r"\w+")
_TERM = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
_JOINING_WORDS = {"and", "or"}  # websearch_to_tsquery reads them as operators; on SQLite they are dropped


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

    def fts5_prefix(self, *, last_only: bool = False) -> str:
        """Every positive word as a prefix (``"oliv"*``): for names and addresses typed in part. With
        ``last_only`` only the last word (the one still being typed); the others whole, which an index answers far
        faster when a word begins many names ("fan 5" among thousands of "Fan N")."""
        last = len(self.words) - 1
        return " AND ".join(f'"{w}"' if last_only and i < last else f'"{w}"*' for i, w in enumerate(self.words))

    def tsquery_whole(self) -> str:
        """Every word whole, for PostgreSQL's to_tsquery: ``'fan' & '5'``."""
        return " & ".join(f"'{w.lower()}'" for w in self.words)

    def tsquery_prefix(self, *, last_only: bool = False) -> str:
        """The same for PostgreSQL's to_tsquery: each word (letters and digits only) as ``'word':*``."""
        last = len(self.words) - 1
        return " & ".join(f"'{w.lower()}'" if last_only and i < last else f"'{w.lower()}':*"
                          for i, w in enumerate(self.words))

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



def marked(snippet: str) -> Markup:
    """An engine's snippet with START/STOP around matches, as safe HTML: every piece escaped, then marked."""
    pieces, last = [], 0
    for match in _MARKED.finditer(snippet):
        pieces.append(escape(snippet[last:match.start()].replace(START, "").replace(STOP, "")))
        pieces.append(Markup("<mark>%s</mark>") % match.group(1).replace(START, "").replace(STOP, ""))
        last = match.end()
    pieces.append(escape(snippet[last:].replace(START, "").replace(STOP, "")))
    return Markup("").join(pieces)


@lru_cache(maxsize=256)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)), re.I)


def mark_words(value: str, words: Sequence[str]) -> Markup:
    """A short field (a name, an address) with the words found in it marked, escaped piece by piece."""
    if not value or not words:
        return escape(value or "")
    pattern = _words_pattern(tuple(words))
    pieces, last = [], 0
    for match in pattern.finditer(value):
        pieces += [escape(value[last:match.start()]), Markup("<mark>%s</mark>") % match.group(0)]
        last = match.end()
    pieces.append(escape(value[last:]))
    return Markup("").join(pieces)


# A rough English stem, for marking only (the engines match with their own stemmers): "refused", "refusing" and
# "refuse" all read "refus".
_SUFFIXES = ("ingly", "ings", "ing", "edly", "ies", "ied", "es", "ed", "ly", "s", "e")


@lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


LEAD_WORDS = 2


def snippet(text: str, words: Sequence[str], size: int = 18) -> str:
    """Up to ``size`` words of ``text`` around the first of ``words`` found in it (by stem, any letter case), with
    START/STOP around each match, for ``marked``; "" when none is there. The SQLite side's highlighter: FTS5's
    snippet() evaluates the whole query again for every row it is asked about, 25-60 ms a page at 20,000 cases."""
    stems = {_stem(w) for w in words if w}
    lowered = (text or "").lower()
    if not stems or not any(stem in lowered for stem in stems):  # most texts hold none of the words
        return ""
    tokens = list(re.finditer(r"\S+", text))
    hits = [i for i, t in enumerate(tokens) if any(_stem(w) in stems for w in _WORD.findall(t.group(0)))]
    if not hits:
        return ""
    # Two words before the first match: a result's line is short, and the marked word must be in what shows.
    first = max(0, hits[0] - LEAD_WORDS)
    chosen = tokens[first:first + size]
    out = []
    for token in chosen:
        value = token.group(0)
        out.append(_WORD.sub(lambda m: f"{START}{m.group(0)}{STOP}" if _stem(m.group(0)) in stems else m.group(0),
                             value))
    return ("… " if first else "") + " ".join(out) + (" …" if first + size < len(tokens) else "")
