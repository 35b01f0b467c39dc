"""Property (issue 16): whatever a parent sends, whatever the board does
(acknowledge, assign, resolve, reopen, withdraw, decide, remove and re-add
people) and however the clock moves,

- a concern's words are readable only by its raiser, the secretariat, its
  current assignee and (once escalated) the chair; the HWB joint chairs
  never read them, and no message carries them to anyone else;
- nothing the raiser sent is lost: each message is in a concern, part of
  one, or held until they choose;
- nothing resolved, withdrawn or decided is escalated.

Everything goes through the real BotApp and router, as typed in a DM or the
console; the jobs run after each clock move. SQLite only: each example needs
a fresh database and hypothesis runs many.
"""

from __future__ import annotations

import asyncio
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jobs_support import Board, scratch_database, seed

from bot.app import BotApp
from bot.commands import build_router
from bot.context import Command, Identity
from bot.model import OPEN_ISSUE, Role
from bot.reply import Buttons, Reply

START = "2026-11-23T10:00"
# What a parent may send; those in KEPT must never be lost.
KEPT = ("My son has had no school transport since Monday and nobody calls back",
        "Our daughter has waited forty weeks for her speech therapy assessment",
        "Also the taxi firm says the contract was cancelled in December",
        "It is not resolved, the nurse never came to the school",
        "Hi, my son was excluded on Friday and the school won't say why")
OTHER = ("Hi", "thanks so much", "😢", "when is the next meeting?", "Who decides which schools get the funding?")
SETUP = [("chair", '/board member add @zoe "Zoe Hart" initials ZH org "Borough Council" role observer'),
         ("chair", "/board board config hwb @lead")]
COMMANDS = (
    ("sec", "/board issue ack I{n}"), ("sec", "/board issue assign I{n} @owen"),
    ("sec", "/board issue assign I{n} @mia"),
    ("sec", "/board issue assign I{n} @zoe"), ("sec", "/board issue assign I{n} @pat"),
    ("owen", "/board issue assign I{n} @mia"), ("sec", "/board issue resolve I{n} sorted"),
    ("pat", "/board issue reopen I{n} it happened again"), ("pat", "/board issue withdraw I{n}"),
    ("sec", "/board issue escalate I{n}"), ("sec", "/board issue summary I{n} Case summary for the HWB."),
    ("lead", "/board issue decide I{n} Final decision."), ("pat", "issue add I{n} More from the family today"),
    ("chair", "/board member remove @owen"), ("chair", "/board member remove @pat"),
    ("chair", '/board member add @owen "Owen Pike" initials OP org "Health Trust" role member'),
    ("chair", '/board member add @owen "Oona Park" initials OK org "Another Org" role member'),
    ("chair", '/board member add @pat "Pat Quinn" initials PQ org "Parent Carer Forum" role parent-rep'),
)
operations = st.lists(st.one_of(
    st.tuples(st.just("dm"), st.sampled_from(KEPT + OTHER)),
    st.tuples(st.just("press"), st.integers(0, 3)),
    st.tuples(st.just("cmd"), st.integers(0, len(COMMANDS) - 1), st.integers(1, 3)),
    st.tuples(st.just("wait"), st.sampled_from([0.01, 1, 30, 24 * 7, 24 * 29])),
), min_size=1, max_size=25)


class Run:
    def __init__(self, board: Board, app: BotApp) -> None:
        self.board, self.app = board, app
        self.buttons: list[str] = []  # the commands on the last reply to the parent
        self.kept: list[str] = []
        self.assigned: dict[int, set[int]] = {}  # issue -> every member id ever asked to handle it
        self.found: list[str] = []

    async def say(self, who: str, text: str) -> Reply:
        is_dm = not text.startswith("/board")
        reply = (await self.app.handle(Command(Identity("console", who), text, is_direct=is_dm))).reply
        if who == "pat":
            self.buttons = [b.command for block in reply.blocks if isinstance(block, Buttons)
                            for b in block.buttons if b.command]
        return reply

    async def step(self, op: tuple) -> None:
        if op[0] == "dm":
            reply = await self.say("pat", op[1])
            if op[1] in KEPT and not reply.error:
                self.kept.append(op[1])
        elif op[0] == "press" and op[1] < len(self.buttons):
            await self.say("pat", self.buttons[op[1]])
        elif op[0] == "cmd":
            who, text = COMMANDS[op[1]]
            reply = await self.say(who, text.format(n=op[2]))
            if "assign" in text and not reply.error:
                await self.note_assignee(op[2])
        elif op[0] == "wait":
            await self.wait(op[1])

    async def note_assignee(self, number: int) -> None:
        async with self.board.uow_factory() as uow:
            issue = await uow.issues.get(number)
        if issue and issue.assignee_id:
            self.assigned.setdefault(number, set()).add(issue.assignee_id)

    async def wait(self, hours: float) -> None:
        report = await self.board.at((self.board.clock.now() + dt.timedelta(hours=hours)).isoformat())
        async with self.board.uow_factory() as uow:
            closed = {f"I{i.id}" for i in await uow.issues.list_all() if i.status not in OPEN_ISSUE}
        for msg in report.sent:
            if msg.kind == "escalation" and set(msg.payload.get("refs", [])) & closed:
                self.found.append(f"escalated a closed concern via {msg.dedupe_key}")

    async def check(self) -> list[str]:
        await self.wait(0.01)  # deliver what is queued
        async with self.board.uow_factory() as uow:
            issues = await uow.issues.list_all()
            people = {m.id: m for m in await uow.members.list_all()}
            stored = [i.text for i in issues] + [e.note for i in issues for e in await uow.issues.events(i.id)]
            stored += [h.text for m in people.values() for h in await uow.held.for_member(m.id)]
        everything = "\n".join(stored)
        self.found += [f"lost: {text!r}" for text in self.kept if text not in everything]
        for issue in issues:
            words = issue.text[:40]
            allowed = {issue.raiser_id, issue.assignee_id} | {
                m.id for m in people.values() if m.role == Role.SECRETARIAT or (m.role == Role.CHAIR and issue.level)}
            for member in people.values():
                if member.active and not member.guest:
                    shown = await self.say(member.handle, f"/board issue show I{issue.id}")
                    if member.id not in allowed and words in "\n".join(map(str, shown.blocks)):
                        self.found.append(f"@{member.handle} read I{issue.id}")
            ever = {issue.raiser_id} | self.assigned.get(issue.id, set())
            for sent in self.board.sent.got:
                kind, _, value = sent.msg.recipient.partition(":")
                member = people.get(int(value)) if kind == "member" else None
                may = member is not None and (member.id in ever or member.role in (Role.SECRETARIAT, Role.CHAIR))
                if words in sent.text and not may:
                    self.found.append(f"I{issue.id}'s words went to {sent.to} ({sent.key})")
        return self.found


async def run(ops: list[tuple]) -> list[str]:
    async with scratch_database() as db:
        board = Board(db.uow, START)
        await seed(db.uow)
        state = Run(board, BotApp(build_router(), db.uow, board.clock))
        for who, text in SETUP:
            assert not (await state.say(who, text)).error
        for op in ops:
            await state.step(op)
        return await state.check()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
def test_concerns_stay_confidential_are_never_lost_and_closed_ones_never_climb(ops):
    assert asyncio.run(run(ops)) == []
