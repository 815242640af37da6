"""The engine's answer: frozen, ordered, and ready to turn into JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .citations import Citation
from .vocabulary import BeforeOption, LabelledEnum, Option, Verdict


class StepField(LabelledEnum):
    TEXT = "text"
    DATE = "date"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class Reason:
    text: str
    # The policy clause (or engine rule) that decided it, e.g. "cooling_off.after_discharge".
    clause: str
    citation_keys: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "clause": self.clause, "citations": list(self.citation_keys)}


@dataclass(frozen=True, slots=True)
class Step:
    # Stable within an option: the web app stores the practitioner's answers by key.
    key: str
    title: str
    prompt: str
    field: StepField

    def to_dict(self) -> dict[str, str]:
        return {"key": self.key, "title": self.title, "prompt": self.prompt, "field": self.field.value}


@dataclass(frozen=True, slots=True)
class FollowUp:
    text: str
    due: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "due": self.due.isoformat() if self.due else None}


@dataclass(frozen=True, slots=True)
class OptionGuidance:
    option: Option | BeforeOption
    verdict: Verdict
    reasons: tuple[Reason, ...]
    citations: tuple[Citation, ...]
    consequences: tuple[str, ...]
    steps: tuple[Step, ...]
    conversation_starters: tuple[str, ...]
    # What the option is called in this situation (a text message: "Reply"); the key stays `option`.
    label: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label or self.option.label,
            "verdict": self.verdict.value,
            "reasons": [reason.to_dict() for reason in self.reasons],
            "citations": [citation.to_dict() for citation in self.citations],
            "consequences": list(self.consequences),
            "steps": [step.to_dict() for step in self.steps],
            "conversation_starters": list(self.conversation_starters),
        }


@dataclass(frozen=True, slots=True)
class Guidance:
    recommended: tuple[Option | BeforeOption, ...]
    # Always accept, ignore, discuss, decline, in that order; for a "Before I do it" check
    # (vocabulary.BEFORE_KINDS) always proceed, hold_off, ask_supervisor.
    options: tuple[OptionGuidance, ...]
    supervisor_review: bool
    follow_ups: tuple[FollowUp, ...]
    fallback: bool
    outside_working_hours: bool
    summary: str
    policy_title: str

    def option(self, option: Option | BeforeOption | str) -> OptionGuidance:
        """The guidance for one option; a plain string such as "discuss" works too."""
        for guidance in self.options:
            if guidance.option == option:
                return guidance
        raise KeyError(option)

    def to_dict(self) -> dict[str, Any]:
        return {
            "recommended": [option.value for option in self.recommended],
            "options": {guidance.option.value: guidance.to_dict() for guidance in self.options},
            "supervisor_review": self.supervisor_review,
            "follow_ups": [follow_up.to_dict() for follow_up in self.follow_ups],
            "fallback": self.fallback,
            "outside_working_hours": self.outside_working_hours,
            "summary": self.summary,
            "policy_title": self.policy_title,
        }
