"""`partnerbot import` and `export` hold every module's commands (Typer would keep only the last group)."""

from __future__ import annotations

from typer.testing import CliRunner

from adapters.cli import app


def test_import_and_export_list_every_modules_commands() -> None:
    runner = CliRunner()
    imports = runner.invoke(app, ["import", "--help"], terminal_width=200).output
    exports = runner.invoke(app, ["export", "--help"], terminal_width=200).output
    assert all(name in imports for name in ("minutes", "actions", "members", "risks", "measures")), imports
    assert all(name in exports for name in ("actions", "risks", "measures")), exports
