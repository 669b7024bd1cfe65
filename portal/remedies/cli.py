"""`portal offers expire`: the worker's (or cron's) regular call to remind and expire unanswered offers."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from portal.db import db, utcnow

# An AppGroup runs its commands inside the application context.
offers_group = AppGroup("offers", help="Remedy offers.")


@offers_group.command("expire", help="Send the one reminder for offers close to expiry; return expired ones.")
def expire_command() -> None:
    from portal.remedies.expiry import run_offer_expiry
    from portal.remedies.settings import RemedySettings

    config = current_app.config
    from portal.admin.organisation import branding

    settings = RemedySettings(secret_key=config["SECRET_KEY"], org_name=branding(db.session, config["ORG_NAME"]).name,
                              expiry_days=int(config.get("OFFER_EXPIRY_DAYS", 14)))
    result = run_offer_expiry(db.session, utcnow(), settings)
    db.session.commit()
    click.echo(f"Reminded {result.reminded} and expired {result.expired} offers.")
