"""Parsing `scan` arguments into targets (SPEC §2)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ospo_scan.connectors.interface import ScanOptions, Target, TargetKind
from ospo_scan.errors import UsageError
from ospo_scan.untrusted.redaction import has_credentials, without_credentials

CREDENTIALS_HINT = "give the token in GITHUB_TOKEN, GITLAB_TOKEN or the variable --token-env names"
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):(?!//)(.*)$", re.IGNORECASE)
_HOST_PATH = re.compile(r"^[\w.-]+(?:/[\w.-]+)*$")


def parse_target(raw: str, options: ScanOptions | None = None) -> Target:
    """`github:ORG[/REPO]`, `gitlab:GROUP[/...]`, an https URL of either, or a local path."""
    options = options or ScanOptions()
    text = raw.strip()
    if not text:
        raise UsageError("empty target")
    if text.lower().startswith(("https://", "http://")):
        return _parse_url(text, raw, options)
    if text.lower().startswith("file://"):
        return Target(TargetKind.LOCAL, urlsplit(text).path, raw=raw)
    scheme = _SCHEME.match(text)
    if scheme and len(scheme.group(1)) > 1:  # one letter is a Windows drive, not a scheme
        kind = scheme.group(1).lower()
        path = scheme.group(2).strip("/")
        if kind not in ("github", "gitlab"):
            raise UsageError(
                f"unknown target type {kind!r} in {raw!r}",
                hint="use github:ORG[/REPO], gitlab:GROUP[/PROJECT], a URL or a local path",
            )
        if not path or not _HOST_PATH.match(path):
            raise UsageError(f"{raw!r} does not name an organisation, group or repository")
        if kind == "github" and path.count("/") > 1:
            raise UsageError(f"{raw!r}: a GitHub target is ORG or ORG/REPO")
        target_kind = TargetKind.GITHUB if kind == "github" else TargetKind.GITLAB
        return Target(target_kind, path, raw=raw)
    return Target(TargetKind.LOCAL, text, raw=raw)


def _parse_url(url: str, raw: str, options: ScanOptions) -> Target:
    if has_credentials(url):
        raise UsageError(
            f"{without_credentials(url)}: a URL with credentials is not accepted",
            hint=CREDENTIALS_HINT,
        )
    gitlab_root = (options.gitlab_url or "").rstrip("/")
    if gitlab_root and url.rstrip("/").startswith(gitlab_root):
        return _host_target(TargetKind.GITLAB, url[len(gitlab_root) :], gitlab_root, raw)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    base = f"{parts.scheme}://{parts.netloc}"
    if host in ("github.com", "www.github.com"):
        return _host_target(TargetKind.GITHUB, parts.path, None, raw)
    if host == "gitlab.com" or host.startswith("gitlab.") or ".gitlab." in host:
        return _host_target(TargetKind.GITLAB, parts.path, base, raw)
    github_api = options.github_url or ""
    if github_api and urlsplit(github_api).hostname == host:
        return _host_target(TargetKind.GITHUB, parts.path, None, raw)
    raise UsageError(
        f"cannot tell whether {url} is GitHub or GitLab",
        hint="write github:ORG or gitlab:GROUP with --github-url or --gitlab-url for your instance",
    )


def _host_target(kind: TargetKind, path: str, base_url: str | None, raw: str) -> Target:
    path = path.split("/-/", 1)[0].strip("/")
    path = path.removesuffix(".git")
    if not path or not _HOST_PATH.match(path):
        raise UsageError(f"{raw!r} does not name an organisation, group or repository")
    if kind is TargetKind.GITHUB:
        segments = path.split("/")
        path = "/".join(segments[:2])
    return Target(kind, path, base_url=base_url, raw=raw)
