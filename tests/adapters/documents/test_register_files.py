"""`partnerbot export|import risks|measures` (CSV, all or nothing) and `partnerbot risks`
(the register and dashboard as HTML, PDF or Markdown), as an operator runs them."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.cli import app
from tests.harness import BOARD

SETUP = [*BOARD, ":as @sec",
         "/board risk add Short breaks provider may withdraw ws W1 impact Families lose respite strategy mitigate "
         "score high owner @owen",
         "/board risk add Partners disengage impact Little system change strategy avoid score moderate owner @chair",
         "/board action add Sign a second provider @owen due 26/2/2027 risk R1",
         "/board measure add Respite hours delivered target 95% owner @lead every quarter baseline 80",
         "/board measure record K1 72% for 2026-Q2", "/board measure record K1 88% for 2026-Q3",
         "/board measure record K1 81% for 2026-Q4"]
NOW = "2027-01-04T10:00"
PARTNERBOT = str(Path(sys.executable).with_name("partnerbot"))


def run(*args: str, stdin: str | None = None):
    result = CliRunner().invoke(app, list(args), input=stdin)
    return result


@pytest.fixture
def board_db(db_url: str) -> str:
    result = run("console", "--db", db_url, "--as", "@chair", "--now", NOW, "--json", stdin="\n".join(SETUP) + "\n")
    assert result.exit_code == 0, result.output
    return db_url


def test_export_then_import_the_same_file_changes_nothing(board_db: str, tmp_path: Path) -> None:
    risks, measures = tmp_path / "risks.csv", tmp_path / "measures.csv"
    assert run("export", "risks", "--db", board_db, "--out", str(risks)).exit_code == 0
    assert run("export", "measures", "--db", board_db, "--out", str(measures)).exit_code == 0
    assert risks.read_text().splitlines() == [
        "ref,title,workstream,impact,strategy,score,owner,review every months,review due,status,mitigation,actions",
        "R1,Short breaks provider may withdraw,W1,Families lose respite,mitigate,high,OP,3,2027-04-04,accepted,,A1",
        "R2,Partners disengage,,Little system change,avoid,moderate,CH,3,2027-04-04,accepted,,",
    ]
    assert measures.read_text().splitlines()[1] == "K1,Respite hours delivered,95,%,higher,,LM,3,80,2026-Q4,81"
    for kind, path in (("risks", risks), ("measures", measures)):
        result = run("import", kind, str(path), "--db", board_db, "--now", NOW)
        assert result.exit_code == 0, result.output
        assert result.output.strip() == f"Imported {kind}: 0 added, {'2' if kind == 'risks' else '1'} updated."
    assert run("export", "risks", "--db", board_db).output == risks.read_text()
    assert run("export", "measures", "--db", board_db).output == measures.read_text()


def test_a_file_with_bad_rows_writes_nothing_and_names_each_line(board_db: str, tmp_path: Path) -> None:
    before = run("export", "risks", "--db", board_db).output
    bad = tmp_path / "bad.csv"
    bad.write_text("Ref,Risk,WS,Impact,Strategy,Score,Owner\n"
                   "R1,Short breaks provider may withdraw,W1,Families lose respite,mitigate,low,OP\n"
                   ",Transport costs rise,W9,Budget pressure,mitigate,high,OP\n"
                   ",Another,,Less choice,hope,high,ML\n"
                   "R7,Ghost,,x,accept,low,ML\n"
                   ",Fine,,x,accept,low,ML\n")
    result = run("import", "risks", str(bad), "--db", board_db, "--now", NOW)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "3 rows could not be imported, so nothing was:",
        "line 3: there is no workstream W9",
        "line 4: “hope” is not a strategy (mitigate, accept, transfer, avoid)",
        "line 5: there is no risk R7; leave the ref empty to add a new one",
        "Fix those lines and import the whole file again.",
    ]
    assert run("export", "risks", "--db", board_db).output == before


def test_an_imported_rescore_shows_in_the_register_history(board_db: str, tmp_path: Path) -> None:
    path = tmp_path / "risks.csv"
    path.write_text("ref,title,impact,strategy,score,owner\nR2,Partners disengage,Little system change,avoid,high,CH\n"
                    ",Workforce gaps in therapies,Delays,transfer,moderate,@mia\n")
    assert run("import", "risks", str(path), "--db", board_db, "--now", NOW).output.strip() == \
        "Imported risks: 1 added, 1 updated."
    shown = subprocess.run([PARTNERBOT, "console", "--db", board_db, "--as", "@chair", "--now", NOW],
                           input="/board risk show R2\n/board risk list\n", capture_output=True, text=True,
                           timeout=120).stdout
    assert "score: moderate → high: imported" in shown
    assert "R3 Workforce gaps in therapies — @mia" in shown


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.images = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        self.images += tag == "img"

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.words.append(data.strip())


def test_the_register_as_a_document_in_html_pdf_and_markdown(board_db: str, tmp_path: Path) -> None:
    html, pdf, md = tmp_path / "r.html", tmp_path / "r.pdf", tmp_path / "r.md"
    for fmt, path in (("html", html), ("pdf", pdf), ("md", md)):
        result = run("risks", "--db", board_db, "--now", NOW, "--format", fmt, "--out", str(path))
        assert result.exit_code == 0, result.output
    parsed = _Text()
    parsed.feed(html.read_text())
    words = parsed.words
    assert words[words.index("Risk register", 2):][:8] == ["Risk register", "Ref", "Risk", "Score", "Owner",
                                                          "Review", "Mitigating actions", "R1"]
    assert "A1 (open)" in words and "72% → 88% → 81% ↓" in words and "1 of 1 measures are red." in words
    assert parsed.images == 1  # K1's trend chart
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Risk register and dashboard" in text and "As at Mon 4 Jan 2027" in text
    assert "Short breaks provider may withdraw" in text and "Respite hours delivered" in text
    assert "| R1 | Short breaks provider may withdraw | high | Owen Pike |" in md.read_text()
    bad = run("risks", "--db", board_db, "--format", "docx", "--out", str(tmp_path / "r.docx"))
    assert bad.exit_code != 0 and "use one of html, pdf, md" in bad.output
