"""Where a GitLab target lives: the instance root and the group or project path on it.

A web URL such as `https://code.example.org/a/b/c` is ambiguous: the instance may be served at
the host's root (path `a/b/c`) or under a path prefix (`https://code.example.org/a`, path
`b/c`). `--gitlab-url` settles it: when the URL starts with that root, the rest is the path.
Without it, each candidate root is asked for its API, shortest prefix first, and the first one
that answers as GitLab wins; an instance at the host's root is found with one request. A
`gitlab:PATH` target needs no guessing: it lives on `--gitlab-url`, else on GitLab.com.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ospo_scan.connectors.interface import ScanOptions, Target
from ospo_scan.errors import TargetRejected

DEFAULT_ROOT = "https://gitlab.com"
KNOWN_ROOTS = frozenset({DEFAULT_ROOT})
"""Instances known to be served at the host's root (no probing needed)."""


@dataclass(frozen=True)
class Location:
    """A target resolved to an instance and a path on it."""

    root: str
    """The instance's web root, path prefix included, without a trailing slash."""
    path: str
    """The group or project full path, e.g. `group/sub/project`."""

    @property
    def web_url(self) -> str:
        return f"{self.root}/{self.path}"


ApiProbe = Callable[[str], bool]
"""Answers whether a GitLab API is served under a candidate root."""


def normalise_root(url: str) -> str:
    """An instance root as given by a user: no trailing slash, no `/api/v4` suffix."""
    root = url.strip().rstrip("/")
    for suffix in ("/api/v4", "/api"):
        if root.endswith(suffix):
            root = root[: -len(suffix)]
    if not root.startswith(("https://", "http://")):
        raise TargetRejected(
            f"GitLab URL {url!r} is not an http(s) URL",
            hint="give the instance root, e.g. --gitlab-url https://gitlab.example.org",
        )
    return root


def clean_path(path: str) -> str:
    """A group or project path from a target: no slashes around, no `.git`, no `/-/` page suffix."""
    path = unquote(path).strip().strip("/")
    if "/-/" in f"{path}/":
        path = f"{path}/".split("/-/", 1)[0].rstrip("/")
    if path.endswith(".git"):
        path = path[: -len(".git")]
    return path


def locate(target: Target, options: ScanOptions, probe: ApiProbe) -> Location:
    """Resolve a GITLAB target to an instance root and a path."""
    configured = normalise_root(options.gitlab_url) if options.gitlab_url else None
    if target.base_url is None:
        path = clean_path(target.path)
        _check_path(path, target)
        return Location(configured or DEFAULT_ROOT, path)

    full = normalise_root(target.base_url) + "/" + target.path.strip("/")
    full = full.rstrip("/")
    if configured and (full == configured or full.startswith(configured + "/")):
        path = clean_path(full[len(configured) :])
        _check_path(path, target)
        return Location(configured, path)

    parts = urlsplit(full)
    host_root = f"{parts.scheme}://{parts.netloc}"
    segments = [s for s in clean_path(parts.path).split("/") if s]
    if host_root in KNOWN_ROOTS:
        path = "/".join(segments)
        _check_path(path, target)
        return Location(host_root, path)
    # Shortest prefix first; at least one segment must stay for the group or project path.
    for cut in range(len(segments)):
        root = "/".join([host_root, *segments[:cut]])
        if probe(root):
            return Location(root, "/".join(segments[cut:]))
    raise TargetRejected(
        f"{host_root} does not answer as a GitLab instance (no GitLab API found under {full})",
        hint="check the URL, or give the instance root with --gitlab-url",
    )


def _check_path(path: str, target: Target) -> None:
    if not path:
        raise TargetRejected(
            f"GitLab target {target.raw or target.path!r} names no group or project",
            hint="use gitlab:GROUP[/SUBGROUP...] or gitlab:GROUP/PROJECT",
        )
