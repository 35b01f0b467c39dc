"""What one command comes to (``BotApp.handle``'s Outcome): the reply, the command that ran,
whether the board changed, who asked and whose views are stale; and the core's menus."""

from __future__ import annotations

from bot.audience import Place, Pressed, Seen, Summary, Whisper
from bot.context import Command, Identity
from bot.outcome import Outcome
from tests.harness import BoardConsole

CHANNEL = Place(shared=True, whisper=Whisper.FULL)


async def handle(board: BoardConsole, text: str, who: str = "chair", place: Place = Place()) -> Outcome:
    return await board.console.services.bot.handle(Command(Identity("console", who), text, place=place))


async def member_id(board: BoardConsole, handle: str) -> int:
    async with board.console.services.db.uow() as uow:
        return (await uow.members.by_handle(handle)).id


async def test_a_change_names_the_asker_and_everyone_it_told_as_stale(board: BoardConsole) -> None:
    chair, owen, mia = [await member_id(board, h) for h in ("chair", "owen", "mia")]
    outcome = await handle(board, "action add Circulate the survey @owen @mia due 15/1/2027", place=CHANNEL)
    assert outcome.spec is not None and outcome.spec.name == "action add" and outcome.changed
    assert outcome.actor == chair and outcome.refresh == (chair, owen, mia)
    assert outcome.audience.seen is Seen.WHISPER and outcome.audience.summary is Summary.CHANNEL


async def test_a_read_changes_nothing_and_refreshes_nobody(board: BoardConsole) -> None:
    outcome = await handle(board, "action list", place=CHANNEL)
    assert outcome.spec is not None and not outcome.spec.changes_state
    assert not outcome.changed and outcome.refresh == () and outcome.audience.summary is Summary.NONE


async def test_a_refusal_is_the_askers_alone_and_leaves_the_pressed_message(board: BoardConsole) -> None:
    await handle(board, "action add Circulate the survey @owen due 15/1/2027")
    pressed = Place(shared=True, whisper=Whisper.FULL, pressed=Pressed(shared=False, about="A1"))
    outcome = await handle(board, "action done A1", who="mia", place=pressed)
    assert outcome.reply.error and not outcome.changed and outcome.refresh == ()
    assert outcome.spec is not None and outcome.spec.name == "action done"
    assert outcome.audience.seen is Seen.WHISPER


async def test_not_a_command_has_no_spec(board: BoardConsole) -> None:
    outcome = await handle(board, "frobnicate the board")
    assert outcome.reply.error and outcome.spec is None and not outcome.changed


async def test_a_home_page_is_read_as_the_member_it_is_for(board: BoardConsole) -> None:
    await handle(board, "action add Circulate the survey @owen due 15/1/2027")
    bot = board.console.services.bot
    home = await bot.read_as(await member_id(board, "owen"), "home")
    assert home.summary == "Owen Pike: 1 open actions, 0 open issues"
    assert (await bot.read_as(await member_id(board, "mia"), "home")).summary.startswith("Mia Lund: 0 open")


async def test_menus_come_from_the_core(board: BoardConsole) -> None:
    await board.run("/board meeting add 7/1/2027 10:00 at Guildhall")
    choices = await board.console.services.bot.choices()
    assert {m.handle for m in choices.members} >= {"chair", "owen", "mia"}
    assert [w.name for w in choices.workstreams] == ["Local provision"]
    assert [m.id for m in choices.meetings] == [1]
