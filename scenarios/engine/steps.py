"""The documentation walk for each option, built once at import time.

The walk follows the ten steps of a good response: hold off, record, prepare, raise it early,
explain the policy, stress the role, acknowledge feelings, offer alternatives, record the
conversation, then act on the platform. Keys are stable: the web app stores answers by key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from .guidance import Step, StepField
from .track import Track
from .vocabulary import Option

TEXT, DATE, DONE = StepField.TEXT, StepField.DATE, StepField.DONE

PAUSE = Step(
    "pause",
    "Hold off on the platform",
    "Leave the request as it is for now: don't accept, reply, like or comment until you have thought it through.",
    DONE,
)
RECORD = Step(
    "record_request",
    "Record the request",
    "Note the date, the platform and who sent it, by their relationship to the client rather than a full name.",
    TEXT,
)
PLAN = Step("planned_action", "Your planned action", "What do you plan to do, and why?", TEXT)
TALKING_POINTS = Step(
    "talking_points",
    "Prepare the conversation",
    "Your talking points: what you will say, how the person may react, and how you will answer.",
    TEXT,
)
NEXT_SESSION = Step(
    "next_session_date",
    "Raise it early in the next session",
    "Date of the next session. Bring it up near the start, not on your way out of the door.",
    DATE,
)
NEXT_CONTACT = Step(
    "next_contact_date",
    "Plan when you will reply",
    "Date you will get back to them, at your next contact through work or by a short note on a work channel.",
    DATE,
)
EXPLAIN = Step(
    "explain_policy",
    "Explain the policy",
    "Explain the agency's policy (or your own practice) and how it protects them and the work you do together.",
    DONE,
)
ROLE = Step(
    "role_not_person",
    "It's about the role",
    "Make it clear that the boundary comes with your job and says nothing about them as a person.",
    DONE,
)
FEELINGS = Step(
    "validate_feelings",
    "Acknowledge their feelings",
    "Name any disappointment or sense of rejection and accept it as a natural reaction.",
    DONE,
)
ALTERNATIVES = Step(
    "offer_alternatives",
    "Offer other ways to stay in touch",
    "Offer the ways you do keep in touch, such as the work phone or work email.",
    DONE,
)
CONVERSATION_DATE = Step("conversation_date", "Date of the conversation", "When did you talk about it?", DATE)
CONVERSATION_NOTES = Step(
    "conversation_notes",
    "Record the conversation",
    "The main points you covered and the person's reaction.",
    TEXT,
)
SUPERVISOR_APPROVAL = Step(
    "supervisor_approval",
    "Supervisor's approval",
    "Date your supervisor approved it. Don't act on the platform before then.",
    DATE,
)
SUPERVISOR_INFORMED = Step(
    "supervisor_informed",
    "Tell your supervisor",
    "Date you told your supervisor about the connection and agreed the plan.",
    DATE,
)
PRIVACY_CHECK = Step(
    "privacy_check",
    "Check your privacy settings",
    "Make personal accounts private and check that nothing public mentions your work, clients or workplace.",
    DONE,
)
WEIGH_FACTORS = Step(
    "weigh_factors",
    "Weigh it up",
    "Which factors matter here: power and seniority, any supervision between you, team culture, the agency's rules "
    "on colleague relationships, what the invitation means to each of you, and how they treat shared information?",
    TEXT,
)


def _done(prompt: str) -> Step:
    return Step("done_on_platform", "Done on the platform", prompt, DONE)


def _talk_then(first: tuple[Step, ...], when: Step, last: Step) -> tuple[Step, ...]:
    """The full conversation walk between `first` and the final platform step."""
    return first + (
        TALKING_POINTS,
        when,
        EXPLAIN,
        ROLE,
        FEELINGS,
        ALTERNATIVES,
        CONVERSATION_DATE,
        CONVERSATION_NOTES,
        last,
    )


def _with_approval(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """The same walk with the supervisor's approval recorded before acting on the platform."""
    return steps[:-1] + (SUPERVISOR_APPROVAL, steps[-1])


_IF_THEY_ASK = replace(
    TALKING_POINTS,
    title="Prepare for them raising it",
    prompt="Your talking points in case they bring it up: what you will say and how you will answer their reaction.",
)
_ACCEPT_CONNECTION = (
    replace(PAUSE, prompt="Before accepting, picture what they will see of your life, and what you will see of theirs."),
    RECORD,
    PLAN,
    _done("Accept the request, then review what they can see and keep your posts free of anything about work."),
)
_IGNORE_CONNECTION = (
    PAUSE,
    RECORD,
    PLAN,
    _IF_THEY_ASK,
    _done("Leave the request unanswered, and don't react to their posts in the meantime."),
)

_CONNECTION_WALKS = {
    Option.ACCEPT: _ACCEPT_CONNECTION,
    Option.IGNORE: _IGNORE_CONNECTION,
    Option.DISCUSS: _talk_then(
        (PAUSE, RECORD, PLAN),
        NEXT_SESSION,
        _done("Carry out what you told them (usually declining the request) and stay consistent from then on."),
    ),
    Option.DECLINE: _talk_then(
        (PAUSE, RECORD, PLAN),
        NEXT_SESSION,
        _done("After the conversation, decline the request (block only if needed); don't engage there before then."),
    ),
}

_OUTSIDE_WALKS = {
    Option.ACCEPT: _ACCEPT_CONNECTION,
    Option.IGNORE: _IGNORE_CONNECTION,
    Option.DISCUSS: _talk_then(
        (PAUSE, RECORD, PLAN),
        NEXT_CONTACT,
        _done("Carry out what you told them and stay consistent from then on."),
    ),
    Option.DECLINE: _talk_then(
        (PAUSE, RECORD, PLAN),
        NEXT_CONTACT,
        _done("Once you have told them, decline the request (block only if needed)."),
    ),
}

_ACCIDENTAL_PAUSE = replace(
    PAUSE,
    title="Don't interact on the platform",
    prompt="Leave the connection untouched for now: no likes, comments, messages or browsing of their profile.",
)
_ACCIDENTAL_WALKS = {
    Option.ACCEPT: (
        _ACCIDENTAL_PAUSE,
        RECORD,
        PLAN,
        SUPERVISOR_INFORMED,
        _done("Keep the connection, and review what each of you can now see."),
    ),
    Option.IGNORE: (
        RECORD,
        PLAN,
        SUPERVISOR_INFORMED,
        _done("Leave the connection as it is, without interacting."),
    ),
    Option.DISCUSS: _talk_then(
        (_ACCIDENTAL_PAUSE, RECORD, PLAN, SUPERVISOR_INFORMED),
        NEXT_SESSION,
        _done("After the conversation, remove the connection as you explained, and check your privacy settings."),
    ),
    Option.DECLINE: _talk_then(
        (_ACCIDENTAL_PAUSE, RECORD, PLAN, SUPERVISOR_INFORMED),
        NEXT_SESSION,
        _done("After the conversation, remove the connection (unfriend or unfollow) and check your privacy settings."),
    ),
}

_FOLLOW_WALKS = {
    Option.ACCEPT: (
        PRIVACY_CHECK,
        RECORD,
        PLAN,
        _done("Follow them back or approve the follow, knowing what each of you will see."),
    ),
    Option.IGNORE: (
        PRIVACY_CHECK,
        RECORD,
        PLAN,
        _IF_THEY_ASK,
        _done("Don't follow back, like or comment; let the follow sit."),
    ),
    Option.DISCUSS: _talk_then(
        (PRIVACY_CHECK, RECORD, PLAN),
        NEXT_SESSION,
        _done("Don't follow back; remove the follower only if you agreed to or if it's needed."),
    ),
    Option.DECLINE: _talk_then(
        (PRIVACY_CHECK, RECORD, PLAN),
        NEXT_SESSION,
        _done("After the conversation, remove them as a follower (block only if needed)."),
    ),
}

_MESSAGE_RECORD = replace(
    RECORD,
    prompt="Note when it arrived, on which phone, app or inbox, and who sent it (their relationship, not a full name).",
)
_MESSAGE_WALKS = {
    Option.ACCEPT: (
        _MESSAGE_RECORD,
        replace(PLAN, prompt="What you will reply, and when: keep it short and about the work."),
        _done("Reply sent, on a work channel, within the response time."),
    ),
    Option.IGNORE: (
        _MESSAGE_RECORD,
        PLAN,
        _IF_THEY_ASK,
        _done("Leave the message unanswered."),
    ),
    Option.DISCUSS: (
        _MESSAGE_RECORD,
        PLAN,
        TALKING_POINTS,
        NEXT_SESSION,
        EXPLAIN,
        ALTERNATIVES,
        CONVERSATION_DATE,
        CONVERSATION_NOTES,
        _done("No reply on this channel; keep to what you agreed."),
    ),
    Option.DECLINE: (
        _MESSAGE_RECORD,
        PLAN,
        replace(
            TALKING_POINTS,
            title="Prepare a short reply",
            prompt="A short, kind note saying this channel isn't used for your work together, and which ones are.",
        ),
        ALTERNATIVES,
        CONVERSATION_DATE,
        _done("Send the note through a work channel (or say it at the next session), then stop using this one."),
    ),
}

_COLLEAGUE_WALKS = {
    Option.ACCEPT: (WEIGH_FACTORS, PLAN, _done("Accept, and set what they can see the way you want it.")),
    Option.IGNORE: (WEIGH_FACTORS, PLAN, _IF_THEY_ASK, _done("Leave it unanswered.")),
    Option.DISCUSS: (
        WEIGH_FACTORS,
        replace(TALKING_POINTS, prompt="What you want to say to them, and how they may take it."),
        CONVERSATION_DATE,
        CONVERSATION_NOTES,
        _done("Carry out what you decided and stay consistent."),
    ),
    Option.DECLINE: (
        WEIGH_FACTORS,
        replace(TALKING_POINTS, prompt="How you will explain it kindly, ideally in person before declining."),
        CONVERSATION_DATE,
        CONVERSATION_NOTES,
        _done("Decline on the platform after you have had a word."),
    ),
}

WALKS: Mapping[Track, Mapping[Option, tuple[Step, ...]]] = MappingProxyType(
    {
        Track.SESSION: MappingProxyType(_CONNECTION_WALKS),
        Track.OUTSIDE: MappingProxyType(_OUTSIDE_WALKS),
        Track.ACCIDENTAL: MappingProxyType(_ACCIDENTAL_WALKS),
        Track.FOLLOW: MappingProxyType(_FOLLOW_WALKS),
        Track.MESSAGE: MappingProxyType(_MESSAGE_WALKS),
        Track.COLLEAGUE: MappingProxyType(_COLLEAGUE_WALKS),
    }
)

# Accepting something that needs approval adds the supervisor's sign-off before the platform step;
# the accidental walk records the supervisor conversation already.
APPROVAL_WALKS: Mapping[Track, tuple[Step, ...]] = MappingProxyType(
    {
        track: walks[Option.ACCEPT]
        if SUPERVISOR_INFORMED in walks[Option.ACCEPT]
        else _with_approval(walks[Option.ACCEPT])
        for track, walks in WALKS.items()
    }
)
