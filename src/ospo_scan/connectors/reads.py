"""Which files rules read, so that connectors fetching over a network prefetch only these.

Rules work on any snapshot, and a read that is not prefetched still works (fetched on demand,
one request); this list only keeps host scans to a few batched requests. A monorepo's package
files are wanted by the GitHub connector itself once it has listed the package directories
(`RepoFiles`); GitLab scans list only `LISTED_DIRECTORIES`, so there the rules see the workspace
a root declares and say that its packages were not looked at.
"""

from __future__ import annotations

from ospo_scan.config.exemptions import REPOSITORY_CONFIG
from ospo_scan.evidence import SEARCH_DIRECTORIES, FileKind, matches_kind
from ospo_scan.licences.files import is_licence_name
from ospo_scan.licences.manifests import is_manifest_name
from ospo_scan.rules._insights import DIRECTORIES as INSIGHTS_DIRECTORIES
from ospo_scan.rules._insights import FILE_NAMES as INSIGHTS_NAMES
from ospo_scan.rules.channels import READ_ROOT_FILES as CHANNEL_FILES
from ospo_scan.rules.ci import GITLAB_CI, WORKFLOWS_DIRECTORY, is_workflow_name
from ospo_scan.rules.participation import ALL_CONTRIBUTORS, CITATION, is_template_path
from ospo_scan.rules.releases import MANIFESTS
from ospo_scan.rules.security import DEPENDENCY_UPDATE_FILES
from ospo_scan.rules.workspaces import WORKSPACE_FILES

_DEPENDENCY_UPDATE_PATHS = frozenset(path.lower() for path in DEPENDENCY_UPDATE_FILES)

_ROOT_FILES = frozenset(
    {ALL_CONTRIBUTORS, CITATION} | {name for name, _, _ in MANIFESTS} | CHANNEL_FILES
)
"""Root files rules read besides licences and licence manifests."""


def is_ci_definition(path: str) -> bool:
    """Whether this is a CI definition: read ahead only when the ruleset reads CI definitions
    (`HostFact.CI_DEFINITIONS`), as a default scan does not."""
    directory, _, name = path.rpartition("/")
    return path == GITLAB_CI or (directory == WORKFLOWS_DIRECTORY and is_workflow_name(name))


def is_read_by_rules(path: str) -> bool:
    """Whether a rule reads this file's text (as opposed to only noting that it exists)."""
    directory, _, name = path.rpartition("/")
    if directory == "LICENSES" or path.lower() in _DEPENDENCY_UPDATE_PATHS:
        return True
    if is_template_path(path):
        return True
    if directory in INSIGHTS_DIRECTORIES and name.lower() in INSIGHTS_NAMES:
        return True
    if is_ci_definition(path):
        return True
    if directory == "" and (
        is_licence_name(name)
        or is_manifest_name(name)
        or name in (REPOSITORY_CONFIG, *WORKSPACE_FILES)
        or name in _ROOT_FILES
    ):
        return True
    return directory in SEARCH_DIRECTORIES and any(matches_kind(name, kind) for kind in FileKind)
