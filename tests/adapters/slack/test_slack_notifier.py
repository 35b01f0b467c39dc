"""Reminders and notices reach Slack; rate limits go back to the outbox instead of blocking a worker."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from adapters.config import Settings
from adapters.slack.notifier import SlackNotifier, web_client
from bot.model import Member, OutboxMessage
from bot.ports import DeliveryError
from bot.reply import Attachment, Button, Buttons, Paragraph, Reply, rich, to_dict
from tests.fakes.slack_api import FakeSlack

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack()
    await slack.start()
    yield slack
    await slack.stop()


class OwenOnSlack:
    """Members' Slack users as the identity port gives them: Owen's only."""

    async def of(self, member: Member | None) -> str | None:
        return "UOWEN" if member is not None and member.id == OWEN.id else None

    async def addressed(self, reply: Reply) -> Reply:
        return reply


def notifier(fake: FakeSlack, token: str = "xoxb-test") -> SlackNotifier:
    settings = Settings(slack_bot_token=token, slack_api_url=fake.api_url)
    return SlackNotifier(web_client(settings, interactive=False), accounts=OwenOnSlack())  # type: ignore[arg-type]


def message(text: str = "A3 is overdue <!here>") -> OutboxMessage:
    reply = Reply(summary=text).add(Paragraph(rich(text)), Buttons((Button("Done", "action done A3"),)))
    return OutboxMessage(dedupe_key="k", subject="action:3", recipient="member:4", payload=to_dict(reply),
                         text=text, due_at=NOW, kind="reminder", created_at=NOW)


OWEN = Member(handle="owen", name="Owen Pike", initials="OP", id=4)


async def test_member_gets_a_dm_with_blocks_and_fallback(fake: FakeSlack):
    await notifier(fake).send(message(), OWEN, None)
    [opened] = fake.calls_to("conversations.open")
    assert opened.args["users"] == "UOWEN"
    [posted] = fake.calls_to("chat.postMessage")
    assert posted.args["channel"] == "DUOWEN"
    assert posted.args["text"].startswith("A3 is overdue &lt;") and "<!here>" not in posted.args["text"]
    assert posted.args["blocks"][1]["elements"][0]["value"] == "run:action done A3"


async def test_channels_by_id_or_name(fake: FakeSlack):
    await notifier(fake).send(message(), None, "C0BOARD")
    await notifier(fake).send(message(), None, "#board")
    assert [c.args["channel"] for c in fake.calls_to("chat.postMessage")] == ["C0BOARD", "#board"]


async def test_rate_limit_is_handed_back_with_retry_after(fake: FakeSlack):
    fake.rate_limit("chat.postMessage", retry_after=30)
    with pytest.raises(DeliveryError) as failed:
        await notifier(fake).send(message(), None, "C0BOARD")
    assert failed.value.retry_after == 30 and not failed.value.permanent
    assert fake.calls_to("chat.postMessage") == []  # nothing delivered, nothing retried in-process


async def test_unreachable_member_and_revoked_token_are_permanent(fake: FakeSlack):
    unlinked = Member(handle="mia", name="Mia Lund", initials="ML", id=5)
    with pytest.raises(DeliveryError) as no_id:
        await notifier(fake).send(message(), unlinked, None)
    with pytest.raises(DeliveryError) as revoked:
        await notifier(fake, token="xoxb-revoked").send(message(), None, "C0BOARD")
    assert no_id.value.permanent and revoked.value.permanent


async def test_interactive_client_waits_out_a_rate_limit(fake: FakeSlack):
    fake.rate_limit("chat.postMessage", retry_after=0)
    client = web_client(Settings(slack_bot_token="xoxb-test", slack_api_url=fake.api_url), interactive=True)
    await client.chat_postMessage(channel="C1", text="hello")
    assert [c.limited for c in fake.calls if c.method == "chat.postMessage"] == [True, False]


async def test_a_posts_files_are_uploaded_to_the_channel_it_went_to(fake: FakeSlack):
    reply = Reply(summary="HWB report figures").add(Paragraph(rich("HWB report figures")))
    reply.attachments += [Attachment("chart.png", "image/png", b"\x89PNG..."),
                          Attachment("report.html", "text/html; charset=utf-8", b"<html>report</html>")]
    card = OutboxMessage(dedupe_key="hwb", subject="deadline:1", recipient="channel:C0BOARD", payload=to_dict(reply),
                         text="HWB report figures", due_at=NOW, kind="digest", created_at=NOW)
    await notifier(fake).send(card, None, "C0BOARD")
    done = fake.calls_to("files.completeUploadExternal")
    assert [(c.args["channel_id"], c.args["files"][0]["title"]) for c in done] == [
        ("C0BOARD", "chart.png"), ("C0BOARD", "report.html")]
    assert sorted(u["content"] for u in fake.uploads.values()) == [b"<html>report</html>", b"\x89PNG..."]
