"""The typesetting of neutral documents: every word survives, nothing typed becomes markup."""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from adapters.documents import UnknownFormat, render
from bot.document import Bullets, Chart, Document, Para, Section, Series, Table

DOC = Document(
    kind="pack", title="Meeting pack: Thu 7 Jan 2027", subtitle="Guildhall, 10:00–12:00",
    sections=(
        Section("Agenda", (Table(("#", "Item", "Presenter"), (("1", "Welcome <script>", "AW"),
                                                            ("2", "Transport & travel", "IT")),
                                 flags=(None, "late")),)),
        Section("Apologies", (Bullets(("Dana Okafor (deputy: Lee Marsh)",)),)),
        Section("Dashboard", (Chart("EHC plans in 20 weeks", "line",
                                    (Series("K1", (("2026-Q1", 52.0), ("2026-Q2", 61.0))),), target=100.0),
                              Para("No measures are red.", muted=True))),
    ),
    footer="Confidential until published.",
)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.words.append(data)


def test_html_keeps_every_word_escapes_typed_text_and_embeds_the_chart() -> None:
    html = render(DOC, "html").decode()
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.words)
    for expected in ("Meeting pack: Thu 7 Jan 2027", "Welcome <script>", "Transport & travel",
                     "Dana Okafor (deputy: Lee Marsh)", "late", "Confidential until published."):
        assert expected in text
    assert "script" not in parser.tags
    assert 'src="data:image/png;base64,' in html
    assert 'class="flag-late"' in html


def test_markdown_tables_and_escaping() -> None:
    md = render(DOC, "md").decode()
    assert "| \\# | Item | Presenter |  |" in md
    assert "Welcome \\<script\\>" in md
    assert "[chart: EHC plans in 20 weeks]" in md.replace("\\[", "[").replace("\\]", "]")


def test_pdf_text_has_the_agenda_and_apologies(tmp_path: Path) -> None:
    """pdftotext comes from poppler-utils, which tools/system-deps installs."""
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(render(DOC, "pdf"))
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("Meeting pack: Thu 7 Jan 2027", "Welcome <script>", "Dana Okafor", "Page 1 of 1"):
        assert expected in text


def test_unknown_format_names_the_choices() -> None:
    with pytest.raises(UnknownFormat, match="html, pdf, md"):
        render(DOC, "docx")
