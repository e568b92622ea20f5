"""The REST side of the fake GitHub: repositories, git trees, blobs and contents, as GitHub's
OpenAPI description shapes them (the responses are validated against it by `FakeGitHub`)."""

from __future__ import annotations

import base64
from typing import Any

from tests.connectors.github.fake_repos import FakeRepo, mode_of

API = "https://api.github.com"
DOCS = "https://docs.github.com/rest"
NOT_FOUND = {"message": "Not Found", "documentation_url": DOCS}

_REPO_URLS = (
    "archive_url:/{archive_format}{/ref}",
    "assignees_url:/assignees{/user}",
    "blobs_url:/git/blobs{/sha}",
    "branches_url:/branches{/branch}",
    "collaborators_url:/collaborators{/collaborator}",
    "comments_url:/comments{/number}",
    "commits_url:/commits{/sha}",
    "compare_url:/compare/{base}...{head}",
    "contents_url:/contents/{+path}",
    "contributors_url:/contributors",
    "deployments_url:/deployments",
    "downloads_url:/downloads",
    "events_url:/events",
    "forks_url:/forks",
    "git_commits_url:/git/commits{/sha}",
    "git_refs_url:/git/refs{/sha}",
    "git_tags_url:/git/tags{/sha}",
    "hooks_url:/hooks",
    "issue_comment_url:/issues/comments{/number}",
    "issue_events_url:/issues/events{/number}",
    "issues_url:/issues{/number}",
    "keys_url:/keys{/key_id}",
    "labels_url:/labels{/name}",
    "languages_url:/languages",
    "merges_url:/merges",
    "milestones_url:/milestones{/number}",
    "notifications_url:/notifications{?since,all,participating}",
    "pulls_url:/pulls{/number}",
    "releases_url:/releases{/id}",
    "stargazers_url:/stargazers",
    "statuses_url:/statuses/{sha}",
    "subscribers_url:/subscribers",
    "subscription_url:/subscription",
    "tags_url:/tags",
    "teams_url:/teams",
    "trees_url:/git/trees{/sha}",
)


def owner_json(login: str, kind: str) -> dict[str, Any]:
    base = f"{API}/users/{login}"
    return {
        "login": login,
        "id": 1,
        "node_id": "MDQ6VXNlcjE=",
        "avatar_url": f"https://avatars.githubusercontent.com/u/1?v=4&{login}",
        "gravatar_id": "",
        "url": base,
        "html_url": f"https://github.com/{login}",
        "followers_url": f"{base}/followers",
        "following_url": f"{base}/following{{/other_user}}",
        "gists_url": f"{base}/gists{{/gist_id}}",
        "starred_url": f"{base}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{base}/subscriptions",
        "organizations_url": f"{base}/orgs",
        "repos_url": f"{base}/repos",
        "events_url": f"{base}/events{{/privacy}}",
        "received_events_url": f"{base}/received_events",
        "type": kind,
        "site_admin": False,
    }


def repository_json(
    login: str, kind: str, repo: FakeRepo, *, full: bool, security: bool = False
) -> dict[str, Any]:
    """`minimal-repository` (listings), or `full-repository` when `full`; `security`: with
    `security_and_analysis`, which only administrators see."""
    full_name = f"{login}/{repo.name}"
    base = f"{API}/repos/{full_name}"
    body: dict[str, Any] = {
        "id": abs(hash(full_name)) % 10**8,
        "node_id": "R_fake",
        "name": repo.name,
        "full_name": full_name,
        "owner": owner_json(login, kind),
        "private": repo.private,
        "html_url": f"https://github.com/{full_name}",
        "description": repo.description,
        "fork": repo.fork,
        "url": base,
        "archived": repo.archived,
        "disabled": False,
        "visibility": "private" if repo.private else "public",
        "default_branch": repo.default_branch,
        "pushed_at": repo.pushed_at,
        "created_at": "2020-01-01T00:00:00Z",
        "updated_at": "2024-01-15T12:00:00Z",
        "topics": list(repo.topics),
        "size": sum(len(repo.content(p) or b"") for p in repo.files) // 1024,
        "license": _licence(repo.licence_spdx),
        "has_discussions": repo.discussions,
        "web_commit_signoff_required": repo.signoff,
    }
    if security:
        body["security_and_analysis"] = {
            "secret_scanning": {"status": "enabled" if repo.secret_scanning else "disabled"},
            "secret_scanning_push_protection": {
                "status": "enabled" if repo.push_protection else "disabled"
            },
        }
    for item in _REPO_URLS:
        key, suffix = item.split(":", 1)
        body[key] = base + suffix
    if full:
        body.update(
            {
                "clone_url": f"https://github.com/{full_name}.git",
                "git_url": f"git://github.com/{full_name}.git",
                "ssh_url": f"git@github.com:{full_name}.git",
                "svn_url": f"https://github.com/{full_name}",
                "mirror_url": None,
                "homepage": None,
                "language": None,
                "forks": 0,
                "forks_count": 0,
                "stargazers_count": 0,
                "watchers": 0,
                "watchers_count": 0,
                "open_issues": 0,
                "open_issues_count": 0,
                "network_count": 0,
                "subscribers_count": 0,
                "has_issues": True,
                "has_projects": False,
                "has_wiki": False,
                "has_pages": False,
                "permissions": {
                    "admin": False,
                    "maintain": False,
                    "push": repo.push,
                    "triage": True,
                    "pull": True,
                },
            }
        )
    return body


def _licence(spdx: str | None) -> dict[str, Any] | None:
    if spdx is None:
        return None
    return {
        "key": spdx.lower(),
        "name": spdx,
        "spdx_id": spdx,
        "url": f"{API}/licenses/{spdx.lower()}",
        "node_id": "L_fake",
    }


def tree_json(login: str, repo: FakeRepo, recursive: bool) -> tuple[int, Any]:
    """`git/trees/{sha}`: every entry of the repository (or of its root)."""
    if repo.empty:
        return 409, {"message": "Git Repository is empty.", "documentation_url": DOCS}
    paths = sorted(_all_paths(repo))
    if not recursive:
        paths = [p for p in paths if "/" not in p]
    base = f"{API}/repos/{login}/{repo.name}/git"
    entries = []
    for path in paths:
        kind = repo.kind(path)
        assert kind is not None
        entry: dict[str, Any] = {
            "path": path,
            "mode": f"{mode_of(kind):06o}",
            "type": "blob" if kind == "link" else kind,
            "sha": repo.oid(path),
        }
        if kind in ("blob", "link"):
            entry["size"] = len(repo.content(path) or b"")
            entry["url"] = f"{base}/blobs/{repo.oid(path)}"
        elif kind == "tree":
            entry["url"] = f"{base}/trees/{repo.oid(path)}"
        entries.append(entry)
    sha = repo.oid("")
    return 200, {"sha": sha, "url": f"{base}/trees/{sha}", "tree": entries, "truncated": False}


def _all_paths(repo: FakeRepo) -> set[str]:
    found: set[str] = set()
    for path in [*repo.files, *repo.submodules]:
        parts = path.split("/")
        found.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    return found


def blob_json(login: str, repo: FakeRepo, sha: str) -> tuple[int, Any]:
    path = next((p for p in repo.files if repo.oid(p) == sha), None)
    if path is None:
        return 404, NOT_FOUND
    data = repo.content(path) or b""
    return 200, {
        "content": base64.b64encode(data).decode("ascii"),
        "encoding": "base64",
        "url": f"{API}/repos/{login}/{repo.name}/git/blobs/{sha}",
        "sha": sha,
        "size": len(data),
        "node_id": f"B_{sha[:12]}",
    }


def contents_json(login: str, repo: FakeRepo, path: str) -> tuple[int, Any]:
    kind = repo.kind(path)
    if kind not in ("blob", "link"):
        return 404, NOT_FOUND
    data = repo.content(path) or b""
    body = file_json(login, repo.name, repo.default_branch, path, data, repo.oid(path))
    if len(data) > 1024 * 1024:
        body |= {"encoding": "none", "content": ""}
    if kind == "link":
        body["type"] = "symlink"
        body["target"] = data.decode("utf-8", errors="replace")
        del body["encoding"], body["content"]
    return 200, body


def file_json(
    login: str, name: str, branch: str, path: str, data: bytes, sha: str
) -> dict[str, Any]:
    """The contents API's answer for a file holding `data`."""
    base = f"{API}/repos/{login}/{name}"
    html = f"https://github.com/{login}/{name}/blob/{branch}/{path}"
    return {
        "type": "file",
        "encoding": "base64",
        "size": len(data),
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "content": base64.b64encode(data).decode("ascii"),
        "sha": sha,
        "url": f"{base}/contents/{path}",
        "git_url": f"{base}/git/blobs/{sha}",
        "html_url": html,
        "download_url": f"https://raw.githubusercontent.com/{login}/{name}/main/{path}",
        "_links": {
            "git": f"{base}/git/blobs/{sha}",
            "self": f"{base}/contents/{path}",
            "html": html,
        },
    }


def nullable_to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 `nullable: true` as JSON Schema (`type: [t, "null"]`)."""
    if isinstance(node, list):
        return [nullable_to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    converted = {k: nullable_to_json_schema(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable") and isinstance(node.get("type"), str):
        converted["type"] = [node["type"], "null"]
    elif node.get("nullable") and "allOf" in converted:  # a nullable reference to a schema
        return {"anyOf": [{"type": "null"}, converted]}
    return converted


def advisory_json(login: str, name: str, number: int) -> dict[str, Any]:
    """A published repository security advisory (`repository-advisory`)."""
    ghsa = f"GHSA-fake-{number:04d}-0000"
    return {
        "ghsa_id": ghsa,
        "cve_id": None,
        "url": f"{API}/repos/{login}/{name}/security-advisories/{ghsa}",
        "html_url": f"https://github.com/{login}/{name}/security/advisories/{ghsa}",
        "summary": f"Advisory {number}",
        "description": "A flaw, fixed.",
        "severity": "medium",
        "author": None,
        "publisher": None,
        "identifiers": [{"type": "GHSA", "value": ghsa}],
        "state": "published",
        "created_at": "2024-01-10T12:00:00Z",
        "updated_at": "2024-01-15T12:00:00Z",
        "published_at": "2024-01-15T12:00:00Z",
        "closed_at": None,
        "withdrawn_at": None,
        "submission": None,
        "vulnerabilities": [],
        "cvss": None,
        "cwes": [],
        "cwe_ids": [],
        "credits": [],
        "credits_detailed": [],
        "collaborating_users": [],
        "collaborating_teams": [],
        "private_fork": None,
    }


def organisation_json(login: str, *, owner: bool, base_permission: str) -> dict[str, Any]:
    """`GET /orgs/{org}`: what everyone sees, and the settings only its owners see."""
    base = f"{API}/orgs/{login}"
    body: dict[str, Any] = {
        "login": login,
        "id": 2,
        "node_id": "O_fake",
        "url": base,
        "repos_url": f"{base}/repos",
        "events_url": f"{base}/events",
        "hooks_url": f"{base}/hooks",
        "issues_url": f"{base}/issues",
        "members_url": f"{base}/members{{/member}}",
        "public_members_url": f"{base}/public_members{{/member}}",
        "avatar_url": "https://avatars.githubusercontent.com/u/2?v=4",
        "description": None,
        "html_url": f"https://github.com/{login}",
        "has_organization_projects": True,
        "has_repository_projects": True,
        "public_repos": 1,
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "type": "Organization",
        "created_at": "2020-01-01T00:00:00Z",
        "updated_at": "2024-01-15T12:00:00Z",
        "archived_at": None,
    }
    if owner:
        body["default_repository_permission"] = base_permission
    return body
