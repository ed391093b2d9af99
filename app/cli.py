"""`flask --app wsgi <command>`: each command calls one service."""

from __future__ import annotations

import click
from flask import Flask

from app.services.errors import ServiceError


def register_cli(app: Flask) -> None:
    @app.cli.command("create-admin")
    @click.argument("email")
    @click.option("--name", default="Administrator", show_default=True, help="Display name.")
    @click.option(
        "--password",
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help="Password (prompted when not given).",
    )
    def create_admin(email: str, name: str, password: str) -> None:
        """Create an admin account (the first one, or another)."""
        from app.services.users import create_user

        try:
            user = create_user(email, name, "admin", password)
        except ServiceError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Admin {user.email} created.")

    _register_setup(app)


def _register_setup(app: Flask) -> None:
    @app.cli.command("setup-local")
    def setup_local() -> None:
        """Prepare a local install: tell how to log in the first time."""
        from app.services.users import list_users

        if list_users():
            click.echo(
                "Candor is ready at http://127.0.0.1:5000 ; log in with an existing account."
            )
            return
        click.echo(
            "No accounts yet. Create the first admin with:\n"
            "  .venv/bin/flask --app wsgi create-admin you@example.com"
        )
