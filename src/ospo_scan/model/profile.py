"""What an entity says of itself in its profile: contacts and survey answers (SPEC §9).

The types live here, at the ground floor, because reports carry them; `config.profile` parses
the entity file into them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class OspoStage(str, enum.Enum):
    """Where the entity's Open Source Program Office stands."""

    NONE = "none"
    PLANNED = "planned"
    IN_PROGRESS = "in-progress"
    ESTABLISHED = "established"


class Progress(str, enum.Enum):
    """How far a policy or a set of guidelines has come."""

    NONE = "none"
    DEVELOPING = "developing"
    COMPLETED = "completed"


@dataclass(frozen=True)
class Contacts:
    """Where people reach the entity; `fix` fills templates from these and never invents one."""

    security: str | None = None
    """E-mail address or URL of the private channel for reporting vulnerabilities."""
    conduct: str | None = None
    """E-mail address or URL for reporting code of conduct incidents."""
    maintainers: tuple[str, ...] = ()
    """CODEOWNERS owners (`@user`, `@org/team` or e-mail addresses)."""

    @property
    def given(self) -> bool:
        """Whether the profile names any contact at all."""
        return bool(self.security or self.conduct or self.maintainers)


@dataclass(frozen=True)
class Readiness:
    """One year's survey answers; None is a question left unanswered."""

    ospo: OspoStage | None = None
    """Is there an OSPO?"""
    policy: Progress | None = None
    """Is there an open source policy?"""
    guidelines: Progress | None = None
    """Are there open source guidelines?"""
    recommendations: bool | None = None
    """Does the entity publish recommendations?"""
    best_practices: bool | None = None
    """Does the entity document best practices?"""

    @property
    def answered(self) -> bool:
        return any(value is not None for value in vars(self).values())

    def as_answers(self) -> dict[str, str | bool]:
        """The questions answered, under the entity file's own keys (as reports write them)."""
        answers = {
            "ospo": self.ospo.value if self.ospo else None,
            "policy": self.policy.value if self.policy else None,
            "guidelines": self.guidelines.value if self.guidelines else None,
            "recommendations": self.recommendations,
            "best-practices": self.best_practices,
        }
        return {key: value for key, value in answers.items() if value is not None}


class PrincipleAnswer(str, enum.Enum):
    """The entity's own assessment of how it meets a principle."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"


@dataclass(frozen=True)
class DeclaredPrinciple:
    """What the entity declares about one UN Open Source Principle (`[principles.N]`)."""

    answer: PrincipleAnswer
    """yes, partly or no."""
    evidence: str | None = None
    """An http(s) URL to the entity's own evidence: a policy, a contribution programme, a
    recognition scheme."""

    def as_answer(self) -> dict[str, str]:
        """The declaration as reports write it."""
        answer = {"answer": self.answer.value}
        if self.evidence is not None:
            answer["evidence"] = self.evidence
        return answer
