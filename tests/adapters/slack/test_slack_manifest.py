"""manifest/slack.yaml stays in step with the commands and the listeners that handle them."""

from __future__ import annotations

from pathlib import Path

import yaml

from adapters.slack.http import PATH
from adapters.slack.listeners import COMMAND, SHORTCUTS
from bot.commands import build_router

MANIFEST = yaml.safe_load((Path(__file__).resolve().parents[3] / "manifest" / "slack.yaml").read_text())


def test_slash_command_is_the_one_the_app_handles_and_its_hints_are_real_commands():
    [command] = MANIFEST["features"]["slash_commands"]
    assert command["command"] == COMMAND == "/board"
    assert command["should_escape"] is True  # mentions arrive as <@U123|name>, which the core resolves
    router = build_router()
    for hint in command["usage_hint"].split("|"):
        spec, _ = router.resolve(hint.strip())
        assert spec.name in {s.name for s in router.all_specs()}


def test_every_shortcut_has_a_handler_and_every_handler_a_shortcut():
    shortcuts = {s["callback_id"]: s["type"] for s in MANIFEST["features"]["shortcuts"]}
    assert set(shortcuts) == set(SHORTCUTS)
    for callback_id, (_, on_message) in SHORTCUTS.items():
        assert shortcuts[callback_id] == ("message" if on_message else "global")
    names = {s["name"] for s in MANIFEST["features"]["shortcuts"]}
    assert {"Log as action", "Raise as issue", "New action"} == names


def test_events_scopes_and_urls():
    settings = MANIFEST["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im", "app_home_opened"}
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == {
        "commands", "chat:write", "app_mentions:read", "im:history", "im:write", "users:read", "users:read.email"}
    urls = [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"],
            settings["interactivity"]["message_menu_options_url"], MANIFEST["features"]["slash_commands"][0]["url"]]
    assert all(url.endswith(PATH) for url in urls)
    home = MANIFEST["features"]["app_home"]
    assert home["home_tab_enabled"] and home["messages_tab_enabled"]
    assert not home["messages_tab_read_only_enabled"]  # parent reps write to the bot here
