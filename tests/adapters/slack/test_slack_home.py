"""The App Home view stays within Slack's 100-block limit and says when it left things out."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from adapters.slack.home import VIEW_BLOCKS, home_view
from bot.reply import Paragraph, Reply, rich

LONDON = ZoneInfo("Europe/London")


def test_a_long_home_is_cut_with_a_pointer_to_the_full_lists():
    reply = Reply().add(*(Paragraph(rich(f"Line {i}")) for i in range(150)))
    view = home_view(reply, LONDON)
    assert view["type"] == "home" and len(view["blocks"]) <= VIEW_BLOCKS
    assert view["blocks"][0]["type"] == "actions"  # New action, Propose agenda item, Raise an issue
    assert "action list mine" in view["blocks"][-1]["elements"][0]["text"]


def test_a_short_home_is_shown_whole():
    view = home_view(Reply().add(*(Paragraph(rich(f"Line {i}")) for i in range(5))), LONDON)
    assert [b["text"]["text"] for b in view["blocks"][1:]] == [f"Line {i}" for i in range(5)]
