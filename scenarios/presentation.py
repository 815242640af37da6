"""The request pages' words: the option cards, the walk's steps, and where each reason comes from.

Built from what the services stored; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from boundaries.dates import show_day, show_time

from scenarios.engine.facts import Profession
from scenarios.engine.professions import CODE_CLAUSE, OWN_CODE, citation
from scenarios.engine.guidance import StepField
from scenarios.engine.labels import Phase, phase_of
from scenarios.engine.vocabulary import Channel, Conduct, Platform, PlatformGroup, Relationship, Verdict

from .models import ContactRequest, RequestStatus, StepRecord


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
    # What the box starts with when nothing is saved yet ("Record the request": what was logged).
    suggested: str = ""
    # Set when a phase was refused: every box shows what was typed, not only the refused ones.
    typed_kept: bool = False

    @property
    def phase(self) -> Phase:
        return phase_of(self.key)

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
        if self.error or self.typed_kept:
            return self.submitted
        return self.saved_value or (self.suggested if self.record is None else "")

    @property
    def revision(self) -> int:
        """The revision the page shows: after a conflict, the newer one, so saving again is deliberate."""
        if (self.error or self.typed_kept) and not self.conflict and self.seen_revision is not None:
            return self.seen_revision
        return self.record.revision if self.record is not None else 0


RECORD_STEP = "record_request"


def logged_summary(contact_request: ContactRequest) -> str:
    """What was logged, in a sentence, so "Record the request" need not ask for it again."""
    received = timezone.localtime(contact_request.received_at)
    if contact_request.is_before:
        text = f"{contact_request.title}, checked {show_day(received)} at {show_time(received)}."
    else:
        who = contact_request.get_relationship_display().lower()
        text = (f"{contact_request.get_kind_display()} on {contact_request.medium_label}, "
                f"from a {who}, received {show_day(received)} at {show_time(received)}.")
    if contact_request.client_reference:
        text += f" Client reference {contact_request.client_reference}."
    return text


def walk_for(contact_request: ContactRequest, records: dict[str, StepRecord] | None = None) -> list[WalkStep]:
    """The chosen option's steps joined to their records (one query when records aren't given)."""
    if records is None:
        records = {step.step_key: step for step in contact_request.steps.all()}
    return [WalkStep(number=index, record=records.get(step["key"]),
                     suggested=logged_summary(contact_request) if step["key"] == RECORD_STEP else "",
                     **{name: step[name] for name in ("key", "title", "prompt", "field")})
            for index, step in enumerate(contact_request.steps_of_choice(), start=1)]


@dataclass(frozen=True)
class WalkPhase:
    """"Before the conversation" or "After the conversation": its steps, saved with one button."""

    phase: Phase
    steps: list[WalkStep]
    # A "Before I do it" check has no conversation: its phases are before and after acting.
    check: bool = False

    @property
    def key(self) -> str:
        return self.phase.value

    @property
    def title(self) -> str:
        return CHECK_PHASE_TITLES[self.phase] if self.check else self.phase.label

    @property
    def done(self) -> bool:
        return all(step.done for step in self.steps)


CHECK_PHASE_TITLES = {Phase.BEFORE: "Before you act", Phase.AFTER: "Once you have acted (or held off)"}


def phases_of(walk: list[WalkStep], *, check: bool = False) -> list[WalkPhase]:
    """The walk in its two phases, each in the walk's order; a phase with no steps is left out."""
    return [WalkPhase(phase, steps, check) for phase in Phase
            if (steps := [step for step in walk if step.phase is phase])]


def ready_to_close(contact_request: ContactRequest, walk: list[WalkStep]) -> bool:
    """Every step documented while the walk is still open: the request only waits to be closed."""
    return (contact_request.status in (RequestStatus.IN_PROGRESS, RequestStatus.AWAITING_CONVERSATION)
            and bool(walk) and all(step.done for step in walk))


def citation_label(key: str) -> str:
    cited = citation(key)
    return f"{cited.code} {cited.section}".strip() if cited else key


def codes_line(contact_request: ContactRequest) -> str:
    """Whose code the guidance cites first, from the profession stored with the request; blank for older ones."""
    if not contact_request.profession:
        return ""
    profession = Profession(contact_request.profession)
    own = OWN_CODE.get(profession)
    if own is None:
        return "No profession with its own code is recorded, so the general references (NASW, ACA) are cited."
    who = profession.label.lower()
    article = "an" if who[0] in "aeiou" else "a"
    return (f"Logged by {article} {who}, so {own} is cited first; the general references (NASW, ACA) only where "
            "it is silent.")


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
    CODE_CLAUSE: "Your professional code",
    "professional codes": "The professional codes (your policy is silent)",
    "facts.safety_concern": "The safety concern you noted",
    "facts.written_consent": "Whether there is written consent",
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
    # On the second option of a recommended sequence: the first one's label ("then …" after it).
    then_after: str
    reasons: list[dict[str, Any]]
    citations: list[dict[str, str]]
    consequences: list[str]
    conversation_starters: list[str]

    @property
    def forbidden(self) -> bool:
        return self.verdict == Verdict.NOT_ALLOWED

    @property
    def forbidden_by_code(self) -> bool:
        """Not allowed because the practitioner's own code is stricter than the policy."""
        return self.forbidden and any(reason["source"] == _NOT_POLICY[CODE_CLAUSE] for reason in self.reasons)


def option_cards(contact_request: ContactRequest) -> list[OptionCard]:
    """The options as stored (four for a request, three for a check), in plain words for the page."""
    cards = []
    recommended = list(contact_request.recommended)
    for option in contact_request.options:
        stored = contact_request.option_guidance(option)
        verdict = Verdict(stored.get("verdict", Verdict.NOT_ALLOWED))
        cards.append(OptionCard(
            option=option.value, label=contact_request.option_label(option), verdict=verdict.value,
            verdict_label="Needs supervisor approval" if verdict is Verdict.NEEDS_APPROVAL else verdict.label,
            verdict_style=VERDICT_STYLE[verdict], recommended=recommended[:1] == [option.value],
            then_after=(contact_request.option_label(recommended[0])
                        if len(recommended) > 1 and recommended[1] == option.value else ""),
            reasons=[{"text": reason["text"], "source": clause_label(reason.get("clause", "")),
                      "citations": [citation_label(key) for key in reason.get("citations", [])]}
                     for reason in stored.get("reasons", [])],
            citations=stored.get("citations", []),
            consequences=stored.get("consequences", []),
            conversation_starters=stored.get("conversation_starters", []),
        ))
    return cards
