"""The Teams app manifest, generated from the registered commands.

``manifest/teams/manifest.json`` is this module's output with a placeholder
app id (a test checks the committed file equals it, so the command menu
never drifts from what the bot accepts). Regenerate after changing commands:

    .venv/bin/python -m adapters.teams.manifest
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.commands import build_router
from bot.router import CommandSpec

MANIFEST_VERSION = "1.25"
SCHEMA_URL = f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
PLACEHOLDER_APP_ID = "00000000-0000-0000-0000-000000000000"
APP_VERSION = "1.0.0"
MANIFEST_DIR = Path(__file__).resolve().parents[2] / "manifest" / "teams"
MAX_COMMANDS = 10  # per scope; Teams shows these in the compose box's command menu

# Most useful first; anything not registered is skipped and the list is filled in registration order.
PERSONAL = ("help", "action list", "action add", "action done", "action update", "deadlines", "meeting next",
            "agenda propose", "issue raise", "issue list")
SHARED = ("help", "action add", "action list", "action done", "action update", "agenda propose", "agenda list",
          "meeting next", "deadlines", "meeting pack")

EXTENSION_COMMANDS = (
    {"id": "logAction", "type": "action", "title": "Log as action", "context": ["message"], "fetchTask": True,
     "description": "Log this message as a board action with owners and a due date."},
    {"id": "raiseIssue", "type": "action", "title": "Raise as issue", "context": ["message"], "fetchTask": True,
     "description": "Raise this message as a confidential issue with the board's secretariat."},
)


def pick_commands(specs: list[CommandSpec], preferred: tuple[str, ...]) -> list[dict]:
    by_name = {spec.name: spec for spec in specs}
    chosen = [by_name[name] for name in preferred if name in by_name]
    chosen += [spec for spec in specs if spec not in chosen]
    return [{"title": spec.name, "description": spec.summary[:4000]} for spec in chosen[:MAX_COMMANDS]]


def build_manifest(app_id: str = PLACEHOLDER_APP_ID, domains: tuple[str, ...] = ()) -> dict:
    specs = build_router().all_specs()
    return {
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": APP_VERSION,
        "id": app_id,
        "developer": {
            "name": "partnerbot",
            "websiteUrl": "https://example.org/partnerbot",
            "privacyUrl": "https://example.org/partnerbot/privacy",
            "termsOfUseUrl": "https://example.org/partnerbot/terms",
        },
        "name": {"short": "partnerbot", "full": "partnerbot: partnership board assistant"},
        "description": {
            "short": "Actions, agenda, deadlines and issues for a SEND partnership board.",
            "full": ("partnerbot runs a multi-agency SEND partnership board from chat: log and chase actions, "
                     "propose agenda items before the cut-off, see working-day deadlines, and raise "
                     "confidential issues that escalate on a ladder. Mention it in a channel "
                     "(@partnerbot action list) or chat with it directly."),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#2E6B5E",
        "bots": [{
            "botId": app_id,
            "scopes": ["personal", "team", "groupChat"],
            "supportsFiles": False,
            "isNotificationOnly": False,
            "commandLists": [
                {"scopes": ["personal"], "commands": pick_commands(specs, PERSONAL)},
                {"scopes": ["team", "groupChat"], "commands": pick_commands(specs, SHARED)},
            ],
        }],
        "composeExtensions": [{"botId": app_id, "commands": [dict(c) for c in EXTENSION_COMMANDS]}],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": list(domains),
    }


def render(manifest: dict) -> str:
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    path = MANIFEST_DIR / "manifest.json"
    path.write_text(render(build_manifest()), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
