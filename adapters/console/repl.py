"""The console: work a board from the terminal, as any member, at any time.

Lines starting ``/board`` are commands; any other line is a direct message to
the bot. ``:as @handle`` switches user, ``:now 2026-12-01T09:00`` sets the
clock (board local time), ``:tick`` runs the reminder jobs once at that time.
With ``--json`` every message is one JSON object per line:
``{"kind": "reply"|"post"|"dm", "to": ..., "text": ..., "refs": [...]}``, plus
``"buttons": [[label, command], ...]`` when a reply has buttons: the console
cannot press them, so it says what to type instead.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from adapters.config import Settings
from adapters.services import Services, apply_board_defaults, build_services, upgrade_schema
from bot.context import Command, Identity
from bot.model import Member, OutboxMessage
from bot.ports import DeliveryError
from bot.reply import Attached, Attachment, Buttons, Reply, from_dict
from bot.text import format_datetime, plain_text

PROMPT_HELP = (
    "Type /board help for commands. Other lines are direct messages to the bot.\n"
    ":as @handle switches user · :now 2026-12-01T09:00 sets the clock · :tick runs reminders · :quit leaves"
)


class ConsoleClock:
    """The system clock until someone sets it; then it stays where it is put."""

    def __init__(self, at: dt.datetime | None = None) -> None:
        self.at = at

    def now(self) -> dt.datetime:
        return self.at or dt.datetime.now(dt.UTC)

    def move_to(self, at: dt.datetime) -> None:
        self.at = at


@dataclass
class Printed:
    kind: str
    to: str
    text: str
    refs: list[str] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (label, command to type)


def button_commands(reply: Reply) -> list[tuple[str, str]]:
    return [(b.label, b.command) for block in reply.blocks if isinstance(block, Buttons)
            for b in block.buttons if b.command]


class FileShelf:
    """Where the console puts files the bot sends (an export, a report), since a
    terminal cannot show them: each is written once and its path printed. A board
    document (the pack, the minutes) is named with the command that typesets it."""

    def __init__(self, folder: str | None) -> None:
        self.folder = Path(folder) if folder else None

    def keep(self, attachments: list[Attached]) -> str:
        documents = "".join(f"\n  📎 {a.title}: `partnerbot {a.kind} {a.ref} --format pdf`"
                            for a in attachments if not isinstance(a, Attachment))
        files = [a for a in attachments if isinstance(a, Attachment)]
        return documents + self.write(files)

    def write(self, attachments: list[Attachment]) -> str:
        if not attachments:
            return ""
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="partnerbot-files-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        lines = []
        for attachment in attachments:
            path = self.folder / Path(attachment.filename).name
            path.write_bytes(attachment.data)
            path.chmod(0o600)  # it may hold special category data (a subject access export)
            lines.append(f"\n📎 {attachment.filename} ({len(attachment.data):,} bytes) written to {path}")
        return "".join(lines)


class ConsoleNotifier:
    """Delivers outbox messages by printing them (collected, then flushed in order)."""

    def __init__(self, shelf: FileShelf) -> None:
        self.pending: list[Printed] = []
        self.shelf = shelf

    async def send(self, msg: OutboxMessage, recipient: Member | None, channel: str | None) -> None:
        refs = list(msg.payload.get("refs", []))
        files = [a for a in from_dict(msg.payload).attachments if isinstance(a, Attachment)]
        text = msg.text + self.shelf.write(files)  # the reply that asked shows how to get a document
        if channel is not None:
            self.pending.append(Printed("post", channel if channel.startswith("#") else f"#{channel}", text, refs))
        elif recipient is not None:
            self.pending.append(Printed("dm", f"@{recipient.handle}", text, refs))
        else:
            raise DeliveryError("a message with neither a recipient nor a channel", permanent=True)


class Console:
    def __init__(self, services: Services, clock: ConsoleClock, who: str, as_json: bool, out=sys.stdout) -> None:
        self.services = services
        self.clock = clock
        self.who = who.lstrip("@").lower()
        self.as_json = as_json
        self.out = out
        self.shelf = FileShelf(services.settings.files_dir)
        self.notifier = ConsoleNotifier(self.shelf)
        services.notifier.register("console", self.notifier)

    def emit(self, message: Printed) -> None:
        if self.as_json:
            obj = {"kind": message.kind, "to": message.to, "text": message.text, "refs": message.refs}
            self.out.write(json.dumps({**obj, "buttons": message.buttons} if message.buttons else obj) + "\n")
        else:
            header = {"reply": f"bot → @{self.who}", "dm": f"DM → {message.to}", "post": f"post → {message.to}"}
            typed = "".join(f"\n  ({label}: type `{command}`)" for label, command in message.buttons)
            self.out.write(f"[{header[message.kind]}]\n{message.text}{typed}\n\n")
        self.out.flush()

    def flush(self) -> None:
        for message in self.notifier.pending:
            self.emit(message)
        self.notifier.pending.clear()

    def info(self, text: str) -> None:
        self.emit(Printed("reply", f"@{self.who}", text))

    async def run_line(self, line: str) -> bool:
        """Handle one line; False means the user asked to leave."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        if line in (":quit", ":q", ":exit"):
            return False
        if line.startswith(":"):
            await self.meta(line)
        else:
            is_command = line.lower().startswith("/board")
            command = Command(Identity("console", self.who), line, where="#console", is_direct=not is_command)
            reply = (await self.services.bot.handle(command)).reply
            text = plain_text(reply, self.tz) + self.shelf.keep(reply.attachments)
            self.emit(Printed("reply", f"@{self.who}", text, list(reply.refs), button_commands(reply)))
            await self.services.delivery.deliver_if_woken()  # what the command told others, after its reply
        self.flush()
        return True

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.services.settings.timezone)

    async def meta(self, line: str) -> None:
        word, _, rest = line.partition(" ")
        if word == ":as" and rest.strip():
            self.who = rest.strip().lstrip("@").lower()
            self.info(f"You are now @{self.who}.")
        elif word == ":now" and rest.strip():
            try:
                at = dt.datetime.fromisoformat(rest.strip())
            except ValueError:
                self.info(f"“{rest.strip()}” is not an ISO time; write it like 2026-12-01T09:00.")
                return
            self.clock.move_to((at if at.tzinfo else at.replace(tzinfo=self.tz)).astimezone(dt.UTC))
            self.info(f"The time is now {format_datetime(self.clock.now(), self.tz)} (board time).")
        elif word == ":tick":
            from jobs.runner import tick

            dispatcher = self.services.dispatcher
            await tick(self.services.db.uow, dispatcher.outbox, self.clock, self.services.notifier, dispatcher.owner,
                       self.services.typesetter)
            if not self.notifier.pending:
                self.info(f"Jobs ran at {format_datetime(self.clock.now(), self.tz)}: nothing to send.")
        elif word == ":help":
            self.info(PROMPT_HELP)
        else:
            self.info(f"I don't know “{word}”. {PROMPT_HELP}")

    async def run_lines(self, lines: Iterable[str]) -> None:
        for line in lines:
            if not await self.run_line(line):
                break


async def open_console(settings: Settings, who: str, now: dt.datetime | None, as_json: bool) -> Console:
    await asyncio.to_thread(upgrade_schema, settings.database_url)
    clock = ConsoleClock(now)
    services = build_services(settings, clock)
    await apply_board_defaults(services)
    return Console(services, clock, who, as_json)


def interactive_lines(console: Console):
    import readline  # noqa: F401  (line editing and history for input())

    print(PROMPT_HELP)
    while True:
        try:
            yield input(f"@{console.who}> ")
        except EOFError:
            print()
            return


async def run_console(settings: Settings, who: str, now: dt.datetime | None, as_json: bool) -> None:
    console = await open_console(settings, who, now, as_json)
    try:
        lines = interactive_lines(console) if sys.stdin.isatty() and not as_json else sys.stdin
        await console.run_lines(lines)
    finally:
        await console.services.close()
