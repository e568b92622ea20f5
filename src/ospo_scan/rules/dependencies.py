"""The `dependency-list` rule (OSPS-QA-02.01): the direct dependencies are listed where the
package manager reads them.

A manifest or requirements file at the root is the list, even one declaring no dependency (the
project then has none). Without one, the tree's source files say which ecosystems the project
is written for: code of an ecosystem whose package manager lists dependencies, and no list,
fails; a tree with no such code (a C project, a documentation site) is not concerned.
"""

from __future__ import annotations

from ospo_scan.licences.manifests import nested_table, toml_table
from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules.artefacts import counted_tree
from ospo_scan.rules.interface import Rule, RuleContext, not_applicable, unknown
from ospo_scan.snapshot import EntryKind, FileTypes, Snapshot
from ospo_scan.untrusted.display import neutralise

ECOSYSTEMS: tuple[tuple[str, frozenset[str], tuple[str, ...]], ...] = (
    (
        "Python",
        frozenset({"py", "pyx", "ipynb"}),
        (
            "pyproject.toml",
            "requirements.txt",
            "requirements.in",
            "setup.cfg",
            "setup.py",
            "pipfile",
            "environment.yml",
            "environment.yaml",
        ),
    ),
    (
        "JavaScript/TypeScript (npm)",
        frozenset({"js", "mjs", "cjs", "jsx", "ts", "tsx", "vue", "svelte"}),
        ("package.json",),
    ),
    ("Go", frozenset({"go"}), ("go.mod",)),
    ("Rust", frozenset({"rs"}), ("cargo.toml",)),
    (
        "Java/Kotlin (Maven, Gradle)",
        frozenset({"java", "kt", "kts", "scala", "groovy"}),
        ("pom.xml", "build.gradle", "build.gradle.kts", "build.sbt"),
    ),
    ("Ruby", frozenset({"rb"}), ("gemfile", "*.gemspec")),
    ("PHP", frozenset({"php"}), ("composer.json",)),
    (
        ".NET (NuGet)",
        frozenset({"cs", "fs", "vb"}),
        ("*.csproj", "*.fsproj", "*.vbproj", "packages.config", "directory.packages.props"),
    ),
    ("R", frozenset({"r", "rmd"}), ("description", "renv.lock")),
    ("Dart", frozenset({"dart"}), ("pubspec.yaml",)),
    ("Elixir", frozenset({"ex", "exs"}), ("mix.exs",)),
    ("Swift", frozenset({"swift"}), ("package.swift",)),
    ("Julia", frozenset({"jl"}), ("project.toml",)),
)
"""(ecosystem, its source extensions, the root files its package manager lists dependencies
in, lower-case; `*.ext` any file of that extension)."""
_MANIFEST_BYTES = 256 * 1024


def _is_list(name: str, patterns: tuple[str, ...]) -> bool:
    lowered = name.lower()
    return any(lowered.endswith(p[1:]) if p.startswith("*") else lowered == p for p in patterns)


def _declares_a_project(snapshot: Snapshot, path: str) -> bool:
    """A pyproject.toml that describes a package (`[project]`, `[tool.poetry]`), not only tool
    settings."""
    text = snapshot.read_text(path, _MANIFEST_BYTES)
    if text is None or text.binary:
        return False
    data = toml_table(text.text)
    return bool(nested_table(data, "project") or nested_table(data, "tool", "poetry"))


def dependency_lists(snapshot: Snapshot) -> list[tuple[str, str]]:
    """(path, ecosystem) of each dependency list at the repository's root."""
    found = []
    for entry in snapshot.entries(""):
        if entry.kind is not EntryKind.FILE:
            continue
        for ecosystem, _, patterns in ECOSYSTEMS:
            if not _is_list(entry.name, patterns):
                continue
            if entry.name.lower() == "pyproject.toml" and not _declares_a_project(
                snapshot, entry.path
            ):
                continue
            found.append((entry.path, ecosystem))
    return found


def _code(types: FileTypes) -> list[tuple[str, int, list[str]]]:
    """(ecosystem, source files, a few of their paths) of each ecosystem the tree holds code of."""
    found = []
    for ecosystem, extensions, _ in ECOSYSTEMS:
        count = sum(types.extensions.get(e, 0) for e in extensions)
        if count:
            paths = [p for e in sorted(extensions) for p in types.samples.get(e, ())]
            found.append((ecosystem, count, paths))
    return found


class DependencyListRule(Rule):
    id = "dependency-list"
    category = "security"
    description = "The direct dependencies are listed in the file the package manager reads."
    help_url = "https://baseline.openssf.org/versions/2026-02-19#osps-qa-0201"
    remediation = (
        "Declare the direct dependencies at the repository root in the ecosystem's own file "
        "(pyproject.toml or requirements.txt, package.json, go.mod, Cargo.toml, pom.xml, "
        "Gemfile, composer.json, the .csproj), so users and tools can see them."
    )
    default_weight = 4.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        lists = "; ".join(f"{name}: {', '.join(files)}" for name, _, files in ECOSYSTEMS)
        return (
            ("dependency lists (at the root)", lists),
            (
                "fail",
                "source files of one of these ecosystems at the root, and no list; code only in "
                "subdirectories is unknown (a list may sit beside it, in a directory this scan "
                "does not read)",
            ),
            (
                "not-applicable",
                "no source file of an ecosystem whose package manager lists "
                "dependencies (C, C++, shell, documentation, data)",
            ),
        )

    def check(self, context: RuleContext) -> Finding:
        snapshot = context.snapshot
        lists = dependency_lists(snapshot)
        if lists:
            named = ", ".join(f"{path} ({ecosystem})" for path, ecosystem in lists)
            evidence = tuple(Evidence(p, EvidenceSource.MANIFEST, e) for p, e in lists)
            return Finding(Outcome.PASS, f"Dependencies are listed in {named}.", evidence)
        types = counted_tree(context)
        if types is None:
            return unknown(
                "No dependency list at the root, and the tree could not be walked to see "
                "whether the project has code that needs one",
                settles="scan a clone of the repository",
            )
        code = _code(types)
        if not code:
            if not types.complete:
                return unknown(
                    f"No dependency list at the root and no source code among the first "
                    f"{types.total} files counted, but the tree is larger than the walk's bound",
                    settles="scan a clone, or review the tree",
                )
            return not_applicable(
                "The tree holds no source code of an ecosystem whose package manager lists "
                "dependencies."
            )
        described = ", ".join(f"{name} ({count} file(s))" for name, count, _ in code)
        paths = [neutralise(p) for _, _, sample in code for p in sample][:5]
        evidence = tuple(Evidence(p, EvidenceSource.REPOSITORY, "source") for p in paths)
        if any("/" not in p for p in paths):
            return Finding(
                Outcome.FAIL,
                f"The repository holds {described} code but no dependency list at its root.",
                evidence,
            )
        return unknown(
            f"No dependency list at the root; the {described} code lies in subdirectories "
            f"({', '.join(paths[:3])}), where this rule does not look for one",
            settles="a person checking that each part's directory lists its dependencies",
            evidence=evidence,
        )
