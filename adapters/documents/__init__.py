"""Typesetting for the core's neutral ``bot.document.Document``: HTML, PDF and Markdown.

``render(document, "html"|"pdf"|"md")`` returns bytes ready to write to a file,
attach to a Slack message or serve from ``partnerbot serve``.
"""

from __future__ import annotations

from bot.document import Document

FORMATS = ("html", "pdf", "md")
MEDIA_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf", "md": "text/markdown; charset=utf-8"}


class UnknownFormat(ValueError):
    def __init__(self, fmt: str) -> None:
        super().__init__(f"Unknown format “{fmt}”: use one of {', '.join(FORMATS)}.")


def render(document: Document, fmt: str) -> bytes:
    """The document as bytes in ``fmt``; charts are drawn only for HTML and PDF."""
    if fmt == "html":
        from adapters.documents.html import to_html

        return to_html(document).encode("utf-8")
    if fmt == "pdf":
        from adapters.documents.pdf import to_pdf

        return to_pdf(document)
    if fmt == "md":
        from adapters.documents.markdown import to_markdown

        return to_markdown(document).encode("utf-8")
    raise UnknownFormat(fmt)
