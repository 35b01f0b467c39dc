"""``partnerbot serve``: the Slack and Teams endpoints in one web server (and the jobs, unless told not to)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from adapters.cli.options import DbOption, fail, settings_for
from adapters.logs import configure_logging


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 3000,
    socket_mode: Annotated[bool, typer.Option("--socket-mode", help="Use Slack Socket Mode (no public URL)")] = False,
    no_jobs: Annotated[bool, typer.Option("--no-jobs", help="Do not run reminders in this process")] = False,
    dev: Annotated[bool, typer.Option("--dev", help="Teams without authentication (local testing only)")] = False,
    dev_public: Annotated[bool, typer.Option(
        "--dev-public", help="Let --dev listen on an interface other than 127.0.0.1/::1 (dangerous)")] = False,
    db: DbOption = None,
) -> None:
    """Run the Slack and Teams endpoints (and the reminder jobs unless --no-jobs)."""
    from adapters.web.run import dev_bind_refusal, run_server

    settings = settings_for(db)
    configure_logging(settings)
    if dev and (refusal := dev_bind_refusal(host, dev_public)):
        fail(refusal, 2)
    raise typer.Exit(asyncio.run(run_server(settings, host, port, socket_mode=socket_mode, jobs=not no_jobs,
                                            dev=dev)))
