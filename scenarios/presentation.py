"""The request pages' words: the option cards, the walk's steps, and where each reason comes from.

Built from what the services stored; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scenarios.engine.citations import CITATIONS
from scenarios.engine.guidance import StepField
from scenarios.engine.vocabulary import Channel, Conduct, Option, Platform, PlatformGroup, Relationship, Verdict

from .models import ContactRequest, StepRecord


@dataclass(frozen=True)
class WalkStep:
    """One step of the chosen option's walk, with what has been documented so far."""

    key: str
    title: str
    prompt: str
    field: str
    number: int
    record: StepRecord | None
    # Set when a submitted value was refused: the message, the value as typed and the revision the
    # page had shown; `conflict` when another tab saved this step meanwhile.
    error: str = ""
    submitted: str = ""
    seen_revision: int | None = None
    conflict: bool = False

    @property
    def done(self) -> bool:
        return self.record is not None and self.record.done

    @property
    def saved_value(self) -> str:
        if self.record is None:
            return ""
        if self.field == StepField.DATE:
            return self.record.date.isoformat() if self.record.date else ""
        return self.record.text

    @property
    def value(self) -> str:
        return self.submitted if self.error else self.saved_value

    @property
    def revision(self) -> int:
        """The revision the page shows: after a conflict, the newer one, so saving again is deliberate."""
        if self.error and not self.conflict and self.seen_revision is not None:
            return self.seen_revision
        return self.record.revision if self.record is not None else 0


def walk_for(contact_request: ContactRequest, records: dict[str, StepRecord] | None = None) -> list[WalkStep]:
    """The chosen option's steps joined to their records (one query when records aren't given)."""
    if records is None:
        records = {step.step_key: step for step in contact_request.steps.all()}
    return [WalkStep(number=index, record=records.get(step["key"]), **step)
            for index, step in enumerate(contact_request.steps_of_choice(), start=1)]


def citation_label(key: str) -> str:
    citation = CITATIONS.get(key)
    return f"{citation.code} {citation.section}" if citation else key


_CLAUSES = {
    "cooling_off.after_discharge": "the cooling-off period after discharge",
    "cooling_off.after_leaving": "the cooling-off period after leaving the job",
    "working_hours": "working hours",
    "channels": "work channels",
    "exceptions.small_community": "small communities",
    "exceptions.accidental_connection": "accidental connections",
    "exceptions.public_account": "public accounts",
    "procedures.consult_supervisor_when": "when to consult your supervisor",
    "procedures.documentation": "what to document",
}
_NOT_POLICY = {
    "practice guidance": "Good practice",
    "default policy": "The conservative default (no agency policy)",
    "fallback": "The cautious answer for an unusual case",
    "colleague factors": "The colleague factors",
}


def _scope_label(value: str) -> str:
    for enum_cls in (Platform, PlatformGroup, Channel):
        try:
            return enum_cls(value).label.lower()
        except ValueError:
            continue
    return value.replace("_", " ")


def clause_label(clause: str) -> str:
    """Where a reason comes from, in words: a clause of the agency's policy, or good practice."""
    if clause in _NOT_POLICY:
        return _NOT_POLICY[clause]
    if clause.startswith("connection_rules:"):
        relationship, _, scope = clause.removeprefix("connection_rules:").strip().partition(" / ")
        try:
            who = Relationship(relationship).label.lower()
        except ValueError:
            who = relationship.replace("_", " ")
        return f"Policy: connections with a {who} on {_scope_label(scope)}"
    if clause.startswith("conduct."):
        try:
            return f"Policy: {Conduct(clause.removeprefix('conduct.')).label.lower()}"
        except ValueError:
            pass
    if clause.startswith("channels:"):
        return f"Policy: {_scope_label(clause.removeprefix('channels:').strip())}"
    return f"Policy: {_CLAUSES.get(clause, clause.replace('_', ' ').replace('.', ', '))}"


VERDICT_STYLE = {
    Verdict.ALLOWED: "text-bg-success",
    Verdict.NEEDS_APPROVAL: "text-bg-warning",
    Verdict.NOT_ALLOWED: "text-bg-danger",
}


@dataclass(frozen=True)
class OptionCard:
    option: str
    label: str
    verdict: str
    verdict_label: str
    verdict_style: str
    recommended: bool
    reasons: list[dict[str, Any]]
    citations: list[dict[str, str]]
    consequences: list[str]
    conversation_starters: list[str]

    @property
    def forbidden(self) -> bool:
        return self.verdict == Verdict.NOT_ALLOWED


def option_cards(contact_request: ContactRequest) -> list[OptionCard]:
    """The four options as stored, in plain words for the page."""
    cards = []
    for option in Option:
        stored = contact_request.option_guidance(option)
        verdict = Verdict(stored.get("verdict", Verdict.NOT_ALLOWED))
        cards.append(OptionCard(
            option=option.value, label=option.label, verdict=verdict.value,
            verdict_label="Needs supervisor approval" if verdict is Verdict.NEEDS_APPROVAL else verdict.label,
            verdict_style=VERDICT_STYLE[verdict], recommended=option.value in contact_request.recommended,
            reasons=[{"text": reason["text"], "source": clause_label(reason.get("clause", "")),
                      "citations": [citation_label(key) for key in reason.get("citations", [])]}
                     for reason in stored.get("reasons", [])],
            citations=stored.get("citations", []),
            consequences=stored.get("consequences", []),
            conversation_starters=stored.get("conversation_starters", []),
        ))
    return cards
