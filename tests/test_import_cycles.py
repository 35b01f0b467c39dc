"""No module of ours imports itself back, however indirectly.

The import-linter contract (pyproject.toml) forbids cycles between packages too,
but ignores the web server's imports of the platforms it mounts; this check
ignores nothing, module by module.
"""

from __future__ import annotations

import grimp

PACKAGES = ("bot", "storage", "jobs", "adapters")


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The groups of modules that reach each other by imports (strongly connected, more than one)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's algorithm
        order[module] = low[module] = len(order)
        stack.append(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in order:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], order[imported])
        if low[module] == order[module]:
            group = [stack.pop()]
            while group[-1] != module:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in order:
            visit(module)
    return found


def test_no_module_imports_itself_back() -> None:
    assert cycles(grimp.build_graph(*PACKAGES)) == []


def test_a_cycle_would_be_found() -> None:
    graph = grimp.ImportGraph()
    for importer, imported in (("a.x", "a.y"), ("a.y", "a.z"), ("a.z", "a.x"), ("a.z", "a.w")):
        graph.add_import(importer=importer, imported=imported)
    assert cycles(graph) == [["a.x", "a.y", "a.z"]]
