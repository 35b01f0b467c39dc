"""How board things look in a Reply: shared by commands and reminders so an
action reads the same in a list, a reminder and an escalation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from bot.calendar import WorkingCalendar
from bot.member_lookup import mention
from bot.model import Action, ActionStatus, AgendaItem, Apology, Issue, Meeting, Member, Paper, Prefix
from bot.reply import Button, Buttons, Item, Ref, Rich, Span, When, rich
from bot.settings import BoardSettings


def ref(prefix: Prefix, id: int | None) -> str:
    return f"{prefix.value}{id}"


def action_ref(action: Action) -> str:
    return ref(Prefix.ACTION, action.id)


def people_spans(ids: Iterable[int], people: Mapping[int, Member]) -> list[Span]:
    spans: list[Span] = []
    for i, member_id in enumerate(ids):
        if i:
            spans.append(", ")
        member = people.get(member_id)
        spans.append(mention(member) if member else f"member {member_id}")
    return spans


def without_traction(action: Action, today: dt.date, settings: BoardSettings, now: dt.datetime) -> bool:
    """Overdue, or no update for a long time (the board's between-meetings focus)."""
    if action.status != ActionStatus.OPEN:
        return False
    stale = action.last_update_at or action.created_at
    return action.due < today or (now - stale).days >= settings.traction_days


def action_flag(action: Action, today: dt.date, calendar: WorkingCalendar, settings: BoardSettings,
                now: dt.datetime) -> str | None:
    if action.status == ActionStatus.DONE:
        return "done"
    if action.due < today:
        days = calendar.working_days_between(action.due, today)
        return f"overdue {days} working day{'s' if days != 1 else ''}" if days else "overdue"
    if action.due == today:
        return "due today"
    if action.snoozed_until and action.snoozed_until > today:
        return "snoozed"
    if calendar.working_days_between(today, action.due) <= settings.due_soon_working_days:
        return "due soon"  # the same horizon as the owners' "due soon" reminder
    if without_traction(action, today, settings, now):
        return f"no update for {settings.traction_days}+ days"
    return None


def action_line(action: Action, people: Mapping[int, Member]) -> Rich:
    return rich(Ref(action_ref(action)), " ", action.text, " — ", *people_spans(action.owner_ids, people),
                ", due ", When(action.due))


def action_item(action: Action, people: Mapping[int, Member], today: dt.date, calendar: WorkingCalendar,
                settings: BoardSettings, now: dt.datetime) -> Item:
    return Item(action_line(action, people), action_ref(action), action_flag(action, today, calendar, settings, now))


def action_buttons(action: Action) -> Buttons:
    """Done, Update, Snooze, Open: what reminders and cards carry."""
    r = action_ref(action)
    if action.status == ActionStatus.DONE:
        return Buttons((Button("Reopen", command=f"action reopen {r}"), Button("Open", command=f"action show {r}")))
    return Buttons((
        Button("Done", command=f"action done {r}", style="primary"),
        Button("Update", form="action.update", ref=r),
        Button("Snooze", ref=r, choices=(("1 day", f"action snooze {r} 1"), ("1 week", f"action snooze {r} 7")),
               form="action.snooze"),
        Button("Open", command=f"action show {r}"),
    ))


def meeting_line(meeting: Meeting) -> Rich:
    return rich(Ref(ref(Prefix.MEETING, meeting.id)), " ", When(meeting.starts_at, with_time=True),
                " at " if meeting.place else None, meeting.place)


def agenda_line(item: AgendaItem, people: Mapping[int, Member], papers: list[Paper]) -> Rich:
    paper = "no paper" if not papers else ("paper: " + ", ".join(p.link for p in papers))
    member = people.get(item.proposer_id)
    presenter = people.get(item.presenter_id) if item.presenter_id else None
    return rich(Ref(ref(Prefix.AGENDA, item.id)), " ", item.title, spotlight_tag(item),
                " — " if presenter else None, mention(presenter) if presenter else None,
                f" — {item.duration} min" if item.duration else None,
                " — standing item" if item.standing_id else " — proposed by ",
                None if item.standing_id else (mention(member) if member else None),
                "" if item.standing_id and not papers else " — ",
                "" if item.standing_id and not papers else paper)


def spotlight_tag(item: AgendaItem) -> str | None:
    """" (spotlight)" unless the title already says so ("Therapies spotlight")."""
    return " (spotlight)" if item.spotlight and "spotlight" not in item.title.lower() else None


def agenda_flag(item: AgendaItem, papers: list[Paper]) -> str | None:
    flags = [item.status.value] if item.status.value != "accepted" else []
    if item.late or any(p.late for p in papers):
        flags.append("late")
    return ", ".join(flags) or None


def issue_line(issue: Issue, people: Mapping[int, Member], preview: int = 60) -> Rich:
    text = issue.text if len(issue.text) <= preview else issue.text[: preview - 1] + "…"
    raiser = people.get(issue.raiser_id)
    return rich(Ref(ref(Prefix.ISSUE, issue.id)), " ", text, " — raised by ", mention(raiser) if raiser else None,
                " on ", When(issue.raised_at))


def apology_line(apology: Apology, people: Mapping[int, Member]) -> Rich:
    """"@mia (deputy: Jane Roe, Kingfisher School)": the deputy on the board or not."""
    member = people.get(apology.member_id)
    deputy = people.get(apology.deputy_id) if apology.deputy_id else None
    return rich(mention(member) if member else None,
                " (deputy: " if deputy or apology.deputy_name else None,
                mention(deputy) if deputy else apology.deputy_name,
                ")" if deputy or apology.deputy_name else None)
