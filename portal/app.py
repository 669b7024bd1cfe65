"""The application factory: configuration, database, mail, extensions, blueprints, error pages, commands."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import Flask, g

from portal import urls
from portal.config import Settings
from portal.db import db as database
from portal.mail import delivery, outbox
from portal.mail.rendering import MailSettings
from portal.mail.transports import FileTransport

ROOT = Path(__file__).resolve().parent.parent  # templates/ and static/ sit beside the package


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
    register_converters(app)
    register_database(app)
    register_mail(app)
    register_moments()
    register_extensions(app)
    register_blueprints(app)
    register_error_pages(app)
    register_template_helpers(app)
    register_commands(app)
    register_links(app)
    return app


def register_links(app: Flask) -> None:
    """Links that leave the request (e-mails, feeds) are built from this app's routes and BASE_URL, with or without
    a request; during one of this app's requests, from this app's even when another app was made since."""
    set_base_url(app, app.config["BASE_URL"])

    @app.before_request
    def _links_of_this_app() -> None:
        links, mail_settings = app.extensions["portal_links"]
        g.portal_context_tokens = (urls.LINKS.use(links), outbox.SETTINGS.use(mail_settings))

    @app.teardown_request
    def _forget_links(_error: BaseException | None) -> None:
        tokens = g.pop("portal_context_tokens", None)
        if tokens:
            urls.LINKS.forget(tokens[0])
            outbox.SETTINGS.forget(tokens[1])


def set_base_url(app: Flask, base_url: str) -> None:
    """The portal's public address, for every link it sends out (a server that learns its port once started)."""
    app.config["BASE_URL"] = base_url
    mail_settings = replace(outbox.settings(), base_url=base_url)
    outbox.configure(mail_settings)
    app.extensions["portal_links"] = (urls.configure(base_url, app.url_map), mail_settings)


def register_converters(app: Flask) -> None:
    # Before any blueprint: every `<int:...>` route then takes only ids a database column can hold (else 404).
    from portal.inputs import DatabaseIntConverter

    app.url_map.converters["int"] = DatabaseIntConverter


def register_database(app: Flask) -> None:
    from portal.metrics.milestone_sync import keep_milestones_in_step

    database.configure(app.config["DATABASE_URL"], **app.config.get("ENGINE_OPTIONS", {}))
    app.teardown_appcontext(database.remove)
    keep_milestones_in_step()  # every flush that adds events refreshes their cases' milestones rows


def register_mail(app: Flask) -> None:
    outbox.configure(MailSettings(app.config["ORG_NAME"], app.config["BASE_URL"], app.config["MAIL_FROM"],
                                  secret_key=app.config["SECRET_KEY"], inbound_domain=app.config["INBOUND_DOMAIN"]))
    # Without SendGrid, mail goes to .eml files the moment its transaction commits; with it, the worker sends.
    transport = None if app.config["SENDGRID_API_KEY"] else FileTransport(app.config["OUTBOX_DIR"])
    delivery.listen(database.session.session_factory, transport, app.config["MAIL_FROM"])
    # What a bounce, an opt-out or an e-mailed reply means is the cases capability's to say.
    from portal.cases import mail_outcomes

    mail_outcomes.register()


def register_moments() -> None:
    # The dashboard's trend marks where each task force started; the ideas capability says where.
    from portal.ideas import outcome
    from portal.metrics import moments

    moments.register(outcome.start_markers)


def register_extensions(app: Flask) -> None:
    from portal.auth.access import login_manager
    from portal.security import register_security

    register_security(app)
    login_manager.init_app(app)


def register_blueprints(app: Flask) -> None:
    from portal import pages
    from portal.admin.views import public as admin_public
    from portal.admin.views import staff as admin_staff
    from portal.admin.views import staff_customers as admin_customers
    from portal.auth.views import staff as auth_staff
    from portal.cases.views import customer as case_customer
    from portal.cases.views import staff as case_staff
    from portal.cases.views import staff_customers as case_customers
    from portal.cases.views import staff_templates as case_templates
    from portal.changes.views import public as change_public
    from portal.changes.views import staff as change_staff
    from portal.ideas.views import meetings as _ideas_meetings  # noqa: F401  (its routes, on ideas_staff.bp)
    from portal.ideas.views import questions as _ideas_questions  # noqa: F401  (its routes, on ideas_staff.bp)
    from portal.ideas.views import staff as ideas_staff
    from portal.intake import views as intake_views
    from portal.mail import views as mail_views
    from portal.metrics.views import staff as metrics_staff
    from portal.remedies.views import customer as remedies_customer
    from portal.remedies.views import shared as remedies_shared
    from portal.remedies.views import staff as remedies_staff
    from portal.surveys.views import customer as survey_customer
    from portal.surveys.views import staff as survey_staff
    from portal.surveys.views import staff_groups as survey_groups
    from portal.surveys.views import staff_results as _results  # noqa: F401 - adds the results pages to staff.bp
    from portal.templating import add_admin_link, add_nav

    app.register_blueprint(pages.bp)
    app.register_blueprint(auth_staff.bp)
    app.register_blueprint(case_customer.bp)
    add_nav(app, "Tell us", "cases.tell_us", public=True)
    add_nav(app, "Your cases", "cases.account", public=True)
    app.register_blueprint(case_staff.bp)
    app.config.setdefault("STAFF_HOME_ENDPOINT", "staff.my_cases")
    add_nav(app, "My cases", "staff.my_cases")
    app.register_blueprint(intake_views.bp)
    add_nav(app, "New case", "intake.new_case")
    add_nav(app, "Team", "staff.team", roles=("manager",))
    app.register_blueprint(case_templates.bp)
    add_nav(app, "Reply templates", "reply_templates.index")
    app.register_blueprint(case_customers.bp)
    app.register_blueprint(ideas_staff.bp)
    add_nav(app, "Ideas", "ideas.index")
    app.register_blueprint(metrics_staff.bp)
    add_nav(app, "Dashboard", "metrics.index", roles=("manager",))
    app.register_blueprint(admin_staff.bp)
    app.register_blueprint(admin_public.branding_bp)
    app.register_blueprint(admin_customers.bp)
    add_nav(app, "Admin", "admin.index", roles=("manager",))
    app.register_blueprint(remedies_staff.staff)
    remedies_shared.register_case_sections()
    app.register_blueprint(remedies_customer.customer)
    add_nav(app, "Approvals", "remedies.approvals", roles=("manager",))
    app.register_blueprint(change_staff.staff)
    app.register_blueprint(change_public.site)
    add_nav(app, "Themes", "themes.theme_list", roles=("manager",))
    add_nav(app, "You said, we did", "you_said.index", public=True)
    app.register_blueprint(survey_groups.bp)
    app.register_blueprint(survey_staff.bp)
    app.register_blueprint(survey_customer.bp)
    add_nav(app, "Surveys", "surveys.index", roles=("manager",))
    add_admin_link(app, "Import customers", "customer_records.imports",
                   "Customers' records from the club's ticketing system or CRM: a CSV file, checked line by line.")
    add_admin_link(app, "Focus groups", "focus_groups.index",
                   "Long-standing customers to consult: members added by hand or from a CSV file.")
    app.register_blueprint(mail_views.webhooks)
    app.register_blueprint(case_customer.preferences_bp)
    app.register_blueprint(admin_staff.outbox_bp)
    add_admin_link(app, "Outbox", "outbox.index", "Every e-mail sent or waiting: delivery status, previews, retries.")
    add_admin_link(app, "E-mail received", "outbox.received",
                   "Every e-mail that reached us and what became of it: a case, a reply, or why nothing was done.")
    add_admin_link(app, "Remedy catalogue", "remedies.catalogue_list",
                   "The remedies each category offers by default, with typical costs.")


def register_error_pages(app: Flask) -> None:
    from portal.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from portal import templating

    templating.register(app)


def register_commands(app: Flask) -> None:
    from portal.cli import register

    register(app)
