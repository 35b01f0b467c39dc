"""Routing: leading words pick the command (longest match), help comes from the
registrations, unknown commands get the closest suggestion and /board help."""

from __future__ import annotations

import pytest

from bot.commands import build_router
from bot.errors import UnknownCommand
from bot.reply import Reply
from bot.router import Router

ROOT = build_router()

# Every command issue 3 names, as typed after /board.
ISSUE_COMMANDS = [
    "action add", "action list", "action show", "action update", "action done", "action reopen", "action due",
    "action assign", "action snooze",
    "agenda propose", "agenda list", "agenda accept", "agenda defer", "agenda decline", "agenda paper",
    "meeting add", "meeting next", "meeting show", "meeting list", "meeting pack", "apologies",
    "deadlines", "deadline add", "deadline remove",
    "issue raise", "issue list", "issue show", "issue ack", "issue assign", "issue update", "issue resolve",
    "issue reopen", "issue escalate",
    "member add", "member list", "member role", "member remove", "workstream add", "workstream list", "whoami",
    "dms", "board config", "board config channel", "board config submission", "board config circulation",
    "board config hours", "board config term add", "board config term remove", "board config closure add",
    "board config closure remove", "board config hwb", "home", "help",
]


@pytest.mark.parametrize("name", ISSUE_COMMANDS)
def test_every_command_in_the_issue_is_registered(name: str) -> None:
    spec, rest = ROOT.resolve(name)
    assert (spec.name, rest) == (name, "")


@pytest.mark.parametrize("spec", ROOT.all_specs(), ids=lambda s: s.name)
def test_each_commands_usage_and_example_run_that_command(spec) -> None:
    """Help shows usage and an example for every command; both must reach it."""
    assert spec.summary and spec.usage and spec.example
    assert ROOT.resolve(spec.example)[0] is spec
    assert ROOT.resolve(spec.usage)[0] is spec


def test_help_topics_cover_every_command_exactly_once() -> None:
    listed = [spec.name for _, specs in ROOT.topics().values() for spec in specs]
    assert sorted(listed) == sorted(spec.name for spec in ROOT.all_specs())
    assert len(listed) == len(set(listed))


@pytest.mark.parametrize(
    ("text", "name", "rest"),
    [
        ("action add Send the survey @owen due 12/3", "action add", "Send the survey @owen due 12/3"),
        ("ACTION  Add   Keep  my   spacing", "action add", "Keep  my   spacing"),
        ("board config term add \"Spring\" 4/1 to 26/3", "board config term add", "\"Spring\" 4/1 to 26/3"),
        ("board config", "board config", ""),
        ("actions overdue", "action list", "overdue"),
        ("next meeting", "meeting next", ""),
    ],
)
def test_longest_match_wins_and_the_rest_is_kept(text: str, name: str, rest: str) -> None:
    spec, remaining = ROOT.resolve(text)
    assert (spec.name, remaining) == (name, rest)


@pytest.mark.parametrize(("typed", "suggested"), [("acton add", "action add"), ("agneda propose", "agenda propose"),
                                                  ("isue raise", "issue raise"), ("meetin pack", "meeting pack")])
def test_unknown_command_suggests_the_closest_and_help(typed: str, suggested: str) -> None:
    with pytest.raises(UnknownCommand) as unknown:
        ROOT.resolve(typed)
    assert unknown.value.message == f"I don't know the command “{typed}”."
    assert f"Did you mean `{suggested}" in unknown.value.hint
    assert "/board help" in unknown.value.hint


def test_nothing_close_still_points_to_help() -> None:
    with pytest.raises(UnknownCommand) as unknown:
        ROOT.resolve("frobnicate the widgets")
    assert unknown.value.hint == "Type `/board help` to see every command."


def test_a_family_word_alone_lists_what_can_follow() -> None:
    with pytest.raises(UnknownCommand) as unknown:
        ROOT.resolve("action")
    assert "add" in unknown.value.hint and "snooze" in unknown.value.hint
    assert "For example: `action add" in unknown.value.hint


def test_routers_nest_and_keep_registration_order() -> None:
    root, child = Router("root"), Router("child", "Child things.")

    async def handler(ctx, args) -> Reply:
        return Reply()

    child.command("thing add", usage="thing add <x>", summary="Add")(handler)
    child.command("thing", usage="thing", summary="Show", aliases=("things",))(handler)
    root.include(child)
    assert [s.name for s in root.all_specs()] == ["thing add", "thing"]
    assert root.topics() == {"child": ("Child things.", child.specs)}
    assert root.resolve("things please")[0].name == "thing"
    assert root.resolve("thing add x")[0].name == "thing add"
