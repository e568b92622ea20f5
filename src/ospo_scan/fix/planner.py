"""From a scan's results to a plan: per repository, the files that make failing rules pass.

The plan only ever adds files. A rule that fails although a file of its kind exists (a stub, an
empty file, a link out of the repository) is left to a person, saying which file; a fix that
would need a contact the entity profile lacks is skipped, saying which key to add. Where GitHub
(or a local entity's `.github` directory) supplies a kind to every repository, one file in the
defaults repository is proposed instead of one per repository.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ospo_scan.evidence import FileKind, matches_kind
from ospo_scan.fix.files import (
    FillContext,
    dependabot_ecosystems,
    fill,
    missing_contact,
)
from ospo_scan.fix.insights import INSIGHTS_PATH, draft_insights
from ospo_scan.fix.kinds import FIX_KINDS, GITLAB, FixKind
from ospo_scan.fix.licence_text import licence_text
from ospo_scan.fix.model import (
    CoveredFix,
    FixPlan,
    ProposedFile,
    RepositoryPlan,
    SkippedFix,
)
from ospo_scan.fix.references import REFERABLE, present_in, with_reference_notes
from ospo_scan.model import (
    EvidenceSource,
    LicenceSummary,
    Outcome,
    RepoReport,
    Report,
    RepoStatus,
    RuleResult,
)
from ospo_scan.rules._insights import find_insights_file
from ospo_scan.snapshot import Snapshot

DEFAULTS_REPOSITORY = ".github"
LICENCE_PATH = "LICENSE"
UNSCANNED = "could not be scanned"
"""How the plan's `excluded` reason starts for a repository the scan could not read."""


@dataclass(frozen=True)
class FixOptions:
    """What the user asked `fix` for."""

    rules: frozenset[str] | None = None
    """Only these rules (None: every rule fix mode knows)."""
    licence: str | None = None
    """The SPDX id of the licence to add where none is found (never otherwise)."""
    per_repository: bool = False
    """One file per repository even where the organisation's `.github` repository would do."""


@dataclass(frozen=True)
class DefaultsTarget:
    """Where organisation-wide files go."""

    name: str
    """The defaults repository's name as the plan shows it (`org/.github`, `.github`)."""
    url: str
    """Where it is, or will be."""
    snapshot: Snapshot | None
    """Its current files; None when the plan creates it."""


@dataclass
class _Wanted:
    """Organisation-wide files wanted, with the repositories each would fix."""

    by_rule: dict[str, list[str]] = field(default_factory=dict)


def build_plan(
    report: Report,
    snapshots: Mapping[str, Snapshot],
    context: FillContext,
    options: FixOptions,
    defaults: DefaultsTarget | None,
) -> FixPlan:
    """The plan for every repository of the report (`defaults`: None forces per-repository)."""
    wanted = _Wanted()
    plans: list[RepositoryPlan] = []
    found: dict[str, set[str]] = {}
    for repo in report.repositories:
        if defaults is not None and repo.name == defaults.name:
            continue
        snapshot = snapshots.get(repo.name)
        excluded = _excluded(repo, snapshot)
        if excluded is not None or snapshot is None:
            plans.append(RepositoryPlan(repo.name, repo.url, excluded=excluded))
            continue
        org_wide = defaults if _inherits(snapshot, defaults, options) else None
        plans.append(_plan_repository(repo, snapshot, context, options, org_wide, wanted))
        found[repo.name] = present_in(repo)
    if defaults is not None and wanted.by_rule:
        plans.insert(0, _plan_defaults(defaults, wanted, context))
    plans = _noted(plans, found, defaults)
    return FixPlan(
        entity=report.entity.name,
        source=report.entity.source,
        score=report.entity.score,
        repositories=tuple(plans),
        defaults_repository=defaults.name if defaults is not None and wanted.by_rule else None,
    )


def _noted(
    plans: list[RepositoryPlan], found: Mapping[str, set[str]], defaults: DefaultsTarget | None
) -> list[RepositoryPlan]:
    """The plans with a note on every proposed file referring to a file that will be missing."""
    skipped = {s.rule: s.reason for plan in plans for s in plan.skipped}
    if defaults is not None and defaults.snapshot is not None:
        existing = {r for name, r in REFERABLE.items() if defaults.snapshot.find_file(name)}
        found = {**found, defaults.name: existing}
    return [with_reference_notes(plan, found.get(plan.name, set()), skipped) for plan in plans]


def _excluded(repo: RepoReport, snapshot: Snapshot | None) -> str | None:
    if repo.status is RepoStatus.ERROR or snapshot is None:
        return f"{UNSCANNED}: {repo.error or 'no snapshot'}"
    if repo.archived:
        return "archived: read-only, not fixed"
    if repo.fork:
        return "a fork: propose fixes to the upstream repository instead"
    return None


def _inherits(snapshot: Snapshot, defaults: DefaultsTarget | None, options: FixOptions) -> bool:
    if defaults is None or options.per_repository:
        return False
    if snapshot.metadata.host.has_org_defaults is not True:
        return False
    # A repository already reading another defaults repository (or none, while one exists
    # privately) would not see the file proposed.
    inherited = snapshot.org_defaults
    if defaults.snapshot is None:
        return inherited is None
    return inherited is not None and inherited.name == defaults.snapshot.name


def _plan_repository(
    repo: RepoReport,
    snapshot: Snapshot,
    context: FillContext,
    options: FixOptions,
    defaults: DefaultsTarget | None,
    wanted: _Wanted,
) -> RepositoryPlan:
    files: list[ProposedFile] = []
    skipped: list[SkippedFix] = []
    covered: list[CoveredFix] = []
    project = repo.name.rsplit("/", 1)[-1]
    for result in repo.results:
        if options.rules is not None and result.rule not in options.rules:
            continue
        if result.rule == INSIGHTS_RULE:
            continue  # proposed where absent, below
        if result.outcome not in (Outcome.FAIL, Outcome.PARTIAL):
            continue
        if result.rule == "license":
            _licence(result, repo.licence, snapshot, context, options, files, skipped)
            continue
        kind = next((k for k in FIX_KINDS if k.rule == result.rule), None)
        if kind is None:
            continue
        problem = _problem(kind, result, snapshot, context)
        if problem is not None:
            skipped.append(SkippedFix(result.rule, problem))
        elif kind.inheritable and defaults is not None:
            path = kind.path_on(context.platform)
            covered.append(CoveredFix(result.rule, path, defaults.name))
            wanted.by_rule.setdefault(result.rule, []).append(repo.name)
        else:
            content = fill(kind, project, context, snapshot)
            path = kind.path_on(context.platform)
            files.append(ProposedFile(path, content, result.rule, result.outcome, result.message))
    if _wants_insights(repo, options):
        _insights(repo, snapshot, context, files, skipped)
    return RepositoryPlan(
        repo.name,
        repo.url,
        files=tuple(sorted(files, key=lambda f: f.path)),
        skipped=tuple(skipped),
        covered=tuple(covered),
    )


INSIGHTS_RULE = "security-insights"


def _wants_insights(repo: RepoReport, options: FixOptions) -> bool:
    """Asked for by name, or the ruleset's security-insights rule found no file."""
    if options.rules is not None:
        return INSIGHTS_RULE in options.rules
    found = next((r for r in repo.results if r.rule == INSIGHTS_RULE), None)
    return found is not None and found.outcome is Outcome.NOT_APPLICABLE


def _insights(
    repo: RepoReport,
    snapshot: Snapshot,
    context: FillContext,
    files: list[ProposedFile],
    skipped: list[SkippedFix],
) -> None:
    existing = find_insights_file(snapshot)
    if existing is not None:
        skipped.append(SkippedFix(INSIGHTS_RULE, f"{existing} exists; fix mode never changes it"))
        return
    draft = draft_insights(repo, snapshot, context, datetime.now(timezone.utc).date())
    if draft.content is None:
        missing = "; ".join(draft.missing)
        skipped.append(
            SkippedFix(INSIGHTS_RULE, f"a valid file needs what is not known: {missing}")
        )
        return
    found = next((r for r in repo.results if r.rule == INSIGHTS_RULE), None)
    outcome = found.outcome if found is not None else Outcome.NOT_APPLICABLE
    reason = "no Security Insights file: one is made from the entity profile and the scan"
    files.append(ProposedFile(INSIGHTS_PATH, draft.content, INSIGHTS_RULE, outcome, reason))


def _problem(
    kind: FixKind, result: RuleResult, snapshot: Snapshot, context: FillContext
) -> str | None:
    """Why the kind cannot be fixed by adding a file here, or None."""
    own = [e for e in result.evidence if _is_file_of(kind, e.path)]
    if own:
        where = ", ".join(e.path for e in own)
        return f"{where} exists but does not pass ({result.message}); fix mode never changes a file"
    path = kind.path_on(context.platform)
    if snapshot.entry(path) is not None:
        return f"{path} exists; fix mode never replaces a file"
    if kind.rule == "maintainers" and context.platform == GITLAB:
        existing = snapshot.find_file(".gitlab/CODEOWNERS")
        if existing is not None:  # GitLab would let a root CODEOWNERS take its place
            return f"{existing.path} exists; GitLab reads it, fix mode leaves it as it is"
    missing = missing_contact(kind, context.contacts)
    if missing is not None:
        return f"the entity profile has no {missing}; add it to ospo-entity.toml [contacts]"
    dependabot = kind.rule == "dependency-updates" and context.platform != GITLAB
    if dependabot and not dependabot_ecosystems(snapshot):
        return "no manifest or workflow Dependabot could update was found"
    return None


_FILE_KINDS = {
    "contributing": FileKind.CONTRIBUTING,
    "code-of-conduct": FileKind.CODE_OF_CONDUCT,
    "security-policy": FileKind.SECURITY,
    "governance": FileKind.GOVERNANCE,
    "maintainers": FileKind.MAINTAINERS,
    "changelog": FileKind.CHANGELOG,
}


def _is_file_of(kind: FixKind, path: str) -> bool:
    """Whether evidence is a file of the kind fix mode writes (a partial SECURITY.md), rather
    than evidence found elsewhere (a security channel in the README, an R DESCRIPTION's
    maintainer), beside which the file is still worth proposing."""
    file_kind = _FILE_KINDS.get(kind.rule)
    return file_kind is None or matches_kind(path.rsplit("/", 1)[-1], file_kind)


def _licence(
    result: RuleResult,
    licence: LicenceSummary | None,
    snapshot: Snapshot,
    context: FillContext,
    options: FixOptions,
    files: list[ProposedFile],
    skipped: list[SkippedFix],
) -> None:
    own = [e.path for e in result.evidence if e.source is EvidenceSource.REPOSITORY]
    if own:
        skipped.append(
            SkippedFix("license", f"{', '.join(own)} exists; fix mode never replaces it")
        )
        return
    declared = _declared(result, licence)
    if declared is not None:
        where, expression = declared
        problem = _declared_problem(where, expression, options.licence)
        if problem is not None:
            skipped.append(SkippedFix("license", problem))
            return
    elif options.licence is None:
        skipped.append(SkippedFix("license", "no licence is ever chosen for you; pass --licence"))
        return
    assert options.licence is not None
    if snapshot.entry(LICENCE_PATH) is not None:
        skipped.append(SkippedFix("license", f"{LICENCE_PATH} exists; never replaced"))
        return
    text = licence_text(options.licence, context.entity)
    reason = (
        f"{declared[0]} declares {options.licence}; no file holds its text"
        if declared
        else result.message
    )
    files.append(ProposedFile(LICENCE_PATH, text, "license", result.outcome, reason))


def _declared(result: RuleResult, licence: LicenceSummary | None) -> tuple[str, str | None] | None:
    """Where a licence is declared without a licence file (a manifest, the README), and the
    SPDX expression declared there (None when it is not valid SPDX)."""
    if not result.evidence:
        return None
    where = ", ".join(e.path for e in result.evidence)
    manifests = [d for d in (licence.declared if licence else ()) if d.expression]
    expressions = {d.expression for d in manifests}
    if len(expressions) == 1:
        return where, expressions.pop()
    return where, licence.expression if licence and not manifests else None


def _declared_problem(where: str, expression: str | None, asked: str | None) -> str | None:
    """Why the declared licence's text cannot be added, or None when it can."""
    if expression is None:
        return f"{where} declares a licence that is not one SPDX expression; fix it there first"
    if " " in expression:
        return (
            f"{where} declares {expression}; add each licence's text by hand "
            "(fix mode adds one licence)"
        )
    if asked is None:
        return f"{where} declares {expression}; pass --licence {expression} to add its text"
    if asked.lower() != expression.lower():
        return (
            f"{where} declares {expression}, not {asked}: fix mode adds only the declared "
            f"licence's text (--licence {expression}); change the declaration to relicense"
        )
    return None


def _plan_defaults(
    defaults: DefaultsTarget, wanted: _Wanted, context: FillContext
) -> RepositoryPlan:
    files: list[ProposedFile] = []
    skipped: list[SkippedFix] = []
    for kind in FIX_KINDS:
        names = wanted.by_rule.get(kind.rule)
        if not names:
            continue
        path = kind.path_on(context.platform)
        if defaults.snapshot is not None and defaults.snapshot.entry(path) is not None:
            skipped.append(SkippedFix(kind.rule, f"{path} exists; fix mode never replaces a file"))
            continue
        content = fill(kind, f"{context.entity} projects", context, None)
        count = f"{len(names)} repositor{'y' if len(names) == 1 else 'ies'}"
        reason = f"fails in {count} ({', '.join(names)}); one organisation-wide file covers them"
        files.append(ProposedFile(path, content, kind.rule, Outcome.FAIL, reason))
    return RepositoryPlan(
        defaults.name,
        defaults.url,
        files=tuple(sorted(files, key=lambda f: f.path)),
        skipped=tuple(skipped),
        create=defaults.snapshot is None,
    )
