"""The meeting pack and the minutes as Documents, built from the board's state.

The pack is what is circulated five working days before a meeting (Kent PACT
MoU §2.1.2; Kingston minutes item 4): the agenda in running order with
presenters, timings and papers, apologies and deputies, the previous meeting's
minutes, the action list with the actions without traction highlighted, and
the risks and the dashboard with trend charts (``bot.register_document``), and
confidential issues as counts only. Its sections come from ``PACK_SECTIONS``,
a list of builders, so another part of the core can add its own section
by appending a builder.

The minutes follow the shape of the Kingston minutes: a present table (name,
initials, role, organisation), apologies, each item with its discussion and
decisions, and the action table (ref, action, owner initials, due).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.agenda import on_agenda, total_minutes
from bot.context import Context
from bot.document import Bullets, Document, Para, Section, Table
from bot.errors import NotFound
from bot.grammar import parse_ref
from bot.model import (
    Action,
    ActionStatus,
    AgendaItem,
    Apology,
    Attendance,
    Meeting,
    Member,
    MinuteEntry,
    MinuteKind,
    Paper,
    Prefix,
)
from bot.register_document import (
    RegisterView,
    dashboard_section,
    previous_meeting_start,
    register_view,
    risk_section,
)
from bot.reply import DocumentRef
from bot.rules import agenda_cutoffs
from bot.text import format_date
from bot.views import ref, without_traction

ROLE_NAMES = {"chair": "Chair", "secretariat": "Secretariat", "member": "Member", "parent-rep": "Parent rep",
              "observer": "Observer"}


@dataclass
class MeetingFacts:
    """Everything the sections read, loaded once per document."""

    meeting: Meeting
    previous: Meeting | None
    people: dict[int, Member]
    organisations: dict[int, str]
    items: list[AgendaItem]
    papers: list[Paper]
    apologies: list[Apology]
    present: list[Attendance]
    minutes: list[MinuteEntry]
    actions: list[Action]

    def initials(self, ids: list[int]) -> str:
        return " / ".join(self.people[i].initials for i in ids if i in self.people)

    def org(self, member: Member) -> str:
        return self.organisations.get(member.org_id or 0, "")


async def load_facts(ctx: Context, meeting: Meeting) -> MeetingFacts:
    uow = ctx.uow
    earlier = [m for m in await uow.meetings.between(meeting.starts_at - dt.timedelta(days=400), meeting.starts_at)
               if m.id != meeting.id]
    items = on_agenda(await uow.agenda.for_meeting(meeting.id))
    return MeetingFacts(
        meeting=meeting,
        previous=earlier[-1] if earlier else None,
        people={m.id: m for m in await uow.members.list_all() if m.id is not None},
        organisations={o.id: o.name for o in await uow.organisations.list_all() if o.id is not None},
        items=items,
        papers=await uow.papers.for_items([i.id for i in items if i.id is not None]),
        apologies=await uow.apologies.for_meeting(meeting.key),
        present=await uow.attendance.for_meeting(meeting.key),
        minutes=await uow.minutes.for_meeting(meeting.key),
        actions=await uow.actions.list_all(),
    )


def _when(ctx: Context, meeting: Meeting) -> str:
    start = meeting.starts_at.astimezone(ctx.tz)
    end = f"–{meeting.ends_at.astimezone(ctx.tz):%H:%M}" if meeting.ends_at else ""
    return f"{start:%A} {start.day} {start:%B %Y}, {start:%H:%M}{end}" + (f", {meeting.place}" if meeting.place else "")


def _guest(text: str) -> tuple[str, str]:
    """"Ann Lee, DfE" -> ("Ann Lee", "DfE")."""
    name, _, org = text.partition(",")
    return name.strip(), org.strip()


def _initials_of(name: str) -> str:
    return "".join(word[0].upper() for word in name.replace("-", " ").split() if word[:1].isalpha())


# ---------------------------------------------------------------- pack sections

SectionBuilder = Callable[[Context, MeetingFacts], Awaitable[Section | None]]


async def agenda_section(ctx: Context, facts: MeetingFacts) -> Section:
    start = facts.meeting.starts_at.astimezone(ctx.tz)
    rows, flags = [], []
    for number, item in enumerate(facts.items, 1):
        papers = [p for p in facts.papers if p.item_id == item.id]
        late = item.late or any(p.late for p in papers)
        slot = ""
        if item.duration:
            end = start + dt.timedelta(minutes=item.duration)
            slot = f"{start:%H:%M}–{end:%H:%M}"
            start = end
        presenter = facts.people.get(item.presenter_id or item.proposer_id)
        rows.append((str(number), item.title + (" (spotlight)" if item.spotlight and "spotlight" not in
                                                item.title.lower() else ""),
                     presenter.name if presenter else "", slot,
                     "; ".join(p.link + (" (late)" if p.late else "") for p in papers) or "—"))
        flags.append("late" if late else None)
    blocks: list = [Table(("#", "Item", "Presenter", "Time", "Papers"), tuple(rows), tuple(flags),
                          empty="No agenda items yet.")]
    if minutes := total_minutes(facts.items):
        blocks.append(Para(f"Timed items: {minutes} minutes.", muted=True))
    if any(flags):
        blocks.append(Para("Items marked late came after the paper deadline; the chair decides whether they are "
                           "taken.", muted=True))
    return Section("Agenda", tuple(blocks))


async def apologies_section(ctx: Context, facts: MeetingFacts) -> Section:
    rows = []
    for apology in facts.apologies:
        member = facts.people.get(apology.member_id)
        if member is None:
            continue
        deputy = facts.people.get(apology.deputy_id) if apology.deputy_id else None
        rows.append((member.name, member.initials, facts.org(member),
                     deputy.name if deputy else (apology.deputy_name or "—")))
    return Section("Apologies", (Table(("Name", "Initials", "Organisation", "Deputy"), tuple(rows),
                                       empty="No apologies so far."),))


async def previous_minutes_section(ctx: Context, facts: MeetingFacts) -> Section:
    if facts.previous is None:
        return Section("Minutes of the previous meeting", (Para("This is the board's first meeting.", muted=True),))
    previous = await load_facts(ctx, facts.previous)
    state = (f"approved {format_date(previous.meeting.minutes_approved_at.astimezone(ctx.tz).date())}"
             if previous.meeting.minutes_approved_at else "draft, for approval at this meeting")
    head = Para(f"{ref(Prefix.MEETING, previous.meeting.id)}, {_when(ctx, previous.meeting)} ({state}).")
    return Section("Minutes of the previous meeting", (head,), tuple(item_sections(previous)))


async def actions_section(ctx: Context, facts: MeetingFacts) -> Section:
    today, now = ctx.today(), ctx.now()
    since = facts.previous.starts_at if facts.previous else None
    shown = [a for a in facts.actions if a.status == ActionStatus.OPEN
             or (since is not None and a.done_at is not None and a.done_at >= since)]
    shown.sort(key=lambda a: (a.status != ActionStatus.OPEN, a.due, a.id))
    rows, flags = [], []
    for action in shown:
        stalled = without_traction(action, today, ctx.settings, now)
        rows.append((ref(Prefix.ACTION, action.id), action.text, facts.initials(action.owner_ids),
                     format_date(action.due)))
        flags.append("done" if action.status == ActionStatus.DONE else "overdue" if action.due < today
                     else "no traction" if stalled else "on track")
    note = Para("Highlighted: actions without sufficient traction (overdue, or no update for "
                f"{ctx.settings.traction_days} days). Between meetings the board discusses only these.", muted=True)
    return Section("Action list", (Table(("Ref", "Action", "Owner", "Due"), tuple(rows), tuple(flags),
                                         empty="No open actions.", flag_heading="Status"), note))


async def issues_section(ctx: Context, facts: MeetingFacts) -> Section:
    """Confidential concerns as counts only: nobody's words reach the pack."""
    since = facts.previous.starts_at if facts.previous else dt.datetime.min.replace(tzinfo=dt.UTC)
    escalated = still_open = 0
    for issue in await ctx.uow.issues.list_all():
        events = await ctx.uow.issues.events(issue.key)
        if any(e.kind == "escalate" and since <= e.at <= ctx.now() for e in events):
            escalated += 1
            still_open += issue.resolved_at is None
    period = (f"since the last meeting ({format_date(facts.previous.starts_at.astimezone(ctx.tz).date())})"
              if facts.previous else "so far")
    text = (f"{escalated} confidential issue{'s were' if escalated != 1 else ' was'} escalated {period}; "
            f"{still_open} {'are' if still_open != 1 else 'is'} still open.")
    return Section("Issues escalated", (Para(text), Para("Counts only: the issues themselves stay confidential.",
                                                            muted=True)))


async def _register(ctx: Context, facts: MeetingFacts) -> RegisterView:
    """The same selection the chat pack shows (``bot.register_document``), so the two agree."""
    return await register_view(ctx.uow, ctx.settings, ctx.calendar, ctx.today(),
                               await previous_meeting_start(ctx.uow, facts.meeting))


async def risks_section(ctx: Context, facts: MeetingFacts) -> Section:
    """New risks, changed scores, reviews due by the meeting, every high risk."""
    return risk_section(await _register(ctx, facts), facts.meeting.starts_at.astimezone(ctx.tz).date())


async def measures_section(ctx: Context, facts: MeetingFacts) -> Section:
    """The dashboard: every measure, red first, with a trend chart each."""
    return dashboard_section(await _register(ctx, facts))


PACK_SECTIONS: list[SectionBuilder] = [agenda_section, apologies_section, previous_minutes_section,
                                       actions_section, risks_section, measures_section, issues_section]


async def build_pack(ctx: Context, meeting: Meeting, sections: list[SectionBuilder] | None = None) -> Document:
    facts = await load_facts(ctx, meeting)
    cutoffs = agenda_cutoffs(meeting.starts_at.astimezone(ctx.tz).date(), ctx.calendar, ctx.settings)
    built = [await build(ctx, facts) for build in (PACK_SECTIONS if sections is None else sections)]
    m_ref = ref(Prefix.MEETING, meeting.id)
    return Document(
        kind="pack", title=f"Meeting pack: {m_ref}", subtitle=_when(ctx, meeting),
        sections=tuple(s for s in built if s is not None),
        footer=f"Papers due {format_date(cutoffs.submission)}; circulated {format_date(cutoffs.circulation)} "
               f"({ctx.settings.circulation_offset} working days before the meeting).")


# ---------------------------------------------------------------- minutes

def item_sections(facts: MeetingFacts) -> list[Section]:
    """Each agenda item with its discussion and decisions, numbered as minutes are."""
    out = []
    for number, item in enumerate(facts.items, 1):
        presenter = facts.people.get(item.presenter_id) if item.presenter_id else None
        heading = f"{number}. {item.title}" + (f" – {presenter.initials}" if presenter else "")
        said = [e for e in facts.minutes if e.item_id == item.id]
        blocks: list = [Para(e.text) for e in said if e.kind == MinuteKind.DISCUSSION]
        decisions = tuple(e.text for e in said if e.kind == MinuteKind.DECISION)
        if decisions:
            blocks.append(Para("Decisions:"))
            blocks.append(Bullets(decisions))
        if not blocks:
            blocks.append(Para("No minutes recorded.", muted=True))
        out.append(Section(heading, tuple(blocks)))
    general = [e for e in facts.minutes if e.item_id is None]
    if general:
        out.append(Section(f"{len(facts.items) + 1}. Other business", tuple(Para(e.text) for e in general)))
    return out


def present_table(facts: MeetingFacts) -> Table:
    rows = []
    for entry in facts.present:
        member = facts.people.get(entry.member_id) if entry.member_id else None
        if member is not None:
            rows.append((member.name, member.initials, ROLE_NAMES.get(member.role.value, member.role.value),
                         facts.org(member)))
        elif entry.guest:
            name, org = _guest(entry.guest)
            rows.append((name, _initials_of(name), "Guest", org))
    return Table(("Name", "Initials", "Role", "Organisation"), tuple(rows), empty="Attendance not recorded.")


async def build_minutes(ctx: Context, meeting: Meeting) -> Document:
    facts = await load_facts(ctx, meeting)
    m_ref = ref(Prefix.MEETING, meeting.id)
    actions = [a for a in facts.actions if a.meeting_id == meeting.id]
    action_rows = tuple((ref(Prefix.ACTION, a.id), a.text, facts.initials(a.owner_ids), format_date(a.due),
                         a.status.value) for a in actions)
    apologies = await apologies_section(ctx, facts)
    approver = facts.people.get(meeting.minutes_approved_by or 0)
    footer = (f"Approved {format_date(meeting.minutes_approved_at.astimezone(ctx.tz).date())}"
              + (f" ({approver.name})" if approver else "") + "."
              if meeting.minutes_approved_at else "Draft: to be approved at the next meeting.")
    return Document(
        kind="minutes", title=f"Minutes: {m_ref}", subtitle=_when(ctx, meeting),
        sections=(
            Section("Present", (present_table(facts),)),
            apologies,
            Section("Minutes", (), tuple(item_sections(facts))),
            Section("Actions", (Table(("Ref", "Action", "Owner", "Due", "Status"), action_rows,
                                      empty="No actions were agreed."),)),
        ),
        footer=footer)


DOCUMENTS: dict[str, Callable[[Context, Meeting], Awaitable[Document]]] = {"pack": build_pack,
                                                                          "minutes": build_minutes}


async def build_attached(ctx: Context, attachment: DocumentRef) -> Document:
    """The document a reply's attachment names, built from the board as it is now."""
    build = DOCUMENTS.get(attachment.kind)
    if build is None:
        raise NotFound(f"There is no document kind “{attachment.kind}”.")
    meeting = await ctx.uow.meetings.get(parse_ref(attachment.ref, Prefix.MEETING, "a meeting"))
    if meeting is None:
        raise NotFound(f"There is no meeting {attachment.ref}.")
    return await build(ctx, meeting)


def pack_attachment(meeting: Meeting) -> DocumentRef:
    m_ref = ref(Prefix.MEETING, meeting.id)
    return DocumentRef("pack", m_ref, f"Meeting pack {m_ref}")


def minutes_attachment(meeting: Meeting) -> DocumentRef:
    m_ref = ref(Prefix.MEETING, meeting.id)
    return DocumentRef("minutes", m_ref, f"Minutes of {m_ref}")
