"""`[contacts]`, `[readiness.YEAR]` and `[principles.N]` in `ospo-entity.toml`: parsed, and every
problem located."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.config.entity import load_entity_profile
from ospo_scan.errors import ConfigError
from ospo_scan.model import (
    Contacts,
    DeclaredPrinciple,
    OspoStage,
    PrincipleAnswer,
    Progress,
    Readiness,
)

PROFILE = """\
name = "Agency"

[contacts]
security = "security@agency.example.org"
conduct = "https://agency.example.org/conduct"
maintainers = ["@agency/ospo", "@someone", "ospo@agency.example.org"]

[readiness.2024]
ospo = "established"
policy = "completed"
guidelines = "developing"
recommendations = true
best-practices = false

[readiness.2023]
ospo = "planned"
"""


def load(tmp_path: Path, text: str) -> tuple[Contacts, dict[int, Readiness]]:
    file = tmp_path / "ospo-entity.toml"
    file.write_text(text, encoding="utf-8")
    parsed = load_entity_profile(file)
    return parsed.contacts, dict(parsed.readiness)


def test_contacts_and_readiness_are_parsed(tmp_path: Path) -> None:
    contacts, readiness = load(tmp_path, PROFILE)
    assert contacts == Contacts(
        security="security@agency.example.org",
        conduct="https://agency.example.org/conduct",
        maintainers=("@agency/ospo", "@someone", "ospo@agency.example.org"),
    )
    assert list(readiness) == [2023, 2024]
    assert readiness[2024] == Readiness(
        ospo=OspoStage.ESTABLISHED,
        policy=Progress.COMPLETED,
        guidelines=Progress.DEVELOPING,
        recommendations=True,
        best_practices=False,
    )
    assert readiness[2023] == Readiness(ospo=OspoStage.PLANNED)
    assert readiness[2023].answered


def test_absent_sections_are_no_answer_and_no_contact(tmp_path: Path) -> None:
    contacts, readiness = load(tmp_path, 'name = "Agency"\n')
    assert contacts == Contacts()
    assert readiness == {}
    assert not Readiness().answered


@pytest.mark.parametrize(
    ("text", "where", "cause"),
    [
        ('[contacts]\nsecurity = "not an address"\n', ":2: contacts.security: ", "e-mail"),
        ("[contacts]\nsecurity = 3\n", ":2: contacts.security: ", "e-mail"),
        (
            '[contacts]\nsecurity = "https://a.example/report](https://evil.example)"\n',
            ":2: contacts.security: ",
            "without <>()[]",
        ),
        (
            '[contacts]\nconduct = "https://a.example/<img src=x onerror=alert(1)>"\n',
            ":2: contacts.conduct: ",
            "without <>()[]",
        ),
        (
            '[contacts]\nsecurity = "https://a.example/(x)"\n',
            ":2: contacts.security: ",
            "e-mail",
        ),
        (
            '[contacts]\nsecurity = "https://a.example/\u202egpj.exe"\n',
            ":2: contacts.security: ",
            "control characters",
        ),
        (
            '[contacts]\nsecurity = "https://a.example/\\u001b]0;x\\u0007"\n',  # TOML escapes
            ":2: contacts.security: ",
            "control characters",
        ),
        ('[contacts]\nphone = "+1 555"\n', ":2: contacts.phone: ", "unknown key"),
        ('[contacts]\nmaintainers = "@a"\n', ":2: contacts.maintainers: ", "list of strings"),
        ('[contacts]\nmaintainers = ["a b"]\n', ":2: contacts.maintainers: ", "CODEOWNERS"),
        ('[readiness.2024]\nospo = "yes"\n', ":2: readiness.2024.ospo: ", "must be one of"),
        ('[readiness.2024]\npolicy = "done"\n', ":2: readiness.2024.policy: ", "completed"),
        (
            '[readiness.2024]\nbest-practices = "yes"\n',
            ":2: readiness.2024.best-practices: ",
            "true or false",
        ),
        ("[readiness.2024]\nbudget = 3\n", ":2: readiness.2024.budget: ", "unknown key"),
        ('[readiness.next]\nospo = "none"\n', ":1: readiness.next: ", "a year"),
        ('[readiness]\n"1890" = {ospo = "none"}\n', ":2: readiness.1890: ", "a year"),
        ("readiness = 2024\n", ":1: readiness: ", "must be a table"),
        ('[principles.2]\nanswer = "mostly"\n', ":2: principles.2.answer: ", "yes, partly, no"),
        ('[principles.2]\nevidence = "https://a.example"\n', ":1: principles.2.answer: ", "needed"),
        (
            '[principles.7]\nanswer = "yes"\nevidence = "our intranet"\n',
            ":3: principles.7.evidence: ",
            "http(s) URL",
        ),
        ('[principles.9]\nanswer = "yes"\n', ":1: principles.9: ", "numbered 1 to 8"),
        ('[principles.UN-2]\nanswer = "yes"\n', ":1: principles.UN-2: ", "numbered 1 to 8"),
        ('[principles.2]\nanswer = "yes"\nscore = 3\n', ":3: principles.2.score: ", "unknown key"),
        ("principles = 2\n", ":1: principles: ", "must be a table"),
    ],
)
def test_a_bad_value_names_file_line_and_key(
    tmp_path: Path, text: str, where: str, cause: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    message = caught.value.one_line()
    assert f"ospo-entity.toml{where}" in message
    assert cause in message


def test_declared_principles_are_parsed_by_number(tmp_path: Path) -> None:
    file = tmp_path / "ospo-entity.toml"
    file.write_text(
        'name = "Agency"\n\n[principles.7]\nanswer = "partly"\n\n'
        '[principles.2]\nanswer = "yes"\nevidence = "https://agency.example.org/contribute"\n',
        encoding="utf-8",
    )
    principles = load_entity_profile(file).principles
    assert list(principles) == ["2", "7"]
    assert principles["2"] == DeclaredPrinciple(
        PrincipleAnswer.YES, "https://agency.example.org/contribute"
    )
    assert principles["7"] == DeclaredPrinciple(PrincipleAnswer.PARTLY, None)
    assert principles["2"].as_answer() == {
        "answer": "yes",
        "evidence": "https://agency.example.org/contribute",
    }
