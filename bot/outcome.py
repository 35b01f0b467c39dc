"""What one command came to: everything an adapter needs, in one value.

``BotApp.handle`` returns an ``Outcome`` so that no adapter parses the text
again, runs the core a second time, or works out for itself who may see the
answer: the reply, the command that ran, whether the board changed, who asked
(their member id), whose views of the board are now stale, and the audience.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.audience import Audience, Place, decide
from bot.reply import Reply
from bot.router import CommandSpec


@dataclass(frozen=True)
class Outcome:
    reply: Reply
    spec: CommandSpec | None = None  # None: no command ran (the text was not one, or routing failed)
    changed: bool = False  # the board changed: views of it (a home page, a card) may be stale
    actor: int | None = None  # the asker's member id, when they are a member
    refresh: tuple[int, ...] = ()  # member ids whose home page is stale: the asker and everyone told
    audience: Audience = field(default_factory=Audience)

    def merged(self, earlier: Outcome) -> Outcome:
        """This outcome after ``earlier`` (one form run as several commands): the last
        reply and audience, with what any of them changed and the people all of them touched."""
        return Outcome(self.reply, self.spec, self.changed or earlier.changed, self.actor or earlier.actor,
                       tuple(dict.fromkeys(earlier.refresh + self.refresh)), self.audience)


def refused(reply: Reply, place: Place) -> Outcome:
    """A refusal nothing ran for (a bad command, a busy adapter): nobody's view is stale,
    and the asker alone hears why, where the audience rule says."""
    return Outcome(reply, audience=decide(place, reply, changed=False))
