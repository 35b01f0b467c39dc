"""A document as PDF: the HTML page typeset by WeasyPrint (A4, page numbers, print styles)."""

from __future__ import annotations

import logging

from adapters.documents.html import to_html
from bot.document import Document

for noisy in ("weasyprint", "fontTools", "fontTools.subset", "fontTools.ttLib"):
    logging.getLogger(noisy).setLevel(logging.ERROR)


def to_pdf(document: Document) -> bytes:
    from weasyprint import HTML

    return HTML(string=to_html(document)).write_pdf()
