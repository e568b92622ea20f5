"""Code under a content licence: CC-BY-4.0 is approved for content and data, not for code."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.config import load_ruleset
from ospo_scan.fix.licence_text import licence_text
from ospo_scan.model import Outcome
from tests.conftest import RepoFactory
from tests.licences.texts import scancode_text
from tests.scanning import evaluate, result

README = "# Nutrition survey tools\n\nCleans survey exports. Install with pip install nutri.\n"
CC_BY = scancode_text("cc-by-4.0")
CC0 = scancode_text("cc0-1.0")
APACHE = licence_text("Apache-2.0", "Agency for Food Data", 2025)

CODE = {
    "src/nutri/__init__.py": "",
    "src/nutri/clean.py": "def clean(rows):\n    return rows\n",
    "src/nutri/weights.py": "WEIGHTS = {}\n",
    "src/nutri/report.R": "summary(data)\n",
    "tests/test_clean.py": "def test_clean():\n    assert True\n",
    "pyproject.toml": '[project]\nname = "nutri"\n',
}
DATA = {
    **{f"data/round-{n}.csv": "district,children\nA,12\n" for n in range(1, 9)},
    "docs/method.md": "# Method\n\nHow the rounds were sampled.\n",
    "scripts/merge.py": "import csv\n",
}


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"LICENSE": CC_BY, **CODE}, Outcome.PARTIAL),
        ({"LICENSE": APACHE, "LICENSE-docs": CC_BY, **CODE}, Outcome.PASS),
        ({"LICENSE": CC_BY, **DATA}, Outcome.PASS),
    ],
    ids=["code-under-cc-by", "code-apache-texts-cc-by", "data-set-with-a-script"],
)
def test_code_under_a_content_licence_only_is_partial(
    git_repo_factory: RepoFactory, tmp_path: Path, files: dict[str, str], expected: Outcome
) -> None:
    repo = git_repo_factory(tmp_path / "nutri", {"README.md": README, **files})

    found = result(evaluate(repo), "license-approved")

    assert found.outcome is expected, found.message
    if expected is Outcome.PARTIAL:
        assert found.message == (
            "CC-BY-4.0 is approved for content and data, not for code, and this repository is "
            "mostly code (5 of its 8 files are source code); license the code under an open "
            "source licence (the ruleset's code_licences) and keep CC-BY-4.0 for texts and data."
        )


def test_the_ruleset_names_the_licences_that_count_for_code(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    ruleset_path = tmp_path / "ours.toml"
    ruleset_path.write_text(
        'id = "ours"\nextends = "un-ospo"\n\n[rules.license-approved]\n'
        'options = { code_licences = ["osi", "CC0-1.0"] }\n',
        encoding="utf-8",
    )
    ours = load_ruleset(str(ruleset_path), load_plugins=False)
    repo = git_repo_factory(tmp_path / "nutri", {"README.md": README, "LICENSE": CC0, **CODE})

    default = result(evaluate(repo), "license-approved")
    own = result(evaluate(repo, ours), "license-approved")

    assert default.outcome is Outcome.PARTIAL
    assert default.message.startswith("CC0-1.0 is approved for content and data, not for code")
    assert own.outcome is Outcome.PASS
