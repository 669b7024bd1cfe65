"""Password hashing with Argon2 (argon2-cffi's recommended parameters)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from portal.auth.errors import PasswordRefused

_hasher = PasswordHasher()
# Verifying against this when an address has no account keeps both paths equally slow.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

MIN_LENGTH = 12


def check_new_password(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise PasswordRefused(f"Password must be at least {MIN_LENGTH} characters long.")
    if len(password) > 256:
        raise PasswordRefused("Password must be 256 characters or fewer.")
    if password.strip() != password or not password.strip():
        raise PasswordRefused("Password must not start or end with a space.")


def hash_password(password: str) -> str:
    check_new_password(password)
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
