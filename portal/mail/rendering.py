"""Turns a template pair (HTML and plain text) into a subject and two bodies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import css_inline

from portal.rendering import environment
from portal.urls import public_url


@dataclass(frozen=True)
class MailSettings:
    org_name: str
    base_url: str
    mail_from: str
    secret_key: str = ""
    inbound_domain: str = ""  # when set, case e-mails carry a Reply-To that routes answers back to the case


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(template: str, context: dict[str, Any], settings: MailSettings) -> Rendered:
    """Render ``mail/<template>.txt`` and ``.html``; the text template sets ``subject``."""
    env = environment()
    base_url = settings.base_url.rstrip("/")

    def link(endpoint: str, **route_values: Any) -> str:
        return public_url(endpoint, base_url=base_url, **route_values)

    # Links go through `public_url`, from mail's own BASE_URL: ``{{ public_url("staff.case", reference=reference) }}``.
    values = {"org_name": settings.org_name, "base_url": base_url, "public_url": link, **context}
    text_module = env.get_template(f"mail/{template}.txt").make_module(values)
    subject = " ".join(str(getattr(text_module, "subject", "")).split())
    if not subject:
        raise ValueError(f"mail/{template}.txt does not set a subject")
    html = env.get_template(f"mail/{template}.html").render({"subject": subject, **values})
    return Rendered(subject=subject, text=str(text_module).strip() + "\n", html=css_inline.inline(html))
