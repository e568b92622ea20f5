"""The package's shape: connectors as packages, no import cycles, small modules."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from ospo_scan.connectors.interface import Connector

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "ospo_scan"
MAX_MODULE_LINES = 400


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking_block(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and (
        (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
        or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING")
    )


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node, functions' bodies included, except what `if TYPE_CHECKING:` guards."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt) and _is_type_checking_block(child):
                continue
            stack.append(child)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules that `path` imports at run time, wherever the import stands."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(target for target in targets if target in modules and target != name)
    return found


def _graph() -> dict[str, set[str]]:
    paths = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    modules = set(paths)
    return {name: _imports(path, modules) for name, path in paths.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of `graph`, or None (iterative depth-first search)."""
    state: dict[str, int] = {}
    for start in sorted(graph):
        if start in state:
            continue
        path: list[str] = []
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        state[start] = 1
        path.append(start)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
            elif state.get(child) == 1:
                return [*path[path.index(child) :], child]
            elif child not in state:
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph[child]))))
    return None


def test_the_package_has_no_import_cycle() -> None:
    assert _cycle(_graph()) is None


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycle(graph) == ["a", "b", "c", "a"]


@pytest.mark.parametrize(
    ("package", "connector"),
    [("github", "GitHubConnector"), ("gitlab", "GitLabConnector"), ("local", "LocalConnector")],
)
def test_each_connector_is_a_package_exporting_its_connector(package: str, connector: str) -> None:
    module = importlib.import_module(f"ospo_scan.connectors.{package}")
    assert "How the package is arranged" in (module.__doc__ or "")
    assert module.__all__ == [connector]
    exported = getattr(module, connector)
    assert issubclass(exported, Connector)
    assert exported.__module__ == f"ospo_scan.connectors.{package}.connector"


def test_nothing_of_a_connector_is_left_flat() -> None:
    flat = sorted(path.name for path in (PACKAGE / "connectors").glob("*.py"))
    assert flat == ["__init__.py", "interface.py", "reads.py"]


def test_no_module_is_over_the_line_limit() -> None:
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}
