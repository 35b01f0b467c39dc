"""A neutral document: what the board's papers (pack, minutes, registers, reports) contain.

The core builds a ``Document`` from the board's state; ``adapters/documents``
turns it into HTML (with a print stylesheet), PDF and Markdown. Keeping the
content here and the typesetting there means the pack a chair prints, the one
attached in Slack and the one linked from Teams say exactly the same thing,
and a test can check the content without parsing HTML.

Text is plain ``str``: renderers escape it, so nothing a person typed becomes markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Para:
    """A paragraph of plain text; ``muted`` for notes such as "none recorded"."""

    text: str
    muted: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """Rows of cells under ``columns``; ``flags[i]`` marks row i ("late", "overdue", "red"…)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    flags: tuple[str | None, ...] = ()
    empty: str = "None."
    flag_heading: str = ""  # the heading of the column that shows the flags

    def flag(self, index: int) -> str | None:
        return self.flags[index] if index < len(self.flags) else None


@dataclass(frozen=True)
class Series:
    """One line or bar group of a chart: ``points`` are (label, value) in order."""

    name: str
    points: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Chart:
    """A small chart drawn where people would rather look than read.

    ``kind`` is "line" (a trend over periods) or "bar" (counts per category);
    ``target`` draws a dashed reference line, e.g. a measure's target.
    """

    title: str
    kind: str
    series: tuple[Series, ...]
    y_label: str = ""
    target: float | None = None


Block = Para | Bullets | Table | Chart


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Document:
    """A titled document; ``kind`` names it for file names and styles ("pack", "minutes", "report")."""

    kind: str
    title: str
    subtitle: str = ""
    sections: tuple[Section, ...] = field(default_factory=tuple)
    footer: str = ""

    def text(self) -> str:
        """Every word of the document, in order: for searching and for tests."""
        out = [self.title, self.subtitle]
        for section in self.sections:
            out.extend(_section_text(section))
        out.append(self.footer)
        return "\n".join(part for part in out if part)


def _section_text(section: Section) -> list[str]:
    out = [section.heading]
    for block in section.blocks:
        if isinstance(block, Para):
            out.append(block.text)
        elif isinstance(block, Bullets):
            out.extend(block.items)
        elif isinstance(block, Table):
            out.append(" | ".join(block.columns))
            out.extend(" | ".join(row) for row in block.rows)
        else:
            out.append(block.title)
    for sub in section.subsections:
        out.extend(_section_text(sub))
    return out
