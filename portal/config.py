"""Settings from the environment (12-factor), with safe defaults for a laptop."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEV_SECRET_KEY = "dev-only-not-secret"
INSTANCE_DIR = Path(os.environ.get("PORTAL_INSTANCE", Path(__file__).resolve().parent.parent / "instance"))


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message is one line saying why."""


def base_url_for(port: str) -> str:
    """The address e-mailed links start with when BASE_URL is not set: this machine, on the port it serves.

    ``make run PORT=5101`` and ``portal run --port 5101`` set PORT, so links reach the server that sent them.
    """
    port = port.strip() or "5000"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"PORT must be a port number like 5000, not {port!r}.")
    return f"http://127.0.0.1:{int(port)}"


@dataclass
class Settings:
    """Every setting, its environment variable and its default (documented in the README)."""

    PORTAL_ENV: str = "development"
    SECRET_KEY: str = DEV_SECRET_KEY
    DATABASE_URL: str = f"sqlite:///{INSTANCE_DIR / 'portal.sqlite3'}"
    BASE_URL: str = "http://127.0.0.1:5000"  # unset: follows PORT (see base_url_for)
    ORG_NAME: str = "Riverside Rovers FC"
    ORG_TIMEZONE: str = "Europe/London"
    MAIL_FROM: str = "Make It Right <care@example.org>"
    SENDGRID_API_KEY: str = ""
    SENDGRID_HOST: str = "https://api.sendgrid.com"
    SENDGRID_WEBHOOK_PUBLIC_KEY: str = ""
    SENDGRID_INBOUND_SECRET: str = ""
    INBOUND_DOMAIN: str = ""
    # Mail to this address that is not a reply files a case; unset, MAIL_FROM's address is the care address.
    CARE_ADDRESS: str = ""
    # The category e-mailed cases are filed under (its name); unset, the first active category by name.
    EMAIL_CATEGORY: str = ""
    OUTBOX_DIR: str = str(INSTANCE_DIR / "outbox")
    UPLOAD_DIR: str = str(INSTANCE_DIR / "uploads")
    RATELIMIT_STORAGE_URI: str = "memory://"
    MAX_CONTENT_LENGTH: int = 16 * 1024 * 1024
    RATELIMIT_ENABLED: bool = True
    OFFER_EXPIRY_DAYS: int = 14
    PAGE_CACHE_SECONDS: int = 30
    TRUSTED_PROXIES: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name != "extra" and f.name in env:
                raw = env[f.name]
                if f.type == "int":
                    values[f.name] = int(raw)
                elif f.type == "bool":
                    values[f.name] = raw.strip().lower() not in ("0", "false", "no", "off", "")
                else:
                    values[f.name] = raw
        if "BASE_URL" not in env:
            values["BASE_URL"] = base_url_for(env.get("PORT", ""))
        return cls(**values)

    @property
    def production(self) -> bool:
        return self.PORTAL_ENV == "production"

    def check(self) -> None:
        """Refuse to run production with a secret anyone can read in our repository."""
        if self.PORTAL_ENV not in {"development", "production", "test"}:
            raise ConfigError(f"PORTAL_ENV must be development, production or test, not {self.PORTAL_ENV!r}.")
        if self.production and (not self.SECRET_KEY or self.SECRET_KEY == DEV_SECRET_KEY):
            raise ConfigError("SECRET_KEY must be set to a long random value when PORTAL_ENV=production.")
        try:
            ZoneInfo(self.ORG_TIMEZONE)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"ORG_TIMEZONE {self.ORG_TIMEZONE!r} is not a time zone like Europe/London.") from exc
        if self.TRUSTED_PROXIES < 0:
            raise ConfigError("TRUSTED_PROXIES is the number of proxies in front of the app: 0 or more.")
        if self.production and len(self.SECRET_KEY) < 24:
            raise ConfigError("SECRET_KEY is too short for production: use at least 24 random characters.")

    def flask_config(self) -> dict[str, Any]:
        config = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
        config.update(
            TESTING=self.PORTAL_ENV == "test",
            SESSION_COOKIE_HTTPONLY=True,
            SESSION_COOKIE_SAMESITE="Lax",
            SESSION_COOKIE_SECURE=self.production,
            REMEMBER_COOKIE_HTTPONLY=True,
            REMEMBER_COOKIE_SECURE=self.production,
            REMEMBER_COOKIE_SAMESITE="Lax",
            WTF_CSRF_TIME_LIMIT=None,
            PREFERRED_URL_SCHEME="https" if self.production else "http",
        )
        config.update(self.extra)
        return config
