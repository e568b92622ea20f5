"""A GitLab project's files counted by type, from its recursive repository tree through the real
python-gitlab client: only when a rule asks, a hundred entries a request, bounded; the
binary-artefact controls (OSPS-QA-05) judge it as they judge a local clone."""

from __future__ import annotations

import gitlab

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.gitlab.counts import tree_counter
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.model import Outcome, Report
from ospo_scan.scan.scanner import Scanner
from tests.connectors.gitlab.conftest import TOKEN, FakeFactory, open_gitlab, read_all, snapshot
from tests.connectors.gitlab.fake_gitlab import FakeGitLab
from tests.connectors.gitlab.fake_model import FakeInstance, FakeProject

TREE = "/repository/tree"
SHIPPED = {
    "README.md": "# Tool\n",
    "src/main.c": "int main(void) { return 0; }\n",
    "bin/tool.exe": "MZ",
    "lib/native/libtool.so": "ELF",
    "release/tool-1.0.tar.gz": "gz",
    "node_modules/dep/index.node": "dependencies are not the project's own",
    ".cache/old.jar": "hidden directories are not counted",
}
CLEAN = {"README.md": "# Clean\n", "src/main.c": "int main(void) { return 0; }\n"}


def _instance(*projects: tuple[str, dict[str, str]]) -> FakeInstance:
    instance = FakeInstance()
    instance.add_group("org")
    for path, texts in projects:
        instance.add_project(FakeProject.from_texts(path, texts))
    return instance


def _scan(fake: FakeGitLab, ruleset: str) -> Report:
    rules = load_ruleset(ruleset, load_plugins=False)
    return Scanner(rules, ScanOptions(gitlab_url=fake.url)).scan(["gitlab:org"])


def test_the_tree_is_counted_by_type(fake_gitlab: FakeFactory, gitlab_token: str) -> None:
    fake = fake_gitlab(_instance(("org/shipped", SHIPPED)))
    found = snapshot(read_all(open_gitlab(fake, "org")), "org/shipped")
    assert fake.count(TREE) == 0  # nothing is counted until a rule asks
    types = found.file_types()
    assert types is not None
    assert types.complete
    assert types.extensions == {"md": 1, "c": 1, "exe": 1, "so": 1, "gz": 1}
    assert types.samples["exe"] == ("bin/tool.exe",)
    assert fake.count(TREE) == 1  # nine entries: one page


def test_the_binary_artefact_controls_judge_a_gitlab_project(
    fake_gitlab: FakeFactory, gitlab_token: str
) -> None:
    fake = fake_gitlab(_instance(("org/shipped", SHIPPED), ("org/clean", CLEAN)))
    report = _scan(fake, "osps-baseline")
    outcomes = {
        (repo.name, result.rule): result
        for repo in report.repositories
        for result in repo.results
        if result.rule in ("no-generated-executables", "no-binary-artefacts")
    }
    executables = outcomes["org/shipped", "no-generated-executables"]
    assert executables.outcome is Outcome.FAIL
    assert {e.path for e in executables.evidence} == {"bin/tool.exe", "lib/native/libtool.so"}
    assert outcomes["org/shipped", "no-binary-artefacts"].outcome is Outcome.FAIL
    assert outcomes["org/clean", "no-generated-executables"].outcome is Outcome.PASS
    assert outcomes["org/clean", "no-binary-artefacts"].outcome is Outcome.PASS
    assert fake.count(TREE) == 2  # one count a project, shared by both rules

    default = fake_gitlab(_instance(("org/shipped", SHIPPED), ("org/clean", CLEAN)))
    _scan(default, "un-ospo")
    assert default.count(TREE) == 0  # no rule of the default ruleset counts files


def test_a_large_tree_is_counted_up_to_the_bound(
    fake_gitlab: FakeFactory, gitlab_token: str
) -> None:
    many = {f"src/module{n:03d}.py": "pass\n" for n in range(250)}
    fake = fake_gitlab(_instance(("org/large", many)))
    client = gitlab.Gitlab(fake.url, private_token=TOKEN)
    bounded = tree_counter(client, "org/large", "main", max_retries=0, limit=120)()
    assert bounded is not None
    assert not bounded.complete
    assert bounded.extensions["py"] == 119  # the 120 entries met first: `src` and 119 files
    assert fake.count(TREE) == 2  # two pages of a hundred
    whole = tree_counter(client, "org/large", "main", max_retries=0)()
    assert whole is not None
    assert whole.complete
    assert whole.extensions == {"py": 250}


def test_a_tree_gitlab_refuses_is_not_counted(fake_gitlab: FakeFactory, gitlab_token: str) -> None:
    fake = fake_gitlab(_instance(("org/shipped", SHIPPED)))
    client = gitlab.Gitlab(fake.url, private_token=TOKEN)
    assert tree_counter(client, "org/missing", "main", max_retries=0)() is None
    assert tree_counter(client, "org/shipped", None, max_retries=0)() is None
