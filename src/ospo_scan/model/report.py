"""The data ospo-scan produces: outcomes, rule results, repository and entity reports.

Everything here is a frozen dataclass so that formatters, which are pure functions of a
`Report`, cannot change what they render.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from ospo_scan.model.frameworks import FrameworkView, RepoFrameworkView
from ospo_scan.model.outcome import Outcome
from ospo_scan.model.profile import Contacts, DeclaredPrinciple, Readiness

REPORT_SCHEMA_ID = "ospo-scan/report/v1"


class EvidenceSource(str, enum.Enum):
    """Where a piece of evidence was found."""

    REPOSITORY = "repository"
    ORGANISATION_DEFAULT = "organisation-default"
    README = "readme"
    MANIFEST = "manifest"
    HOST = "host"
    PLATFORM = "platform"
    """The hosting platform itself guarantees the fact (e.g. a public record of changes)."""


@dataclass(frozen=True)
class Evidence:
    """One file (or host fact) a rule based its outcome on."""

    path: str
    """Path inside the repository (or the organisation defaults repository), POSIX separators."""
    source: EvidenceSource
    """Where the path lives."""
    detail: str | None = None
    """A short note on what was seen there, e.g. the licence identified."""


@dataclass(frozen=True)
class Finding:
    """What a rule returns: an outcome with its reasons. The scanner adds the rule's metadata."""

    outcome: Outcome
    """The conclusion."""
    message: str
    """One sentence a maintainer understands, naming what was or was not found."""
    evidence: tuple[Evidence, ...] = ()
    """The files behind the outcome, best first."""
    score: float | None = None
    """Overrides the outcome's default score (only meaningful for partial)."""


MAX_WEIGHT = 1_000_000
"""The largest weight a rule may have: weights are relative, and sums of many such weights stay
far from overflowing to infinity (which would make every score NaN)."""


@dataclass(frozen=True)
class RuleResult:
    """One rule's result for one repository, as reported."""

    rule: str
    """Stable rule id, e.g. `license`."""
    category: str
    """The rule's category, e.g. `licensing`."""
    outcome: Outcome
    """The conclusion."""
    score: float | None
    """0.0 to 1.0, or None when the outcome does not count."""
    weight: float
    """The rule's weight in the ruleset."""
    message: str
    """Why the outcome is what it is."""
    remediation: str
    """What to do to pass; empty when passing."""
    help_url: str
    """Where the rule is explained."""
    evidence: tuple[Evidence, ...] = ()
    """The files behind the outcome."""


@dataclass(frozen=True)
class DeclaredLicence:
    """A licence declared in a manifest file."""

    path: str
    """The manifest's path."""
    value: str
    """The value as written."""
    expression: str | None
    """The SPDX expression it normalises to, or None when it is not valid SPDX."""
    suggestion: str | None = None
    """A likely SPDX expression for an invalid value."""


@dataclass(frozen=True)
class BundledLicence:
    """A third-party notice a licence file carries beside the project's own licence."""

    path: str
    """The licence file that carries it."""
    expression: str | None
    """Its SPDX expression, or None when its terms are not identified."""
    heading: str | None = None
    """The heading of the file's section that carries it, when the file gives one."""


@dataclass(frozen=True)
class LicenceSummary:
    """The repository's licence as detected."""

    expression: str | None
    """SPDX expression normalised by license-expression, or None when no licence is found."""
    files: tuple[str, ...] = ()
    """The licence files that support the expression."""
    declared: tuple[DeclaredLicence, ...] = ()
    """Licences declared in manifests."""
    approved: bool | None = None
    """Whether every identified licence is on the ruleset's approved list; None when unknown."""
    bundled: tuple[BundledLicence, ...] = ()
    """Third-party notices the licence files carry, not counted in `expression`."""
    restrictions: tuple[str, ...] = ()
    """Words inserted into a licence text that restrict its use, quoted: the licence is then a
    modified one."""


class RepoStatus(str, enum.Enum):
    """Whether a repository could be scanned."""

    OK = "ok"
    ERROR = "error"


@dataclass(frozen=True)
class RepoReport:
    """All results for one repository."""

    name: str
    """Name within its entity: `org/repo` on a host, the directory name locally."""
    url: str
    """Where a person can look at it (web URL or `file://` path)."""
    status: RepoStatus
    """ok, or error when it could not be scanned."""
    score: float | None
    """0 to 100, or None when nothing counted or the repository could not be scanned."""
    in_scope: bool
    """Whether it counts towards the entity score."""
    archived: bool = False
    """Archived (read-only) on its host."""
    fork: bool = False
    """A fork of another repository."""
    visibility: str | None = None
    """public, private or internal, as the host (or the entity file) says; None in reports
    written before visibility was recorded: then nobody knows whether it may be published."""
    description: str | None = None
    """The host's description, when known."""
    licence: LicenceSummary | None = None
    """The repository's licence, when licence rules ran."""
    results: tuple[RuleResult, ...] = ()
    """One result per rule in the ruleset."""
    category_scores: dict[str, float | None] = field(default_factory=dict)
    """Score 0 to 100 per category."""
    warnings: tuple[str, ...] = ()
    """What was noticed but did not stop the scan (undecodable names, links out)."""
    error: str | None = None
    """Why the repository could not be scanned."""
    entity: str | None = None
    """The entity it belongs to, in a scan of several entities."""
    commit: str | None = None
    """The 40-hex commit scanned (the default branch's head on a host, HEAD locally), if any."""
    default_branch: str | None = None
    """The branch scanned: the host's default branch, or the branch HEAD names locally."""
    frameworks: tuple[RepoFrameworkView, ...] = ()
    """Per framework the ruleset maps to, the repository's item scores."""

    @property
    def unknown(self) -> int:
        """How many of its rule results could not be observed (`unknown`)."""
        return sum(1 for r in self.results if r.outcome is Outcome.UNKNOWN)


@dataclass(frozen=True)
class EntitySummary:
    """The entity as a whole."""

    name: str
    """The entity's name (organisation, group or the entity file's name)."""
    source: str
    """local, github or gitlab."""
    score: float | None
    """Mean repository score over in-scope repositories, or None when none could be scored."""
    level: str | None
    """The ruleset's level for the score."""
    url: str | None = None
    """Where the entity lives."""
    defaults_repository: str | None = None
    """The repository that supplied organisation defaults, if any."""
    notes: tuple[str, ...] = ()
    """What the reader should know about the source (e.g. GitLab has no organisation defaults)."""
    description: str | None = None
    """What the entity is, from its profile."""
    metadata: Mapping[str, str] = field(default_factory=dict)
    """The profile's free-form `[metadata]`."""
    contacts: Contacts | None = None
    """The profile's `[contacts]`, None without a profile."""
    readiness: Mapping[int, Readiness] = field(default_factory=dict)
    """The profile's survey answers, by year."""
    defaults_reachable: bool = True
    """Whether one file in the organisation's defaults repository would reach the repositories
    (False on GitLab, and in a local directory of git repositories without an entity file or a
    `.github` repository): what "fix first" and `fix` advise depends on it."""
    survey_year: int | None = None
    """The survey year the scan counts for (`--survey-year` or the profile's `survey-year`);
    None: the year the scan started."""
    principles: Mapping[str, DeclaredPrinciple] = field(default_factory=dict)
    """The profile's declared UN Open Source Principles, by principle number."""
    frameworks: tuple[FrameworkView, ...] = ()
    """Per framework the ruleset maps to (and the UN principles when declared), how the
    entity's repositories evidence its items."""

    def framework(self, framework_id: str) -> FrameworkView | None:
        return next((f for f in self.frameworks if f.id == framework_id), None)


@dataclass(frozen=True)
class ScanSummary:
    """Counts across the scan."""

    repositories: int
    """Repositories enumerated."""
    in_scope: int
    """Repositories counted in the entity score."""
    errors: int
    """Repositories that could not be scanned plus rule results that errored."""
    rule_pass_rates: dict[str, float | None]
    """Share of in-scope repositories passing (or exempt from) each rule."""
    category_scores: dict[str, float | None] = field(default_factory=dict)
    """Mean category score over in-scope repositories."""
    unknown: int = 0
    """Rule results that could not be observed (`unknown`), across every repository: counted
    apart, never in a score."""


@dataclass(frozen=True)
class RulesetInfo:
    """The ruleset a report was made with."""

    id: str
    version: str
    title: str = ""


@dataclass(frozen=True)
class ScanInfo:
    """When a scan ran and what it was asked to scan."""

    started: str
    """When the scan started: ISO 8601 in UTC, e.g. `2026-03-02T06:00:00.000Z`."""
    finished: str
    """When the scan finished, in the same form."""
    targets: tuple[str, ...]
    """The targets as given on the command line."""
    shard: str | None = None
    """`I/N` when the scan covered one part of the repositories; None for a whole scan."""


@dataclass(frozen=True)
class Report:
    """A whole scan: the input of every formatter."""

    tool_version: str
    ruleset: RulesetInfo
    entity: EntitySummary
    repositories: tuple[RepoReport, ...]
    summary: ScanSummary
    scan: ScanInfo | None = None
    """When and what was scanned; None only in reports written before scans were dated."""
    schema: str = REPORT_SCHEMA_ID
    entities: tuple[EntitySummary, ...] = ()
    """One row per entity when the scan covered several; `entity` is then their combination."""

    @property
    def has_errors(self) -> bool:
        return self.summary.errors > 0
