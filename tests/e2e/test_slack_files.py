"""Files a command answers with reach Slack as uploads: an export to the asker's
DM with the bot, the HWB summary card's chart and report to the board channel."""

from __future__ import annotations

from tests.e2e.slack_harness import (
    SlackRig,
    slack_rig,  # noqa: F401  (the `rig` fixture)
    text_of,
)

OWEN = "<@UOWEN|owen>"


async def test_export_actions_uploads_the_csv_to_the_askers_dm(rig: SlackRig) -> None:
    await rig.command(f"action add Circulate the workforce survey {OWEN} due 15/1/2027 ws W1", count=2)
    [answer] = await rig.command("export actions", "UOWEN")
    assert "is attached as actions-2026-11-02.csv" in text_of(answer)
    [done] = await rig.fake.wait_for("files.completeUploadExternal")
    assert done.args["channel_id"] == "DUOWEN"
    assert [f["title"] for f in done.args["files"]] == ["actions-2026-11-02.csv"]
    [data] = [rig.fake.uploads[f["id"]]["content"] for f in done.args["files"]]
    assert "A1,Circulate the workforce survey,OP,15/01/2027,open,Local provision" in data.decode("utf-8-sig")
