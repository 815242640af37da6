"""The decision: from the facts of one request and the agency policy to guidance on the four options.

A "Before I do it" check (BEFORE_KINDS) has three options instead and is decided in before.py.

Precedence, most specific first:
1. Colleagues, supervisors and supervisees are weighed by the colleague factors and their rules.
2. A combination the engine doesn't know, or a client status that is missing or contradicts the
   relationship, gets the cautious answer (`fallback`).
3. A work channel is decided by the channel rules (a rule may be for named relationships only),
   then by the working hours for the reply.
4. Otherwise the connection rule decides: a platform rule overrides its group's rule. For a former
   client (or the family of a discharged client) the cooling-off period comes first.
5. In a small community an allowed connection (not a reply on a work channel) still needs the
   supervisor's sign-off.
6. The conduct expectations the policy states add reminders where a request touches them
   (`_conduct_notes`); they never change a verdict.
7. The practitioner's own code binds them whatever the policy says: where it forbids what the policy
   allows (ACA A.5.e, `professions.stricter_code`), accepting is not allowed for them, and the option
   says why. Their code is cited first (`professions.cite_for`).

Cooling-off boundary: the period ends on `discharged_on + period` (calendar arithmetic, see
`Period.add_to`); on that date itself the cooling-off is over. An end past 9999-12-31 never comes.
Reply deadlines come from `hours.reply_deadline`, the rule the client statement also describes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from policies.document import DEFAULT_POLICY, Policy
from policies.document.hours import reply_deadline, within_hours
from policies.document.policy import WorkingHours

from . import texts
from .before import before_verdicts, evaluate_before
from .citations import citations_for
from .facts import Facts
from .guidance import FollowUp, Guidance, OptionGuidance, Reason, Step
from .labels import option_label
from .professions import cite_for, stricter_code
from .steps import APPROVAL_WALKS, WALKS
from .track import Track, is_former, odd_combination, status_problem, track_for
from .vocabulary import BEFORE_KINDS, AfterHours, Channel, Conduct, Option, Platform, Relationship, RequestKind, Verdict

OPTIONS: tuple[Option, ...] = tuple(Option)
_CONNECTION_TRACKS = frozenset({Track.SESSION, Track.OUTSIDE, Track.ACCIDENTAL, Track.FOLLOW})

_NOT_ALLOWED_FOLLOW_UP = {
    Track.SESSION: texts.RAISE_AT_NEXT_SESSION,
    Track.OUTSIDE: texts.REPLY_AT_NEXT_CONTACT,
    Track.ACCIDENTAL: texts.ACCIDENTAL_FOLLOW_UP,
    Track.FOLLOW: texts.FOLLOW_FOLLOW_UP,
    Track.MESSAGE: texts.OFFER_WORK_CHANNELS,
}


@dataclass(frozen=True, slots=True)
class _Accept:
    """The verdict on accepting, why, and anything that concerns the whole request."""

    verdict: Verdict
    reasons: tuple[Reason, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    notes: tuple[Reason, ...] = ()
    fallback: bool = False


def _cautious(reason: Reason, verdict: Verdict = Verdict.NOT_ALLOWED) -> _Accept:
    return _Accept(verdict, notes=(reason,), fallback=True)


def evaluate(facts: Facts, policy: Policy | None, now: dt.datetime) -> Guidance:
    """Guidance for one request; `policy=None` means the agency has none and DEFAULT_POLICY applies."""
    policy = policy or DEFAULT_POLICY
    if facts.kind in BEFORE_KINDS:
        return evaluate_before(facts, policy, now)
    track = track_for(facts)
    hours = policy.working_hours
    outside_hours = not within_hours(facts.received_at, hours)
    decided = _decide_accept(facts, policy, now.date(), track)

    verdict = decided.verdict
    accept_reasons = decided.reasons
    # The code is checked before the small-community sign-off: no sign-off can allow what it forbids.
    code_forbids = stricter_code(facts, track) if verdict is not Verdict.NOT_ALLOWED else None
    if code_forbids is not None:
        verdict = Verdict.NOT_ALLOWED
        accept_reasons += (code_forbids,)
    follow_ups = list(decided.follow_ups)
    reply: str | None = None
    if track is Track.MESSAGE and verdict is not Verdict.NOT_ALLOWED:
        timing, reply_follow_up = _reply_timing(facts.received_at, hours)
        accept_reasons += (timing,)
        follow_ups.append(reply_follow_up)
        reply = reply_follow_up.text

    small_community = _small_community(facts, track)
    if small_community and verdict is Verdict.ALLOWED:
        accept_reasons += (texts.SMALL_COMMUNITY_NEEDS_SIGN_OFF,)
    verdict, ignore_verdict = _accept_and_ignore(track, verdict, small_community)

    supervisor_review = (
        decided.fallback
        or small_community
        or track is Track.ACCIDENTAL
        or Verdict.NEEDS_APPROVAL in (verdict, ignore_verdict)
    )
    follow_ups.extend(_follow_ups(track, verdict, small_community, decided.fallback))
    notes = _notes(facts, policy, track, decided, small_community, supervisor_review)
    offer = (texts.offer_channels(policy.channels_for(facts.relationship)),) if track is Track.MESSAGE else ()

    options = (
        _option(track, Option.ACCEPT, verdict, accept_reasons, notes),
        _option(track, Option.IGNORE, ignore_verdict, _kept_by_ignoring(track, code_forbids), notes),
        _option(track, Option.DISCUSS, _ALWAYS_ALLOWED, offer, notes),
        _option(track, Option.DECLINE, _ALWAYS_ALLOWED, offer, notes),
    )
    guidance = Guidance(
        recommended=_recommended(track, verdict),
        options=options,
        supervisor_review=supervisor_review,
        follow_ups=tuple(follow_ups),
        fallback=decided.fallback or policy.is_default,
        outside_working_hours=outside_hours,
        summary=texts.summary(track, verdict, reply, fallback=decided.fallback, default_policy=policy.is_default),
        policy_title=policy.title,
    )
    return cite_for(guidance, facts.profession)


def _kept_by_ignoring(track: Track, code_forbids: Reason | None) -> tuple[Reason, ...]:
    """Ignoring an accidental connection keeps it, so a code that forbids it speaks under ignoring too."""
    return (code_forbids,) if code_forbids is not None and track is Track.ACCIDENTAL else ()


def verdicts(facts: Facts, policy: Policy | None, now: dt.datetime) -> tuple[Verdict, ...]:
    """The verdicts `evaluate` gives the options (in `OPTIONS` order; a check's three in its own), without the words.

    For comparing many requests under two policies (the policy what-if): it decides exactly as
    `evaluate` does, through the same functions, and skips the reasons, steps and citations.
    """
    policy = policy or DEFAULT_POLICY
    if facts.kind in BEFORE_KINDS:
        return before_verdicts(facts, policy)
    track = track_for(facts)
    decided = _decide_accept(facts, policy, now.date(), track)
    verdict = decided.verdict
    if verdict is not Verdict.NOT_ALLOWED and stricter_code(facts, track) is not None:
        verdict = Verdict.NOT_ALLOWED
    accept, ignore = _accept_and_ignore(track, verdict, _small_community(facts, track))
    return accept, ignore, _ALWAYS_ALLOWED, _ALWAYS_ALLOWED


def verdicts_key(facts: Facts, now: dt.datetime) -> tuple[object, ...]:
    """Everything of the facts and the time that `verdicts` reads: under one policy, two requests with
    the same key get the same verdicts, so a caller judging many requests may reuse an answer.

    The time of day and the context never change a verdict; the discharge date and the day count
    only where a cooling-off period can apply (a former client, or a discharged client's family).
    """
    former = is_former(facts)
    return (facts.kind, facts.medium, facts.relationship, facts.client_status, facts.small_community,
            facts.profession, facts.safety_concern, facts.written_consent,
            facts.discharged_on if former else None, now.date() if former else None)


# Discussing and declining never cross a boundary, so no policy forbids them.
_ALWAYS_ALLOWED = Verdict.ALLOWED


def _small_community(facts: Facts, track: Track) -> bool:
    # Small-community sign-off concerns connections, not replies on work channels or colleagues.
    return facts.small_community and track in _CONNECTION_TRACKS


def _accept_and_ignore(track: Track, verdict: Verdict, small_community: bool) -> tuple[Verdict, Verdict]:
    """The verdicts on accepting and on ignoring, from the rule's verdict on accepting."""
    if small_community and verdict is Verdict.ALLOWED:
        verdict = Verdict.NEEDS_APPROVAL
    # Leaving an accidental connection alone keeps it, so ignoring is judged like accepting.
    return verdict, verdict if track is Track.ACCIDENTAL else Verdict.ALLOWED


def _decide_accept(facts: Facts, policy: Policy, today: dt.date, track: Track) -> _Accept:
    if track is Track.COLLEAGUE:
        return _colleague(facts, policy)
    if odd_combination(facts):
        return _cautious(texts.odd_combination(facts.kind, facts.medium))
    problem = status_problem(facts)
    if problem is not None:
        return _cautious(texts.status_problem(problem, facts.relationship, facts.client_status))
    if isinstance(facts.medium, Channel):
        return _channel(facts.medium, policy, facts.relationship)
    return _connection(facts, facts.medium, policy, today)


def _colleague(facts: Facts, policy: Policy) -> _Accept:
    relationship = facts.relationship
    weighing: tuple[Reason, ...] = (texts.COLLEAGUE_FACTORS,)
    if relationship is not Relationship.COLLEAGUE:
        weighing += (texts.SUPERVISION_POWER,)
    if isinstance(facts.medium, Channel):
        return _Accept(Verdict.ALLOWED, weighing + (texts.COLLEAGUE_WORK_CHANNEL,))
    decision, rule = policy.decision_for(relationship, facts.medium)
    if decision is None or rule is None:
        # For colleagues the cautious answer is to ask first, not a flat no.
        return _Accept(
            Verdict.NEEDS_APPROVAL,
            weighing,
            notes=(texts.no_rule(relationship, facts.medium),),
            fallback=True,
        )
    says = texts.rule_says(
        relationship, facts.medium, decision, rule.rationale, texts.rule_clause(relationship, rule.scope.value)
    )
    reasons: tuple[Reason, ...] = weighing + (says,)
    if relationship is Relationship.COLLEAGUE and decision is Verdict.ALLOWED:
        reasons += (texts.PEER_DECISION_IS_PERSONAL,)
    return _Accept(decision, reasons)


def _channel(channel: Channel, policy: Policy, relationship: Relationship) -> _Accept:
    rule = policy.channel_rule(channel)
    if rule is None:
        return _cautious(texts.channel_missing(channel))
    if not rule.allowed:
        return _Accept(Verdict.NOT_ALLOWED, (texts.channel_not_used(channel),))
    if not rule.allowed_for(relationship):
        return _Accept(Verdict.NOT_ALLOWED, (texts.channel_not_for(channel, rule.relationships),))
    return _Accept(Verdict.ALLOWED, (texts.channel_used(channel, rule.uses, rule.relationships),))


def _connection(facts: Facts, platform: Platform, policy: Policy, today: dt.date) -> _Accept:
    relationship = facts.relationship
    decision, rule = policy.decision_for(relationship, platform)
    if decision is None or rule is None:
        return _cautious(texts.no_rule(relationship, platform))
    clause = texts.rule_clause(relationship, rule.scope.value)
    says = texts.rule_says(relationship, platform, decision, rule.rationale, clause)
    if not is_former(facts):
        return _Accept(decision, (says,))
    if policy.is_default:
        return _Accept(Verdict.NOT_ALLOWED, (texts.DEFAULT_NEVER_FORMER, says))

    leaving = policy.cooling_off_after_leaving
    after_leaving = (texts.cooling_off_after_leaving(leaving),) if leaving else ()
    period = policy.cooling_off_after_discharge
    if period is None or decision is Verdict.NOT_ALLOWED:
        return _Accept(decision, (says,) + after_leaving)
    if facts.discharged_on is None:
        return _Accept(Verdict.NOT_ALLOWED, (says,), notes=(texts.COOLING_OFF_DATE_MISSING,), fallback=True)
    ends = period.add_to(facts.discharged_on)
    if ends is not None and today >= ends:
        return _Accept(decision, (texts.cooling_off_over(period, ends), says) + after_leaving)
    return _Accept(
        Verdict.NOT_ALLOWED,
        (texts.cooling_off_running(period, ends), texts.after_cooling_off(decision, clause)) + after_leaving,
        follow_ups=(FollowUp(texts.cooling_off_ends(ends), ends),),
    )


def _reply_timing(at: dt.datetime, hours: WorkingHours) -> tuple[Reason, FollowUp]:
    deadline = reply_deadline(at, hours)
    if deadline.outside_hours and not hours.days:
        return texts.NO_WORKING_DAYS, FollowUp(texts.ASK_SUPERVISOR)
    if deadline.outside_hours and hours.after_hours is AfterHours.NEXT_WORKING_DAY:
        due = deadline.counts_from.date() if deadline.counts_from else None
    else:
        due = deadline.due.date() if deadline.due else None
    return texts.reply_reason(deadline, hours.start), FollowUp(texts.reply_instruction(deadline, hours.start), due)


def _follow_ups(track: Track, verdict: Verdict, small_community: bool, fallback: bool) -> tuple[FollowUp, ...]:
    found: list[FollowUp] = []
    if verdict is Verdict.NOT_ALLOWED and track in _NOT_ALLOWED_FOLLOW_UP:
        found.append(FollowUp(_NOT_ALLOWED_FOLLOW_UP[track]))
    if verdict is Verdict.NEEDS_APPROVAL:
        found.append(FollowUp(texts.ASK_FOR_APPROVAL))
    if small_community:
        found.append(FollowUp(texts.DECLARE_TO_SUPERVISOR))
    if fallback:
        found.append(FollowUp(texts.ASK_SUPERVISOR))
    return tuple(found)


def _notes(
    facts: Facts, policy: Policy, track: Track, decided: _Accept, small_community: bool, supervisor_review: bool
) -> tuple[Reason, ...]:
    """Reasons about the request as a whole; they appear under every option."""
    notes: list[Reason] = []
    if policy.is_default:
        notes.append(texts.DEFAULT_POLICY_USED)
    notes.extend(decided.notes)
    exceptions = policy.exceptions
    if track is Track.MESSAGE:
        notes.append(texts.NOT_FOR_EMERGENCIES)
    if small_community:
        notes.append(texts.SMALL_COMMUNITY)
        if exceptions.small_community_guidance:
            notes.append(texts.agency_guidance(exceptions.small_community_guidance, "exceptions.small_community"))
    if track is Track.ACCIDENTAL:
        notes.append(texts.ACCIDENTAL_NEEDS_SUPERVISOR)
        if exceptions.accidental_connection_guidance:
            notes.append(
                texts.agency_guidance(exceptions.accidental_connection_guidance, "exceptions.accidental_connection")
            )
    if track is Track.FOLLOW and exceptions.public_account_guidance:
        notes.append(texts.agency_guidance(exceptions.public_account_guidance, "exceptions.public_account"))
    notes.extend(_conduct_notes(facts, policy, track))
    if supervisor_review and policy.procedures.consult_supervisor_when:
        notes.append(
            texts.agency_guidance(policy.procedures.consult_supervisor_when, "procedures.consult_supervisor_when")
        )
    return tuple(notes)


def _conduct_notes(facts: Facts, policy: Policy, track: Track) -> tuple[Reason, ...]:
    """Reminders of the conduct the policy expects, where this request touches it.

    A request to connect, a follow or an accidental connection puts a profile in front of the
    practitioner: keep yours private, don't browse theirs. A tag or mention is a post about the work.
    """
    concerned: tuple[Conduct, ...] = ()
    if track in _CONNECTION_TRACKS:
        concerned += (Conduct.PRIVATE_PERSONAL_ACCOUNTS, Conduct.NO_SEARCHING_FOR_CLIENTS)
    if track is not Track.COLLEAGUE and facts.kind is RequestKind.TAG_MENTION:
        concerned += (Conduct.NO_POSTS_ABOUT_WORK, Conduct.CLIENT_PHOTOS_WITH_CONSENT)
    found: tuple[Reason, ...] = ()
    for conduct in concerned:
        expectation = policy.expects(conduct)
        if expectation.on:
            found += texts.conduct_reminder(conduct, expectation.note)
    return found


def _recommended(track: Track, verdict: Verdict) -> tuple[Option, ...]:
    if verdict is Verdict.ALLOWED:
        return (Option.ACCEPT,)
    if verdict is Verdict.NEEDS_APPROVAL or track is Track.MESSAGE:
        return (Option.DISCUSS,)
    # A follow of a public account needs no answer: stay quiet on the platform, then talk.
    if track is Track.FOLLOW:
        return (Option.IGNORE, Option.DISCUSS)
    return (Option.DISCUSS, Option.DECLINE)


def _option(
    track: Track, option: Option, verdict: Verdict, extra: tuple[Reason, ...], notes: tuple[Reason, ...]
) -> OptionGuidance:
    text = texts.OPTION_TEXTS[track][option]
    reasons = extra + text.reasons + notes
    steps: tuple[Step, ...]
    if verdict is Verdict.NOT_ALLOWED:
        steps = ()
    elif verdict is Verdict.NEEDS_APPROVAL and option is Option.ACCEPT:
        steps = APPROVAL_WALKS[track]
    else:
        steps = WALKS[track][option]
    return OptionGuidance(
        option=option,
        label=option_label(track, option),
        verdict=verdict,
        reasons=reasons,
        citations=citations_for(key for reason in reasons for key in reason.citation_keys),
        consequences=text.consequences,
        steps=steps,
        conversation_starters=text.conversation_starters,
    )
