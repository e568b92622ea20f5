"""Binary artefacts kept in version control (OSPS-QA-05.01, OSPS-QA-05.02).

A compiled program, library or archive in the tree cannot be reviewed like source: nobody can
tell what it does from a diff. The rules judge the whole tree as the connector counts it by
extension (`Snapshot.file_types`): dependency and build directories (`node_modules`, `vendor`,
`dist`, `build`, `target`, ...) and hidden directories are not counted. Images, fonts, documents
and data are reviewable enough for the Baseline and never count.
"""

from __future__ import annotations

from collections.abc import Iterable

from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules.interface import Rule, RuleContext, unknown
from ospo_scan.snapshot import NOT_COUNTED_DIRECTORIES, FileTypes
from ospo_scan.untrusted.display import neutralise

EXECUTABLE_EXTENSIONS = frozenset(
    {
        *("exe", "dll", "so", "dylib", "a", "lib", "o", "obj", "ko", "elf"),
        *("class", "jar", "war", "ear", "aar", "dex", "apk", "aab", "ipa", "xap"),
        *("pyc", "pyo", "pyd", "wasm", "msi", "msix", "appx"),
        *("deb", "rpm", "snap", "appimage", "dmg"),
    }
)
"""Extensions of programs, libraries and object code a build produces (`.so.1` counts as its
last part only, so versioned libraries are missed)."""
ARCHIVE_EXTENSIONS = frozenset(
    {
        *("zip", "tar", "gz", "tgz", "bz2", "tbz2", "xz", "txz", "zst", "lz", "lzma", "7z"),
        *("rar", "cab", "whl", "egg", "gem", "nupkg", "crate", "iso", "img", "vsix", "xpi"),
    }
)
"""Archives and packages: what they hold is not visible in a review."""
_SHOWN = 5


def counted_tree(context: RuleContext) -> FileTypes | None:
    """The tree's files by extension, counted once per repository for every rule (on a host,
    the count is a request)."""
    return context.memo("file-types", context.snapshot.file_types)


def _found(
    types: FileTypes, extensions: Iterable[str]
) -> tuple[int, list[str], tuple[Evidence, ...]]:
    """How many files of `extensions` the tree holds, a few of their paths, and evidence."""
    wanted = sorted(set(extensions) & set(types.extensions))
    count = sum(types.extensions[e] for e in wanted)
    paths = [p for e in wanted for p in types.samples.get(e, ())]
    shown = [neutralise(p) for p in paths[:_SHOWN]]
    evidence = tuple(Evidence(p, EvidenceSource.REPOSITORY, "binary") for p in shown)
    return count, shown, evidence


class _ArtefactRule(Rule):
    """A tree with no file of `extensions`."""

    extensions: frozenset[str]
    what: str
    """What such files are, plural (`compiled programs and libraries`)."""
    category = "security"
    default_weight = 4.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        skipped = ", ".join(sorted(NOT_COUNTED_DIRECTORIES))
        return (
            ("extensions", ", ".join(f".{e}" for e in sorted(self.extensions))),
            (
                "what is walked",
                f"the whole tree, except hidden directories and {skipped}; on a local clone, "
                "the working tree, so scan a fresh clone (build output left beside the "
                "sources, untracked, would count)",
            ),
            (
                "unknown",
                "the tree could not be counted (the host would not list it), or the count "
                "stopped at its bound before finding any",
            ),
        )

    def check(self, context: RuleContext) -> Finding:
        types = counted_tree(context)
        if types is None:
            return unknown(
                "The repository's tree could not be walked for binary files",
                settles="scan a clone of the repository (ospo-scan scan PATH)",
            )
        count, shown, evidence = _found(types, self.extensions)
        if count:
            more = f" and {count - len(shown)} more" if count > len(shown) else ""
            return Finding(
                Outcome.FAIL,
                f"{count} file(s) in version control are {self.what}: {', '.join(shown)}{more}.",
                evidence,
            )
        if not types.complete:
            return unknown(
                f"None of the first {types.total} files counted are {self.what}, but the tree "
                "is larger than the walk's bound",
                settles="review the rest of the tree, or scan a clone",
            )
        return Finding(Outcome.PASS, f"None of the tree's {types.total} files are {self.what}.")


class NoGeneratedExecutablesRule(_ArtefactRule):
    id = "no-generated-executables"
    description = "Version control holds no generated executables: programs, libraries, bytecode."
    help_url = "https://baseline.openssf.org/versions/2026-02-19#osps-qa-0501"
    remediation = (
        "Remove compiled programs, libraries and bytecode from the repository (git rm), ignore "
        "them in .gitignore, and publish build outputs as release assets instead."
    )
    extensions = EXECUTABLE_EXTENSIONS
    what = "generated executables (programs, libraries, object code, bytecode)"


class NoBinaryArtefactsRule(_ArtefactRule):
    id = "no-binary-artefacts"
    description = "Version control holds no unreviewable binary artefacts: executables, archives."
    help_url = "https://baseline.openssf.org/versions/2026-02-19#osps-qa-0502"
    remediation = (
        "Replace binary artefacts (executables, libraries, archives, packages) with their "
        "source and the steps that build them; fetch third-party ones at build time with "
        "pinned hashes."
    )
    extensions = EXECUTABLE_EXTENSIONS | ARCHIVE_EXTENSIONS
    what = "unreviewable binaries (executables, libraries, archives, packages)"
