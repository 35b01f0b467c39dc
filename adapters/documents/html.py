"""A document as one self-contained HTML page with a print stylesheet.

Charts are embedded as PNG data URIs so the page works offline, as an e-mail
attachment and as WeasyPrint's input. Every piece of text is escaped.
"""

from __future__ import annotations

import base64
from html import escape

from bot.document import Block, Bullets, Chart, Document, Para, Section, Table

STYLE = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm;
        @bottom-right { content: "Page " counter(page) " of " counter(pages);
                        font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8pt; color: #555; } }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #1a1a1a; max-width: 60em;
       margin: 1.5em auto; padding: 0 1em; line-height: 1.4; }
header { border-bottom: 3px solid #0b4f6c; margin-bottom: 1em; }
h1 { font-size: 18pt; margin: 0 0 .2em; color: #0b4f6c; }
.subtitle { color: #444; margin: 0 0 .6em; }
h2 { font-size: 13pt; color: #0b4f6c; border-bottom: 1px solid #c9d6df; padding-bottom: .15em; margin-top: 1.4em; }
h3 { font-size: 11pt; margin-bottom: .3em; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 .8em; font-size: 9pt; }
th, td { border: 1px solid #c9d6df; padding: .25em .45em; text-align: left; vertical-align: top; }
th { background: #e8f0f4; }
tr.flag-overdue td, tr.flag-red td, tr.flag-late td, tr.flag-high td { background: #fde8e6; }
tr.flag-amber td, tr.flag-moderate td, tr.flag-no-traction td { background: #fff4d6; }
tr.flag-green td { background: #e7f5ea; }
td.flag { font-weight: bold; white-space: nowrap; }
.muted { color: #666; font-style: italic; }
figure { margin: .5em 0 1em; page-break-inside: avoid; }
figure img { max-width: 100%; }
footer { margin-top: 2em; border-top: 1px solid #c9d6df; color: #555; font-size: 8pt; }
@media print { body { margin: 0; max-width: none; padding: 0; } h2 { page-break-after: avoid; }
               tr { page-break-inside: avoid; } }
"""


def to_html(document: Document) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        f"<title>{escape(document.title)}</title>",
        f"<style>{STYLE}</style></head>",
        f'<body class="doc-{escape(document.kind)}"><header>',
        f"<h1>{escape(document.title)}</h1>",
    ]
    if document.subtitle:
        parts.append(f'<p class="subtitle">{escape(document.subtitle)}</p>')
    parts.append("</header><main>")
    for section in document.sections:
        parts.extend(_section(section, 2))
    parts.append("</main>")
    if document.footer:
        parts.append(f"<footer><p>{escape(document.footer)}</p></footer>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _section(section: Section, level: int) -> list[str]:
    out = [f'<section><h{level}>{escape(section.heading)}</h{level}>']
    out.extend(_block(block) for block in section.blocks)
    for sub in section.subsections:
        out.extend(_section(sub, min(level + 1, 4)))
    out.append("</section>")
    return out


def _block(block: Block) -> str:
    if isinstance(block, Para):
        cls = ' class="muted"' if block.muted else ""
        return f"<p{cls}>{escape(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Table):
        return _table(block)
    return _chart(block)


def _table(table: Table) -> str:
    if not table.rows:
        return f'<p class="muted">{escape(table.empty)}</p>'
    has_flags = any(table.flags)
    head = "".join(f"<th>{escape(c)}</th>" for c in table.columns)
    head += f"<th>{escape(table.flag_heading)}</th>" if has_flags else ""
    rows = []
    for i, row in enumerate(table.rows):
        flag = table.flag(i)
        cls = f' class="flag-{escape(flag.replace(" ", "-"))}"' if flag else ""
        cells = "".join(f"<td>{escape(cell)}</td>" for cell in row)
        if has_flags:
            cells += f'<td class="flag">{escape(flag or "")}</td>'
        rows.append(f"<tr{cls}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _chart(chart: Chart) -> str:
    from adapters.documents.charts import chart_png

    data = base64.b64encode(chart_png(chart)).decode("ascii")
    return (f'<figure><img alt="{escape(chart.title)}" src="data:image/png;base64,{data}">'
            f"<figcaption class=\"muted\">{escape(chart.title)}</figcaption></figure>")
