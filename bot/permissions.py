"""Who may do what: one table, from which the checks and docs/permissions.md come.

Each command has one ``Rule``: the roles that may run it whatever their
relation to the thing it acts on, the relations that also let someone run
it (the action's owners, whoever logged it, its workstream lead, the
item's proposer, the issue's raiser or assignee), the roles that may once
an issue is escalated, and the issue states it applies in. A command with
no rule is refused to everyone (bot.app). Adding a command means adding a
row here; ``python -m bot.permissions`` rewrites docs/permissions.md.

Role-only rules are enforced by bot.app before the handler runs; rules with
relations are checked by bot.policies once the handler has loaded the
thing, against the rule of the command being run (``running``).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable
from dataclasses import dataclass

from bot.errors import Forbidden
from bot.model import IssueStatus, Member, Role

CHAIR, SECRETARIAT, MEMBER, PARENT, OBSERVER = (Role.CHAIR, Role.SECRETARIAT, Role.MEMBER, Role.PARENT_REP,
                                                Role.OBSERVER)
EVERYONE = frozenset(Role)
CONTRIBUTORS = EVERYONE - {OBSERVER}
MANAGERS = frozenset({CHAIR, SECRETARIAT})
ONLY_SECRETARIAT = frozenset({SECRETARIAT})
NOBODY: frozenset[Role] = frozenset()

# Relations a person can have to what a command acts on.
OWNER, CREATOR, LEAD, PROPOSER, RAISER, ASSIGNEE = ("owner", "creator", "workstream lead", "proposer", "raiser",
                                                    "assignee")
HWB, SENDER, RISK_OWNER, MEASURE_OWNER = "hwb joint chair", "sender", "risk owner", "measure owner"
RELATION_WORDS = {OWNER: "the action's owners", CREATOR: "whoever logged it", LEAD: "its workstream lead",
                  PROPOSER: "its proposer", RAISER: "the issue's raiser", ASSIGNEE: "the issue's assignee",
                  HWB: "the HWB joint chairs once it reaches them", SENDER: "whoever sent the kept message",
                  RISK_OWNER: "the risk's owner", MEASURE_OWNER: "the measure's owner"}
ROLE_WORDS = {CHAIR: "the chair", SECRETARIAT: "the secretariat", MEMBER: "members", PARENT: "parent reps",
              OBSERVER: "observers"}
UNRESOLVED = frozenset({IssueStatus.OPEN, IssueStatus.ACKNOWLEDGED})
REOPENABLE = frozenset({IssueStatus.RESOLVED, IssueStatus.WITHDRAWN})  # a decided concern is closed for good


@dataclass(frozen=True)
class Rule:
    command: str
    roles: frozenset[Role]
    relations: tuple[str, ...] = ()  # in the order a refusal names them
    escalated: frozenset[Role] = frozenset()  # may once the issue has been escalated to them
    states: frozenset[IssueStatus] = frozenset()  # issue states it applies in (empty: any)
    note: str = ""

    @property
    def needs_object(self) -> bool:
        return bool(self.relations or self.escalated)

    def allows(self, role: Role, relations: Iterable[str] = (), escalated: bool = False) -> bool:
        return role in self.roles or bool(set(self.relations) & set(relations)) or (
            escalated and role in self.escalated)

    def who(self) -> str:
        """Who may, in words: "its proposer, the chair or secretariat"."""
        if self.roles == EVERYONE:
            return "any member"
        roles = [ROLE_WORDS[r] for r in Role if r in self.roles]
        if roles[:2] == ["the chair", "the secretariat"]:
            roles[:2] = ["the chair or secretariat"]
        relations = [RELATION_WORDS[r] for r in self.relations]
        if CREATOR in self.relations and OWNER not in self.relations:
            relations[self.relations.index(CREATOR)] = "whoever logged the action"
        escalated = [f"(once escalated) {ROLE_WORDS[r]}" for r in Role if r in self.escalated]
        parts = (roles + relations if self.escalated else relations + roles) + escalated
        if len(parts) < 2:
            return parts[0] if parts else "nobody"
        return ", ".join(parts[:-1]) + (", " if " or " in parts[-1] else " or ") + parts[-1]

    def refusal(self, what: str | None = None) -> Forbidden:
        if self.roles == CONTRIBUTORS and not self.needs_object:
            return Forbidden(f"Observers can't {what or self.command}.",
                             hint="Ask the member you're deputising for, or the secretariat.")
        return Forbidden(f"Only {self.who()} can {what or 'use `' + self.command + '`'}.",
                         hint="Ask the secretariat if you think this is wrong.")


def _table(*rules: Rule) -> dict[str, Rule]:
    table = {rule.command: rule for rule in rules}
    if len(table) != len(rules):
        raise ValueError("a command has two rules")
    return table


ACTION_EDIT = (OWNER, CREATOR, LEAD)
ACTION_STEER = (CREATOR, LEAD)
ISSUE_HANDLERS = (ASSIGNEE,)
RULES = _table(
    Rule("action add", CONTRIBUTORS),
    Rule("action list", EVERYONE),
    Rule("action show", EVERYONE),
    Rule("action update", MANAGERS, ACTION_EDIT, note="a new due date or owners as `action due` / `action assign`"),
    Rule("action done", MANAGERS, ACTION_EDIT),
    Rule("action reopen", MANAGERS, ACTION_EDIT),
    Rule("action snooze", MANAGERS, ACTION_EDIT),
    Rule("action due", MANAGERS, ACTION_STEER, note="not the owner alone"),
    Rule("action assign", MANAGERS, ACTION_STEER, note="not the owner alone"),
    Rule("agenda propose", CONTRIBUTORS),
    Rule("agenda forward", EVERYONE),
    Rule("agenda list", EVERYONE),
    Rule("agenda schedule", MANAGERS),
    Rule("agenda order", MANAGERS),
    Rule("agenda show", EVERYONE),
    Rule("agenda standing add", MANAGERS),
    Rule("agenda standing list", EVERYONE),
    Rule("agenda standing remove", MANAGERS),
    Rule("agenda accept", MANAGERS),
    Rule("agenda defer", MANAGERS),
    Rule("agenda decline", MANAGERS),
    Rule("agenda paper", MANAGERS, (PROPOSER,)),
    Rule("meeting add", MANAGERS),
    Rule("meeting move", MANAGERS),
    Rule("meeting cancel", MANAGERS),
    Rule("meeting next", EVERYONE),
    Rule("meeting show", EVERYONE),
    Rule("meeting list", EVERYONE),
    Rule("meeting pack", EVERYONE),
    Rule("apologies", EVERYONE, note="for someone else: the chair or secretariat; naming a deputy: not observers"),
    Rule("apologies withdraw", EVERYONE, note="for someone else: the chair or secretariat"),
    Rule("meeting attendance", EVERYONE, note="recording who was present: the chair or secretariat"),
    Rule("minutes", EVERYONE, note="reading them: any member; writing and approving: the chair or secretariat"),
    Rule("deadline add", MANAGERS),
    Rule("deadline remove", MANAGERS),
    Rule("deadlines", EVERYONE),
    Rule("issue raise", EVERYONE),
    Rule("issue list", EVERYONE, note="lists only the issues the reader may see (`issue show`)"),
    Rule("issue show", ONLY_SECRETARIAT, (RAISER, ASSIGNEE, HWB), frozenset({CHAIR}),
         note="the HWB joint chairs read the secretariat's summary, never the family's words; to anyone else "
              "the issue does not exist"),
    Rule("issue ack", ONLY_SECRETARIAT, ISSUE_HANDLERS, frozenset({CHAIR}), frozenset({IssueStatus.OPEN})),
    Rule("issue assign", ONLY_SECRETARIAT, ISSUE_HANDLERS, frozenset({CHAIR})),
    Rule("issue update", ONLY_SECRETARIAT, (*ISSUE_HANDLERS, RAISER), frozenset({CHAIR})),
    Rule("issue add", ONLY_SECRETARIAT, (*ISSUE_HANDLERS, RAISER), frozenset({CHAIR}), UNRESOLVED),
    Rule("issue split", ONLY_SECRETARIAT, (*ISSUE_HANDLERS, RAISER), frozenset({CHAIR}),
         note="only a part they added themselves"),
    Rule("issue resolve", ONLY_SECRETARIAT, ISSUE_HANDLERS, frozenset({CHAIR}), UNRESOLVED),
    Rule("issue reopen", ONLY_SECRETARIAT, (*ISSUE_HANDLERS, RAISER), frozenset({CHAIR}), REOPENABLE),
    Rule("issue escalate", ONLY_SECRETARIAT, (*ISSUE_HANDLERS, RAISER), frozenset({CHAIR}), UNRESOLVED,
         note="the raiser once the stage's window has passed"),
    Rule("issue summary", ONLY_SECRETARIAT),
    Rule("issue theme", ONLY_SECRETARIAT),
    Rule("issue outcome", ONLY_SECRETARIAT),
    Rule("issue decide", NOBODY, (HWB,), states=UNRESOLVED, note="the decision is final: the issue closes"),
    Rule("issue withdraw", NOBODY, (RAISER,), states=UNRESOLVED),
    Rule("issue file", NOBODY, (SENDER,), note="what a message the bot kept for its sender is"),
    Rule("issue report", MANAGERS, note="counts, themes and shared outcomes: never a family's words or names"),
    Rule("concern", EVERYONE, note="what a parent rep's direct message becomes; open to people who are not "
                                   "members yet"),
    Rule("risk add", CONTRIBUTORS, note="accepted at once when the chair, secretariat or workstream lead adds it"),
    Rule("risk accept", MANAGERS, (LEAD,)),
    *(Rule(f"risk {word}", MANAGERS, (RISK_OWNER, LEAD)) for word in ("update", "owner", "review", "close")),
    Rule("risk show", EVERYONE),
    Rule("risk list", EVERYONE),
    Rule("measure add", MANAGERS, (LEAD,), note="its workstream: the one the measure is added to"),
    Rule("measure record", ONLY_SECRETARIAT, (MEASURE_OWNER,)),
    Rule("measure list", EVERYONE),
    Rule("measure show", EVERYONE),
    Rule("member add", MANAGERS, note="on an empty board, anyone may add themselves as chair or secretariat"),
    Rule("member list", EVERYONE),
    Rule("member role", MANAGERS),
    Rule("member remove", MANAGERS),
    Rule("workstream add", MANAGERS),
    Rule("workstream list", EVERYONE),
    Rule("workstream lead", MANAGERS),
    Rule("workstream rename", MANAGERS),
    Rule("workstream close", MANAGERS),
    Rule("whoami", EVERYONE, note="open to people who are not members yet"),
    Rule("dms", EVERYONE),
    Rule("home", EVERYONE),
    Rule("board config", EVERYONE),
    *(Rule(f"board config {word}", MANAGERS) for word in (
        "channel", "submission", "circulation", "escalate-lead", "escalate-chair", "traction", "informal-days",
        "retention", "hours", "send-time", "hwb", "amber", "risk-notice", "risk-escalate", "measure-due",
        "term add", "term remove", "closure add", "closure remove")),
    Rule("export actions", EVERYONE, note="the file goes to the asker alone"),
    Rule("import actions", MANAGERS, note="from the command line, with the file"),
    Rule("import members", MANAGERS, note="from the command line, with the file"),
    Rule("calendar", EVERYONE, note="the asker's own private link"),
    Rule("calendar reset", EVERYONE, note="the asker's own link"),
    Rule("calendar export", EVERYONE, note="someone else's calendar: the chair or secretariat"),
    Rule("report", MANAGERS),
    Rule("audit", ONLY_SECRETARIAT, escalated=frozenset({CHAIR}), note="the chair for escalated issues only"),
    Rule("privacy export", ONLY_SECRETARIAT),
    Rule("help", EVERYONE, note="open to people who are not members yet"),
    Rule("hello", EVERYONE, note="open to people who are not members yet"),
)

running: contextvars.ContextVar[Rule | None] = contextvars.ContextVar("running", default=None)


def rule_for(command: str) -> Rule | None:
    return RULES.get(command)


def check(actor: Member, relations: Iterable[str], escalated: bool = False, what: str | None = None,
          rule: Rule | None = None) -> None:
    """Refuse unless the running command's rule allows ``actor`` with these relations."""
    rule = rule or running.get()
    if rule is None or not rule.allows(actor.role, relations, escalated):
        raise (rule.refusal(what) if rule else Forbidden("Nobody can do that yet."))


def markdown() -> str:
    """docs/permissions.md."""
    roles = list(Role)
    lines = ["# Who may do what", "",
             "Generated from `bot/permissions.py` by `python -m bot.permissions`; do not edit by hand.", "",
             "✓ any time · ✓\\* once the issue has been escalated · relations let people outside the roles in. "
             "A command not listed is refused to everyone.", "",
             "| command | " + " | ".join(r.value for r in roles) + " | also | issue states | notes |",
             "|---|" + "---|" * (len(roles) + 3)]
    for rule in RULES.values():
        cells = ["✓" if r in rule.roles else "✓\\*" if r in rule.escalated else "" for r in roles]
        also = ", ".join(RELATION_WORDS[r] for r in rule.relations)
        states = ", ".join(s.value for s in IssueStatus if s in rule.states)
        lines.append(f"| `{rule.command}` | " + " | ".join(cells) + f" | {also} | {states} | {rule.note} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    from pathlib import Path

    Path(__file__).resolve().parent.parent.joinpath("docs", "permissions.md").write_text(markdown(), encoding="utf-8")
