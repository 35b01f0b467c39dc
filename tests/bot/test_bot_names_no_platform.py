"""The core names no chat platform: a platform is a key an adapter passes.

Every identifier and string literal in ``bot/`` is checked, docstrings and
comments aside (they may say which platform does what, for the reader).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"
PLATFORM_WORDS = re.compile(r"slack|teams|aad|<@", re.I)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _words(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of every name and string the code itself uses."""
    skip = _docstrings(tree)
    words = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            words.append((node.lineno, node.value))
        elif isinstance(node, ast.Name):
            words.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute):
            words.append((node.lineno, node.attr))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            words.append((node.lineno, node.name))
        elif isinstance(node, ast.arg) or isinstance(node, ast.keyword) and node.arg:
            words.append((node.lineno, node.arg))
        elif isinstance(node, ast.alias):
            words.append((node.lineno, node.asname or node.name))
    return words


def test_no_platform_word_in_the_core_outside_docstrings_and_comments() -> None:
    found = [f"{path.relative_to(BOT.parent)}:{line}: {word!r}"
             for path in sorted(BOT.rglob("*.py"))
             for line, word in _words(ast.parse(path.read_text(), str(path)))
             if PLATFORM_WORDS.search(word)]
    assert found == []


def test_the_check_sees_code_but_not_docstrings() -> None:
    tree = ast.parse('"""Slack and Teams."""\ndef f(teams_id):\n    """For Slack."""\n    return "<@U1>"  # slack\n')
    assert [w for _, w in _words(tree) if PLATFORM_WORDS.search(w)] == ["teams_id", "<@U1>"]
