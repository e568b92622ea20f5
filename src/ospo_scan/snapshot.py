"""The read-only view of one repository that every rule works on.

A connector (local directory, GitHub, GitLab) turns a repository into a `Snapshot`: metadata,
listings of the few directories where evidence lives, and bounded reads of single files. Rules
never talk to a host, so one rule behaves the same wherever the repository lives.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

MAX_READ_BYTES = 512 * 1024
"""No file is read beyond this many bytes; longer files are judged on their beginning."""

LISTED_DIRECTORIES: tuple[str, ...] = (
    "",
    ".github",
    "docs",
    ".gitlab",
    "LICENSES",
    ".github/ISSUE_TEMPLATE",
    ".gitlab/issue_templates",
    ".gitlab/merge_request_templates",
    ".github/workflows",
)
"""The directories a connector lists (when they exist); nothing else of the tree is walked."""


class EntryKind(str, enum.Enum):
    """What a directory entry is."""

    FILE = "file"
    DIRECTORY = "directory"
    OUTSIDE_LINK = "outside-link"
    """A symbolic link whose target leaves the repository (or dangles); never read."""
    OTHER = "other"
    """A device, socket, submodule or anything else that is not a regular file."""


@dataclass(frozen=True)
class FileEntry:
    """One entry of a listed directory."""

    path: str
    """Path from the repository root with POSIX separators, e.g. `.github/SECURITY.md`."""
    kind: EntryKind
    """What the entry is."""
    size: int | None = None
    """Size in bytes when known."""

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class TextFile:
    """A file's beginning, decoded leniently."""

    text: str
    """The decoded text ('' for a binary file)."""
    binary: bool = False
    """The bytes look like a binary file, not text."""
    truncated: bool = False
    """The file is longer than the read bound."""


FileReader = Callable[[str, int], bytes | None]
"""Reads at most `limit` bytes of a repository path; None when the path cannot be read."""


class HostFact(str, enum.Enum):
    """A host fact beyond those every scan reads. Rules name the ones they use
    (`Rule.host_facts`), so a connector asks the host only for what the ruleset needs."""

    BRANCH_RULES = "branch-rules"
    """What the host enforces on the default branch (`HostFacts.branch_rules`)."""
    RELEASES = "releases"
    """The host's releases, with notes and asset names (`HostFacts.releases`)."""
    VULNERABILITY_REPORTING = "vulnerability-reporting"
    """Whether private vulnerability reporting is on."""
    ADVISORIES = "advisories"
    """How many security advisories the repository has published."""
    DISCUSSIONS = "discussions"
    """Whether a discussion forum is on, beside the issue tracker."""
    SECRET_SCANNING = "secret-scanning"
    """Secret scanning and its push protection."""
    MFA = "mfa"
    """Whether the owner requires multi-factor authentication of its members."""
    WORKFLOW_PERMISSIONS = "workflow-permissions"
    """The CI token's default permissions (GitHub's workflow permissions, GitLab's job token)."""
    COLLABORATOR_PERMISSIONS = "collaborator-permissions"
    """The permission a new member or collaborator gets unless told otherwise."""
    SIGNOFF = "signoff"
    """Whether the host requires contributors to sign off their commits."""
    CODE_SCANNING = "code-scanning"
    """Whether the host analyses the code itself, outside any CI definition (GitHub's code
    scanning default setup, CodeQL)."""
    CI_DEFINITIONS = "ci-definitions"
    """Not a setting: the texts of the CI definitions (workflows, `.gitlab-ci.yml`), which a host
    connector reads ahead in its batched requests only when a rule reads them."""


@dataclass(frozen=True)
class BranchRules:
    """What the host enforces on the default branch, every source merged: classic protection and
    rulesets (the organisation's too) on GitHub; protected branches, approval rules and push rules
    on GitLab. None in a field: the host did not say."""

    changes_reviewed: bool | None = None
    """Direct pushes are refused: every change arrives through a pull or merge request."""
    deletion_blocked: bool | None = None
    """The branch cannot be deleted."""
    force_push_blocked: bool | None = None
    """History on the branch cannot be rewritten."""
    required_checks: tuple[str, ...] | None = None
    """Status checks that must pass before a change lands (empty: none required)."""
    required_approvals: int | None = None
    """Approvals a change needs from someone other than its author (0: none)."""
    sources: tuple[str, ...] = ()
    """Where the rules came from, for evidence (`ruleset "main"`, `branch protection`)."""


@dataclass(frozen=True)
class HostRelease:
    """One release the host publishes."""

    tag: str
    """The tag (version) it is made from."""
    name: str | None = None
    notes: str = ""
    """The release notes, bounded by the connector."""
    assets: tuple[str, ...] = ()
    """Names of the files attached to it."""
    published_at: datetime | None = None
    prerelease: bool = False


@dataclass(frozen=True)
class HostFacts:
    """Facts only a hosting platform knows. None means the connector could not tell."""

    issues_enabled: bool | None = None
    """Whether the host's issue tracker is enabled for the repository."""
    newcomer_issues: int | None = None
    """Issues (open or closed) carrying a newcomer label (`good first issue`, `help wanted`);
    None when the host did not say."""
    newcomer_labels: tuple[str, ...] = ()
    """The newcomer labels the repository has, whether or not any issue carries them."""

    default_branch_protected: bool | None = None
    """Whether the default branch is protected."""
    licence_spdx: str | None = None
    """The host's own licence detection (GitHub `licenseInfo.spdxId`, GitLab `license`)."""
    security_policy_url: str | None = None
    """The host's security policy page, when it has one."""
    secret_scanning: bool | None = None
    """Whether secret scanning is enabled."""
    has_org_defaults: bool | None = None
    """Whether the host supports organisation default community files (GitHub does, GitLab not)."""
    platform: str | None = None
    """The hosting platform that supplied these facts (`github`, `gitlab`); None for local scans."""

    branch_rules: BranchRules | None = None
    releases: tuple[HostRelease, ...] | None = None
    """Newest first; () when there are none."""
    vulnerability_reporting: bool | None = None
    """Whether private vulnerability reporting is on."""
    published_advisories: int | None = None
    discussions_enabled: bool | None = None
    secret_push_protection: bool | None = None
    """Whether pushes carrying secrets are blocked."""
    mfa_required: bool | None = None
    """Whether the owning organisation or group requires two-factor authentication."""
    default_workflow_permissions: str | None = None
    """The CI token's default: `read` (contents read only) or `write`."""
    collaborator_default: str | None = None
    """The permission a member gets on a repository unless one is assigned (`read`, `none`...)."""
    signoff_required: bool | None = None
    code_scanning_default: bool | None = None
    """Whether GitHub's code scanning default setup (CodeQL, on pull requests) is configured."""
    withheld: Mapping[HostFact, str] = field(default_factory=dict)
    """Facts the host refused to show, each with what would settle it (a token permission)."""


ACTIVITY_WINDOW_DAYS = 365
"""How far back connectors read the default branch's history: the last twelve months."""
MAX_HISTORY_COMMITS = 100
"""At most this many of the window's most recent commits are read, on every platform."""


_AUTOMATION_NAMES = ("dependabot", "renovate", "github-actions", "gitlab-bot", "pre-commit-ci")


def is_automation(name: str, identity: str) -> bool:
    """Whether a commit author is a bot rather than a person: `dependabot[bot]`, `renovate`."""
    for value in (name.strip().lower(), identity.strip().lower()):
        if "[bot]" in value or value.split("@", 1)[0].startswith(_AUTOMATION_NAMES):
            return True
    return False


@dataclass(frozen=True)
class RecentCommits:
    """Who committed to the default branch within the activity window, as far as was read."""

    since: datetime
    """The start of the window (the scan's time less `ACTIVITY_WINDOW_DAYS`)."""
    commits: int
    """Commits read within the window, people's and bots' alike."""
    people: tuple[str, ...]
    """Distinct authors among them (host login, else lower-cased e-mail), bots left out."""
    complete: bool
    """Every commit of the window was read: not cut short by the read bound, a shallow clone
    or an object that could not be read."""


@dataclass(frozen=True)
class RepoMetadata:
    """What is known of a repository besides its files."""

    archived: bool = False
    fork: bool = False
    empty: bool = False
    """The repository has no commits."""
    visibility: str = "public"
    description: str | None = None
    topics: tuple[str, ...] = ()
    pushed_at: datetime | None = None
    default_branch: str | None = None
    commit: str | None = None
    """The 40-hex commit the files were read from (the default branch's head), when known."""
    last_commit_at: datetime | None = None
    """When the head commit was committed; None when it could not be read."""
    tags: tuple[str, ...] | None = None
    """Names of the repository's tags and host releases (`v1.2.0`), newest first where the
    connector can tell; None when they could not be read."""
    recent_commits: RecentCommits | None = None
    """The default branch's recent history; None when it could not be read."""
    host: HostFacts = field(default_factory=HostFacts)


@dataclass(frozen=True)
class FileTypes:
    """How many files of each extension a repository's tree holds, counted up to a bound."""

    extensions: Mapping[str, int]
    """Files per lowercase extension without the dot (`py`, `md`; '' for none)."""
    complete: bool = True
    """False when the walk stopped at its bound: the counts are of the first files met."""
    samples: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The paths of the first files met of each extension, a few each: which
    files a count is made of, for evidence."""

    @property
    def total(self) -> int:
        return sum(self.extensions.values())


FileCounter = Callable[[], FileTypes | None]
"""Counts a repository's files by type, on demand."""

NOT_COUNTED_DIRECTORIES = frozenset(
    {"node_modules", "vendor", "venv", "site-packages", "target", "dist", "build", "__pycache__"}
)
"""Directories of dependencies or build output: what they hold is not the repository's own.
Hidden directories (`.git`, `.github`, `.venv`) are not counted either."""


def counts_towards_types(path: str) -> bool:
    """Whether a file at `path` is counted among the repository's own files."""
    parents = path.split("/")[:-1]
    return not any(p.startswith(".") or p in NOT_COUNTED_DIRECTORIES for p in parents)


def extension_of(name: str) -> str:
    """`clean.PY` -> `py`; '' for a name without one (`Makefile`, `.env`)."""
    stem, dot, extension = name.lower().rpartition(".")
    return extension if dot and stem else ""


def _no_reads(path: str, limit: int) -> bytes | None:
    return None


TreeNames = tuple[str, ...]
"""Names at the root of a tree, directories ending in `/` (`LICENSE`, `LICENSES/`)."""
TagLister = Callable[[str], "TreeNames | None"]
"""The root of a tag's tree; None when it cannot be read."""
DirectoryLister = Callable[[str], "tuple[FileEntry, ...] | None"]
"""Lists a directory beyond the listed ones, on demand; None when it cannot (or is absent)."""


@dataclass(frozen=True)
class Snapshot:
    """A repository as rules see it."""

    name: str
    """The repository's name within its entity."""
    url: str
    """Where a person can look at it."""
    metadata: RepoMetadata = field(default_factory=RepoMetadata)
    """Host metadata."""
    listings: Mapping[str, tuple[FileEntry, ...]] = field(default_factory=dict)
    """Entries of each listed directory that exists ('' is the root)."""
    reader: FileReader = _no_reads
    """Bounded reads of single files."""
    org_defaults: Snapshot | None = None
    """The organisation's defaults repository (GitHub's `.github`), when there is one."""
    warnings: tuple[str, ...] = ()
    """What the connector noticed and skipped (undecodable names, links leaving the tree)."""
    lister: DirectoryLister | None = None
    """Lists any other directory on demand (None: the connector cannot); rules never use it,
    fix mode looks for manifests below the root with it."""

    def list_directory(self, directory: str) -> tuple[FileEntry, ...] | None:
        """A directory's entries: listed already, or listed on demand (None: not known)."""
        key = directory.strip("/")
        if key in self.listings:
            return self.listings[key]
        if key in LISTED_DIRECTORIES or self.lister is None:
            return None
        return self.lister(key)

    file_counter: FileCounter = field(default=lambda: None)
    """Counts the whole tree's files by type when a rule asks (a walk of a clone, one request
    to a host); returns None when the connector cannot. Only `LISTED_DIRECTORIES` are listed
    otherwise."""

    tag_lister: TagLister | None = None
    """Lists the root of a release tag's tree (local clones); None: the connector cannot."""

    def file_types(self) -> FileTypes | None:
        """What kinds of file the whole tree holds, counted now; None when unknown."""
        return self.file_counter()

    def entries(self, directory: str = "") -> tuple[FileEntry, ...]:
        """The entries of a listed directory; empty when it does not exist."""
        return self.listings.get(directory.strip("/"), ())

    def entry(self, path: str) -> FileEntry | None:
        """The entry for a path inside a listed directory, matched exactly."""
        directory = path.rsplit("/", 1)[0] if "/" in path else ""
        return next((e for e in self.entries(directory) if e.path == path), None)

    def find_file(self, path: str) -> FileEntry | None:
        """The regular file at a path inside a listed directory, its name in any letter case."""
        directory, _, name = path.rpartition("/")
        wanted = name.lower()
        return next(
            (
                e
                for e in self.entries(directory)
                if e.name.lower() == wanted and e.kind is EntryKind.FILE
            ),
            None,
        )

    def read_bytes(self, path: str, limit: int = MAX_READ_BYTES) -> bytes | None:
        """At most `limit` bytes of a regular file; None for anything that is not one."""
        entry = self.entry(path)
        if entry is not None and entry.kind is not EntryKind.FILE:
            return None
        return self.reader(path, limit)

    def read_text(self, path: str, limit: int = MAX_READ_BYTES) -> TextFile | None:
        """A file's beginning as text, decoded leniently; None when it cannot be read."""
        data = self.read_bytes(path, limit + 1)
        if data is None:
            return None
        truncated = len(data) > limit
        return decode_text(data[:limit], truncated=truncated)


def decode_text(data: bytes, *, truncated: bool = False) -> TextFile:
    """Decode bytes as UTF-8 (with or without BOM), falling back to Windows-1252 / Latin-1."""
    if _looks_binary(data):
        return TextFile("", binary=True, truncated=truncated)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return TextFile(data.decode("utf-16", errors="replace"), truncated=truncated)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if truncated and exc.start >= len(data) - 3:
            text = data[: exc.start].decode("utf-8")  # a character cut by the read bound
        else:
            text = data.decode("cp1252", errors="replace")
    return TextFile(text, truncated=truncated)


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in head
