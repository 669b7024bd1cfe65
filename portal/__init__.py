"""Make It Right: the application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event

from portal.config import INSTANCE_DIR, Settings
from portal.db import db as database
from portal.mail import delivery, outbox
from portal.mail.rendering import MailSettings
from portal.mail.transports import FileTransport

ROOT = INSTANCE_DIR.parent


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    settings = Settings.from_env()
    for key, value in (overrides or {}).items():
        if hasattr(settings, key) and key != "extra":
            setattr(settings, key, value)
        else:
            settings.extra[key] = value
    settings.check()

    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    app.config.from_mapping(settings.flask_config())
    register_database(app)
    register_mail(app)
    register_extensions(app)
    register_blueprints(app)
    register_error_pages(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_database(app: Flask) -> None:
    database.configure(app.config["DATABASE_URL"], **app.config.get("ENGINE_OPTIONS", {}))
    app.teardown_appcontext(database.remove)


def register_mail(app: Flask) -> None:
    outbox.configure(MailSettings(app.config["ORG_NAME"], app.config["BASE_URL"], app.config["MAIL_FROM"],
                                  app.config["SECRET_KEY"], app.config["MAIL_REPLY_DOMAIN"]))
    factory = database.session.session_factory
    for listener in database.mail_listeners:
        if event.contains(factory, *listener):
            event.remove(factory, *listener)
    database.mail_listeners = [("after_rollback", delivery.forget_after_rollback)]
    if not app.config["SENDGRID_API_KEY"]:
        # Without SendGrid, mail goes to .eml files the moment its transaction commits.
        transport = FileTransport(app.config["OUTBOX_DIR"])
        database.mail_listeners.append(
            ("after_commit", delivery.deliver_after_commit(factory, transport, app.config["MAIL_FROM"]))
        )
    for listener in database.mail_listeners:
        event.listen(factory, *listener)


def register_extensions(app: Flask) -> None:
    from portal.auth.access import login_manager
    from portal.security import register_security

    register_security(app)
    login_manager.init_app(app)


def register_blueprints(app: Flask) -> None:
    from portal import pages
    from portal.auth import views as auth_views

    app.register_blueprint(pages.bp)
    app.register_blueprint(auth_views.bp)


def register_error_pages(app: Flask) -> None:
    from portal.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from portal import templating

    templating.register(app)


def register_commands(app: Flask) -> None:
    from portal.cli import register

    register(app)
