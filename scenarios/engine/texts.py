"""Everything the guidance says, in our own plain words.

Static texts are built once at import time; the functions fill in names, dates and periods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from policies.document.hours import ReplyDeadline
from policies.document.policy import Period

from .guidance import Reason
from .track import StatusProblem, Track
from .vocabulary import (
    AfterHours,
    Channel,
    ChannelUse,
    ClientStatus,
    Conduct,
    Decision,
    Medium,
    Option,
    Relationship,
    RequestKind,
)

PRACTICE = "practice guidance"
DEFAULT_CLAUSE = "default policy"
FALLBACK_CLAUSE = "fallback"
COOLING_OFF_CLAUSE = "cooling_off.after_discharge"
LEAVING_CLAUSE = "cooling_off.after_leaving"
HOURS_CLAUSE = "working_hours"
COLLEAGUE_CLAUSE = "colleague factors"


@dataclass(frozen=True, slots=True)
class OptionText:
    reasons: tuple[Reason, ...]
    consequences: tuple[str, ...]
    conversation_starters: tuple[str, ...] = ()


def _text(reason: str, cites: tuple[str, ...], consequences: tuple[str, ...], *starters: str) -> OptionText:
    return OptionText((Reason(reason, PRACTICE, cites),), consequences, starters)


_ACCEPT_CONNECTION = OptionText(
    (),
    (
        "They will see your personal posts, photos and friends, and you will see theirs.",
        "A public like or comment could show others that they use the service.",
        "It may be harder for them to ask for a different worker later on.",
    ),
)

OPTION_TEXTS: Mapping[Track, Mapping[Option, OptionText]] = MappingProxyType(
    {
        Track.SESSION: {
            Option.ACCEPT: _ACCEPT_CONNECTION,
            Option.IGNORE: _text(
                "Ignoring buys time, but people notice; have a plan for what you will say if they ask.",
                ("nasw_1_06_h",),
                (
                    "On its own, ignoring is weak with a current client or their family: they may notice, "
                    "feel rejected or bring it up when you least expect it.",
                ),
            ),
            Option.DISCUSS: _text(
                "Raising it early in the next session, warmly and honestly, lets you explain the boundary and keeps "
                "the working relationship strong.",
                ("tech_standards", "nasw_1_06_h"),
                ("It takes a few minutes of the next session and usually leaves no hard feelings.",),
                "Thank you for the request. It means a lot that you'd want to stay in touch.",
                "I keep my personal accounts for family and friends. That comes with my job; it isn't about you.",
                "You can always reach me on the work phone or by work email.",
            ),
            Option.DECLINE: _text(
                "Declining is the usual answer for someone you serve, best done after you have talked about it, not "
                "before.",
                ("nasw_1_06_h", "aca_a_5_e"),
                ("Declining before you have talked can feel like a snub; after a conversation it rarely does.",),
                "I'm going to say no to the request, and I wanted you to hear why from me first.",
                "I don't connect with anyone I work with, so our time stays about you and your family.",
            ),
        },
        Track.OUTSIDE: {
            Option.ACCEPT: _ACCEPT_CONNECTION,
            Option.IGNORE: _text(
                "Ignoring is quiet, but with no sessions ahead they may be left wondering; a short, kind word is "
                "often better.",
                (),
                ("They may notice the silence and take it as a rejection.",),
            ),
            Option.DISCUSS: _text(
                "With no sessions ahead, a short, warm note through a work channel (or a word at your next contact) "
                "explains the boundary and keeps the agency's door open.",
                ("nasw_1_06_c",),
                ("It takes a little time, and they hear the reason instead of guessing it.",),
                "It was good to hear from you, and I'm glad things are going well.",
                "Our agency asks us not to connect on personal accounts with people we have worked with, but you are "
                "always welcome to contact the agency.",
            ),
            Option.DECLINE: _text(
                "Declining keeps your personal accounts personal; do it once you have told them why.",
                ("nasw_1_06_c", "nasw_1_06_h"),
                ("Without a word first, a declined request can feel cold.",),
                "Thank you for thinking of me. I keep my personal accounts private, so I'll say no, but I hope things "
                "keep going well for you.",
            ),
        },
        Track.ACCIDENTAL: {
            Option.ACCEPT: OptionText(
                (), ("The connection stays live, so each of you keeps seeing the other's life.",)
            ),
            Option.IGNORE: _text(
                "Ignoring leaves the connection in place, so it stands or falls with accepting it.",
                (),
                ("Everything that comes with accepting still applies while the connection stays.",),
            ),
            Option.DISCUSS: _text(
                "Tell them you connected before you realised who it was, and explain the policy before you change "
                "anything on the platform.",
                ("nasw_1_06_h", "aamft_1_3"),
                ("A short, honest conversation usually clears it up.",),
                "I accepted a request before I realised it was you, so I wanted to mention it.",
                "I keep my personal accounts separate from my work, so I'll remove the connection. It isn't about "
                "you.",
            ),
            Option.DECLINE: _text(
                "Removing the connection after the conversation puts things right without surprising them.",
                ("nasw_1_06_h", "aca_h_6"),
                ("Removing it without a word first can hurt; talking first avoids that.",),
                "I'm going to remove the connection we made by mistake, and I wanted you to hear it from me first.",
                "Nothing changes about our work together, and you can reach me on the work phone.",
            ),
        },
        Track.FOLLOW: {
            Option.ACCEPT: OptionText((), ("Following back makes it personal, and others can see it.",)),
            Option.IGNORE: _text(
                "A follow of a public account needs no answer, so the first move is quiet: don't follow back, and "
                "make sure public posts show nothing about your work or private life.",
                ("aca_h_6", "nasw_1_06_fg"),
                ("They keep seeing whatever your public account shows.",),
            ),
            Option.DISCUSS: _text(
                "Because they can see your posts, mention it kindly at the next session with the policy, so nothing "
                "comes as a surprise later.",
                ("tech_standards", "nasw_1_06_fg"),
                ("Naming it shows you noticed and lets you explain before there is a misunderstanding.",),
                "I noticed you follow my public page. That's fine, and I wanted to tell you how I handle it.",
                "I don't follow back anyone I work with, so our work stays here, between us.",
            ),
            Option.DECLINE: _text(
                "Removing a follower can feel abrupt; keep it for when what they see could harm them or the work.",
                ("aca_h_6",),
                ("Removing a follower may be noticed, and may hurt if you haven't talked first.",),
                "I keep my page for people I don't work with, so I'll remove the follow. I wanted to tell you first.",
            ),
        },
        Track.MESSAGE: {
            Option.ACCEPT: OptionText(
                (), ("A reply sets an expectation about how fast you answer, so keep to working hours.",)
            ),
            Option.IGNORE: _text(
                "Leaving a message unanswered can leave someone anxious or feeling brushed off.",
                ("aca_h_2_a",),
                ("They may worry, or send more messages.",),
            ),
            Option.DISCUSS: _text(
                "Raising it at the next session lets you agree which channels you use and how quickly you answer.",
                ("aca_h_2_a", "nasw_1_06_e"),
                ("They wait until the next session for an answer.",),
                "Thanks for your message. Let's agree on the best ways to reach me.",
                "I answer on the work phone and by work email in working hours. If it's ever urgent, call emergency "
                "services or the crisis line.",
            ),
            Option.DECLINE: _text(
                "Telling them this channel isn't used, and which ones are, sets the expectation once.",
                ("nasw_1_06_e",),
                ("Clear, but it can feel abrupt unless you give them the other ways to reach you.",),
                "Thanks for getting in touch. I don't use this for my work, so please use the work phone or work "
                "email from now on.",
                "If it's ever an emergency, call emergency services or the crisis line straight away.",
            ),
        },
        Track.COLLEAGUE: {
            Option.ACCEPT: OptionText(
                (), ("You will see more of each other's private lives; think about what that means at work.",)
            ),
            Option.IGNORE: _text(
                "Leaving it unanswered is a common, quiet choice between colleagues, but they may ask.",
                (),
                ("They may notice, and it may come up at work.",),
            ),
            Option.DISCUSS: _text(
                "A word in person can settle what the connection would mean for both of you.",
                (),
                ("A short talk keeps things easy at work.",),
                "I saw your request and wanted a quick word about how I handle social media with people from work.",
            ),
            Option.DECLINE: _text(
                "You may say no to a colleague; a kind word first keeps the working relationship easy.",
                (),
                ("Some colleagues take it personally; explaining helps.",),
                "I keep my personal accounts for family and friends outside work. I hope you don't mind.",
                "It's nothing about you, and I'm glad to keep in touch at work.",
            ),
        },
    }
)

# --- reasons that depend on the facts ---------------------------------------------------

_DECISION_PHRASE = {
    Decision.ALLOWED: "allowed",
    Decision.NEEDS_APPROVAL: "allowed only with your supervisor's approval",
    Decision.NOT_ALLOWED: "not allowed",
}
_RULE_CITATIONS: Mapping[Relationship, tuple[str, ...]] = MappingProxyType(
    {
        Relationship.CURRENT_CLIENT: ("nasw_1_06_c", "nasw_1_06_h", "aca_a_5_e"),
        Relationship.CLIENT_FAMILY: ("nasw_1_06_c", "nasw_1_06_h"),
        Relationship.FORMER_CLIENT: ("nasw_1_06_c",),
        Relationship.COMMUNITY_MEMBER: ("nasw_1_06_fg", "nasw_4_03"),
        Relationship.COLLEAGUE: (),
        Relationship.OWN_SUPERVISOR: ("nasw_3_01_c",),
        Relationship.OWN_SUPERVISEE: ("nasw_3_01_c",),
    }
)


def _lower(label: str) -> str:
    return label[0].lower() + label[1:]


def rule_clause(relationship: Relationship, scope: str) -> str:
    return f"connection_rules: {relationship.value} / {scope}"


def channel_clause(channel: Channel) -> str:
    return f"channels: {channel.value}"


def rule_says(relationship: Relationship, medium: Medium, decision: Decision, rationale: str, clause: str) -> Reason:
    text = f"The policy says a connection with a {_lower(relationship.label)} on {medium.label} is {_DECISION_PHRASE[decision]}."
    return Reason(f"{text} {rationale}" if rationale else text, clause, _RULE_CITATIONS[relationship])


def after_cooling_off(decision: Decision, clause: str) -> Reason:
    return Reason(f"After the cooling-off period, your policy says it is {_DECISION_PHRASE[decision]}.", clause)


def no_rule(relationship: Relationship, medium: Medium) -> Reason:
    return Reason(
        f"The policy has no rule for a {_lower(relationship.label)} on {medium.label}, so the cautious answer "
        "applies until it does; check with your supervisor.",
        FALLBACK_CLAUSE,
        _RULE_CITATIONS[relationship],
    )


def odd_combination(kind: RequestKind, medium: Medium) -> Reason:
    return Reason(
        f"A {_lower(kind.label)} on {medium.label} isn't a combination this guidance knows, so it gives the "
        "cautious answer; check with your supervisor.",
        FALLBACK_CLAUSE,
    )


def status_problem(problem: StatusProblem, relationship: Relationship, status: ClientStatus | None) -> Reason:
    if problem is StatusProblem.MISSING:
        text = "The client's status isn't recorded, so the cautious answer applies until it is."
    else:
        shown = _lower(status.label) if status else "missing"
        text = (
            f"The relationship ({_lower(relationship.label)}) and the client's status ({shown}) disagree, so the "
            "cautious answer applies until the record is corrected."
        )
    return Reason(text, FALLBACK_CLAUSE, ("nasw_1_06_c",))


def cooling_off_running(period: Period, ends: dt.date | None) -> Reason:
    # None: the end falls after 9999-12-31, so the period can't have ended (and the date is surely a slip).
    when = f"it ends on {ends.isoformat()}" if ends else "it would end after 9999-12-31, so it has not ended"
    return Reason(
        f"Your policy asks for a cooling-off period of {period.describe()} after discharge; {when}, and until "
        "then the answer is no.",
        COOLING_OFF_CLAUSE,
        ("nasw_1_06_c",),
    )


def cooling_off_over(period: Period, ends: dt.date) -> Reason:
    return Reason(
        f"The cooling-off period of {period.describe()} after discharge ended on {ends.isoformat()}, so the rule "
        "for former clients now applies.",
        COOLING_OFF_CLAUSE,
    )


COOLING_OFF_DATE_MISSING = Reason(
    "The discharge date is missing, so the end of the cooling-off period can't be worked out; the cautious answer "
    "applies until the date is recorded.",
    COOLING_OFF_CLAUSE,
    ("nasw_1_06_c",),
)
DEFAULT_NEVER_FORMER = Reason(
    "Without an agency policy there is no cooling-off period to wait out, so former clients stay off personal "
    "accounts; no professional code sets a waiting period for social media.",
    DEFAULT_CLAUSE,
    ("nasw_1_06_c", "nasw_1_06_h"),
)


def cooling_off_after_leaving(period: Period) -> Reason:
    return Reason(
        f"If you have left the agency, your policy also asks you to wait {period.describe()} after your last day.",
        LEAVING_CLAUSE,
    )


def _join(words: Iterable[str]) -> str:
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def channel_missing(channel: Channel) -> Reason:
    return Reason(
        f"The policy doesn't say whether {_lower(channel.label)} may be used with clients, so the cautious answer "
        "applies.",
        FALLBACK_CLAUSE,
        ("nasw_1_06_e",),
    )


def channel_not_used(channel: Channel) -> Reason:
    return Reason(
        f"The policy doesn't allow {_lower(channel.label)} with clients.", channel_clause(channel), ("nasw_1_06_e",)
    )


def channel_used(channel: Channel, uses: tuple[ChannelUse, ...], relationships: tuple[Relationship, ...] = ()) -> Reason:
    who = f"with {_people(relationships)}" if relationships else "with clients"
    return Reason(
        f"The policy allows {_lower(channel.label)} {who} for: {_join(_lower(use.label) for use in uses)}.",
        channel_clause(channel),
    )


def _people(relationships: Iterable[Relationship]) -> str:
    """ "a current client or a client's family member" """
    return " or ".join(f"a {_lower(relationship.label)}" for relationship in relationships)


def channel_not_for(channel: Channel, relationships: tuple[Relationship, ...]) -> Reason:
    return Reason(
        f"The policy allows {_lower(channel.label)} only with {_people(relationships)}.",
        channel_clause(channel),
        ("nasw_1_06_e",),
    )


def offer_channels(channels: tuple[Channel, ...]) -> Reason:
    if not channels:
        return Reason("Ask your supervisor how clients should reach you; the policy allows no work channels.", "channels")
    return Reason(f"Offer the channels the policy allows: {_join(_lower(c.label) for c in channels)}.", "channels")


COLLEAGUE_WORK_CHANNEL = Reason(
    "Work channels are there for work between colleagues; answer as you would any work message.", COLLEAGUE_CLAUSE
)
COLLEAGUE_FACTORS = Reason(
    "With colleagues the weighing is different: power and seniority, whether one of you supervises the other, team "
    "culture, the agency's rules on colleague relationships, what the invitation means, liking each other versus not "
    "wanting to be left out, and trust in how they handle what you share.",
    COLLEAGUE_CLAUSE,
)
PEER_DECISION_IS_PERSONAL = Reason(
    "Between peers the decision is personal: accepting is fine if it feels right to you.", COLLEAGUE_CLAUSE
)
SUPERVISION_POWER = Reason(
    "Supervision puts power between you (evaluations, references, careers), so a personal connection can cloud "
    "fairness on both sides.",
    COLLEAGUE_CLAUSE,
    ("nasw_3_01_c",),
)


def _moment(at: dt.datetime) -> str:
    return f"{at.date().isoformat()} at {at.time():%H:%M}"


def reply_reason(deadline: ReplyDeadline, start: dt.time) -> Reason:
    """Why the reply is due when it is: the same rule the client statement describes."""
    limit = deadline.response_within_hours
    if not deadline.outside_hours:
        text = f"It arrived during working hours: reply within {limit} hours."
    elif deadline.after_hours is AfterHours.NEXT_WORKING_DAY:
        day = f"{deadline.counts_from.date().isoformat()}, " if deadline.counts_from else ""
        text = (
            f"It arrived outside working hours: reply on the next working day, {day}from {start:%H:%M}, "
            "not at night or at the weekend."
        )
    else:
        since = f", {_moment(deadline.counts_from)}" if deadline.counts_from else ""
        text = (
            f"It arrived outside working hours, so your policy's {limit} hours count from when work next "
            f"starts{since}, not from the moment it arrived."
        )
    return Reason(text, HOURS_CLAUSE, ("aca_h_2_a",))


NO_WORKING_DAYS = Reason("Your policy lists no working days; ask your supervisor when to reply.", HOURS_CLAUSE)
NOT_FOR_EMERGENCIES = Reason(
    "These channels aren't watched around the clock: if a message describes an emergency, point them to emergency "
    "services or the crisis line.",
    "channels",
    ("aca_h_2_a",),
)
SMALL_COMMUNITY = Reason(
    "In a small community connections can be hard to avoid: declare the connection to your supervisor and get their "
    "sign-off, and keep what you share general.",
    "exceptions.small_community",
    ("nasw_1_06_c", "aamft_1_3"),
)
SMALL_COMMUNITY_NEEDS_SIGN_OFF = Reason(
    "In a small community, a connection the policy allows still needs your supervisor's sign-off.",
    "exceptions.small_community",
    ("aamft_1_3",),
)
ACCIDENTAL_NEEDS_SUPERVISOR = Reason(
    "An accidental connection with someone you serve is worth telling your supervisor about, whatever you decide.",
    "procedures.consult_supervisor_when",
    ("aamft_1_3",),
)
DEFAULT_POLICY_USED = Reason(
    "Your agency has not published a policy; this is the conservative default.",
    DEFAULT_CLAUSE,
    ("tech_standards", "nasw_1_06_h", "aca_a_5_e"),
)


def agency_guidance(text: str, clause: str) -> Reason:
    return Reason(text, clause)


def conduct_clause(conduct: Conduct) -> str:
    return f"conduct.{conduct.value}"


# What staff are reminded of when a request touches a conduct expectation the policy states.
_CONDUCT_REMINDERS: Mapping[Conduct, Reason] = MappingProxyType(
    {
        Conduct.PRIVATE_PERSONAL_ACCOUNTS: Reason(
            "Your agency expects personal accounts to be kept private: before you answer, check what this person "
            "can already see on yours.",
            conduct_clause(Conduct.PRIVATE_PERSONAL_ACCOUNTS),
            ("nasw_1_06_fg",),
        ),
        Conduct.NO_SEARCHING_FOR_CLIENTS: Reason(
            "Don't look through their profile or search for them to learn more: your agency asks for a professional "
            "reason, such as safety, and their consent where it fits, before anyone looks.",
            conduct_clause(Conduct.NO_SEARCHING_FOR_CLIENTS),
            ("nasw_1_07_aq", "aca_h_6"),
        ),
        Conduct.NO_POSTS_ABOUT_WORK: Reason(
            "Don't answer the tag in public or add to the post: your agency expects no posts about work, the people "
            "you serve or a hard day at work.",
            conduct_clause(Conduct.NO_POSTS_ABOUT_WORK),
            ("nasw_1_06_fg",),
        ),
        Conduct.CLIENT_PHOTOS_WITH_CONSENT: Reason(
            "If the post shows someone you serve, your agency allows photos of clients only with their written "
            "consent: where there is none, ask for it to be taken down.",
            conduct_clause(Conduct.CLIENT_PHOTOS_WITH_CONSENT),
        ),
    }
)


def conduct_reminder(conduct: Conduct, note: str) -> tuple[Reason, ...]:
    """The reminder of an expectation the policy states, then the agency's own note on it, if any."""
    reminder = _CONDUCT_REMINDERS[conduct]
    return (reminder, agency_guidance(note, reminder.clause)) if note else (reminder,)


# --- follow-ups ----------------------------------------------------------------------------

RAISE_AT_NEXT_SESSION = "Raise it at the next session."
REPLY_AT_NEXT_CONTACT = "Get back to them through a work channel or at your next contact."
ACCIDENTAL_FOLLOW_UP = "Tell your supervisor, raise it at the next session, then remove the connection."
FOLLOW_FOLLOW_UP = "Check your privacy settings, don't follow back, and mention it at the next session."
OFFER_WORK_CHANNELS = "At the next session (or your next contact), tell them which work channels to use."
ASK_FOR_APPROVAL = "Ask your supervisor for approval before you accept."
DECLARE_TO_SUPERVISOR = "Tell your supervisor about the connection and get their sign-off."
ASK_SUPERVISOR = "Ask your supervisor how your policy applies here."


def cooling_off_ends(ends: dt.date | None) -> str:
    if ends is None:
        return "Check the discharge date: with it, the cooling-off period would end after 9999-12-31."
    return f"The cooling-off period ends on {ends.isoformat()}."


def reply_instruction(deadline: ReplyDeadline, start: dt.time) -> str:
    """What to do and by when; a deadline past the calendar is left unnamed rather than guessed."""
    limit = deadline.response_within_hours
    if not deadline.outside_hours:
        by = f", by {_moment(deadline.due)}" if deadline.due else ""
        return f"Reply within {limit} hours{by}."
    if deadline.after_hours is AfterHours.NEXT_WORKING_DAY:
        day = f"{deadline.counts_from.date().isoformat()}, " if deadline.counts_from else ""
        return f"Reply on the next working day, {day}from {start:%H:%M}."
    by = f", by {_moment(deadline.due)}" if deadline.due else ""
    return f"Reply within {limit} hours of the next start of work{by}."


# --- summaries -----------------------------------------------------------------------------

_NOT_ALLOWED_SUMMARY: Mapping[Track, str] = MappingProxyType(
    {
        Track.SESSION: "Don't accept: raise the request early in the next session, then decline it on the platform.",
        Track.OUTSIDE: "Don't accept: send a short, warm explanation through a work channel, then decline the request.",
        Track.ACCIDENTAL: (
            "Don't keep the connection: tell your supervisor, talk with the person at the next session, then remove it."
        ),
        Track.FOLLOW: (
            "Don't follow back: leave the follow, check your privacy settings and mention it kindly at the next session."
        ),
        Track.MESSAGE: "Don't reply on this channel: raise it at the next session and offer the work channels instead.",
        Track.COLLEAGUE: "This connection isn't allowed: explain it kindly, then decline.",
    }
)
_ALLOWED_SUMMARY: Mapping[Track, str] = MappingProxyType(
    {
        Track.ACCIDENTAL: "This connection is allowed, so you may keep it; tell your supervisor all the same.",
        Track.COLLEAGUE: "This is allowed, so the decision is personal: weigh it up before you accept.",
    }
)
_ALLOWED_CONNECTION = "This connection is allowed; accept it if you wish, once you have thought about what each of you will see."
_NEEDS_APPROVAL = "This needs your supervisor's approval: talk it over first, and don't act on the platform until they agree."


def summary(track: Track, verdict: Decision, reply: str | None, *, fallback: bool, default_policy: bool) -> str:
    if verdict is Decision.NOT_ALLOWED:
        text = _NOT_ALLOWED_SUMMARY[track]
    elif verdict is Decision.NEEDS_APPROVAL:
        text = _NEEDS_APPROVAL
    elif reply is not None:
        text = reply
    else:
        text = _ALLOWED_SUMMARY.get(track, _ALLOWED_CONNECTION)
    # One sentence: the lead-in says why the cautious answer applies, the rest says what to do.
    if default_policy:
        return f"With no agency policy published, {_lower(text)}"
    if fallback:
        return f"As the policy doesn't settle this, {_lower(text)}"
    return text
