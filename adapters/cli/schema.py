"""``partnerbot db upgrade``: create or migrate the database schema."""

from __future__ import annotations

import typer

from adapters.cli.options import DbOption, quiet_settings
from adapters.services import upgrade_schema

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create or migrate the schema to the latest version."""
    settings = quiet_settings(db)
    upgrade_schema(settings.database_url)
    typer.echo(f"Database at {settings.database_url} is up to date.")
