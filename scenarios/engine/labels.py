"""What each option is called in a situation, and which phase of the walk a step belongs to.

The option keys (accept, ignore, discuss, decline) never change: the web app stores them. Only the
words shown change with the situation, so a text message reads "Reply" rather than "Accept".
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .track import Track
from .vocabulary import LabelledEnum, Option


def _labels(accept: str, ignore: str, discuss: str, decline: str) -> Mapping[Option, str]:
    return MappingProxyType({Option.ACCEPT: accept, Option.IGNORE: ignore,
                             Option.DISCUSS: discuss, Option.DECLINE: decline})


_PLAIN = _labels(*(option.label for option in Option))

OPTION_LABELS: Mapping[Track, Mapping[Option, str]] = MappingProxyType({
    Track.SESSION: _PLAIN,
    Track.OUTSIDE: _PLAIN,
    Track.ACCIDENTAL: _labels("Keep the connection", "Leave it as it is", "Discuss", "Remove the connection"),
    Track.FOLLOW: _labels("Follow back", "Let it sit", "Discuss", "Remove the follower"),
    Track.MESSAGE: _labels("Reply", "Leave it", "Raise it at the next session",
                           "Tell them this channel isn't used"),
    Track.COLLEAGUE: _labels("Accept", "Leave it unanswered", "Have a word with them", "Decline"),
})


def option_label(track: Track, option: Option) -> str:
    return OPTION_LABELS[track][option]


class Phase(LabelledEnum):
    BEFORE = "before", "Before the conversation"
    AFTER = "after", "After the conversation"


# The seeds' order of events: hold off, record, plan and prepare before talking; what was said,
# how the person took it and what was done on the platform after. Keyed by step key, so the
# guidance stored for older requests falls into its phases too.
_AFTER_KEYS = frozenset({
    "explain_policy", "role_not_person", "validate_feelings", "offer_alternatives",
    "conversation_date", "conversation_notes", "done_on_platform",
    # "Before I do it" checks: what was done, seen or agreed.
    "what_you_looked_at", "supervisor_advice", "done_it",
})


def phase_of(step_key: str) -> Phase:
    return Phase.AFTER if step_key in _AFTER_KEYS else Phase.BEFORE
