"""The built-in training scenarios, in our own words: pure Python, no Django, so they can be read and tested alone.

Each scenario holds facts the guidance engine can evaluate (in the shape `parse_facts` reads),
the considerations a practitioner should weigh, the professional code sections that apply (keys
of `scenarios.engine.citations.CITATIONS`, each checked against the code's text) and two or three
questions to take to supervision. Dates are relative ("two years after discharge"), so a scenario
reads the same on any day: `facts_document(scenario, today)` turns them into dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from scenarios.engine.citations import CITATIONS
from scenarios.engine.vocabulary import Option


class AnswerKind(StrEnum):
    YES_NO = "yes_no"  # "Would you accept?"
    OPTIONS = "options"  # one of accept, ignore, discuss, decline


YES, NO = "yes", "no"
ANSWERS: Mapping[AnswerKind, tuple[str, ...]] = MappingProxyType({
    AnswerKind.YES_NO: (YES, NO),
    AnswerKind.OPTIONS: tuple(option.value for option in Option),
})
# A late-evening message arrives at this local time, otherwise in the middle of the morning.
LATE_EVENING = dt.time(23, 40)
MORNING = dt.time(10, 30)


@dataclass(frozen=True, slots=True)
class Scenario:
    key: str
    title: str
    situation: str
    answer_kind: AnswerKind
    kind: str
    platform: str
    relationship: str
    considerations: tuple[str, ...]
    reflective_questions: tuple[str, ...]
    citation_keys: tuple[str, ...]
    client_status: str | None = None
    small_community: bool = False
    # For a discharged client: how long ago they were discharged.
    discharged_months_ago: int | None = None
    late_evening: bool = False
    built_in: bool = True
    # Anything else the page needs (a supervisor's scenario carries its row's id).
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def question(self) -> str:
        if self.answer_kind is AnswerKind.YES_NO:
            return "Would you accept it?"
        return "What would you do?"


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` earlier (the last day of a shorter month)."""
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    if year < 1:
        return dt.date.min
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def received_at(scenario: Scenario, today: dt.date) -> dt.datetime:
    """The most recent Tuesday on or before `today`: an ordinary working day, whatever today is."""
    tuesday = today - dt.timedelta(days=(today.weekday() - 1) % 7)
    return dt.datetime.combine(tuesday, LATE_EVENING if scenario.late_evening else MORNING)


def facts_document(scenario: Scenario, today: dt.date) -> dict[str, Any]:
    """The scenario's facts as `scenarios.engine.parse_facts` reads them, dated relative to `today`."""
    document: dict[str, Any] = {
        "kind": scenario.kind,
        "platform": scenario.platform,
        "relationship": scenario.relationship,
        "received_at": received_at(scenario, today).isoformat(timespec="minutes"),
        "small_community": scenario.small_community,
    }
    if scenario.client_status:
        document["client_status"] = scenario.client_status
    if scenario.discharged_months_ago is not None:
        document["discharged_on"] = months_before(today, scenario.discharged_months_ago).isoformat()
    return document


BUILT_IN: tuple[Scenario, ...] = (
    Scenario(
        key="client-facebook",
        title="A client asks to connect on Facebook",
        situation=(
            "You have visited a family every week for four months. At the end of today's visit the mother says "
            "she has sent you a friend request on Facebook, so you can see the photos of her son's progress."
        ),
        answer_kind=AnswerKind.OPTIONS,
        kind="friend_request", platform="facebook", relationship="current_client", client_status="current",
        considerations=(
            "The request comes from warmth and trust; how you answer matters as much as what you decide.",
            "A connection opens your private life to her, and hers to you: more than the work needs, both ways.",
            "Likes and comments in public can show others that she is a client.",
            "If she later wants a different provider, a personal tie makes that harder to ask for.",
            "The kind way is usually to talk about it at the next visit before doing anything on the platform.",
        ),
        reflective_questions=(
            "What would you say at the next visit, and how might she feel hearing it?",
            "Which ways of keeping in touch could you offer instead?",
            "What did you feel when she asked, and what does that tell you?",
        ),
        citation_keys=("nasw_1_06_h", "nasw_1_06_e", "aca_a_5_e"),
    ),
    Scenario(
        key="colleague-instagram",
        title="Your team lead asks to follow you",
        situation=(
            "Two weeks into a new job, the person who leads your team and signs off your caseload sends you "
            "a follow request on your personal Instagram account."
        ),
        answer_kind=AnswerKind.YES_NO,
        kind="follow", platform="instagram", relationship="own_supervisor",
        considerations=(
            "Between colleagues the choice is more personal, but power still counts: this person supervises you.",
            "Saying no to someone senior can feel risky; saying yes lets them see your life outside work.",
            "Think about the team's culture: does everyone connect, or does nobody?",
            "Trust matters: how will they treat what they see, and what you see of them?",
        ),
        reflective_questions=(
            "Would your answer change if a peer, or someone you supervise, had asked?",
            "What would you want your team lead to know about how you use that account?",
        ),
        citation_keys=("nasw_3_01_c", "nasw_4_03"),
    ),
    Scenario(
        key="late-night-text",
        title="A text on the work mobile late at night",
        situation=(
            "Late on a weekday evening a parent you work with texts your work mobile: the appointment "
            "time for Thursday no longer suits, and could you call back?"
        ),
        answer_kind=AnswerKind.OPTIONS,
        kind="text_message", platform="work_text", relationship="client_family", client_status="current",
        late_evening=True,
        considerations=(
            "A work channel is there for exactly this kind of message, within the agency's hours.",
            "Answering at midnight teaches that midnight is when you answer.",
            "A text is not for emergencies: families should know where to turn when something is urgent.",
            "Keep the reply short and about the appointment.",
        ),
        reflective_questions=(
            "When would you reply, and what would you write?",
            "Does the family know what to do if something can't wait until morning?",
        ),
        citation_keys=("nasw_1_06_e",),
    ),
    Scenario(
        key="former-client",
        title="A former client, two years after discharge",
        situation=(
            "A young man whose case you closed two years ago sends you a friend request on Facebook. "
            "He writes that he is doing well and wanted to say thank you."
        ),
        answer_kind=AnswerKind.YES_NO,
        kind="friend_request", platform="facebook", relationship="former_client", client_status="discharged",
        discharged_months_ago=24,
        considerations=(
            "Your agency sets how long after discharge a personal connection may be considered; the codes set no "
            "waiting period for social media.",
            "He may need the service again, and a personal tie could stand in the way.",
            "Power does not vanish at discharge: you still know a great deal about him.",
        ),
        reflective_questions=(
            "If he came back to the service next year, how would a connection change that?",
            "Is there a way to receive his thanks without a connection?",
        ),
        citation_keys=("nasw_1_06_c",),
    ),
    Scenario(
        key="accepted-by-accident",
        title="A request you accepted before realising who it was",
        situation=(
            "You accepted a friend request on Instagram from a profile with a nickname and a cartoon picture. "
            "A day later you realise it is the father of a child on your caseload."
        ),
        answer_kind=AnswerKind.OPTIONS,
        kind="accidental_connection", platform="instagram", relationship="client_family", client_status="current",
        considerations=(
            "It happens, and it is not a failing; what counts is what you do next.",
            "Leaving it in place keeps the connection, with all it lets each of you see.",
            "Tell your supervisor and talk with the father before removing it, so it is not a silent rejection.",
        ),
        reflective_questions=(
            "What would you say to him, and what would you write down?",
            "Could your profile settings make this less likely to happen again?",
        ),
        citation_keys=("nasw_1_06_h", "nasw_1_06_fg"),
    ),
    Scenario(
        key="public-follow",
        title="A client follows your public account",
        situation=(
            "You keep a public account where you share baking photos. You notice that a mother you visit "
            "each week has started following it, without asking."
        ),
        answer_kind=AnswerKind.OPTIONS,
        kind="follow", platform="instagram", relationship="client_family", client_status="current",
        considerations=(
            "A public account can be followed by anyone; no answer is expected of you.",
            "Following back would make it a connection both ways.",
            "What you post there, and which groups you belong to, is now part of what she knows about you.",
        ),
        reflective_questions=(
            "Would you change what you post, knowing she sees it?",
            "Would you mention it to her, and if so, how?",
        ),
        citation_keys=("nasw_1_06_fg", "aca_h_6"),
    ),
    Scenario(
        key="small-community",
        title="A small town where paths cross anyway",
        situation=(
            "In the small town where you live and work, the parent of a child you see coaches your own "
            "daughter's football team. After practice she sends you a friend request on Facebook."
        ),
        answer_kind=AnswerKind.YES_NO,
        kind="friend_request", platform="facebook", relationship="client_family", client_status="current",
        small_community=True,
        considerations=(
            "In a small place some overlap can't be avoided; the question is how to keep it from harming the work.",
            "Seeing each other at football is not the same as a connection online.",
            "Declare the overlap to your supervisor, whatever you decide.",
        ),
        reflective_questions=(
            "How would you keep the two roles apart at the side of the pitch?",
            "What would you want your supervisor to know about this overlap?",
        ),
        citation_keys=("nasw_1_06_c", "nasw_1_06_h"),
    ),
)

BY_KEY: Mapping[str, Scenario] = MappingProxyType({scenario.key: scenario for scenario in BUILT_IN})


def check_citations(keys: tuple[str, ...]) -> tuple[str, ...]:
    """The keys that name no known code section (none for every built-in scenario)."""
    return tuple(key for key in keys if key not in CITATIONS)
