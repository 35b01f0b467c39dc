"""``partnerbot teams-package``: the zip an admin uploads to Teams ("Upload a custom app").

It holds ``manifest/teams/manifest.json`` with the bot's Microsoft App ID
filled in, and the two icons. Teams wants exactly these three files at the
top level of the zip.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Annotated

import typer

from adapters.teams.manifest import MANIFEST_DIR, PLACEHOLDER_APP_ID, render

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def build_package(app_id: str, out: Path, domains: tuple[str, ...] = (), source: Path = MANIFEST_DIR) -> Path:
    """Write the app package; raises ValueError for an app id that is not a GUID."""
    if not _GUID.match(app_id):
        raise ValueError(f"{app_id!r} is not a Microsoft App ID (a GUID like 1b2c3d4e-…).")
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    text = render(manifest).replace(PLACEHOLDER_APP_ID, app_id.lower())
    manifest = json.loads(text)
    manifest["validDomains"] = sorted({*manifest.get("validDomains", []), *domains})
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", render(manifest))
        for key in ("color", "outline"):
            name = manifest["icons"][key]
            package.write(source / name, name)
    return out


def register(app: typer.Typer) -> None:
    @app.command("teams-package")
    def teams_package(
        app_id: Annotated[str, typer.Option("--app-id", help="Microsoft App ID of the Azure bot registration")],
        out: Annotated[Path, typer.Option("--out", help="Zip file to write")] = Path("partnerbot-teams.zip"),
        domain: Annotated[list[str] | None, typer.Option("--domain", help="Public host name of this server "
                                                          "(repeatable), for validDomains")] = None,
    ) -> None:
        """Build the Teams app package (manifest and icons) to upload to Teams."""
        try:
            path = build_package(app_id, out, tuple(domain or ()))
        except ValueError as error:
            raise typer.BadParameter(str(error), param_hint="--app-id") from None
        typer.echo(f"Wrote {path}. In Teams: Apps > Manage your apps > Upload an app > Upload a custom app.")
