"""Every setting a user can set is documented where they look for it."""

from pathlib import Path

import pytest

from adapters.config import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("document", ["README.md", ".env.example"])
def test_every_setting_is_documented(document: str) -> None:
    text = (ROOT / document).read_text()
    missing = [name for name in Settings.model_fields if f"PARTNERBOT_{name.upper()}" not in text]
    assert missing == []


def test_readme_starts_with_the_two_commands() -> None:
    top = "\n".join((ROOT / "README.md").read_text().splitlines()[:10])
    assert "make demo" in top and "make test" in top


def test_ci_runs_make_test() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()
