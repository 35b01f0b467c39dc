"""Command groups that several operator modules add to (``import``, ``export``).

Typer keeps only the last group added under a name, so a module that adds
``import minutes`` would hide ``import actions``: ``add_group`` joins them instead.
"""

from __future__ import annotations

import typer


def add_group(app: typer.Typer, name: str, group: typer.Typer) -> None:
    """Add ``group``'s commands under ``name``, beside any already there."""
    for info in app.registered_groups:
        if info.name == name and info.typer_instance is not None:
            info.typer_instance.registered_commands.extend(group.registered_commands)
            return
    app.add_typer(group, name=name)
