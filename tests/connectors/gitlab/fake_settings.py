"""Settings the fake GitLab serves through REST beyond projects and files: GitLab Premium's push
and approval rules, and the instance's own settings (administrators only)."""

from __future__ import annotations

from typing import Any

from tests.connectors.gitlab.fake_model import FakeInstance, FakeProject

Answer = tuple[Any, int]
"""JSON body and HTTP status."""


def premium(
    instance: FakeInstance,
    project: FakeProject,
    endpoint: str,
    authenticated: bool,
    maintainer: bool,
) -> Answer:
    """`GET /projects/:id/push_rule` and `/approval_rules`, absent from Community Edition. The
    push rule needs a maintainer (`authorize_admin_project`) and a tier with push rules, and is
    `null` when the project has none; the approval rules need someone who may open merge
    requests (the fake's reporters may not)."""
    if instance.tier == "ce":
        return {"error": "404 Not Found"}, 404
    if not authenticated:
        return {"message": "401 Unauthorized"}, 401
    if not maintainer:
        return {"message": "403 Forbidden"}, 403
    if endpoint == "push_rule":
        if instance.tier == "free":
            return {"message": "404 Not found"}, 404
        return project.push_rule, 200
    return (project.approval_rules if instance.tier != "free" else []), 200


def instance_settings(instance: FakeInstance, authenticated: bool, admin: bool) -> Answer:
    """`GET /application/settings`: administrators only."""
    if not authenticated:
        return {"message": "401 Unauthorized"}, 401
    if not admin:
        return {"message": "403 Forbidden"}, 403
    return {"require_two_factor_authentication": instance.require_two_factor}, 200
