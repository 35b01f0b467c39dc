"""Calendar feeds: a member's private subscription link, and feeds as files.

The link is shown only to the member who asks (never posted, never stored:
the board keeps only a hash of its token), so ``calendar`` can make one but
not show an old one again; ``calendar reset`` replaces it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.commands.common import confirm
from bot.context import Context, board_context
from bot.errors import Forbidden
from bot.feeds import FeedScope, board_events, member_events, member_for_token, new_token
from bot.grammar import tokenize
from bot.ics import ICS_MEDIA_TYPE, to_ics
from bot.member_lookup import find_person
from bot.model import Member
from bot.ports import UnitOfWork
from bot.reply import Attachment, Note, Paragraph, Reply, When, rich
from bot.router import Args, Router

router = Router("calendar", "Subscribe to the board's dates in Outlook, Google or Apple calendars.")


def feed_path(token: str) -> str:
    return f"/calendar/{token}.ics"


def _link_reply(ctx: Context, token: str, summary: str) -> Reply:
    base = ctx.settings.public_url.rstrip("/")
    link = f"{base}{feed_path(token)}" if base else feed_path(token)
    reply = Reply(summary=summary, public=False).add(
        Paragraph(rich(summary)),
        Paragraph(rich(link)),
        Note(rich("Subscribe to it in your calendar (Outlook: Add calendar → From internet; Google: Other calendars "
                  "→ From URL). It holds the board's meetings, paper deadlines and recurring deadlines, and the "
                  "actions you own. Keep it to yourself: anyone with the link can read it.")),
    )
    if not base:
        reply.add(Note(rich("This is the path on the partnerbot server; the administrator sets "
                            "PARTNERBOT_PUBLIC_URL so links show the full address.")))
    return reply


@router.command("calendar", usage="calendar", summary="Your private calendar feed link (only you see it)",
                example="calendar", aliases=("calendar link",))
async def link(ctx: Context, args: Args) -> Reply:
    actor = ctx.require_actor()
    existing = await ctx.uow.feeds.for_member(actor.key)
    if existing is not None:
        return Reply(summary="You already have a calendar link.", public=False).add(
            Paragraph(rich("You already have a calendar link, made on ", When(existing.created_at), ".")),
            Note(rich("For your privacy the board keeps only a fingerprint of it, so it can't be shown again. "
                      "`/board calendar reset` makes a new link; the old one then stops working.")))
    token = await new_token(ctx.uow, actor, ctx.now())
    await ctx.audit("calendar.link", f"@{actor.handle}")
    return _link_reply(ctx, token, "Here is your private calendar link.")


@router.command("calendar reset", usage="calendar reset", summary="Replace your calendar link (the old one stops)",
                example="calendar reset")
async def reset(ctx: Context, args: Args) -> Reply:
    actor = ctx.require_actor()
    token = await new_token(ctx.uow, actor, ctx.now())
    await ctx.audit("calendar.reset", f"@{actor.handle}")
    return _link_reply(ctx, token, "Your calendar link has been replaced; the old one no longer works.")


def scope_of(ctx: Context) -> FeedScope:
    return FeedScope(ctx.uow, ctx.settings, ctx.calendar, ctx.today())


async def member_feed(ctx: Context, member: Member) -> bytes:
    events = await member_events(scope_of(ctx), member)
    return to_ics(events, f"Board calendar ({member.name})", ctx.settings.timezone, ctx.now())


async def feed_for_token(uow: UnitOfWork, token: str, now: dt.datetime) -> bytes | None:
    """The feed a private link serves, or None when the link is unknown, replaced or its member removed."""
    member = await member_for_token(uow, token)
    if member is None:
        return None
    settings, calendar = await board_context(uow)
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    events = await member_events(FeedScope(uow, settings, calendar, today), member)
    return to_ics(events, f"Board calendar ({member.name})", settings.timezone, now)


@router.command("calendar export", usage="calendar export [@member]",
                summary="The board's calendar (or a member's) as an .ics file", example="calendar export @owen",
                changes_state=False)
async def export(ctx: Context, args: Args) -> Reply:
    actor = ctx.require_actor()
    tokens = tokenize(args.rest)
    if tokens:
        member = await find_person(ctx.uow, tokens[0])
        if member.id != actor.id and not ctx.is_manager():
            raise Forbidden("Only the chair and secretariat can export someone else's calendar.",
                            hint="`/board calendar export` gives the board's calendar.")
        data, name = await member_feed(ctx, member), f"calendar-{member.handle}.ics"
    else:
        events = await board_events(scope_of(ctx))
        data, name = to_ics(events, "Board calendar", ctx.settings.timezone, ctx.now()), "board-calendar.ics"
    reply = confirm(f"The calendar is attached as {name}.", public=False)
    reply.attachments.append(Attachment(name, ICS_MEDIA_TYPE, data))
    return reply
