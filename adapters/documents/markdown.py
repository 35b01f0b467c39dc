"""A document as Markdown, for pasting into e-mail or a wiki; charts become their titles."""

from __future__ import annotations

from bot.document import Block, Bullets, Document, Para, Section, Table


def to_markdown(document: Document) -> str:
    out = [f"# {_md(document.title)}", ""]
    if document.subtitle:
        out += [_md(document.subtitle), ""]
    for section in document.sections:
        out.extend(_section(section, 2))
    if document.footer:
        out += ["---", _md(document.footer), ""]
    return "\n".join(out)


def _section(section: Section, level: int) -> list[str]:
    out = ["#" * level + " " + _md(section.heading), ""]
    for block in section.blocks:
        out.extend(_block(block))
    for sub in section.subsections:
        out.extend(_section(sub, min(level + 1, 4)))
    return out


def _block(block: Block) -> list[str]:
    if isinstance(block, Para):
        return [f"*{_md(block.text)}*" if block.muted else _md(block.text), ""]
    if isinstance(block, Bullets):
        return [f"- {_md(item)}" for item in block.items] + [""]
    if isinstance(block, Table):
        if not block.rows:
            return [f"*{_md(block.empty)}*", ""]
        flags = any(block.flags)
        cols = list(block.columns) + ([block.flag_heading] if flags else [])
        lines = ["| " + " | ".join(_cell(c) for c in cols) + " |", "|" + "---|" * len(cols)]
        for i, row in enumerate(block.rows):
            cells = list(row) + ([block.flag(i) or ""] if flags else [])
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        return lines + [""]
    return [f"*[chart: {_md(block.title)}]*", ""]


def _md(text: str) -> str:
    """Escape the characters that would start Markdown formatting."""
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def _cell(text: str) -> str:
    return _md(text).replace("\n", " ")
