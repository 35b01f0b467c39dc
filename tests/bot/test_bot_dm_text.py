"""Reading a parent's direct message: the small rules, by table."""

from __future__ import annotations

import pytest

from bot.dm_text import (
    board_question,
    clean,
    is_small_talk,
    is_tiny,
    parts,
    says_not_resolved,
    unsure_question,
)


@pytest.mark.parametrize(("text", "small"), [
    ("Hi", True), ("Hello!", True), ("thanks so much", True), ("ok 👍", True), ("Thanks Sam", True),
    ("Good morning all", True), ("Hi, my son was excluded", False), ("ok but the taxi never came", False),
    ("Help! nobody answers", False), ("thanks the nurse never came", False), ("😢", False),
])
def test_small_talk_is_a_greeting_or_thanks_alone(text: str, small: bool) -> None:
    assert is_small_talk(text) is small


@pytest.mark.parametrize(("text", "tiny"), [
    ("😢", True), ("??", True), ("no", True), ("Excluded", True), ("help please", False),
    ("My son was excluded", False),
])
def test_a_few_characters_are_too_little_to_log(text: str, tiny: bool) -> None:
    assert is_tiny(text) is tiny


@pytest.mark.parametrize(("text", "command"), [
    ("when is the next meeting?", "meeting next"), ("What are the deadlines for papers?", "deadlines"),
    ("what's on the agenda?", "agenda list"), ("When is my son's EHCP meeting?", None),
    ("The meeting was awful", None), ("Who decides the funding?", None),
])
def test_questions_about_the_board_name_the_command_that_answers(text: str, command: str | None) -> None:
    assert board_question(text) == command


def test_unsure_questions_name_no_one_and_concerns_are_never_unsure() -> None:
    assert unsure_question("Who decides which schools get the funding?")
    assert not unsure_question("Why was my daughter refused a place?")
    assert not unsure_question("The funding has stopped.")


@pytest.mark.parametrize(("text", "says"), [
    ("It is not resolved, the nurse never came", True), ("it's still not sorted", True),
    ("the transport stopped again", True), ("thank you, all fine now", False),
])
def test_it_is_not_resolved(text: str, says: bool) -> None:
    assert says_not_resolved(text) is says


def test_broken_characters_are_replaced_and_long_text_kept_in_parts() -> None:
    assert clean("a\ud800b\x00c😢") == "a\ufffdbc😢"
    assert parts("x" * 250, limit=100) == ["x" * 100, "x" * 100, "x" * 50]
    assert parts("") == [""]
