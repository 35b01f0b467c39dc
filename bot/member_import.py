"""Importing the board's membership list from a spreadsheet.

A member is matched by handle, then e-mail, then full name; a new one gets a
handle from the file, their e-mail or their name. Organisations are created
as named. Re-importing the same file changes nothing.
"""

from __future__ import annotations

import re

from bot.context import Context
from bot.errors import BadArgument
from bot.model import Member, Organisation, Role
from bot.tabular import Column, Planned, SheetRow

COLUMNS = (
    Column("handle", "Handle", ("username", "user"), qualified=True),  # "Chat handle", any platform's
    Column("name", "Name", ("full name", "member", "person"), required=True),
    Column("initials", "Initials", (), required=True),
    Column("org", "Organisation", ("organization", "org", "agency", "representing")),
    Column("role", "Role", ("board role",)),
    Column("email", "Email", ("e mail", "email address", "e mail address", "upn")),
)
ROLES = {**{r.value: r for r in Role}, "parent rep": Role.PARENT_REP, "parent": Role.PARENT_REP,
         "parent carer": Role.PARENT_REP, "programme director": Role.SECRETARIAT, "secretary": Role.SECRETARIAT,
         "deputy": Role.OBSERVER, "": Role.MEMBER}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_HANDLE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")
_INITIALS = re.compile(r"^[A-Za-z]{2,4}$")


class MemberRows:
    def __init__(self, ctx: Context, members: list[Member], orgs: list[Organisation]) -> None:
        self.ctx = ctx
        self.members = members
        self.orgs = {o.name.lower(): o for o in orgs}
        self.handles = {m.handle for m in members}

    @classmethod
    async def load(cls, ctx: Context) -> MemberRows:
        return cls(ctx, await ctx.uow.members.list_all(), await ctx.uow.organisations.list_all())

    def _match(self, handle: str, email: str | None, name: str) -> Member | None:
        for found in ([m for m in self.members if m.handle == handle] if handle else [],
                      [m for m in self.members if email and (m.email or "").lower() == email],
                      [m for m in self.members if m.name.lower() == name.lower()]):
            if len(found) == 1:
                return found[0]
        return None

    def _new_handle(self, email: str | None, name: str) -> str:
        base = re.sub(r"[^a-z0-9]+", ".", (email.split("@")[0] if email else name).lower()).strip(".") or "member"
        handle, n = base, 1
        while handle in self.handles:
            n += 1
            handle = f"{base}{n}"
        return handle

    async def check(self, row: SheetRow) -> Planned:
        name, initials = " ".join(row.get("name").split()), row.get("initials").upper()
        if not name:
            raise BadArgument("the member's name is empty")
        if not _INITIALS.match(initials):
            raise BadArgument(f"initials “{row.get('initials')}” should be 2 to 4 letters, e.g. OP")
        handle = row.get("handle").lstrip("@").lower()
        if handle and not _HANDLE.match(handle):
            raise BadArgument(f"handle “{row.get('handle')}” should be letters, digits, dots or dashes, like owen.pike")
        email = row.get("email").lower() or None
        if email and not _EMAIL.match(email):
            raise BadArgument(f"“{row.get('email')}” is not an e-mail address")
        role_text = " ".join(row.get("role").lower().replace("-", " ").split())
        role = ROLES.get(role_text) or ROLES.get(role_text.replace(" ", "-"))
        if role is None:
            raise BadArgument(f"role “{row.get('role')}” is not one of {', '.join(r.value for r in Role)}")
        org = row.get("org")
        existing = self._match(handle, email, name)
        if existing is None:
            handle = handle or self._new_handle(email, name)
            if handle in self.handles:
                raise BadArgument(f"handle @{handle} is taken by another member")
            self.handles.add(handle)
            member = Member(handle=handle, name=name, initials=initials, role=role, email=email)
            return Planned(row.line, "create", f"@{handle} {name}", lambda: self._save(member, org, new=True))
        wanted = {"name": name, "initials": initials, "role": role if "role" in row.values else existing.role,
                  "email": email if "email" in row.values else existing.email}
        org_changes = "org" in row.values and org.lower() != self._org_name(existing.org_id).lower()
        changed = [k for k, v in wanted.items() if getattr(existing, k) != v]
        if not changed and not org_changes and existing.active:
            return Planned(row.line, "unchanged", f"@{existing.handle} {name}")
        for key, value in wanted.items():
            setattr(existing, key, value)
        existing.active = True
        return Planned(row.line, "update", f"@{existing.handle} {name}",
                       lambda: self._save(existing, org if "org" in row.values else None, new=False))

    def _org_name(self, org_id: int | None) -> str:
        return next((o.name for o in self.orgs.values() if o.id == org_id), "")

    async def _save(self, member: Member, org: str | None, new: bool) -> None:
        if org is not None:
            member.org_id = (await self._org(org)).id if org else None
        if new:
            await self.ctx.uow.members.add(member)
        else:
            await self.ctx.uow.members.save(member)
        await self.ctx.audit("member.import", f"@{member.handle}", "created" if new else "updated")

    async def _org(self, name: str) -> Organisation:
        if name.lower() not in self.orgs:
            self.orgs[name.lower()] = await self.ctx.uow.organisations.add(Organisation(name))
        return self.orgs[name.lower()]
