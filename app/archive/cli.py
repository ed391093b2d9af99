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
    @click.option(
        "--head",
        "print_head",
        is_flag=True,
        help="Print the newest decision's '<sequence> <digest>' (to keep outside the database).",
    )
    @click.option(
        "--quick",
        is_flag=True,
        help="Skip re-reading every answer row (all other checks run); for frequent cron runs.",
    )
    @click.option(
        "--head-file",
        default=None,
        help="Compare with the head kept in this file (default: ARCHIVE_HEAD_FILE).",
    )
    def verify_archive_command(
        batch_size: int, print_head: bool, quick: bool, head_file: str | None
    ) -> None:
        """Check every decision's seal, the chain, the rows and the head; exit 1 when broken."""
        from app.services.archive_verify import EMPTY_HEAD, current_head, read_head, verify_archive

        if print_head:
            head = current_head()
            click.echo(str(head) if head else EMPTY_HEAD)
            return
        path = head_file or app.config.get("ARCHIVE_HEAD_FILE") or ""
        try:
            head = read_head(path) if path else None
        except (OSError, ValueError):
            click.echo(f"The head file {path} cannot be read.", err=True)
            raise SystemExit(1) from None
        result = verify_archive(batch_size, head, answers=not quick)
        if result.ok:
            click.echo(result.reason)
            if path and head is None:
                click.echo(f"No head file yet at {path}: write one with --head.")
            return
        click.echo(f"The archive does NOT verify. {result.reason}", err=True)
        if result.first_broken_sequence is not None:
            click.echo(f"First broken record: decision {result.first_broken_sequence}.", err=True)
        raise SystemExit(1)
