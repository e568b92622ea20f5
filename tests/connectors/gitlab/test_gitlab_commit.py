"""The commit a GitLab scan read: the default branch's head, asked with the root listing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RepoFactory
from tests.connectors.gitlab.conftest import FakeFactory, open_gitlab, read_all, snapshot
from tests.connectors.gitlab.fake_model import FakeInstance, FakeProject
from tests.gitrepos import git


@pytest.mark.usefixtures("no_token")
def test_each_project_names_the_head_of_its_default_branch(
    fake_gitlab: FakeFactory, tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    instance = FakeInstance()
    heads = {}
    for name in ("app", "lib"):
        repo = git_repo_factory(tmp_path / name, {"README.md": f"# {name}\n"})
        heads[f"agency/{name}"] = git(repo, "rev-parse", "HEAD", home=git_home).strip()
        instance.add_project(FakeProject.from_git(f"agency/{name}", repo))
    instance.add_project(FakeProject("agency/empty"))
    items = read_all(open_gitlab(fake_gitlab(instance), "agency"))
    for name, head in heads.items():
        found = snapshot(items, name)
        assert (found.metadata.commit, found.metadata.default_branch) == (head, "main")
    assert heads["agency/app"] != heads["agency/lib"]
    empty = items["agency/empty"]
    assert empty.metadata.commit is None
