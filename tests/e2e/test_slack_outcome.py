"""One Slack command, one run of the core: the answer and every App Home refresh come from its Outcome."""

from __future__ import annotations

from collections import Counter

from tests.e2e.slack_harness import (
    SlackRig,
    slack_rig,  # noqa: F401  (the `rig` fixture)
    text_of,
)

OWEN = "<@UOWEN|owen>"


def count_core_calls(rig: SlackRig) -> tuple[list[str], Counter]:
    """Record every command the core handles, every run of the ``action add`` handler and every
    home page the core renders for a refresh (by member id)."""
    bot = rig.services.bot
    handled: list[str] = []
    homes: Counter = Counter()
    handle, read_as = bot.handle, bot.read_as
    spec = bot.router.resolve("action add")[0]
    run_handler = spec.handler

    async def counting_handle(command):
        handled.append(command.text)
        return await handle(command)

    async def counting_read_as(member_id: int, text: str):
        homes[(member_id, text)] += 1
        return await read_as(member_id, text)

    async def counting_handler(ctx, args):
        handled.append("handler: action add")
        return await run_handler(ctx, args)

    bot.handle, bot.read_as, spec.handler = counting_handle, counting_read_as, counting_handler  # type: ignore
    return handled, homes


async def test_a_slash_command_runs_the_core_once_and_refreshes_each_affected_home_once(rig: SlackRig):
    async with rig.services.db.uow() as uow:
        chair, owen = await uow.identities.member_for("slack", "UCHAIR"), await uow.members.by_handle("owen")
    await rig.settle()  # the seed's own refreshes are over
    handled, homes = count_core_calls(rig)
    earlier = len(rig.fake.calls_to("views.publish"))
    answer = (await rig.command(f"action add Draft the local offer page {OWEN} due 11/12/2026"))[0]
    assert "A1 Draft the local offer page" in text_of(answer)
    await rig.settle()
    # The core gets the command once, Slack's mention already made the core's account token.
    assert handled == ["action add Draft the local offer page @slack:UOWEN due 11/12/2026", "handler: action add"]
    assert homes == {(chair.id, "home"): 1, (owen.id, "home"): 1}
    published = Counter(c.args["user_id"] for c in rig.fake.calls_to("views.publish")[earlier:])
    assert published == {"UCHAIR": 1, "UOWEN": 1}
    [owens_tab] = rig.fake.calls_to("views.publish", user_id="UOWEN")
    assert "Draft the local offer page" in text_of(owens_tab.args["view"])


async def test_a_read_refreshes_nobody(rig: SlackRig):
    await rig.settle()
    handled, homes = count_core_calls(rig)
    before = len(rig.fake.calls_to("views.publish"))
    [answer] = await rig.command("action list", "UOWEN")
    assert ":warning:" not in text_of(answer)
    await rig.settle()
    assert handled == ["action list"] and not homes
    assert len(rig.fake.calls_to("views.publish")) == before
