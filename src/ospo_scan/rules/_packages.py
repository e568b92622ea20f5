"""A monorepo's evidence kept per package: each package's licence file and changelog."""

from __future__ import annotations

from dataclasses import dataclass

from ospo_scan.evidence import FileKind, matches_kind
from ospo_scan.licences.detect import identify
from ospo_scan.licences.files import is_licence_name
from ospo_scan.licences.spdx import combine_and, licence_ids
from ospo_scan.model import DeclaredLicence, Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules.interface import RuleContext
from ospo_scan.rules.workspaces import MAX_PACKAGES, Packages, packages
from ospo_scan.snapshot import EntryKind, FileEntry, Snapshot


@dataclass(frozen=True)
class PackageFile:
    """The file of a kind one package holds, if any."""

    package: str
    """The package directory."""
    path: str | None
    """The file, or None when the package has none."""
    expression: str | None = None
    """For a licence file: the licence identified in it."""


def _first(snapshot: Snapshot, directory: str, wanted: str) -> FileEntry | None:
    entries = [e for e in snapshot.entries(directory) if e.kind is EntryKind.FILE]
    if wanted == "licence":
        hits = [e for e in entries if is_licence_name(e.name)]
    else:
        hits = [e for e in entries if matches_kind(e.name, FileKind.CHANGELOG)]
    return min(hits, key=lambda e: e.name.lower(), default=None)


def package_licences(snapshot: Snapshot, found: Packages) -> list[PackageFile]:
    """Each package's licence file and the licence identified in it."""
    result = []
    for directory in found.directories:
        entry = _first(snapshot, directory, "licence")
        text = snapshot.read_text(entry.path) if entry else None
        expression = None
        if entry is not None and text is not None and not text.binary:
            expression = identify(text.text, use_full_index=False).expression
        result.append(PackageFile(directory, entry.path if entry else None, expression))
    return result


def package_changelogs(snapshot: Snapshot, found: Packages) -> list[PackageFile]:
    """Each package's changelog, if it keeps one."""
    result = []
    for directory in found.directories:
        entry = _first(snapshot, directory, "changelog")
        result.append(PackageFile(directory, entry.path if entry else None))
    return result


def _named(files: list[PackageFile], *, with_licence: bool = False) -> str:
    shown = [
        f"{f.path} ({f.expression or 'unidentified'})" if with_licence else str(f.path)
        for f in files[:5]
    ]
    more = f" and {len(files) - 5} more" if len(files) > 5 else ""
    return ", ".join(shown) + more


def _bound(found: Packages) -> str:
    return f" (the first {MAX_PACKAGES} packages judged)" if found.truncated else ""


def _packages(context: RuleContext) -> Packages | None:
    return context.memo("packages", lambda: packages(context.snapshot))


def _licences(context: RuleContext, found: Packages) -> list[PackageFile]:
    return context.memo("package-licences", lambda: package_licences(context.snapshot, found))


def unlisted_note(context: RuleContext) -> str | None:
    """What a scan could not see of a workspace whose packages it did not list (GitLab)."""
    found = _packages(context)
    if found is None or found.listed:
        return None
    return (
        f"{found.workspace.described} declares a workspace whose package directories this scan "
        "does not list (GitLab scans list only the root and a few fixed folders); scan a clone "
        "to judge each package's files"
    )


def licences_per_package(
    context: RuleContext, declared: tuple[DeclaredLicence, ...]
) -> Finding | None:
    """The licence finding of a monorepo with no licence file at its root; None when the
    repository is no workspace with listed packages."""
    found = _packages(context)
    if found is None or not found.listed:
        return None
    files = _licences(context, found)
    licensed = [f for f in files if f.path]
    if not licensed:
        return None
    evidence = tuple(
        Evidence(str(f.path), EvidenceSource.REPOSITORY, f.expression) for f in licensed
    )
    missing = [f.package for f in files if not f.path]
    if missing:
        return Finding(
            Outcome.FAIL,
            f"No licence file at the root; {len(licensed)} of the {len(files)} packages of "
            f"{found.workspace.described} carry one ({_named(licensed, with_licence=True)}), "
            f"but {', '.join(missing[:5])} carr{'ies' if len(missing) == 1 else 'y'} none"
            f"{_bound(found)}.",
            evidence,
        )
    expressions = [f.expression for f in files if f.expression]
    root = [d for d in declared if d.expression]
    carried = {i for e in expressions for i in licence_ids(e)}
    agrees = bool(root) and len(expressions) == len(files)
    agrees = agrees and all(carried <= set(licence_ids(d.expression or "")) for d in root)
    every = f"every package of {found.workspace.described} carries its own"
    if agrees:
        manifests = ", ".join(dict.fromkeys(d.path for d in root))
        return Finding(
            Outcome.PASS,
            f"No licence file at the root, but {every} ({_named(licensed, with_licence=True)}), "
            f"and the root's {manifests} declares {combine_and(expressions)} too{_bound(found)}.",
            evidence,
        )
    return Finding(
        Outcome.PARTIAL,
        f"No licence file at the root; {every} ({_named(licensed, with_licence=True)})"
        f"{_bound(found)}. Add the licence at the root, or declare it in the root manifest.",
        evidence,
    )


def package_expression(context: RuleContext) -> tuple[str, tuple[Evidence, ...]] | None:
    """The licences a monorepo's packages carry together, when every listed package carries an
    identified one."""
    found = _packages(context)
    if found is None or not found.listed:
        return None
    files = _licences(context, found)
    if not files or not all(f.expression for f in files):
        return None
    combined = combine_and(f.expression for f in files)
    if combined is None:
        return None
    evidence = tuple(Evidence(str(f.path), EvidenceSource.REPOSITORY, f.expression) for f in files)
    return combined, evidence


def changelogs_per_package(context: RuleContext) -> Finding | None:
    """The changelog finding of a monorepo with no changelog at its root."""
    found = _packages(context)
    if found is None or not found.listed:
        return None
    files = package_changelogs(context.snapshot, found)
    kept = [f for f in files if f.path]
    if not kept:
        return None
    evidence = tuple(Evidence(str(f.path), EvidenceSource.REPOSITORY) for f in kept)
    if len(kept) == len(files):
        return Finding(
            Outcome.PASS,
            f"No changelog at the root; every package of {found.workspace.described} keeps its "
            f"own ({_named(kept)}){_bound(found)}.",
            evidence,
        )
    return Finding(
        Outcome.PARTIAL,
        f"No changelog at the root; {len(kept)} of the {len(files)} packages of "
        f"{found.workspace.described} keep one ({_named(kept)}){_bound(found)}.",
        evidence,
    )
