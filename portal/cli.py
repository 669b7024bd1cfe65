"""The `portal` command: database, demo data and users (run `portal --help`)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup
from sqlalchemy import select

from portal import migrate
from portal.db import db


def register(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(demo_command)
    app.cli.add_command(users_group)
    app.cli.add_command(worker_command)


@click.group("db", help="Create or change the database schema (Alembic migrations).")
def db_group() -> None:
    pass


@db_group.command("upgrade", help="Migrate the database to the newest schema (or --revision).")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database is at {revision}.")


@db_group.command("downgrade", help="Undo migrations down to REVISION ('base' for an empty database).")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database is at {revision}.")


@click.command("demo", help="Load the demo organisation (once; running it again changes nothing).")
@click.option("--quiet", is_flag=True, help="Do not print the demo logins.")
def demo_command(quiet: bool) -> None:
    from portal.demo import DEMO_PASSWORD, demo_logins, load_demo

    summary = load_demo(db.session)
    db.session.commit()
    if summary.loaded:
        click.echo(f"Loaded {summary.employees} employees, {summary.customers} customers, {summary.cases} cases.")
    else:
        click.echo("Demo data is already loaded.")
    if not quiet:
        click.echo(f"\nDemo staff logins (password for all: {DEMO_PASSWORD}):")
        for name, email, role in demo_logins():
            click.echo(f"  {role:<8} {email:<34} {name}")


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
def users_create(email: str, name: str, role: str, team: str, authority_limit: str, password: str) -> None:
    from portal.auth.accounts import AccountRefused, create_employee
    from portal.auth.models import Role, Team

    try:
        limit = Decimal(authority_limit)
    except InvalidOperation as exc:
        raise click.BadParameter("must be an amount like 150 or 99.50", param_hint="--limit") from exc
    team_row = None
    if team:
        team_row = db.session.scalar(select(Team).where(Team.name == team)) or Team(name=team)
    try:
        employee = create_employee(
            db.session, email=email, name=name, role=Role(role), team=team_row,
            authority_limit=limit, password=password,
        )
    except AccountRefused as refused:
        raise click.ClickException(str(refused)) from refused
    db.session.commit()
    click.echo(f"Created {employee.role.value} {employee.name} <{employee.email}>.")


@click.command("worker", help="Deliver the outbox: claim due e-mails in batches, send, retry with backoff.")
@click.option("--once", is_flag=True, help="Send what is due now and exit (for cron).")
@click.option("--batch", default=50, show_default=True, type=click.IntRange(1, 1000), help="Messages per claim.")
@click.option("--lease", default=300, show_default=True, type=click.IntRange(1),
              help="Seconds a claim lasts; a dead worker's messages are claimed again after it.")
@click.option("--idle", default=2.0, show_default=True, type=float, help="Seconds to wait when nothing is due.")
@click.option("--quiet", is_flag=True, help="Print nothing.")
def worker_command(once: bool, batch: int, lease: int, idle: float, quiet: bool) -> None:
    from datetime import timedelta

    from portal.mail.delivery import Worker
    from portal.mail.worker import make_transport, run

    config = current_app.config
    worker = Worker(db.session.session_factory, make_transport(config), config["MAIL_FROM"], batch=batch,
                    lease=timedelta(seconds=lease))

    def report(result) -> None:
        if not quiet:
            click.echo(f"{worker.id}: claimed {result.claimed}, sent {result.sent}, "
                       f"will retry {result.failed}, dead {result.dead}")

    if not quiet:
        click.echo(f"Worker {worker.id} delivering through {type(worker.transport).__name__}.")
    run(worker, once=once, idle_seconds=idle, report=report)


def main() -> None:
    from portal import create_app

    FlaskGroup(create_app=lambda: create_app(), help="Make It Right: the portal's commands.")()
