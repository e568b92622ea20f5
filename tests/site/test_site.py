"""`ospo-scan site`: a static site of every audit in real stores (SPEC §12)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.formats.html import CONTENT_SECURITY_POLICY
from ospo_scan.site.build import MANIFEST
from ospo_scan.site.links import entity_page, repository_page
from ospo_scan.untrusted.display import neutralise
from tests.site.pages import broken_links, pages_of
from tests.site.system import (
    HOSTILE_ENTITY,
    HOSTILE_REPOSITORY,
    MIT,
    PRIVATE_REPOSITORY,
    System,
)

RULES = 23
"""Rules of the default ruleset: each has its page."""


def build(system: System, output: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main,
        ["site", "--history", str(system.store), "--output", str(output), *extra],
        catch_exceptions=False,
    )
    return result.exit_code, result.stderr


def test_the_site_has_a_page_per_entity_repository_and_rule(system: System, tmp_path: Path) -> None:
    site = tmp_path / "site"
    code, err = build(system, site)
    assert code == 0, err
    pages = pages_of(site)
    public = {
        HOSTILE_ENTITY: ["app", HOSTILE_REPOSITORY],
        "bureau": ["data", "tool"],
    }
    expected = {"index.html", "survey.html"} | {entity_page(name) for name in public}
    expected |= {repository_page(name, repo) for name, repos in public.items() for repo in repos}
    assert expected <= set(pages)
    assert len([name for name in pages if name.startswith("rule/")]) == RULES
    assert len(pages) == len(expected) + RULES
    assert broken_links(site, pages) == []
    index = pages["index.html"].all_text
    assert neutralise(HOSTILE_ENTITY) in index
    assert "bureau" in index
    assert "1 repository left out: not public, or visibility not recorded." in index
    assert "2026" in index  # the survey's year, declared beside evidenced
    manifest = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["pages"] == sorted(pages)
    assert err.strip() == (
        f"ospo-scan: site: {len(pages)} pages, {len(pages)} written, 0 removed; "
        "1 repositories not public left out"
    )


def test_every_page_is_self_contained_under_the_report_policy(
    system: System, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    assert build(system, site)[0] == 0
    for name, page in pages_of(site).items():
        policies = [
            attrs["content"]
            for tag, attrs in page.elements
            if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"
        ]
        assert policies == [CONTENT_SECURITY_POLICY], name
        tags = {tag for tag, _ in page.elements}
        assert tags.isdisjoint({"script", "img", "iframe", "link", "base", "form", "object"})
        for _, attrs in page.elements:
            assert "src" not in attrs, name
            assert not [a for a in attrs if a.startswith("on")], name
        assert all(not href.startswith(("/", "javascript:", "data:")) for href in page.links())


def test_a_private_repository_never_leaks(system: System, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert build(system, site)[0] == 0
    for path in site.rglob("*"):
        if path.is_file():
            assert PRIVATE_REPOSITORY not in path.read_text(encoding="utf-8"), path
    private_page = repository_page(HOSTILE_ENTITY, PRIVATE_REPOSITORY)
    assert not (site / private_page).exists()
    entity = pages_of(site)[entity_page(HOSTILE_ENTITY)].all_text
    assert "1 repository of the latest audit not shown" in entity

    code, err = build(system, tmp_path / "everything", "--include-private")
    assert code == 0, err
    assert (tmp_path / "everything" / private_page).is_file()
    index = pages_of(tmp_path / "everything")["index.html"].all_text
    assert "private repositories are included (--include-private)." in index


def test_a_repository_made_private_since_is_not_published_at_all(
    system: System, tmp_path: Path
) -> None:
    profile = system.agency / "ospo-entity.toml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text + '[repositories.app]\nvisibility = "private"\n', encoding="utf-8")
    system.audit(system.agency)
    site = tmp_path / "site"
    assert build(system, site)[0] == 0
    hidden = repository_page(HOSTILE_ENTITY, "app")
    assert not (site / hidden).exists()
    pages = pages_of(site)
    assert all(
        not href.endswith(hidden.split("/")[1]) for p in pages.values() for href in p.links()
    )
    entity = pages[entity_page(HOSTILE_ENTITY)].all_text
    assert "2 repositories of the latest audit not shown" in entity
    assert "Repositories gone" not in entity  # going private is not news the site tells


def test_hostile_names_are_escaped_and_neutralised(system: System, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert build(system, site)[0] == 0
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for raw in ("<script", "<img", "\u202e"):
            assert raw not in text, path
    repository = (site / repository_page(HOSTILE_ENTITY, HOSTILE_REPOSITORY)).read_text(
        encoding="utf-8"
    )
    assert "<h1>&lt;img src=x onerror=alert(1)&gt;\\u202e&amp;&quot;q</h1>" in repository
    assert "&lt;script&gt;alert(&quot;entity&quot;)&lt;/script&gt;\\u202eevil" in repository
    # page names are digests, never a repository's own string
    assert all(name.isascii() and "<" not in name for name in pages_of(site))


def test_a_new_audit_rewrites_only_the_pages_it_changes(system: System, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert build(system, site)[0] == 0
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in site.rglob("*.html")}

    system.commit(system.bureau / "tool", {"LICENSE": MIT})
    system.audit(system.bureau)
    code, err = build(system, site)
    assert code == 0, err
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in site.rglob("*.html")}
    assert set(after) == set(before)
    rewritten = {p.relative_to(site).as_posix() for p in after if after[p] != before[p]}
    agency = {entity_page(HOSTILE_ENTITY), repository_page(HOSTILE_ENTITY, "app")}
    assert rewritten.isdisjoint(agency | {repository_page(HOSTILE_ENTITY, HOSTILE_REPOSITORY)})
    assert {
        "index.html",
        entity_page("bureau"),
        repository_page("bureau", "tool"),
        repository_page("bureau", "data"),
    } <= rewritten
    for path, (data, _) in after.items():  # what was not rewritten kept its bytes
        if path.relative_to(site).as_posix() not in rewritten:
            assert data == before[path][0]
    assert f"{len(rewritten)} written, 0 removed" in err

    bureau = pages_of(site)[entity_page("bureau")].all_text
    assert "Since the previous audit" in bureau
    assert "tool" in bureau
    assert "improvement" in bureau

    code, err = build(system, site)
    assert code == 0
    assert ", 0 written, 0 removed;" in err


def test_pages_no_longer_produced_are_removed(system: System, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert build(system, site, "--include-private")[0] == 0
    private_page = site / repository_page(HOSTILE_ENTITY, PRIVATE_REPOSITORY)
    assert private_page.is_file()
    (site / "notes.txt").write_text("the user's own file\n", encoding="utf-8")
    code, err = build(system, site)
    assert code == 0, err
    assert "1 removed" in err
    assert not private_page.exists()
    assert (site / "notes.txt").read_text(encoding="utf-8") == "the user's own file\n"
    assert PRIVATE_REPOSITORY not in (site / MANIFEST).read_text(encoding="utf-8")


def test_reports_record_each_repository_visibility(system: System) -> None:
    result = CliRunner().invoke(
        main,
        ["scan", str(system.agency), "--visibility", "all", "--format", "json", "--no-history"],
        catch_exceptions=False,
    )
    assert result.exit_code in (0, 1), result.stderr
    visibility = {r["name"]: r["visibility"] for r in json.loads(result.stdout)["repositories"]}
    assert visibility == {
        "app": "public",
        HOSTILE_REPOSITORY: "public",
        PRIVATE_REPOSITORY: "private",
    }


def test_a_directory_of_other_files_is_refused(system: System, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "thesis.tex").write_text("mine\n", encoding="utf-8")
    code, err = build(system, site)
    assert code == 2
    assert err.startswith(
        f"ospo-scan: error: --output {site} holds files that are not an ospo-scan site"
    )
    assert len(err.splitlines()) == 1
    assert [p.name for p in site.iterdir()] == ["thesis.tex"]


def test_a_report_without_visibility_publishes_none_of_its_repositories(
    system: System, tmp_path: Path
) -> None:
    """Reports written before visibility was recorded cannot say a repository is public."""
    result = CliRunner().invoke(
        main,
        ["scan", str(system.bureau), "--format", "json", "--no-history"],
        catch_exceptions=False,
    )
    document = json.loads(result.stdout)
    for repository in document["repositories"]:
        del repository["visibility"]
    document["entity"]["name"] = "older"
    old = tmp_path / "older.json"
    old.write_text(json.dumps(document), encoding="utf-8")
    site = tmp_path / "site"
    code, err = build(system, site, str(old))
    assert code == 0, err
    assert not (site / repository_page("older", "tool")).exists()
    older = pages_of(site)[entity_page("older")].all_text
    assert "2 repositories of the latest audit not shown" in older
    assert (site / repository_page("bureau", "tool")).is_file()
