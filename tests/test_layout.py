"""The package's shape: layers that only point down, a small root, connectors as packages, no
import cycles, small modules."""

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


def _imports(path: Path, modules: set[str], *, type_checking: bool = False) -> set[str]:
    """The package's modules that `path` imports at run time, wherever the import stands
    (with `type_checking`, also those imported only for the type checker)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    source = path.read_text(encoding="utf-8")
    return _imported(source, name, package, modules, type_checking=type_checking)


def _imported(
    source: str, name: str, package: str, modules: set[str], *, type_checking: bool
) -> set[str]:
    found: set[str] = set()
    tree = ast.parse(source)
    for node in ast.walk(tree) if type_checking else _runtime_nodes(tree):
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


def _graph(*, type_checking: bool = False) -> dict[str, set[str]]:
    paths = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    modules = set(paths)
    return {
        name: _imports(path, modules, type_checking=type_checking) for name, path in paths.items()
    }


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
    assert _cycle(_graph(type_checking=True)) is None


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


LAYERS: tuple[frozenset[str], ...] = tuple(
    frozenset(units)
    for units in (
        ("_compat", "errors", "untrusted"),
        ("model", "snapshot"),
        ("evidence",),
        ("licences",),
        ("rules",),
        ("config",),
        ("connectors",),
        ("scan",),
        ("report",),
        ("history",),
        ("formats",),
        ("survey", "fix"),
        ("site",),
        ("cli", "action"),
        ("__main__",),
    )
)
"""The layer table of `src/ospo_scan/__init__.py`, from the ground up."""

ROOT_MODULES_AT_MOST = 8


def _unit(module: str) -> str:
    """The top-level unit of a module: `ospo_scan.scan.scanner` -> `scan`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _layer(unit: str) -> int:
    if unit == "__init__":  # the package's docstring and version: imported by anyone
        return -1
    return next(index for index, units in enumerate(LAYERS) if unit in units)


def _layer_violations(graph: dict[str, set[str]]) -> list[str]:
    """Each import that runs sideways or up the layer table, as `importer -> imported`."""
    violations = []
    for importer, imported in sorted(graph.items()):
        for target in sorted(imported):
            low, high = _unit(importer), _unit(target)
            if low != high and _layer(high) >= _layer(low):
                violations.append(f"{importer} -> {target}")
    return violations


def test_every_unit_has_a_layer() -> None:
    units = {_unit(module) for module in _graph()} - {"__init__"}
    placed = set().union(*LAYERS)
    assert units - placed == set()


def test_the_layer_table_is_the_one_the_package_documents() -> None:
    import ospo_scan

    documented = ospo_scan.__doc__ or ""
    for index, units in enumerate(LAYERS):
        row = next(line for line in documented.splitlines() if line.startswith(f"| {index} "))
        assert {unit for unit in units if f"`{unit}`" in row} == units, row


def test_imports_only_point_down_the_layers() -> None:
    assert _layer_violations(_graph(type_checking=True)) == []


def test_an_upward_import_is_found() -> None:
    graph = {
        "ospo_scan.model.report": {"ospo_scan.config.profile"},
        "ospo_scan.config.profile": {"ospo_scan.errors"},
        "ospo_scan.survey.text": {"ospo_scan.fix.model"},
    }
    assert _layer_violations(graph) == [
        "ospo_scan.model.report -> ospo_scan.config.profile",
        "ospo_scan.survey.text -> ospo_scan.fix.model",
    ]


def test_the_type_checker_s_imports_count() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from ospo_scan.config.profile import Contacts\n"
    )
    modules = {"ospo_scan.config.profile", "ospo_scan.model.report"}
    name, package = "ospo_scan.model.report", "ospo_scan.model"
    assert _imported(source, name, package, modules, type_checking=False) == set()
    found = _imported(source, name, package, modules, type_checking=True)
    assert _layer_violations({name: found}) == [f"{name} -> ospo_scan.config.profile"]


def test_the_root_holds_few_modules() -> None:
    modules = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(modules) <= ROOT_MODULES_AT_MOST, modules
