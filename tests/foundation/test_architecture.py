"""The layers of DESIGN.md, read off the code: packages import one way, mail and pdf are infrastructure, and the
services run without Flask (the worker, the CLI and scripts use them without a request)."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parents[2] / "portal"
CAPABILITIES = {"admin", "auth", "cases", "changes", "ideas", "intake", "metrics", "remedies", "surveys"}
INFRASTRUCTURE = ("mail", "pdf")
# The web layer: the app factory and the command, request handling, forms, pages and their helpers. Everything
# else is a service (or a model, or infrastructure) and must import without Flask.
WEB_LAYER = {"portal.app", "portal.__main__", "portal.cli", "portal.security", "portal.templating", "portal.errors",
             "portal.pages", "portal.page_cache", "portal.web", "portal.forms", "portal.auth.access"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PORTAL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def portal_modules() -> list[str]:
    return sorted(module_name(path) for path in PORTAL.rglob("*.py"))


def imports_of(module: str) -> set[str]:
    """Every portal module named by an import anywhere in ``module``: at the top, inside functions (a deferred import
    is still a dependency) and under TYPE_CHECKING."""
    path = PORTAL.parent / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = PORTAL.parent / module.replace(".", "/") / "__init__.py"
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from portal import mail`
    return {name for name in found if name == "portal" or name.startswith("portal.")}


def package_of(module: str) -> str:
    """`portal.cases.views.staff` belongs to `cases`; a top-level module such as `portal.db` is its own package."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "portal"


def package_graph() -> dict[str, dict[str, set[str]]]:
    """package -> package it imports -> the module-level imports that make the edge (to say where a cycle is)."""
    known = set(portal_modules())
    graph: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for module in known:
        for name in imports_of(module):
            if name not in known or name == "portal":
                continue
            source, target = package_of(module), package_of(name)
            if source != target:
                graph[source][target].add(f"{module} imports {name}")
    return graph


def cycles(graph: dict[str, dict[str, set[str]]]) -> list[list[str]]:
    """Strongly connected groups of more than one package (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for successor in graph.get(node, {}):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def shortest_cycle(graph: dict[str, dict[str, set[str]]], group: list[str]) -> list[str]:
    """One circle through the group, as the imports that make it (the first of each edge)."""
    best: list[str] = []
    for start in group:
        paths = {start: [start]}
        queue = [start]
        while queue:
            node = queue.pop(0)
            for successor in sorted(graph.get(node, {})):
                if successor == start:
                    path = paths[node] + [start]
                    if not best or len(path) < len(best):
                        best = path
                    queue = []
                    break
                if successor in group and successor not in paths:
                    paths[successor] = paths[node] + [successor]
                    queue.append(successor)
    return [sorted(graph[a][b])[0] for a, b in zip(best, best[1:], strict=False)]


def test_no_import_cycle_between_packages():
    circles = [shortest_cycle(graph, group) for graph in [package_graph()] for group in cycles(graph)]
    assert not circles, "packages import each other in a circle:\n" + "\n\n".join("\n".join(c) for c in circles)


@pytest.mark.parametrize("infrastructure", INFRASTRUCTURE)
def test_infrastructure_imports_no_capability(infrastructure):
    graph = package_graph()
    upward = sorted(edge for target, edges in graph[infrastructure].items() if target in CAPABILITIES
                    for edge in edges)
    assert not upward, f"{infrastructure} must not know the capabilities that use it:\n" + "\n".join(upward)


def service_modules() -> list[str]:
    return [name for name in portal_modules()
            if name not in WEB_LAYER and not ({"views", "forms"} & set(name.split(".")))]


def test_services_run_without_flask():
    """Imported one by one in a fresh interpreter, the first service that brings Flask in is named."""
    modules = service_modules()
    assert "portal.cases.filing" in modules and "portal.mail.worker" in modules  # the walk finds the services
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    if 'flask' in sys.modules:\n"
        "        print(name)\n"
        "        break\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                            cwd=PORTAL.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"importing {result.stdout.strip()} loads Flask"


def test_the_checks_see_a_cycle_and_an_upward_import():
    """The walk itself: a made-up graph with a circle is caught, and this package's real edges are read."""
    circle = {"a": {"b": {"x"}}, "b": {"c": {"y"}}, "c": {"a": {"z"}}}
    assert cycles(circle) == [["a", "b", "c"]] and shortest_cycle(circle, ["a", "b", "c"]) == ["x", "y", "z"]
    assert cycles({"a": {"b": {"x"}}, "b": {}}) == []
    assert "cases" in package_graph()["remedies"]  # remedies builds on cases
