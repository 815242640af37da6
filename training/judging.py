"""What the agency's policy says about a training scenario, and whether an answer agrees: pure Python.

The engine evaluates the scenario's facts against the policy (None means the conservative
default). The policy's answer is its recommendation for a four-option scenario, and for a
yes-or-no one "yes" only where accepting is allowed as it stands (needing a supervisor's approval
first is not a yes). The `signature` (recommendation and the verdict on every option) is what is
stored with an answer: when a later version gives a different one, the scenario is asked again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from policies.document import Policy
from scenarios.engine import evaluate, parse_facts
from scenarios.engine.citations import Citation, citations_for
from scenarios.engine.guidance import Guidance
from scenarios.engine.labels import option_label
from scenarios.engine.track import Track, track_for
from scenarios.engine.vocabulary import Option, Verdict

from .builtin import NO, YES, AnswerKind, Scenario, facts_document

NOON = dt.time(12, 0)


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Judgement:
    """The policy's side of one scenario on one day."""

    scenario: Scenario
    guidance: Guidance
    track: Track
    expected: tuple[str, ...]
    choices: tuple[Choice, ...]
    # No version published: the conservative default answered, and the page says so.
    default_policy: bool

    @property
    def signature(self) -> dict[str, Any]:
        return signature_of(self.guidance)

    def agrees(self, answer: str) -> bool:
        return answer in self.expected

    def label_of(self, answer: str) -> str:
        return next((choice.label for choice in self.choices if choice.value == answer), answer)

    @property
    def expected_labels(self) -> tuple[str, ...]:
        return tuple(self.label_of(answer) for answer in self.expected)

    @property
    def verdicts(self) -> tuple[tuple[str, str], ...]:
        """(what the option is called here, the policy's verdict on it), in the usual order."""
        return tuple((option_label(self.track, item.option), item.verdict.label) for item in self.guidance.options)

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why accepting is judged as it is under this policy (the reasons the engine gives under Accept)."""
        return tuple(reason.text for reason in self.guidance.option(Option.ACCEPT).reasons)

    @property
    def citations(self) -> tuple[Citation, ...]:
        return citations_for(self.scenario.citation_keys)


def signature_of(guidance: Guidance) -> dict[str, Any]:
    return {
        "recommended": [option.value for option in guidance.recommended],
        "verdicts": {item.option.value: item.verdict.value for item in guidance.options},
    }


def choices_for(scenario: Scenario, today: dt.date) -> tuple[Choice, ...]:
    if scenario.answer_kind is AnswerKind.YES_NO:
        return (Choice(YES, "Yes, I would accept"), Choice(NO, "No, not as things stand"))
    track = track_for(parse_facts(facts_document(scenario, today)))
    return tuple(Choice(option.value, option_label(track, option)) for option in Option)


def judge(scenario: Scenario, policy: Policy | None, today: dt.date) -> Judgement:
    """Run the engine on the scenario under `policy` (None: the conservative default) as of `today`."""
    facts = parse_facts(facts_document(scenario, today))
    guidance = evaluate(facts, policy, dt.datetime.combine(today, NOON))
    if scenario.answer_kind is AnswerKind.YES_NO:
        expected: tuple[str, ...] = (YES,) if guidance.option(Option.ACCEPT).verdict is Verdict.ALLOWED else (NO,)
    else:
        expected = tuple(option.value for option in guidance.recommended)
    return Judgement(scenario=scenario, guidance=guidance, track=track_for(facts), expected=expected,
                     choices=choices_for(scenario, today), default_policy=policy is None or policy.is_default)
