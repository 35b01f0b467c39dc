"""Command routing: handlers register once with a decorator and work everywhere.

In the spirit of aiogram routers and slack-bolt listeners::

    router = Router("actions")

    @router.command("action done", usage="action done A12 [note]",
                    summary="Mark an action done", example="action done A12 sent to all heads")
    async def done(ctx: Context, args: Args) -> Reply: ...

A command is matched by its leading words (longest match wins), so
``action add`` and ``action list`` live side by side. Help text is generated
from these registrations, so it never drifts from what the bot accepts.
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.errors import UnknownCommand
from bot.forms import Form, Forms

if TYPE_CHECKING:
    from bot.context import Context
    from bot.reply import Reply


@dataclass
class Args:
    """What the handler gets: the text after the command words, and any
    structured values an adapter supplied (form fields, button values)."""

    rest: str
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


Handler = Callable[["Context", Args], Awaitable["Reply"]]


@dataclass
class CommandSpec:
    words: tuple[str, ...]
    handler: Handler
    usage: str
    summary: str
    example: str
    topic: str
    aliases: tuple[tuple[str, ...], ...] = ()
    changes_state: bool = True
    members_only: bool = True  # deny by default: only help, whoami and the first member add are open

    @property
    def name(self) -> str:
        return " ".join(self.words)


class Router:
    """A named group of commands; routers nest with ``include``."""

    def __init__(self, topic: str, description: str = "", prefix_alias: tuple[str, str] | None = None) -> None:
        """``prefix_alias`` ("board config", "config") lets every command starting
        with the first words also be typed with the second."""
        self.topic = topic
        self.description = description
        self.prefix_alias = prefix_alias
        self.specs: list[CommandSpec] = []
        self.form_list: list[Form] = []
        self.children: list[Router] = []

    def command(
        self,
        words: str,
        *,
        usage: str,
        summary: str,
        example: str | None = None,
        aliases: tuple[str, ...] = (),
        changes_state: bool = True,
        members_only: bool = True,
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            extra = tuple(tuple(a.split()) for a in aliases)
            if self.prefix_alias and (words + " ").startswith(self.prefix_alias[0] + " "):
                extra += (tuple(words.replace(self.prefix_alias[0], self.prefix_alias[1], 1).split()),)
            self.specs.append(
                CommandSpec(
                    words=tuple(words.split()),
                    handler=handler,
                    usage=usage,
                    summary=summary,
                    example=example or usage,
                    topic=self.topic,
                    aliases=extra,
                    changes_state=changes_state,
                    members_only=members_only,
                )
            )
            return handler

        return register

    def form(self, form: Form) -> Form:
        """Register a form beside the commands it becomes (see bot.forms)."""
        self.form_list.append(form)
        return form

    def forms(self) -> Forms:
        """Every form registered here and in the routers included, by id."""
        return Forms(form for router in self._routers() for form in router.form_list)

    def include(self, *routers: Router) -> None:
        self.children.extend(routers)

    def all_specs(self) -> list[CommandSpec]:
        return [spec for router in self._routers() for spec in router.specs]

    def topics(self) -> dict[str, tuple[str, list[CommandSpec]]]:
        """Commands grouped by topic, in registration order: topic -> (description, specs)."""
        out: dict[str, tuple[str, list[CommandSpec]]] = {}
        for router in self._routers():
            if router.specs:
                out.setdefault(router.topic, (router.description, []))[1].extend(router.specs)
        return out

    def _routers(self) -> list[Router]:
        found = [self]
        for child in self.children:
            found.extend(child._routers())
        return found

    def resolve(self, text: str) -> tuple[CommandSpec, str]:
        """Find the command for ``text``; return it with the remaining text.

        Raises UnknownCommand with the closest registered command as a hint.
        """
        tokens = text.split()
        lowered = [t.lower() for t in tokens]
        best: tuple[int, CommandSpec] | None = None
        for spec in self.all_specs():
            for words in (spec.words, *spec.aliases):
                n = len(words)
                if tuple(lowered[:n]) == words and (best is None or n > best[0]):
                    best = (n, spec)
        if best is None:
            family = len(lowered) == 1 and any(s.words[0] == lowered[0] for s in self.all_specs())
            message = (f"“{tokens[0]}” needs a second word." if family
                       else f"I don't know the command “{' '.join(tokens[:2]) or text}”.")
            raise UnknownCommand(message, hint=self._suggest(lowered))
        n, spec = best
        rest = text.strip()
        for _ in range(n):
            rest = rest.split(None, 1)[1] if len(rest.split(None, 1)) > 1 else ""
        return spec, rest.strip()

    def _suggest(self, lowered: list[str]) -> str:
        names = {spec.name: spec for spec in self.all_specs()}
        family = [spec for spec in names.values() if lowered and spec.words[0] == lowered[0] and len(spec.words) > 1]
        if family and len(lowered) == 1:
            words = ", ".join(" ".join(spec.words[1:]) for spec in family)
            return f"`{lowered[0]}` needs one of: {words}. For example: `{family[0].example}`."
        typed = " ".join(lowered[:2])
        close = difflib.get_close_matches(typed, list(names), n=1, cutoff=0.5)
        if not close and lowered:
            close = difflib.get_close_matches(lowered[0], list(names), n=1, cutoff=0.5) or [s.name for s in family[:1]]
        if close:
            spec = names[close[0]]
            return f"Did you mean `{spec.usage}`? Type `/board help` to see every command."
        return "Type `/board help` to see every command."
