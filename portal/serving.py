"""A setting of the app serving this request: several apps can live in one process (tests, a live server beside
them), and each request must see its own app's. Without a request, the last app configured gives it."""

from __future__ import annotations

from contextvars import ContextVar, Token
from typing import Generic, TypeVar

T = TypeVar("T")


class ServedSetting(Generic[T]):
    def __init__(self, name: str) -> None:
        self.name = name
        self._default: T | None = None
        self._serving: ContextVar[T | None] = ContextVar(name, default=None)

    def configure(self, value: T) -> T:
        """The value for this process (the app factory's)."""
        self._default = value
        return value

    def use(self, value: T) -> Token[T | None]:
        """``value`` for the rest of this request; hand the token to ``forget`` when the request ends."""
        return self._serving.set(value)

    def forget(self, token: Token[T | None]) -> None:
        self._serving.reset(token)

    def get(self) -> T:
        current = self._serving.get() or self._default
        if current is None:
            raise RuntimeError(f"{self.name} is not configured; create the app first")
        return current
