"""The meeting pack and approved minutes reach Slack as PDFs (files_upload_v2), beside the summary card."""

from __future__ import annotations

import datetime as dt
import subprocess

from adapters.slack.notifier import SlackNotifier, web_client
from bot.model import OutboxMessage
from bot.reply import DocumentRef, Heading, Reply, outbox_payload, rich
from tests.e2e.slack_harness import (
    SlackRig,
    slack_rig,  # noqa: F401  (the `rig` fixture)
    text_of,
)


def pdf_words(content: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout
    return " ".join(out.decode().split())


async def test_meeting_pack_posts_the_card_and_uploads_the_pdf_where_it_was_asked(rig: SlackRig):
    await rig.command("meeting add 7/1/2027 10:00 at Guildhall")
    await rig.command("agenda propose Short breaks review presenter @owen minutes 20 for M1", "UOWEN")
    [card] = await rig.command("meeting pack M1", channel="C1")
    assert "Meeting pack: M1" in text_of(card)
    await rig.fake.wait_for("files.completeUploadExternal")
    [upload] = rig.fake.files_in("C1")
    assert upload["filename"] == "pack-M1.pdf" and upload["title"] == "Meeting pack M1"
    assert upload["content"].startswith(b"%PDF")
    assert "Short breaks review Owen Pike" in pdf_words(upload["content"])


async def test_a_pack_asked_for_in_a_dm_arrives_in_the_dm(rig: SlackRig):
    await rig.command("meeting add 7/1/2027 10:00 at Guildhall")
    await rig.command("meeting pack M1", channel="DUOWEN", user="UOWEN")
    await rig.fake.wait_for("files.completeUploadExternal")
    assert [f["filename"] for f in rig.fake.files_in("DUOWEN")] == ["pack-M1.pdf"]


async def test_the_outbox_uploads_attachments_after_the_message(rig: SlackRig):
    documents: list[DocumentRef] = []

    async def build(attachment: DocumentRef) -> bytes:
        documents.append(attachment)
        return b"%PDF-1.7 pretend"

    settings = rig.services.settings
    notifier = SlackNotifier(web_client(settings, interactive=False), documents=build)
    reply = Reply(summary="The minutes of M1 are approved", attachments=[DocumentRef("minutes", "M1", "Minutes of M1")])
    reply.add(Heading(rich("The minutes of M1 are approved.")))
    now = dt.datetime(2027, 1, 8, 9, tzinfo=dt.UTC)
    await notifier.send(OutboxMessage("k", "meeting:1", "channel:#board", outbox_payload(reply), "text", now),
                        None, "C9")
    assert [m["text"] for m in rig.fake.messages_in("C9")] == ["The minutes of M1 are approved."]
    [upload] = rig.fake.files_in("C9")
    assert (upload["filename"], upload["title"], upload["content"]) == ("minutes-M1.pdf", "Minutes of M1",
                                                                        b"%PDF-1.7 pretend")
    assert documents == [DocumentRef("minutes", "M1", "Minutes of M1")]
