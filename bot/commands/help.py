"""Help generated from the registered commands, so it never drifts."""

from __future__ import annotations

from bot.context import Context
from bot.errors import NotFound, UnknownCommand
from bot.reply import Heading, Item, Items, Note, Paragraph, Reply, rich
from bot.router import Args, Router


def build_help_router(root: Router) -> Router:
    """Help needs the full command set, so it is built once the root exists."""
    router = Router("help", "This help.")

    @router.command("help", usage="help [topic or command]", summary="What I can do", changes_state=False,
                    example="help actions", members_only=False)
    async def help_command(ctx: Context, args: Args) -> Reply:
        topics = root.topics()
        wanted = args.rest.strip().lower().removeprefix("/board").strip()
        if not wanted:
            reply = Reply(summary="partnerbot help: type /board help <topic>")
            reply.add(Heading(rich("partnerbot: what I can do")),
                      Paragraph(rich("Type `/board <command>`. In a direct message, leave out `/board`.")))
            for topic, (description, specs) in topics.items():
                reply.add(Items(tuple(Item(rich("`", s.usage, "` — ", s.summary)) for s in specs[:4]),
                                title=f"{topic.capitalize()}: {description}"))
            return reply.add(Note(rich("`/board help <topic>` for more: ", ", ".join(topics), ".")))
        aliases = {"action": "actions", "meeting": "meetings", "issue": "issues", "deadline": "deadlines",
                   "member": "people", "members": "people", "workstream": "people", "config": "board"}
        topic = aliases.get(wanted, wanted)
        if topic in topics:
            description, specs = topics[topic]
            reply = Reply(summary=f"Help: {topic}").add(Heading(rich(f"{topic.capitalize()}: {description}")))
            return reply.add(Items(tuple(Item(rich("`", s.usage, "` — ", s.summary, ". Example: `", s.example, "`"))
                                         for s in specs)))
        try:
            spec, _ = root.resolve(wanted)
        except UnknownCommand:
            raise NotFound(f"There's no help topic “{wanted}”.", hint=f"Topics: {', '.join(topics)}.") from None
        return Reply(summary=f"Help: {spec.name}").add(
            Heading(rich("`", spec.usage, "`")), Paragraph(rich(spec.summary, ".")),
            Note(rich("Example: `/board ", spec.example, "`")))

    return router
