"""A rule per documented topic: the OSPS Baseline control's subclass says where to look, what
shows the subject, and whether the control applies only once the project has made a release."""

from __future__ import annotations

from typing import ClassVar

from ospo_scan.evidence import TEXT_EXTENSIONS, FileKind
from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules._documents import TEMPLATE_RULE
from ospo_scan.rules._topics import Reading, Sighting, Topic, has_released, read_documents
from ospo_scan.rules.boilerplate import unreviewed_template
from ospo_scan.rules.interface import Rule, RuleContext, not_applicable, unknown


class TopicRule(Rule):
    """Passes when the project's own documents cover `subject` (see the module docstring)."""

    subject: ClassVar[str]
    """What the documents must cover, as a phrase (`how to report defects`)."""
    topic: ClassVar[Topic]
    kinds: ClassVar[tuple[FileKind, ...]] = ()
    """Community documents that may cover it, in search order (own, else inherited)."""
    names: ClassVar[frozenset[str]] = frozenset()
    """Names (as `normalised_stem` gives them) of documents and directories on the subject."""
    related: ClassVar[frozenset[str]] = frozenset()
    """Names of documents read for sections and statements, which are not on the subject by
    their name alone (`INSTALL.md` for build instructions)."""
    name_extensions: ClassVar[frozenset[str]] = TEXT_EXTENSIONS
    with_templates: ClassVar[bool] = False
    """Also read the issue and pull or merge request templates."""
    after_release: ClassVar[bool] = False
    """The control applies once the project has made a release."""
    statement_words: ClassVar[str] = "a line stating it"
    """The statements `topic` finds, in words for `rules show`."""
    judged_by_person: ClassVar[str | None] = None
    """What only a person can judge of a document found, after "whether it" (`shows every
    actor and action`)."""

    def explain(self) -> tuple[tuple[str, str], ...]:
        lines = [("documents read", self.describe_places())]
        if self.topic.sections:
            lines.append(
                (
                    "section titles",
                    f"{', '.join(sorted(self.topic.sections))} (with at least "
                    f"{self.topic.min_words} words under the heading)",
                )
            )
        if self.topic.statements is not None:
            lines.append(("statements", self.statement_words))
        lines.append(TEMPLATE_RULE)
        lines.append(
            ("unknown", "a document that could not be read, or a directory named for the subject")
        )
        if self.after_release:
            lines.append(("not-applicable", "no tag and no release yet"))
        if self.judged_by_person:
            lines.append(("for a person to judge", f"whether it {self.judged_by_person}"))
        return tuple(lines)

    def describe_places(self) -> str:
        places = [kind.value.upper().replace("-", "_") for kind in self.kinds]
        if self.names:
            places.append(
                "documents or directories named "
                + ", ".join(sorted(self.names))
                + " in the root, docs/, .github/ or .gitlab/ (on the subject by their name)"
            )
        if self.related:
            places.append("documents named " + ", ".join(sorted(self.related)))
        if self.with_templates:
            places.append("issue and pull or merge request templates")
        return "; ".join(places)

    def check(self, context: RuleContext) -> Finding:
        released = has_released(context.snapshot)
        if self.after_release and released is False:
            return not_applicable(
                "The project has made no release (no tag, no release): the control applies "
                "once it has."
            )
        finding = self.conclude(self.read(context), context)
        missed = finding.outcome in (Outcome.FAIL, Outcome.PARTIAL)
        if self.after_release and released is None and missed:
            return unknown(
                f"{finding.message.rstrip('.')}; whether the project has made a release (the "
                "control's condition) could not be read",
                settles="a scan that can read the repository's tags or releases",
                evidence=finding.evidence,
            )
        return finding

    def conclude(self, reading: Reading, context: RuleContext) -> Finding:
        """The finding on what the documents show."""
        sighting = reading.first(self.topic)
        if sighting is not None:
            return self.judge(sighting, reading)
        return self.missing(reading)

    def judge(self, sighting: Sighting, reading: Reading) -> Finding:
        """The finding for a document that shows the subject: a pass, unless a control asks
        more of it."""
        message = f"{self.subject.capitalize()}: {sighting.describe()}."
        note = None
        if self.judged_by_person:
            message += f" Whether it {self.judged_by_person} is for a person to judge."
            note = "its adequacy is for a person to judge"
        return Finding(Outcome.PASS, message, (sighting.evidence(note),))

    def missing(self, reading: Reading) -> Finding:
        """The finding when no reviewed document shows the subject."""
        if reading.unread:
            paths = ", ".join(d.where for d in reading.unread)
            return unknown(
                f"No document read covers {self.subject}, and {paths} could not be read as text",
                settles=f"a person reading {paths}, or a scan that can read it",
                evidence=tuple(d.evidence("could not be read") for d in reading.unread),
            )
        shown = [d for d in reading.templates if d.path in reading.named or self.topic.find(d)]
        if shown:
            template = shown[0]
            why = unreviewed_template(template.text)
            return Finding(
                Outcome.PARTIAL,
                f"Only {template.where} covers {self.subject}, and it is written from a "
                f"template, not yet reviewed ({why}).",
                (template.evidence("unreviewed template"),),
            )
        if reading.directories:
            paths = ", ".join(f"{d}/" for d in reading.directories)
            return unknown(
                f"No document read covers {self.subject}; {paths} may, but the scan does not "
                "read directories below docs/",
                settles=f"a person reading {paths}",
                evidence=tuple(
                    Evidence(d, EvidenceSource.REPOSITORY, "not read") for d in reading.directories
                ),
            )
        if not reading.searched:
            return Finding(
                Outcome.FAIL,
                f"Nothing documents {self.subject}: none of the documents it is looked for in "
                "exists.",
            )
        searched = ", ".join(reading.searched)
        return Finding(Outcome.FAIL, f"Nothing documents {self.subject} (read: {searched}).")

    def read(self, context: RuleContext) -> Reading:
        """The documents this rule looks at, read."""
        return read_documents(
            context,
            self.kinds,
            self.names,
            self.related,
            name_extensions=self.name_extensions,
            with_templates=self.with_templates,
        )
