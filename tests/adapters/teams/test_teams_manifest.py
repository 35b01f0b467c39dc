"""The Teams app package: a valid manifest, the right icons, commands from the router.

The schema is Microsoft's MicrosoftTeams.schema.json v1.25, vendored from
github.com/OfficeDev/microsoft-teams-app-schema (commit 5b8419a, "GA 1.25").
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest
import typer
from PIL import Image
from typer.testing import CliRunner

from adapters.teams.manifest import MANIFEST_DIR, MAX_COMMANDS, PLACEHOLDER_APP_ID, build_manifest
from adapters.teams.package import build_package, register
from bot.commands import build_router

SCHEMA = Path(__file__).with_name("MicrosoftTeams.schema.v1.25.json")
APP_ID = "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d"


def committed() -> dict:
    return json.loads((MANIFEST_DIR / "manifest.json").read_text(encoding="utf-8"))


def validate(manifest: dict) -> None:
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(manifest)


def test_committed_manifest_is_valid_against_the_teams_schema():
    manifest = committed()
    validate(manifest)
    assert manifest["manifestVersion"] == json.loads(SCHEMA.read_text())["properties"]["manifestVersion"]["const"]


def test_schema_catches_a_broken_manifest():
    broken = committed()
    broken["bots"][0]["scopes"].append("everyone")
    with pytest.raises(jsonschema.ValidationError):
        validate(broken)


def test_committed_manifest_is_what_the_generator_makes():
    assert committed() == build_manifest(), "run: .venv/bin/python -m adapters.teams.manifest"


def test_bot_commands_come_from_the_router():
    registered = {spec.name: spec.summary for spec in build_router().all_specs()}
    bot = committed()["bots"][0]
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    scopes = [scope for command_list in bot["commandLists"] for scope in command_list["scopes"]]
    assert sorted(scopes) == sorted(bot["scopes"])
    for command_list in bot["commandLists"]:
        assert 0 < len(command_list["commands"]) <= MAX_COMMANDS
        for command in command_list["commands"]:
            assert registered[command["title"]] == command["description"]
    personal = [c["title"] for c in bot["commandLists"][0]["commands"]]
    assert {"help", "action add", "issue raise"} <= set(personal)


def test_message_extension_offers_log_as_action_and_raise_as_issue_on_messages():
    commands = committed()["composeExtensions"][0]["commands"]
    assert {c["title"]: (c["type"], c["context"], c["fetchTask"]) for c in commands} == {
        "Log as action": ("action", ["message"], True), "Raise as issue": ("action", ["message"], True)}


@pytest.mark.parametrize(("key", "size"), [("color", 192), ("outline", 32)])
def test_icons_have_the_sizes_teams_requires(key, size):
    with Image.open(MANIFEST_DIR / committed()["icons"][key]) as icon:
        assert icon.format == "PNG" and icon.size == (size, size)
        if key == "outline":
            raw = icon.convert("RGBA").tobytes()
            pixels = [tuple(raw[i:i + 4]) for i in range(0, len(raw), 4)]
            assert any(a == 0 for *_, a in pixels), "outline needs a transparent background"
            assert {(r, g, b) for r, g, b, a in pixels if a > 200} == {(255, 255, 255)}, "outline is white"


def test_package_fills_in_the_app_id_and_holds_manifest_and_icons(tmp_path):
    out = build_package(APP_ID, tmp_path / "partnerbot-teams.zip", ("bot.example.org",))
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(package.read("manifest.json"))
        with Image.open(io.BytesIO(package.read("color.png"))) as icon:
            assert icon.size == (192, 192)
    validate(manifest)
    assert manifest["id"] == manifest["bots"][0]["botId"] == manifest["composeExtensions"][0]["botId"] == APP_ID
    assert PLACEHOLDER_APP_ID not in json.dumps(manifest)
    assert manifest["validDomains"] == ["bot.example.org"]


def test_teams_package_command(tmp_path):
    app = typer.Typer()
    app.command("noop")(lambda: None)  # typer needs a second command to keep subcommand names
    register(app)
    out = tmp_path / "app.zip"
    done = CliRunner().invoke(app, ["teams-package", "--app-id", APP_ID, "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "Upload a custom app" in done.output and zipfile.is_zipfile(out)
    refused = CliRunner().invoke(app, ["teams-package", "--app-id", "not-a-guid", "--out", str(out)])
    assert refused.exit_code != 0 and "not a Microsoft App ID" in refused.output
