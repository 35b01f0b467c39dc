"""The ``partnerbot`` command, assembled from the sub-apps of this package.

Each module holds the commands of one area and imports adapters.cli.options
for what they share; none imports this package, which only lists them here
in the order ``partnerbot --help`` shows them. ``import`` and ``export`` are
made here because several modules add to them.
"""

from __future__ import annotations

import typer

from adapters.cli import (
    data_exchange,
    data_protection,
    meeting_documents,
    outbox,
    registers,
    schema,
    serve,
    terminal,
    worker,
)
from adapters.teams.package import register as register_teams_package

app = typer.Typer(help="partnerbot: a partnership board's coordination bot for Slack, Teams and the terminal.",
                  no_args_is_help=True, add_completion=False)
import_app = typer.Typer(help="Read board records written elsewhere.", no_args_is_help=True)
export_app = typer.Typer(help="Export board data.", no_args_is_help=True)

app.command("console")(terminal.console)
app.command("seed")(terminal.seed)
app.command("demo")(terminal.demo)
app.command("serve")(serve.serve)
app.command("pack")(meeting_documents.pack)
app.command("minutes")(meeting_documents.minutes)
app.command("worker")(worker.worker)
app.command("report")(data_exchange.report)
register_teams_package(app)
app.command("risks")(registers.risks_document)

import_app.command("minutes")(meeting_documents.import_minutes)
import_app.command("actions")(data_exchange.import_actions)
import_app.command("members")(data_exchange.import_members)
import_app.command("risks")(registers.import_risks)
import_app.command("measures")(registers.import_measures)
export_app.command("actions")(data_exchange.export_actions)
export_app.command("risks")(registers.export_risks)
export_app.command("measures")(registers.export_measures)

app.add_typer(schema.db_app, name="db")
app.add_typer(import_app, name="import")
app.add_typer(worker.jobs_app, name="jobs")
app.add_typer(outbox.outbox_app, name="outbox")
app.add_typer(export_app, name="export")
app.add_typer(data_exchange.calendar_app, name="calendar")
app.add_typer(data_protection.audit_app, name="audit")
app.add_typer(data_protection.privacy_app, name="privacy")


def main() -> None:
    app()
