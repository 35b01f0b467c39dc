"""``/board report``: the governance report to the Health and Wellbeing Board, as a file."""

from __future__ import annotations

from bot.commands.common import confirm, read_date
from bot.context import Context
from bot.errors import BadArgument
from bot.grammar import parse_options, single_value
from bot.policies import require_manager
from bot.reply import Attachment, Note, rich
from bot.report import MEDIA_TYPES, ReportScope, count, default_period, report_document
from bot.router import Args, Router
from bot.text import format_date

router = Router("report", "The board's governance report (chair and secretariat).")

USAGE = "report [from <date>] [to <date>] [html|pdf|md]"


@router.command("report", usage=USAGE, summary="The governance report for a period, as a file (chair, secretariat)",
                example="report from 1/1/2027 to 31/3/2027 pdf", changes_state=False)
async def report(ctx: Context, args: Args):
    require_manager(ctx.require_actor(), "produce the board's report")
    parsed = parse_options(args.rest, {"from": single_value, "to": single_value})
    fmt = (args.get("format") or (parsed.head[0] if parsed.head else "html")).lower()
    if fmt not in MEDIA_TYPES:
        raise BadArgument(f"“{fmt}” is not a report format.", hint="Choose html, pdf or md.", field="format")
    start, end = default_period(ctx.today())
    if text := args.get("from") or parsed.options.get("from"):
        start = read_date(ctx, text, field="from", allow_past=True)
    if text := args.get("to") or parsed.options.get("to"):
        end = read_date(ctx, text, field="to", allow_past=True)
    if end < start:
        raise BadArgument(f"The period ends ({format_date(end)}) before it starts ({format_date(start)}).",
                          hint=f"For example: `{USAGE}`", field="to")
    document, figures = await report_document(ReportScope(ctx.uow, ctx.settings, ctx.calendar, start, end, ctx.now()))
    name = f"board-report-{start.isoformat()}-to-{end.isoformat()}.{fmt}"
    reply = confirm(f"The board's report for {format_date(start)} to {format_date(end)} is attached as {name}.",
                    public=False)
    reply.add(Note(rich(f"{count(figures.total('opened'), 'action')} opened, {figures.total('closed')} closed, "
                        f"{figures.total('overdue')} overdue; {count(figures.meetings_held, 'meeting')} held.")))
    reply.attachments.append(Attachment(name, MEDIA_TYPES[fmt], ctx.typeset(document, fmt)))
    return reply
