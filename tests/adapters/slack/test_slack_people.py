"""Slack's own syntax stops at the adapter: mentions of people and channels
reach the core as its neutral tokens, the way every platform writes them."""

from __future__ import annotations

import pytest

from adapters.slack.users import mentioned, neutral
from bot.context import Command, Identity


@pytest.mark.parametrize(
    ("typed", "core"),
    [
        ("action assign A1 <@U123ABC>", "action assign A1 @slack:U123ABC"),
        ("action add Survey <@W0LEAD|lee>, <@UMIA> due 4/1/2027",
         "action add Survey @slack:W0LEAD, @slack:UMIA due 4/1/2027"),
        ("board config channel <#C0BOARD|board>", "board config channel #slack:C0BOARD"),
        ("tell <!channel> about @owen", "tell <!channel> about @owen"),
    ],
)
def test_mentions_become_the_cores_tokens(typed: str, core: str) -> None:
    assert neutral(typed) == core


def test_the_people_a_command_names_in_text_and_form_values() -> None:
    command = Command(Identity("slack", "UCHAIR"), neutral("action add Survey <@UOWEN> due 4/1/2027"),
                      values={"owners": ["@slack:UMIA", "@lead"], "text": "@slack:UNOT a list"})
    assert mentioned(command) == ["UOWEN", "UMIA"]
