"""Board data in and out: the action log as CSV, members from a spreadsheet.

Exports answer with the file attached; imports read a file an adapter hands
over in ``values["file"]`` (the ``partnerbot import`` command line does) and
write every row or none.
"""

from __future__ import annotations

from bot.action_log import COLUMNS as ACTION_COLUMNS
from bot.action_log import CSV_MEDIA_TYPE, ActionRows, export_csv
from bot.commands.common import confirm
from bot.context import Context
from bot.errors import BadArgument
from bot.grammar import tokenize
from bot.member_import import COLUMNS as MEMBER_COLUMNS
from bot.member_import import MemberRows
from bot.model import ActionStatus
from bot.policies import require_manager
from bot.reply import Attachment, Note, Reply, rich
from bot.router import Args, Router
from bot.tabular import Column, plan_import, plan_reply, read_sheet

router = Router("data", "Export and import the board's action log and members as spreadsheets.")

EXPORT_USAGE = "export actions [open|done|all]"
SCOPES = ("open", "done", "all")


@router.command("export actions", usage=EXPORT_USAGE, summary="The action log as a CSV file, sent to you",
                example="export actions all", changes_state=False)
async def export_actions(ctx: Context, args: Args) -> Reply:
    ctx.require_actor()
    tokens = tokenize(args.rest)
    scope = (args.get("status") or (tokens[0] if tokens else "all")).lower()
    if scope not in SCOPES:
        raise BadArgument(f"“{scope}” is not open, done or all.", hint=f"For example: `{EXPORT_USAGE}`",
                          field="status")
    actions = await ctx.uow.actions.list_all()
    if scope != "all":
        actions = [a for a in actions if a.status == ActionStatus(scope)]
    data = await export_csv(ctx, actions)
    name = f"actions-{ctx.today().isoformat()}.csv"
    which = "" if scope == "all" else f"{scope} "
    reply = confirm(f"The action log ({len(actions)} {which}action{'s' if len(actions) != 1 else ''}) "
                    f"is attached as {name}.", public=False)
    reply.add(Note(rich("Columns: ", ", ".join(c.label for c in ACTION_COLUMNS),
                        ". Edit it in a spreadsheet and import it again with `partnerbot import actions FILE`.")))
    reply.attachments.append(Attachment(name, CSV_MEDIA_TYPE, data))
    return reply


def _file(args: Args, what: str) -> bytes:
    data = args.get("file")
    if data is None:
        raise BadArgument(f"Importing {what} needs a CSV file.",
                          hint=f"On the server run `partnerbot import {what} FILE.csv [--dry-run]`.", field="file")
    return data


async def _import(ctx: Context, args: Args, what: str, columns: tuple[Column, ...], rows_checker) -> Reply:
    require_manager(ctx.require_actor(), f"import {what}")
    rows, ignored = read_sheet(_file(args, what), columns, what)
    checker = await rows_checker.load(ctx)
    plan = await plan_import(rows, checker.check, what.rstrip("s"))
    plan.ignored_columns = ignored
    dry_run = bool(args.get("dry_run"))
    if not dry_run:
        await plan.apply()
    return plan_reply(plan, dry_run)


@router.command("import actions", usage="import actions FILE.csv [--dry-run] (from the command line)",
                summary="Import an action log spreadsheet (chair or secretariat)",
                example="import actions --dry-run")
async def import_actions(ctx: Context, args: Args) -> Reply:
    return await _import(ctx, args, "actions", ACTION_COLUMNS, ActionRows)


@router.command("import members", usage="import members FILE.csv [--dry-run] (from the command line)",
                summary="Import the membership list (chair or secretariat)", example="import members --dry-run")
async def import_members(ctx: Context, args: Args) -> Reply:
    return await _import(ctx, args, "members", MEMBER_COLUMNS, MemberRows)
