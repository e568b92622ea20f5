"""A repository's CI definitions as the CI rules see them: GitHub Actions workflows and
`.gitlab-ci.yml` (with its local includes), read through the snapshot's bounded reads, and what
the workflow audit (zizmor, run once per scan by `ospo_scan.scan.ci`) found in the workflows.

Everything here is the repository's text: parsed with PyYAML's safe loader, walked with a node
budget (anchors may make a small file a huge graph), and matched with linear-time patterns.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import yaml

from ospo_scan.model import Evidence, EvidenceSource, Finding
from ospo_scan.rules.interface import Rule, RuleContext, not_applicable, unknown
from ospo_scan.snapshot import EntryKind, HostFact, Snapshot
from ospo_scan.untrusted.display import neutralise

WORKFLOWS_DIRECTORY = ".github/workflows"
GITLAB_CI = ".gitlab-ci.yml"
MAX_CI_FILES = 64
"""Workflow files (and GitLab local includes) read per repository; the rest are `unread`."""
MAX_CI_FILE_BYTES = 256 * 1024
"""A CI file longer than this is not judged (a cut YAML file does not parse as what runs)."""
MAX_NODES = 200_000
"""Nodes visited per parsed file: aliases may repeat a subtree without costing bytes."""
CI_DEFINITIONS = "ci-definitions"
"""The key under which the scan's pre-pass hands each repository's `CiDefinitions` to rules."""


@dataclass(frozen=True)
class CiFile:
    """One CI definition file, read whole."""

    path: str
    """Path from the repository root, e.g. `.github/workflows/ci.yml`."""
    text: str
    """The file's text."""


@dataclass(frozen=True)
class AuditFinding:
    """One finding of the workflow audit (zizmor) on a repository's workflow."""

    audit: str
    """zizmor's audit id, e.g. `template-injection`, `excessive-permissions`."""
    path: str
    """The workflow it is in."""
    line: int
    """The line of the primary location, from 1."""
    annotation: str
    """zizmor's words on the location (untrusted text: neutralised before it is shown)."""
    expression: str
    """The workflow's own text at the primary location (an expression for template injection)."""
    route: tuple[str, ...] = ()
    """Where in the workflow, as keys and indexes (`jobs`, `build`, `permissions`)."""
    suppressed: bool = False
    """The workflow carries a `# zizmor: ignore[...]` comment for it: the project declared it
    not exploitable."""


@dataclass(frozen=True)
class WorkflowAudit:
    """What zizmor said of one repository's workflows."""

    findings: tuple[AuditFinding, ...] = ()
    """Its findings (regular persona, offline audits)."""
    not_audited: tuple[str, ...] = ()
    """Workflows zizmor could not audit (not valid YAML or not a workflow to it)."""
    failure: str | None = None
    """Why there is no audit at all (zizmor missing, failed, timed out); None when it ran."""

    def of(self, *audits: str) -> tuple[AuditFinding, ...]:
        """The findings of these audits that the project did not suppress."""
        return tuple(f for f in self.findings if f.audit in audits and not f.suppressed)


NOT_RUN = WorkflowAudit(failure="the workflow audit (zizmor) was not run for this scan")


@dataclass(frozen=True)
class CiDefinitions:
    """A repository's CI definitions and their audit."""

    workflows: tuple[CiFile, ...] = ()
    """GitHub Actions workflows (`.github/workflows/*.yml|yaml`)."""
    gitlab: tuple[CiFile, ...] = ()
    """`.gitlab-ci.yml` first, then the local files it includes."""
    unread: tuple[str, ...] = ()
    """CI files that exist but could not be judged (unreadable, binary, too long, too many)."""
    audit: WorkflowAudit = NOT_RUN
    """The workflow audit of `workflows`."""

    @property
    def present(self) -> bool:
        """Whether the repository has any CI definition at all."""
        return bool(self.workflows or self.gitlab or self.unread)


def ci_definitions(context: RuleContext) -> CiDefinitions:
    """The repository's CI definitions: those the scan prepared, else read now (unaudited)."""
    return context.memo(CI_DEFINITIONS, lambda: read_ci_definitions(context.snapshot))


def is_workflow_name(name: str) -> bool:
    return name.lower().endswith((".yml", ".yaml"))


def read_ci_definitions(snapshot: Snapshot) -> CiDefinitions:
    """Read the repository's CI files through the snapshot (no audit)."""
    unread: list[str] = []
    workflows: list[CiFile] = []
    entries = snapshot.list_directory(WORKFLOWS_DIRECTORY) or ()
    named = sorted((e for e in entries if is_workflow_name(e.name)), key=lambda e: e.path)
    unread += [e.path for e in named[MAX_CI_FILES:]]
    for entry in named[:MAX_CI_FILES]:
        if entry.kind is EntryKind.FILE:
            _read_into(snapshot, entry.path, workflows, unread)
        elif entry.kind is not EntryKind.DIRECTORY:  # GitHub runs no directory, whatever its name
            unread.append(entry.path)
    gitlab: list[CiFile] = []
    gitlab_ci = snapshot.entry(GITLAB_CI)  # GitLab reads this name only, in this letter case
    if gitlab_ci is not None:
        if gitlab_ci.kind is EntryKind.FILE:
            _read_into(snapshot, GITLAB_CI, gitlab, unread)
        else:
            unread.append(GITLAB_CI)
    tried = {GITLAB_CI}
    index = 0
    while index < len(gitlab):
        document = parse_yaml(gitlab[index].text)
        for path in local_includes(document[-1] if document else None):
            if path in tried:
                continue
            if len(tried) >= MAX_CI_FILES:
                unread.append(path)
                break
            tried.add(path)
            _read_into(snapshot, path, gitlab, unread)
        index += 1
    return CiDefinitions(tuple(workflows), tuple(gitlab), tuple(unread))


def _read_into(snapshot: Snapshot, path: str, read: list[CiFile], unread: list[str]) -> None:
    text = snapshot.read_text(path, MAX_CI_FILE_BYTES)
    if text is None or text.binary or text.truncated:
        unread.append(path)
    else:
        read.append(CiFile(path, text.text))


# -- YAML ----------------------------------------------------------------------------------------


class _CiLoader(yaml.SafeLoader):
    """The safe loader, accepting GitLab's `!reference [job, script]` and other local tags as
    plain YAML (a tag never makes the loader build anything but data)."""


class Reference(list[Any]):
    """GitLab's `!reference [job, key]`: the lines of another job's key, pasted in."""


def _plain(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node, deep=True)
        return Reference(items) if suffix == "reference" else items
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_CiLoader.add_multi_constructor("!", _plain)


def parse_yaml(text: str) -> tuple[Any, ...] | None:
    """Every document of a YAML file (GitLab puts a `spec:` header before `---`); None when the
    text is not YAML."""
    try:
        return tuple(yaml.load_all(text, Loader=_CiLoader))
    except (yaml.YAMLError, RecursionError, ValueError, TypeError):
        return None


def workflow_document(text: str) -> dict[Any, Any] | None:
    """A workflow file's mapping, when it is one GitHub could run (a mapping with `jobs`)."""
    documents = parse_yaml(text)
    document = documents[0] if documents else None
    if isinstance(document, dict) and isinstance(document.get("jobs"), dict):
        return document
    return None


def walk(value: Any) -> Iterator[Any]:
    """Every node under `value`, each object once, at most `MAX_NODES`."""
    seen: set[int] = set()
    stack = [value]
    visited = 0
    while stack and visited < MAX_NODES:
        node = stack.pop()
        if isinstance(node, (dict, list)):
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.extend(node.values() if isinstance(node, dict) else reversed(node))
        visited += 1
        yield node


def strings(value: Any) -> list[str]:
    """The strings under `value` (a script written as a string or a nested list of lines)."""
    return [node for node in walk(value) if isinstance(node, str)]


def mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def local_includes(document: Any) -> list[str]:
    """The repository paths a `.gitlab-ci.yml` includes with `include: local:` (or a bare path)."""
    include = mapping(document).get("include")
    items = include if isinstance(include, list) else [include]
    paths = []
    for item in items:
        local = item if isinstance(item, str) else mapping(item).get("local")
        if isinstance(local, str) and "://" not in local and "*" not in local and "$" not in local:
            path = local.strip().lstrip("/")
            if path and ".." not in path.split("/"):
                paths.append(path)
    return paths


class CiRule(Rule):
    """A rule reading CI definitions. The scan reads every repository's definitions once, and
    runs the workflow audit once over all of them when a rule of the ruleset `needs_audit`."""

    category = "security"
    host_facts = frozenset({HostFact.CI_DEFINITIONS})
    needs_audit: ClassVar[bool] = False
    """The rule reads the workflow audit's findings (zizmor)."""


def where(path: str, job: str | None = None) -> str:
    """`ci.yml (job test)`, the job's name neutralised."""
    return f"{path} (job {shown(job, 60)})" if job is not None else path


def shown(text: str, limit: int = 120) -> str:
    """Repository text for a message: one line, neutralised, cut to `limit` characters."""
    text = neutralise(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def no_pipeline() -> Finding:
    return not_applicable("No CI definitions (GitHub Actions workflows or .gitlab-ci.yml).")


def ci_evidence(path: str, detail: str | None = None) -> Evidence:
    return Evidence(path, EvidenceSource.REPOSITORY, detail)


def unread_unknown(ci: CiDefinitions, verdict: str) -> Finding | None:
    """Unknown when some CI file could not be read: the `verdict` drawn from the rest could be
    contradicted by it."""
    if not ci.unread:
        return None
    paths = ", ".join(shown(p, 80) for p in ci.unread[:5])
    return unknown(
        f"{verdict} in the CI files read, but {len(ci.unread)} could not be read ({paths})",
        settles="a reviewer reading those files (too long, binary, unreadable or beyond the "
        f"{MAX_CI_FILES} files read)",
        evidence=tuple(ci_evidence(p, "not read") for p in ci.unread[:5]),
    )
