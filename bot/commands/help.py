"""Help generated from the registered commands, so it never drifts."""

from __future__ import annotations

from bot.context import Context
from bot.errors import NotFound, UnknownCommand
from bot.model import Role
from bot.reply import Heading, Item, Items, Note, Paragraph, Reply, rich
from bot.router import Args, Router

TOPIC_ALIASES = {"action": "actions", "meeting": "meetings", "issue": "issues", "deadline": "deadlines",
                 "member": "people", "members": "people", "workstream": "people", "config": "board",
                 "attendance": "minutes", "standing": "agenda"}


def is_help_topic(root: Router, wanted: str) -> bool:
    """Whether ``help <wanted>`` has an answer: a topic or a command."""
    wanted = wanted.strip().lower().removeprefix("/board").strip()
    if TOPIC_ALIASES.get(wanted, wanted) in root.topics():
        return True
    try:
        root.resolve(wanted)
    except UnknownCommand:
        return False
    return True


def parent_help() -> Reply:
    """Parent carers need clear, jargon-free information (Kent PACT MoU §2.1.1):
    what to do, not the board's whole command set."""
    reply = Reply(summary="How I can help you")
    return reply.add(
        Heading(rich("How I can help you")),
        Paragraph(rich("Write to me here, in your own words, about anything that worries you: a service, a delay, "
                       "a decision you don't understand. I'll log it, tell you its reference, and pass it to the "
                       "board's secretariat.")),
        Paragraph(rich("It stays confidential: only you, the secretariat and the person asked to help can see it. "
                       "If it isn't sorted within 28 days it goes to the chair of the board, and you'll hear from me "
                       "at every step.")),
        Items((Item(rich("`issue list` — your concerns and where each one is")),
               Item(rich("`issue show I7` — one concern and everything that has happened")),
               Item(rich("`issue add I7 <more information>` — add to a concern (or just write to me)")),
               Item(rich("`issue withdraw I7` — withdraw a concern you no longer need help with")),
               Item(rich("`help actions`, `help agenda`, `help meetings` — the board's other commands"))),
              title="Useful words"),
    )


def build_help_router(root: Router) -> Router:
    """Help needs the full command set, so it is built once the root exists."""
    router = Router("help", "This help.")

    @router.command("help", usage="help [topic or command]", summary="What I can do", changes_state=False,
                    example="help actions", members_only=False)
    async def help_command(ctx: Context, args: Args) -> Reply:
        topics = root.topics()
        wanted = args.rest.strip().lower().removeprefix("/board").strip()
        if not wanted and ctx.actor is not None and ctx.actor.role == Role.PARENT_REP:
            return parent_help()
        if not wanted:
            reply = Reply(summary="partnerbot help: type /board help <topic>")
            reply.add(Heading(rich("partnerbot: what I can do")),
                      Paragraph(rich("Type `/board <command>`. In a direct message, leave out `/board`.")))
            for topic, (description, specs) in topics.items():
                reply.add(Items(tuple(Item(rich("`", s.usage, "` — ", s.summary)) for s in specs),
                                title=f"{topic.capitalize()}: {description}"))
            return reply.add(Note(rich("`/board help <topic>` for more: ", ", ".join(topics), ".")))
        topic = TOPIC_ALIASES.get(wanted, wanted)
        if topic in topics:
            description, specs = topics[topic]
            reply = Reply(summary=f"Help: {topic}").add(Heading(rich(f"{topic.capitalize()}: {description}")))
            return reply.add(Items(tuple(Item(rich("`", s.usage, "` — ", s.summary, *(
                (". Example: `", s.example, "`") if s.example != s.usage else ()))) for s in specs)))
        try:
            spec, _ = root.resolve(wanted)
        except UnknownCommand:
            raise NotFound(f"There's no help topic “{wanted}”.", hint=f"Topics: {', '.join(topics)}.") from None
        return Reply(summary=f"Help: {spec.name}").add(
            Heading(rich("`", spec.usage, "`")), Paragraph(rich(spec.summary, ".")),
            Note(rich("Example: `/board ", spec.example, "`")))

    @router.command("hello", usage="hello", summary="Say hello", changes_state=False, members_only=False)
    async def hello(ctx: Context, args: Args) -> Reply:
        """Greetings and thanks in a DM land here rather than becoming an issue."""
        name = ctx.actor.name.split()[0] if ctx.actor else "there"
        if ctx.actor is not None and ctx.actor.role == Role.PARENT_REP:
            text = (f"Hello {name}. If something is worrying you, write it here in your own words and I'll log it "
                    "confidentially and tell you what happens next. `issue list` shows the concerns you've raised.")
        else:
            text = f"Hello {name}. Type `help` to see what I can do."
        return Reply(summary=text).add(Paragraph(rich(text)))

    return router
