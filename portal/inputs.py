"""What a request may carry towards the database: whole numbers a 64-bit column can hold, text without control
characters, and a `next=` address that stays on this site. Used by the URL map, the views' query strings and the
form base class, so each bound is written once."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter, Map

# Our id and count columns are INTEGER: signed 32-bit on PostgreSQL (64-bit on SQLite), so a number past 2^31 names
# nothing, and must not reach PostgreSQL, which refuses it with an error rather than finding no row.
DB_INT_MAX = 2**31 - 1
DB_INT_MIN = -(2**31)
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,19}")

# NUL (which PostgreSQL text cannot hold) and the other C0/C1 controls, DEL and the Unicode line and paragraph
# separators; tab, line feed and carriage return are ordinary in typed text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
LINE_BREAKS = re.compile(r"[\r\n]")
CONTROL_CHARACTERS_MESSAGE = (
    "Remove the invisible control characters from this text (they can come from copying and pasting), "
    "then send it again."
)


def db_int(value: str) -> int:
    """A whole number a database id column can hold; ValueError for anything else, so
    ``request.args.get("team", type=db_int)`` gives the default for ``?team=99999999999999999999``."""
    text = value.strip() if isinstance(value, str) else ""
    if not _WHOLE_NUMBER.fullmatch(text):
        raise ValueError(f"not a whole number: {value!r}")
    number = int(text)
    if not DB_INT_MIN <= number <= DB_INT_MAX:
        raise ValueError(f"out of the database's range: {value!r}")
    return number


def optional_db_int(value: Any) -> int | None:
    """``db_int`` for values that may be missing or wrong, where either means "none given"."""
    try:
        return db_int(value)
    except ValueError:
        return None


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


class DatabaseIntConverter(IntegerConverter):
    """``<int:...>`` limited to what a database id can be: a larger number is a 404, not an overflow."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = DB_INT_MAX,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def safe_next(target: str | None, fallback: str) -> str:
    """Where to go after signing in: a path on this site only (no scheme, host, ``//``, backslash or control
    characters, which browsers or a header would read as another site or a second header)."""
    if not target or has_control_characters(target) or LINE_BREAKS.search(target) or "\\" in target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target
