"""Reading the words after a command: quotes, chat mentions, trailing options."""

from __future__ import annotations

import pytest

from bot.errors import BadArgument
from bot.grammar import (
    any_value,
    flag,
    is_mention,
    looks_like_ref,
    parse_options,
    parse_ref,
    single_value,
    split_mentions,
    tokenize,
    unquote,
)
from bot.identity import parse_token
from bot.model import Prefix


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ('member add @kim "Kim Rowe" org "Parent Carer Forum"',
         ["member", "add", "@kim", '"Kim Rowe"', "org", '"Parent Carer Forum"']),
        ("“Kim Rowe” and ‘x’", ['"Kim Rowe"', "and", "'x'"]),  # typographic quotes from phones
        ("ask <@U123|kim rowe> now", ["ask", "<@U123|kim rowe>", "now"]),
        ("tell <!channel>  please", ["tell", "<!channel>", "please"]),
        ("", []),
    ],
)
def test_tokenize_keeps_quotes_and_mentions_whole(text: str, tokens: list[str]) -> None:
    assert tokenize(text) == tokens


def test_unquote_and_is_mention() -> None:
    assert unquote('"Kim Rowe"') == "Kim Rowe"
    assert unquote('"') == '"'
    assert [is_mention(t) for t in ["@kim", "@chat:U1", "kim", "<!here>"]] == [True, True, False, False]


ACTION_OPTIONS = {"due": any_value, "ws": looks_like_ref(Prefix.WORKSTREAM), "meeting": looks_like_ref(Prefix.MEETING)}


@pytest.mark.parametrize(
    ("text", "head", "options"),
    [
        ("Send survey @owen due next Friday ws W2",
         "Send survey @owen", {"due": "next Friday", "ws": "W2"}),
        ("Read the due diligence report @owen due 12/3",  # only the rightmost keyword counts
         "Read the due diligence report @owen", {"due": "12/3"}),
        ("Agree the meeting format @owen due 1/12 meeting M4",
         "Agree the meeting format @owen", {"due": "1/12", "meeting": "M4"}),
        ("Tidy the ws folder @mia due tomorrow", "Tidy the ws folder @mia", {"due": "tomorrow"}),
        ("Check ws Wx @mia", "Check ws Wx @mia", {}),  # not a workstream reference: stays text
        ("No options at all", "No options at all", {}),
    ],
)
def test_parse_options_takes_keywords_off_the_end(text: str, head: str, options: dict[str, str]) -> None:
    parsed = parse_options(text, ACTION_OPTIONS)
    assert (parsed.text, parsed.options) == (head, options)


def test_parse_options_flags_and_quoted_values() -> None:
    parsed = parse_options('Therapy waits spotlight paper "https://x.org/a b.pdf"',
                           {"spotlight": flag, "paper": single_value})
    assert parsed.options == {"paper": "https://x.org/a b.pdf", "spotlight": "yes"}
    assert parsed.text == "Therapy waits"


@pytest.mark.parametrize(("token", "number"), [("A12", 12), ("a12", 12), ("A12.", 12), ("A1234567", 1234567)])
def test_parse_ref(token: str, number: int) -> None:
    assert parse_ref(token, Prefix.ACTION, "an action") == number


@pytest.mark.parametrize("token", ["G3", "A", "12", "A12x", "A12345678", "@owen"])
def test_parse_ref_refuses_other_things_with_an_example(token: str) -> None:
    with pytest.raises(BadArgument) as refused:
        parse_ref(token, Prefix.ACTION, "an action")
    assert refused.value.message == f"“{token}” is not an action reference."
    assert "A12" in refused.value.hint


def test_parse_ref_hint_reads_well() -> None:
    with pytest.raises(BadArgument) as refused:
        parse_ref("X1", Prefix.ACTION, "an action")
    assert refused.value.hint == "Action references look like A12."


@pytest.mark.parametrize(
    ("tokens", "text", "people"),
    [
        (["Ask", "@mia", "about", "it", "@owen"], "Ask @mia about it", ["@owen"]),
        (["Survey", "@owen", "@chat:U123"], "Survey", ["@owen", "@chat:U123"]),
        (["No", "owner"], "No owner", []),
        (["@owen"], "", ["@owen"]),
    ],
)
def test_only_trailing_mentions_name_owners(tokens: list[str], text: str, people: list[str]) -> None:
    assert split_mentions(tokens) == (text, people)


@pytest.mark.parametrize(
    ("token", "identity"),
    [
        ("@chat:U123ABC", ("chat", "U123ABC")),
        ("@other-app:6f1c-44aa", ("other-app", "6f1c-44aa")),
        ("@owen", None),
        ("@owen:", None),
        ("<!channel>", None),
        ("#chat:C123", None),
    ],
)
def test_account_tokens_name_a_platform_and_its_id(token: str, identity: tuple[str, str] | None) -> None:
    assert parse_token(token) == identity
