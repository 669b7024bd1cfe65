"""The `portal` command: database, demo data and users (run `portal --help`)."""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import run_command, with_appcontext
from sqlalchemy import select

from portal import migrate
from portal.db import db
from portal.organisation import organisation_name
from portal.urls import case_link, public_url


def register(app: Flask) -> None:
    app.cli.add_command(worker_command)
    app.cli.add_command(db_group)
    app.cli.add_command(demo_command)
    app.cli.add_command(users_group)

    app.cli.add_command(offers_group)
    app.cli.add_command(metrics_group)


@click.command("worker", help="Deliver the outbox: claim due e-mails, send them, retry failures with backoff.")
@click.option("--once", is_flag=True, help="Stop when nothing is due (for cron) instead of polling for ever.")
@click.option("--batch", default=50, show_default=True, type=click.IntRange(1), help="Messages claimed at a time.")
@click.option("--lease", default=120, show_default=True, type=click.IntRange(1),
              help="Seconds a claim lasts if this worker dies (renewed while it works).")
@click.option("--max-attempts", default=8, show_default=True, help="Attempts before a message is dead.")
@click.option("--concurrency", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Messages sent at once by this worker (SendGrid calls wait on the network).")
@click.option("--first-retry", default=30.0, show_default=True, type=click.FloatRange(0.1),
              help="Seconds before a failed send is tried again; the wait doubles (with jitter) after each failure.")
@click.option("--poll", default=2.0, show_default=True, type=click.FloatRange(0.05),
              help="Seconds between looks at the outbox when nothing is due.")
@with_appcontext
def worker_command(once: bool, batch: int, lease: int, max_attempts: int, concurrency: int, first_retry: float,
                   poll: float) -> None:
    import os
    import signal
    import socket
    from datetime import timedelta

    from portal.mail.transports import transport_for
    from portal.mail.worker import WorkerSettings, run

    stopping = {"now": False}

    def stop(*_args: object) -> None:
        stopping["now"] = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    settings = WorkerSettings(worker_id=f"{socket.gethostname()}:{os.getpid()}", sender=current_app.config["MAIL_FROM"],
                              batch=batch, lease=timedelta(seconds=lease), max_attempts=max_attempts,
                              concurrency=concurrency, base_delay=first_retry)
    # Says who it is (the name its claims carry in `claimed_by`) and that it is ready to claim.
    click.echo(f"Worker {settings.worker_id} started: batch {batch}, lease {lease}s, {concurrency} at a time.")
    totals = run(db.session.session_factory, transport_for(current_app.config), settings, once=once,
                 idle_sleep=poll, should_stop=lambda: stopping["now"])
    click.echo(f"Sent {totals['sent']}, retrying {totals['retrying']}, dead {totals['dead']}.")


@click.group("db", help="Create or change the database schema (Alembic migrations).")
def db_group() -> None:
    pass


@db_group.command("upgrade", help="Migrate the database to the newest schema (or --revision).")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database is at {revision}.")


@db_group.command("downgrade", help="Undo migrations down to REVISION ('base' for an empty database).")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database is at {revision}.")


@click.command("demo", help="Load the demo organisation (once; running it again changes nothing).")
@click.option("--quiet", is_flag=True, help="Do not print the demo logins.")
@with_appcontext
def demo_command(quiet: bool) -> None:
    from portal.demo import DEMO_PASSWORD, demo_customer_link, demo_logins, load_demo

    summary = load_demo(db.session, config=current_app.config)
    db.session.commit()
    if summary.loaded:
        click.echo(f"Loaded {summary.employees} employees, {summary.customers} customers, {summary.cases} cases.")
    else:
        click.echo("Demo data is already loaded.")
    if not quiet:
        click.echo(f"\nDemo staff logins (password for all: {DEMO_PASSWORD}):")
        for name, email, role in demo_logins():
            click.echo(f"  {role:<8} {email:<34} {name}")
        from portal.surveys.demo import demo_member_link

        link = demo_customer_link(db.session)
        survey_link = demo_member_link(db.session, current_app.config["SECRET_KEY"],
                                       lambda token: public_url("answer.start", via="i", token=token))
        db.session.commit()
        if link:
            click.echo(f"\nA customer's private link to a case with options to choose from:\n  {case_link(link)}")
        if survey_link:
            click.echo(f"\nA focus-group member's personal link to the demo survey:\n  {survey_link}")


@click.group("users", help="Manage employee accounts.")
def users_group() -> None:
    pass


@users_group.command("create", help="Create an employee who can sign in.")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(["agent", "manager", "admin"]), default="agent", show_default=True)
@click.option("--team", default="", help="Team name; created if it does not exist.")
@click.option("--limit", "authority_limit", default="0", help="Authority limit in pounds.")
@click.password_option(help="Prompted for when not given.")
@with_appcontext
def users_create(email: str, name: str, role: str, team: str, authority_limit: str, password: str) -> None:
    from portal.admin.staff import create_with_password
    from portal.auth.accounts import AccountRefused
    from portal.auth.models import Role, Team

    try:
        limit = Decimal(authority_limit)
    except InvalidOperation as exc:
        raise click.BadParameter("must be an amount like 150 or 99.50", param_hint="--limit") from exc
    team_row = None
    if team:
        team_row = db.session.scalar(select(Team).where(Team.name == team)) or Team(name=team)
    try:
        employee = create_with_password(
            db.session, email=email, name=name, role=Role(role), team=team_row,
            authority_limit=limit, password=password,
        )
    except AccountRefused as refused:
        raise click.ClickException(str(refused)) from refused
    db.session.commit()
    click.echo(f"Created {employee.role.value} {employee.name} <{employee.email}>.")


@click.group("offers", help="Remedy offers.")
def offers_group() -> None:
    pass


@offers_group.command("expire", help="Send the one reminder for offers close to expiry; return expired ones.")
@with_appcontext
def offers_expire() -> None:
    from portal.db import utcnow
    from portal.remedies.expiry import run_offer_expiry
    from portal.remedies.settings import RemedySettings

    config = current_app.config
    settings = RemedySettings.from_config(config, org_name=organisation_name(db.session))
    result = run_offer_expiry(db.session, utcnow(), settings)
    db.session.commit()
    click.echo(f"Reminded {result.reminded} and expired {result.expired} offers.")


@click.group("metrics", help="The dashboard's figures.")
def metrics_group() -> None:
    pass


@metrics_group.command("rebuild", help="Recompute every case's milestones from its timeline (after a bulk load).")
@with_appcontext
def metrics_rebuild() -> None:
    from portal.metrics.milestone_sync import rebuild

    rebuild(db.session)
    db.session.commit()
    click.echo("Every case's milestones recomputed from its timeline.")


def _run_on_port(**options: Any) -> Any:
    # The app is made after the options are read, so PORT set here reaches the settings: without BASE_URL,
    # links in e-mails and in what `portal demo` prints go to the port this server listens on.
    os.environ["PORT"] = str(options["port"])
    return click.get_current_context().invoke(run_command.callback, **options)


run_on_port = click.Command(
    "run", params=run_command.params, callback=_run_on_port, help=run_command.help,
    short_help=run_command.short_help, context_settings=run_command.context_settings,
)
