"""People and structure: members, their roles and organisations, workstreams."""

from __future__ import annotations

import re
from typing import Any

from bot.commands.common import confirm, everyone
from bot.context import Context
from bot.errors import BadArgument, Conflict
from bot.grammar import any_value, parse_options, single_value, tokenize, unquote
from bot.identity import parse_token
from bot.member_lookup import find_people, find_person, mention
from bot.model import IssueEvent, Member, Organisation, Prefix, Role, Workstream
from bot.outbox_keys import Recipient
from bot.policies import require_manager
from bot.reply import Fields, Heading, Item, Items, Paragraph, Ref, Reply, rich
from bot.router import Args, Router
from bot.views import action_item, people_spans, ref

router = Router("people", "Members, roles and workstreams.")

ADD_EXAMPLE = 'member add @owen "Owen Pike" initials OP org "Health Trust" role member'
ROLES = ", ".join(r.value for r in Role)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_HANDLE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")


def _role(text: str) -> Role:
    try:
        return Role(text.lower())
    except ValueError:
        raise BadArgument(f"“{text}” is not a role.", hint=f"Roles are: {ROLES}.", field="role") from None


def _email(text: str) -> str:
    """An address as typed, or as Slack sends it (``<mailto:a@b.org|a@b.org>``)."""
    address = text.strip("<>").split("|")[-1].removeprefix("mailto:").lower()
    if not _EMAIL.match(address):
        raise BadArgument(f"“{text}” is not an e-mail address.", hint="For example: `email owen.pike@nhs.example`",
                          field="email")
    return address


async def _handle_for(ctx: Context, token: str, name: str) -> str:
    """The handle of the person being added: as typed, or made from their name when
    they are named by their chat account."""
    if parse_token(token) is None:
        handle = unquote(token.lstrip("@")).lower()
        if not _HANDLE.match(handle):
            raise BadArgument(f"“{token}” can't be a handle.", hint="Handles are letters, digits, dots or dashes, "
                              "like @owen or @owen.pike.", field="person")
        return handle
    base = re.sub(r"[^a-z0-9]+", ".", name.lower()).strip(".") or "member"
    handle, n = base, 1
    while await ctx.uow.members.by_handle(handle):
        n += 1
        handle = f"{base}{n}"
    return handle


@router.command("member add", usage='member add @person "Full Name" initials XY org "Organisation" role '
                "member|chair|secretariat|parent-rep|observer [email name@org] [deputy @person]",
                summary="Add a board member (chair or secretariat; the first user may add themselves)",
                example=ADD_EXAMPLE, members_only=False)
async def add(ctx: Context, args: Args) -> Reply:
    parsed = parse_options(args.rest, {"initials": single_value, "org": any_value, "role": single_value,
                                       "email": single_value, "deputy": single_value})
    if len(parsed.head) < 2:
        raise BadArgument("A member needs a handle and a full name.", hint=f"For example: `{ADD_EXAMPLE}`",
                          field="person")
    token, name = parsed.head[0], " ".join(unquote(t) for t in parsed.head[1:])
    role = _role(parsed.options.get("role", "member"))
    handle = await _handle_for(ctx, token, name)
    account = parse_token(token)
    who = ctx.command.who
    if ctx.actor is None:
        # Bootstrap: in an empty database the first user adds themselves as chair or secretariat.
        own = handle == who.user_id.lstrip("@").lower() or account == (who.platform, who.user_id)
        if await ctx.uow.members.count() or not own or role not in (Role.CHAIR, Role.SECRETARIAT):
            raise BadArgument("Only the chair or secretariat can add members.",
                              hint="On a new board, the first person adds themselves with role chair or secretariat.")
    else:
        require_manager(ctx.actor, "add members")
    initials = parsed.options.get("initials") or "".join(w[0] for w in name.split()).upper()
    if not re.fullmatch(r"[A-Za-z]{1,4}", initials):
        raise BadArgument(f"“{initials}” can't be initials.", hint="Initials are 1–4 letters, like OP.",
                          field="initials")
    email = _email(parsed.options["email"]) if "email" in parsed.options else None
    known = await ctx.uow.identities.member_for(*account) if account else await ctx.uow.members.by_handle(handle)
    if known is not None and known.active:
        raise Conflict(f"@{known.handle} is already a member.", hint="`/board member list` shows everyone.")
    if clash := [m for m in await ctx.uow.members.by_initials(initials.upper()) if m.active]:
        raise Conflict(f"{clash[0].name} already uses the initials {initials.upper()}.",
                       hint="Give different initials with `initials XY`.")
    org = None
    if org_name := parsed.options.get("org"):
        org = await ctx.uow.organisations.by_name(org_name) or await ctx.uow.organisations.add(Organisation(org_name))
    deputy = await find_person(ctx.uow, parsed.options["deputy"], "deputy") if "deputy" in parsed.options else None
    details: dict[str, Any] = {  # Member's fields, also set one by one on someone who comes back
        "name": name, "initials": initials.upper(), "role": role, "org_id": org.id if org else None,
        "email": email, "deputy_id": deputy.id if deputy else None}
    if known is not None and not known.guest and known.name.casefold() != name.casefold():
        await _retire_identity(ctx, known)  # a handle or account reused by someone new: nothing passes to them
        known = None
    holder = await ctx.uow.members.by_email(email) if email else None
    if holder is not None and not holder.active and (known is None or holder.id != known.id):
        holder.email = None  # a former member's address, now someone else's: it links to the new person only
        await ctx.uow.members.save(holder)
    if known is not None:  # someone who left the board comes back, with their history
        for key, value in details.items():
            setattr(known, key, value if value is not None or key == "deputy_id" else getattr(known, key))
        was_guest, known.active, known.guest = known.guest, True, False
        await ctx.uow.members.save(known)
        if was_guest:
            return await _welcome_guest(ctx, known)
        await ctx.audit("member.rejoin", "@" + known.handle, detail=role.value)
        return confirm(f"{name} (@{known.handle}, {initials.upper()}) is back on the board as {role.value}.")
    member = await ctx.uow.members.add(Member(handle=handle, **details))
    if account and member.id is not None:
        await ctx.uow.identities.link(member.id, *account)
    if ctx.actor is None:
        ctx.actor = member
    await ctx.audit("member.add", "@" + handle, detail=role.value)
    reply = confirm(f"{name} (@{handle}, {initials.upper()}) added as {role.value}.")
    return reply.add(Fields((("Organisation", rich(org.name if org else "—")), ("Role", rich(role.value)))))


async def _retire_identity(ctx: Context, former: Member) -> None:
    """Free a former member's handle, e-mail and chat accounts for someone new,
    keeping the former member's record (and history) under a retired handle."""
    old, former.handle = former.handle, f"{former.handle}.former{former.id}"
    former.email = None
    await ctx.uow.members.save(former)
    if former.id is not None:
        await ctx.uow.identities.unlink(former.id)
    if old in [h.lstrip("@").lower() for h in ctx.settings.hwb_contacts]:  # roles named by handle stay theirs
        ctx.settings.hwb_contacts = [former.handle if h.lstrip("@").lower() == old else h
                                     for h in ctx.settings.hwb_contacts]
        await ctx.uow.settings.store("hwb_contacts", ctx.settings.hwb_contacts)
    await ctx.audit("member.retire", "@" + former.handle)


async def _welcome_guest(ctx: Context, member: Member) -> Reply:
    """Someone who wrote before they were on the board: their concerns are now theirs as a member."""
    await ctx.audit("member.add", "@" + member.handle, detail=member.role.value)
    concerns = [ref(Prefix.ISSUE, i.key) for i in await ctx.uow.issues.raised_by(member.key)]
    return confirm(f"{member.name} (@{member.handle}, {member.initials}) added as {member.role.value}"
                   + (f"; the concern they sent before joining ({', '.join(concerns)}) is linked to them."
                      if concerns else "."), public=False)


@router.command("member list", usage="member list", summary="Who is on the board", changes_state=False,
                aliases=("members",))
async def list_members(ctx: Context, args: Args) -> Reply:
    orgs = {o.id: o.name for o in await ctx.uow.organisations.list_all()}
    members = sorted((m for m in await ctx.uow.members.list_all() if m.active), key=lambda m: (m.role != Role.CHAIR,
                                                                                           m.name))
    items = tuple(Item(rich(mention(m), f" {m.name} ({m.initials}) — {m.role.value}",
                            f", {orgs[m.org_id]}" if m.org_id in orgs else None)) for m in members)
    return Reply(summary=f"{len(items)} members").add(Items(items, title=f"Board members ({len(items)})",
                                                            empty="No members yet."))


@router.command("member role", usage="member role @person <role>", summary="Change a member's role (chair or "
                "secretariat)", example="member role @mia observer")
async def set_role(ctx: Context, args: Args) -> Reply:
    require_manager(ctx.require_actor(), "change roles")
    tokens = tokenize(args.rest)
    if len(tokens) != 2:
        raise BadArgument("Give a person and a role.", hint="For example: `member role @mia observer`")
    member = await find_person(ctx.uow, tokens[0])
    member.role = _role(tokens[1])
    await ctx.uow.members.save(member)
    await ctx.audit("member.role", "@" + member.handle, detail=member.role.value)
    reply = confirm(f"{member.name}'s role is now {member.role.value}.")
    if member.role == Role.OBSERVER:
        await _list_open_actions(ctx, member, reply, "Observers don't own actions: give these a new owner "
                                                     "(`/board action assign A12 @person`)")
    return reply


@router.command("member remove", usage="member remove @person", summary="Take someone off the board (chair or "
                "secretariat); their history stays")
async def remove(ctx: Context, args: Args) -> Reply:
    require_manager(ctx.require_actor(), "remove members")
    member = await find_person(ctx.uow, args.rest)
    member.active = False
    await ctx.uow.members.save(member)
    await ctx.uow.feeds.forget(member.key)  # their private calendar link stops working, even if they come back
    await ctx.audit("member.remove", "@" + member.handle)
    handed_back = await _end_issue_access(ctx, member)
    await ctx.uow.outbox.cancel_for_recipient(Recipient.member(member.id))
    reply = confirm(f"{member.name} is no longer on the board. Their actions keep their history."
                    + (f" {handed_back} confidential issue(s) they were handling are back with the secretariat."
                       if handed_back else ""))
    return await _list_open_actions(ctx, member, reply, "Open actions that need a new owner (`/board action assign "
                                                        "A12 @person`); until then their reminders come to the "
                                                        "secretariat")


async def _end_issue_access(ctx: Context, member: Member) -> int:
    """Someone who leaves stops handling every issue at once; returns how many."""
    handled = [i for i in await ctx.uow.issues.assigned_to(member.key)]
    for issue in handled:
        issue.assignee_id = None
        await ctx.uow.issues.save(issue)
        await ctx.uow.issues.add_event(IssueEvent(issue.key, ctx.require_actor().key, ctx.now(), "unassign",
                                                  f"{member.name} (@{member.handle}) left the board"))
    return sum(i.is_open for i in handled)


async def _list_open_actions(ctx: Context, member: Member, reply: Reply, title: str) -> Reply:
    """Add the member's open actions to ``reply``, when they have any."""
    if open_actions := await ctx.uow.actions.owned_by(member.key):
        people = await everyone(ctx)
        reply.add(Items(tuple(action_item(a, people, ctx.today(), ctx.calendar, ctx.settings, ctx.now())
                              for a in open_actions), title=title))
    return reply


@router.command("workstream add", usage='workstream add "Name" lead @person [lead @person2]',
                summary="Add a workstream and its lead(s) (chair or secretariat)",
                example='workstream add "Co-production" lead @ava')
async def add_workstream(ctx: Context, args: Args) -> Reply:
    require_manager(ctx.require_actor(), "add workstreams")
    tokens = tokenize(args.rest)
    if "lead" not in [t.lower() for t in tokens]:
        raise BadArgument("A workstream needs a name and a lead.",
                          hint='For example: `workstream add "Co-production" lead @ava`', field="lead")
    cut = [t.lower() for t in tokens].index("lead")
    name = " ".join(unquote(t) for t in tokens[:cut])
    if not name:
        raise BadArgument("The workstream's name is missing.", hint='For example: `workstream add "Co-production" '
                          'lead @ava`', field="name")
    leads = await find_people(ctx.uow, [t for t in tokens[cut:] if t.lower() != "lead"], field="lead")
    if not leads:
        raise BadArgument("Who leads it?", hint='For example: `workstream add "Co-production" lead @ava`',
                          field="lead")
    if await ctx.uow.workstreams.by_name(name):
        raise Conflict(f"There is already a workstream called {name}.")
    workstream = await ctx.uow.workstreams.add(Workstream(name, [m.key for m in leads]))
    ws_ref = ref(Prefix.WORKSTREAM, workstream.id)
    await ctx.audit("workstream.add", ws_ref)
    return confirm(f"Workstream {ws_ref} {name} added, led by {', '.join(m.name for m in leads)}.", refs=[ws_ref])


@router.command("workstream list", usage="workstream list", summary="Workstreams and their leads",
                changes_state=False, aliases=("workstreams",))
async def list_workstreams(ctx: Context, args: Args) -> Reply:
    people = await everyone(ctx)
    streams = await ctx.uow.workstreams.list_all()
    items = tuple(Item(rich(Ref(ref(Prefix.WORKSTREAM, w.id)), f" {w.name} — led by ",
                            *people_spans(w.lead_ids, people)), ref(Prefix.WORKSTREAM, w.id),
                       "closed" if w.closed else None) for w in streams)
    return Reply(summary=f"{len(items)} workstreams", refs=[ref(Prefix.WORKSTREAM, w.id) for w in streams]).add(
        Items(items, title="Workstreams", empty="No workstreams yet."))


@router.command("whoami", usage="whoami", summary="Who the bot thinks you are", changes_state=False,
                members_only=False)
async def whoami(ctx: Context, args: Args) -> Reply:
    if ctx.actor is None:
        who = ctx.command.who
        return Reply(summary="Not a member").add(Paragraph(rich(
            f"You're {who.name or who.user_id} on {who.platform}, but not a member of this board. Ask the "
            "secretariat to add you.")))
    me = ctx.actor
    org = await ctx.uow.organisations.get(me.org_id) if me.org_id else None
    leads = [w.name for w in await ctx.uow.workstreams.list_all() if me.id in w.lead_ids]
    return Reply(summary=f"You are {me.name}").add(Heading(rich(mention(me), " ", me.name)), Fields((
        ("Initials", rich(me.initials)), ("Role", rich(me.role.value)),
        ("Organisation", rich(org.name if org else "—")),
        ("Leads", rich(", ".join(leads) or "—")),
        ("Direct messages", rich("escalations only" if me.dm_opt_out else "on")),
    )))


@router.command("dms", usage="dms off|on", summary="Stop or restart reminder DMs (escalations still reach you)",
                example="dms off")
async def dms(ctx: Context, args: Args) -> Reply:
    me = ctx.require_actor()
    choice = args.rest.strip().lower()
    if choice not in ("on", "off"):
        raise BadArgument("Say `dms off` or `dms on`.", field="dms")
    me.dm_opt_out = choice == "off"
    await ctx.uow.members.save(me)
    await ctx.audit("member.dms", "@" + me.handle, detail=choice)
    text = ("Reminder DMs are off; escalations and replies to your own issues still reach you." if me.dm_opt_out
            else "Reminder DMs are on.")
    return confirm(text, public=False)
