"""`flask --app wsgi <command>`: each command calls one service."""

from __future__ import annotations

import click
from flask import Flask

from app.services.errors import ServiceError


def _echo_logins(rows) -> None:
    click.echo("Demo logins (all share one password):")
    for email, role, password in rows:
        click.echo(f"  {role:<7} {email:<22} {password}")


def register_cli(app: Flask) -> None:
    from app.archive.cli import register as register_archive_cli

    register_archive_cli(app)

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
        from app.text_input import clean_text, has_bidi_controls, is_invisible

        name = clean_text(name)
        # The same rule as the forms' (app/text_input.py): no direction controls, no
        # name that only looks filled in.
        if not name or has_bidi_controls(name) or is_invisible(name):
            raise click.BadParameter(
                "use visible characters without direction controls (such as U+202E)",
                param_hint="--name",
            )
        try:
            user = create_user(email, name, "admin", password)
        except ServiceError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Admin {user.email} created.")

    @app.cli.command("load-catalogue")
    def load_catalogue() -> None:
        """Load the built-in categories and questionnaire (once; later edits are new versions)."""
        from app.services.catalogue import latest_version, load_default_catalogue

        created = load_default_catalogue()
        version = latest_version().version
        click.echo(f"Catalogue version {version} {'loaded' if created else 'already present'}.")

    @app.cli.command("demo")
    def demo() -> None:
        """Load the demo agency (users of each role, clients, open and decided reviews)."""
        from app.services.demo import has_any_user, load_demo

        if has_any_user():
            raise click.ClickException(
                "The database already has users; the demo loads only into an empty one."
            )
        _echo_logins(load_demo())

    @app.cli.command("setup-local")
    def setup_local() -> None:
        """`make run`: load the catalogue, and the demo on an empty database; say how to log in."""
        from app.services.catalogue import load_default_catalogue
        from app.services.demo import has_any_user, load_demo

        load_default_catalogue()
        if has_any_user():
            click.echo("Candor is ready at http://127.0.0.1:5000 ; log in with your account.")
            return
        _echo_logins(load_demo())
        click.echo("Candor is ready at http://127.0.0.1:5000")
