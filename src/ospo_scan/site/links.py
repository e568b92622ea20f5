"""Where each page of a site lives: paths relative to the site's root, from digests."""

from __future__ import annotations

from ospo_scan.site.html import slug

INDEX = "index.html"
SURVEY = "survey.html"


def entity_page(entity: str) -> str:
    return f"entity/{slug(entity)}.html"


def repository_page(entity: str, repository: str) -> str:
    return f"repo/{slug(entity, repository)}.html"


def rule_page(rule: str) -> str:
    return f"rule/{slug(rule)}.html"


def up(path: str) -> str:
    """A link from a page one folder down (entity/, repo/, rule/) to `path`."""
    return f"../{path}"
