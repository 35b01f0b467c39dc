"""Who may do what. Deny by default; every refusal says who may.

Confidential issues (a parent's concern about a child, often health data)
are visible only to the raiser, the secretariat, the assignee and, once
escalated, the chair (Kingston MoU §6, UK GDPR special category data). The
HWB joint chairs, once a concern reaches them, read the secretariat's
summary and the steps, never the family's own words.
"""

from __future__ import annotations

from bot.errors import Forbidden
from bot.model import Action, AgendaItem, Issue, Member, Role, Workstream
from bot.rules import ladder_step
from bot.settings import BoardSettings

MANAGERS = (Role.CHAIR, Role.SECRETARIAT)
# Who may be asked to handle a concern: never a parent rep (the raiser's fellow
# parents), an observer, or anyone no longer on the board.
ISSUE_HANDLER_ROLES = (Role.MEMBER, Role.SECRETARIAT, Role.CHAIR)


def _refuse(what: str, who: str) -> Forbidden:
    return Forbidden(f"Only {who} can {what}.", hint="Ask the secretariat if you think this is wrong.")


def require_manager(actor: Member, what: str) -> None:
    if actor.role not in MANAGERS:
        raise _refuse(what, "the chair or secretariat")


def require_contributor(actor: Member, what: str) -> None:
    """Observers read; everyone else may log actions, propose items, send apologies."""
    if actor.role == Role.OBSERVER:
        raise Forbidden(f"Observers can't {what}.", hint="Ask the member you're deputising for, or the secretariat.")


def action_stewards(action: Action, workstream: Workstream | None) -> set[int]:
    """Who answers for an action besides the managers: creator and workstream leads."""
    return {action.created_by, *(workstream.lead_ids if workstream else [])}


def require_action_edit(actor: Member, action: Action, workstream: Workstream | None, what: str) -> None:
    """Progress notes, done, reopen, snooze: owners, creator, workstream lead, managers."""
    allowed = set(action.owner_ids) | action_stewards(action, workstream)
    if actor.role not in MANAGERS and actor.id not in allowed:
        raise _refuse(what, "the action's owners, whoever logged it, its workstream lead, the chair or secretariat")


def require_action_steer(actor: Member, action: Action, workstream: Workstream | None, what: str) -> None:
    """Moving the due date or reassigning: not the owner alone."""
    if actor.role not in MANAGERS and actor.id not in action_stewards(action, workstream):
        raise _refuse(what, "whoever logged the action, its workstream lead, the chair or secretariat")


def require_agenda_paper(actor: Member, item: AgendaItem) -> None:
    if actor.role not in MANAGERS and actor.id != item.proposer_id:
        raise _refuse("add a paper to this item", "its proposer, the chair or secretariat")


def can_see_issue(actor: Member, issue: Issue) -> bool:
    """Who may read the family's own words."""
    return actor.active and (
        actor.id in (issue.raiser_id, issue.assignee_id)
        or actor.role == Role.SECRETARIAT
        or (actor.role == Role.CHAIR and issue.level >= 1)
    )


def reached_hwb(issue: Issue, settings: BoardSettings) -> bool:
    return ladder_step(issue.level, settings) == "hwb"


def is_hwb_reader(actor: Member, issue: Issue, settings: BoardSettings) -> bool:
    """An HWB joint chair, for a concern that has reached them: the summary only."""
    return actor.active and reached_hwb(issue, settings) and actor.handle in {
        h.lstrip("@").lower() for h in settings.hwb_contacts}


def require_assignable(member: Member, issue: Issue) -> None:
    if not member.active or member.role not in ISSUE_HANDLER_ROLES or member.id == issue.raiser_id:
        raise Forbidden(f"{member.name} can't be asked to handle a confidential concern.",
                        hint="Concerns go only to board members, the secretariat or the chair: never to a parent "
                             "rep, an observer, the raiser or anyone who has left the board.")


def require_issue_handler(actor: Member, issue: Issue, what: str) -> None:
    """Acknowledge, assign, resolve: the secretariat, the assignee, the chair once escalated."""
    if not (
        actor.role == Role.SECRETARIAT
        or actor.id == issue.assignee_id
        or (actor.role == Role.CHAIR and issue.level >= 1)
    ):
        raise _refuse(what, "the secretariat, the issue's assignee or (once escalated) the chair")
