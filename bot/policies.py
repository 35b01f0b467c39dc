"""Who may do what, as the handlers ask it; the answers come from the one
table in bot.permissions. Deny by default; every refusal says who may.

Confidential issues (a parent's concern about a child, often health data)
are visible only to the raiser, the secretariat, the assignee and, once
escalated, the chair (Kingston MoU §6, UK GDPR special category data).
"""

from __future__ import annotations

from bot import permissions
from bot.model import Action, AgendaItem, Issue, Member, Role, Workstream
from bot.permissions import Rule, check

MANAGERS = (Role.CHAIR, Role.SECRETARIAT)
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


def require_agenda_paper(actor: Member, item: AgendaItem) -> None:
    check(actor, {permissions.PROPOSER} if actor.id == item.proposer_id else set(),
          what="add a paper to this item", rule=permissions.RULES["agenda paper"])


def can_see_issue(actor: Member, issue: Issue) -> bool:
    return permissions.RULES["issue show"].allows(actor.role, issue_relations(actor, issue), issue.level >= 1)


def require_issue_handler(actor: Member, issue: Issue, what: str) -> None:
    """Acknowledge, assign, resolve: the secretariat, the assignee, the chair once escalated."""
    rule = _object_rule(permissions.RULES["issue resolve"])
    check(actor, issue_relations(actor, issue) - {permissions.RAISER}, issue.level >= 1, what=what, rule=rule)
