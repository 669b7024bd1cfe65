"""The `portal` command (and `python -m portal`): the app factory with the commands of portal.cli."""

from __future__ import annotations

from flask.cli import FlaskGroup

from portal.app import create_app
from portal.cli import run_on_port


def portal_group() -> FlaskGroup:
    group = FlaskGroup(create_app=lambda: create_app(), help="Make It Right: the portal's commands.")
    group.add_command(run_on_port)
    return group


def main() -> None:
    portal_group()()


if __name__ == "__main__":
    main()
