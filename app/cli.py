"""`flask --app wsgi <command>`: each command calls one service."""

from __future__ import annotations

import click
from flask import Flask

from app.services.errors import ServiceError
from app.services.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

CATALOGUE_OUTCOMES = {
    "loaded": "Catalogue version {version} loaded.",
    "unchanged": "Catalogue version {version} is current: the built-in catalogue has not changed.",
    "published": (
        "The built-in catalogue changed: published as version {version}. Reviews already "
        "opened keep the version they were opened with."
    ),
    "edited_since": (
        "Version {version} was published by an administrator and differs from the built-in "
        "catalogue, which was not published over it. Run with --force to publish the "
        "built-in catalogue as a new version anyway."
    ),
}


PASSWORD_RULE = (
    f"The password needs at least {MIN_PASSWORD_LENGTH} characters (at most {MAX_PASSWORD_LENGTH})."
)


def _checked_email(email: str) -> str:
    """The same check as the web form's (email-validator, no DNS lookup)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise click.BadParameter(f"{email!r} is not an e-mail address: {error}") from None


def _checked_password(password: str) -> str:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise click.BadParameter(PASSWORD_RULE)
    return password


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
        envvar="CANDOR_ADMIN_PASSWORD",
        help=f"At least {MIN_PASSWORD_LENGTH} characters. Prompted when not given; for "
        "scripts, set CANDOR_ADMIN_PASSWORD rather than passing it on the command line.",
    )
    def create_admin(email: str, name: str, password: str | None) -> None:
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
        email = _checked_email(email)
        if password is None:
            click.echo(PASSWORD_RULE)
            password = click.prompt(
                "Password",
                hide_input=True,
                confirmation_prompt=True,
                value_proc=_checked_password,
            )
        else:
            _checked_password(password)
        try:
            user = create_user(email, name, "admin", password)
        except ServiceError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Admin {user.email} created.")

    @app.cli.command("load-catalogue")
    @click.option(
        "--force",
        is_flag=True,
        help="Publish the built-in catalogue even over a version an administrator published.",
    )
    def load_catalogue(force: bool) -> None:
        """Load the built-in catalogue, or publish a newer one as a new version (run it on
        every release; reviews keep the version they were opened with)."""
        from app.services.catalogue import upgrade_default_catalogue

        result = upgrade_default_catalogue(force=force)
        click.echo(CATALOGUE_OUTCOMES[result.outcome].format(version=result.version))

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
