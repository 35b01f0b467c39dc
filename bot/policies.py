"""Who may do what, as the handlers ask it; the answers come from the one
table in bot.permissions. Deny by default; every refusal says who may.

Confidential issues (a parent's concern about a child, often health data)
are visible only to the raiser, the secretariat, the assignee and, once
escalated, the chair (Kingston MoU §6, UK GDPR special category data). The
HWB joint chairs, once a concern reaches them, read the secretariat's
summary and the steps, never the family's own words.
"""

from __future__ import annotations

from bot import permissions
from bot.errors import Forbidden
from bot.model import Action, AgendaItem, Issue, Member, Role, Workstream
from bot.permissions import Rule, check
from bot.rules import ladder_step
from bot.settings import BoardSettings

MANAGERS = (Role.CHAIR, Role.SECRETARIAT)
# Who may be asked to handle a concern: never a parent rep (the raiser's fellow
# parents), an observer, or anyone no longer on the board.
ISSUE_HANDLER_ROLES = (Role.MEMBER, Role.SECRETARIAT, Role.CHAIR)
# Who may, where no command is running (the jobs, tests): the table's usual sets.
_MANAGE = Rule("", permissions.MANAGERS)
_CONTRIBUTE = Rule("", permissions.CONTRIBUTORS)


def _role_rule(default: Rule) -> Rule:
    """The running command's rule if it is about roles alone, else ``default``."""
    rule = permissions.running.get()
    return rule if rule is not None and not rule.needs_object and rule.roles != permissions.EVERYONE else default


def _object_rule(default: Rule) -> Rule:
    rule = permissions.running.get()
    return rule if rule is not None and rule.needs_object else default


def require_manager(actor: Member, what: str) -> None:
    check(actor, (), what=what, rule=_role_rule(_MANAGE))


def require_contributor(actor: Member, what: str) -> None:
    """Observers read; everyone else may log actions, propose items, send apologies."""
    check(actor, (), what=what, rule=_role_rule(_CONTRIBUTE))


def action_stewards(action: Action, workstream: Workstream | None) -> set[int]:
    """Who answers for an action besides the managers: creator and workstream leads."""
    return {action.created_by, *(workstream.lead_ids if workstream else [])}


def action_relations(actor: Member, action: Action, workstream: Workstream | None) -> set[str]:
    found = {permissions.OWNER} if actor.id in action.owner_ids else set()
    if actor.id == action.created_by:
        found.add(permissions.CREATOR)
    if workstream and actor.id in workstream.lead_ids:
        found.add(permissions.LEAD)
    return found


def issue_relations(actor: Member, issue: Issue) -> set[str]:
    return ({permissions.RAISER} if actor.id == issue.raiser_id else set()) | (
        {permissions.ASSIGNEE} if actor.id == issue.assignee_id else set())


def require_action_edit(actor: Member, action: Action, workstream: Workstream | None, what: str) -> None:
    """Progress notes, done, reopen, snooze: owners, creator, workstream lead, managers."""
    check(actor, action_relations(actor, action, workstream), what=what,
          rule=_object_rule(Rule("", permissions.MANAGERS, permissions.ACTION_EDIT)))


def require_action_steer(actor: Member, action: Action, workstream: Workstream | None, what: str) -> None:
    """Moving the due date or reassigning: not the owner alone."""
    check(actor, action_relations(actor, action, workstream), what=what,
          rule=_object_rule(Rule("", permissions.MANAGERS, permissions.ACTION_STEER)))


def require_action_rule(command: str, actor: Member, action: Action, workstream: Workstream | None,
                        what: str, field: str) -> None:
    """The table's rule for ``command`` (``action due``) where another command does the same
    change (the Update form's ``action update`` moving a due date): its rule, not the running
    one; a refusal names the form ``field`` it concerns."""
    try:
        check(actor, action_relations(actor, action, workstream), what=what, rule=permissions.RULES[command])
    except Forbidden as refused:
        refused.field = field
        raise


def require_agenda_paper(actor: Member, item: AgendaItem) -> None:
    check(actor, {permissions.PROPOSER} if actor.id == item.proposer_id else set(),
          what="add a paper to this item", rule=permissions.RULES["agenda paper"])


def can_see_issue(actor: Member, issue: Issue) -> bool:
    """Who may read the family's own words."""
    return actor.active and permissions.RULES["issue show"].allows(actor.role, issue_relations(actor, issue),
                                                                   issue.level >= 1)


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
    rule = _object_rule(permissions.RULES["issue resolve"])
    check(actor, issue_relations(actor, issue) - {permissions.RAISER}, issue.level >= 1, what=what, rule=rule)
