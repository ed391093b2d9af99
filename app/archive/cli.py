"""`flask --app wsgi verify-archive`: recompute the decision chain, exit 1 when it is broken."""

from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    @app.cli.command("verify-archive")
    @click.option(
        "--batch-size",
        default=1000,
        show_default=True,
        type=click.IntRange(min=1),
        help="Decisions read per query.",
    )
    def verify_archive_command(batch_size: int) -> None:
        """Recompute every decision's digest and chain link; report the first broken one."""
        from app.services.archive_verify import verify_archive

        result = verify_archive(batch_size)
        if result.ok:
            click.echo(result.reason)
            return
        click.echo(f"The archive does NOT verify. {result.reason}", err=True)
        if result.first_broken_sequence is not None:
            click.echo(f"First broken link: decision {result.first_broken_sequence}.", err=True)
        raise SystemExit(1)
