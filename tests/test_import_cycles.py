"""The library's top-level packages and modules (prunebench.<name>) import each other without cycles: read from
the source (every import statement, function-level ones included), not from what happens to be imported at run time."""

import ast
from pathlib import Path

from conftest import ROOT

LIBRARY = ROOT / "src" / "prunebench"


def top_level(path: Path) -> str:
    return path.relative_to(LIBRARY).parts[0].removesuffix(".py")


def imported(path: Path) -> set[str]:
    """The top-level library names `path` imports (prunebench.<name>...)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level:
            package = path.relative_to(LIBRARY.parent).parent.parts
            base = package[: len(package) - node.level + 1]
            modules = [".".join((*base, *([node.module] if node.module else [])))]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module]
        else:
            continue
        if isinstance(node, ast.ImportFrom) and modules == ["prunebench"]:
            modules = [f"prunebench.{alias.name}" for alias in node.names]
        names |= {parts[1] for module in modules if (parts := module.split("."))[0] == "prunebench" and len(parts) > 1}
    return names


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in LIBRARY.rglob("*.py"):
        source = top_level(path)
        graph.setdefault(source, set()).update(imported(path) - {source})
    return graph


def cycle_through(graph: dict[str, set[str]], start: str) -> list[str]:
    """A shortest chain of imports from `start` back to itself (breadth-first), [] where there is none."""
    parent, queue = {start: None}, [start]
    for node in queue:
        for target in sorted(graph.get(node, ())):
            if target == start:
                chain = [node]
                while chain[-1] != start:
                    chain.append(parent[chain[-1]])
                return chain[::-1] + [start]
            if target not in parent:
                parent[target] = node
                queue.append(target)
    return []


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    return [cycle for node in sorted(graph) if (cycle := cycle_through(graph, node))]


def test_no_import_cycle_between_library_packages():
    graph = import_graph()
    assert {"models", "pruning", "training"} <= set(graph), "the graph is read from the library's sources"
    assert not cycles(graph), "import cycles: " + "; ".join(" -> ".join(cycle) for cycle in cycles(graph))


def test_a_cycle_is_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c", "a"], ["b", "c", "a", "b"], ["c", "a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
