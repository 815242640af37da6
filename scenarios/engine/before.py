""""Before I do it": guidance on something the practitioner is about to do, with three options.

Looking a client up online, posting about work or a hard day, posting a photo taken at work and
answering an online review start with the practitioner, not with a request, so the options are
`proceed`, `hold_off` and `ask_supervisor` rather than accept, ignore, discuss and decline.

What decides, for each kind, is the conduct expectation the policy states (`policy.expects`):
- stated: the agency's expectation settles it;
- not stated: the policy is silent, so the professional codes decide where they are clear (looking a
  client up, a photo without written consent: hold off), and elsewhere the cautious answer is to ask a
  supervisor first (`fallback`).
Looking a client up with a safety concern is always a question for the supervisor: ask first, and
document the professional reason (NASW 1.07(a), 1.07(q); ACA H.6.c). A photo taken at work without
written consent is always "hold off". Anything that would confirm that someone is a client is
weighed against HIPAA's minimum-necessary rule (45 CFR 164.502(b)).

Holding off is always allowed. Asking the supervisor is always possible and puts the decision in
their hands (`needs_approval`), so that choosing it sends the check to them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from policies.document import Policy

from . import texts
from .citations import citations_for
from .facts import Facts
from .guidance import FollowUp, Guidance, OptionGuidance, Reason, Step, StepField
from .steps import PLAN, SUPERVISOR_APPROVAL
from .vocabulary import BeforeOption, Conduct, RequestKind, Verdict

PROCEED, HOLD_OFF, ASK = BeforeOption.PROCEED, BeforeOption.HOLD_OFF, BeforeOption.ASK_SUPERVISOR
CODES_CLAUSE = "professional codes"
SAFETY_CLAUSE = "facts.safety_concern"
CONSENT_CLAUSE = "facts.written_consent"

# Which expectation each kind is decided by.
CONDUCT_FOR: Mapping[RequestKind, Conduct] = MappingProxyType(
    {
        RequestKind.LOOK_UP_CLIENT: Conduct.NO_SEARCHING_FOR_CLIENTS,
        RequestKind.POST_ABOUT_WORK: Conduct.NO_POSTS_ABOUT_WORK,
        RequestKind.POST_PHOTO: Conduct.CLIENT_PHOTOS_WITH_CONSENT,
        RequestKind.REPLY_TO_REVIEW: Conduct.ONLINE_REVIEWS,
    }
)

_SEARCH_CODES = ("nasw_1_07_a", "nasw_1_07_q", "aca_h_6_c")
_DISCLOSURE_CODES = ("hipaa_164_502_b", "aca_h_6_d")


def _clause(conduct: Conduct) -> str:
    return texts.conduct_clause(conduct)


# --- the reasons --------------------------------------------------------------------------------

SAFETY = Reason(
    "A concern for someone's safety can be the compelling professional reason the codes ask for before you look "
    "a client up. Talk it over with your supervisor first, look only at what the concern needs, and write down "
    "the reason.",
    SAFETY_CLAUSE,
    _SEARCH_CODES,
)
SEARCH_POLICY = Reason(
    "Your agency expects staff not to search for the people they serve online or look through their profiles "
    "without a professional reason, such as safety. Curiosity, or wanting to know more, isn't one.",
    _clause(Conduct.NO_SEARCHING_FOR_CLIENTS),
    _SEARCH_CODES,
)
SEARCH_CODES = Reason(
    "Your policy says nothing about looking clients up, so the professional codes decide: without a compelling "
    "professional reason, such as safety, and their consent where it fits, don't look.",
    CODES_CLAUSE,
    _SEARCH_CODES,
)
POST_POLICY = Reason(
    "Your agency expects no posts about work, the people you serve or a hard day at work, even without names: "
    "people who know you can often tell who you mean.",
    _clause(Conduct.NO_POSTS_ABOUT_WORK),
    ("aca_h_6_d", "nasw_1_07_a"),
)
POST_SILENT = Reason(
    "Your policy doesn't say whether staff may post about work. A post can show who you serve even without a "
    "name, and confirming that someone is a client discloses something about them: ask your supervisor first.",
    texts.FALLBACK_CLAUSE,
    _DISCLOSURE_CODES,
)
NO_CONSENT_POLICY = Reason(
    "Your agency allows photos of the people you serve only with their written consent, and there is none for "
    "this photo.",
    _clause(Conduct.CLIENT_PHOTOS_WITH_CONSENT),
    ("nasw_1_07_a", "hipaa_164_502_b"),
)
NO_CONSENT_CODES = Reason(
    "Without written consent, a photo taken at work may show who uses the service, or where they live: the codes' "
    "duty of privacy and the minimum-necessary rule both say hold off.",
    CONSENT_CLAUSE,
    ("nasw_1_07_a", "hipaa_164_502_b", "aca_h_6_d"),
)
CONSENT_POLICY = Reason(
    "Your agency allows photos of the people you serve with their written consent, and you have it. Share no "
    "more than the consent covers: no names, places or tags.",
    _clause(Conduct.CLIENT_PHOTOS_WITH_CONSENT),
    ("hipaa_164_502_b",),
)
CONSENT_SILENT = Reason(
    "You have written consent, but your policy doesn't say whether photos taken at work may be shared: ask your "
    "supervisor where, if anywhere, it may go.",
    texts.FALLBACK_CLAUSE,
    _DISCLOSURE_CODES,
)
PHOTO_IS_A_POST = Reason(
    "Your agency also expects no posts about work on personal accounts: share the photo through the agency's own "
    "page or newsletter, not your own account.",
    _clause(Conduct.NO_POSTS_ABOUT_WORK),
    ("aca_h_6_d",),
)
REVIEW_POLICY = Reason(
    "Your agency lets staff answer an online review only in general words that don't confirm the reviewer is a "
    "client: thank them, or invite them to contact the agency directly. No details of the work, not even to "
    "correct a mistake.",
    _clause(Conduct.ONLINE_REVIEWS),
    _DISCLOSURE_CODES,
)
REVIEW_SILENT = Reason(
    "Your policy doesn't say who answers online reviews or how. Any reply that confirms the reviewer is a client "
    "discloses it in public: ask your supervisor first.",
    texts.FALLBACK_CLAUSE,
    _DISCLOSURE_CODES,
)

# The default's own note names the codes on connections; here only the standards on having a policy apply.
DEFAULT_USED = Reason(texts.DEFAULT_POLICY_USED.text, texts.DEFAULT_CLAUSE, ("tech_standards",))

# What each option means, whatever the kind.
_HOLD_OFF_REASON = Reason(
    "Holding off is always open to you: nothing is lost by waiting, and the decision can be talked through later.",
    texts.PRACTICE,
)
_ASK_REASON = Reason(
    "Your supervisor can weigh it with you and agree what, if anything, to do; choosing this sends the check to "
    "them.",
    texts.PRACTICE,
)


@dataclass(frozen=True, slots=True)
class _Decided:
    """The verdict on going ahead and why; `fallback` when the policy is silent on it."""

    verdict: Verdict
    reasons: tuple[Reason, ...]
    fallback: bool = False
    notes: tuple[Reason, ...] = ()


def _decide(facts: Facts, policy: Policy) -> _Decided:
    kind = facts.kind
    stated = policy.expects(CONDUCT_FOR[kind]).on
    if kind is RequestKind.LOOK_UP_CLIENT:
        if facts.safety_concern:
            return _Decided(Verdict.NEEDS_APPROVAL, (SAFETY,) + ((SEARCH_POLICY,) if stated else ()))
        return _Decided(Verdict.NOT_ALLOWED, (SEARCH_POLICY,) if stated else (SEARCH_CODES,), fallback=not stated)
    if kind is RequestKind.POST_ABOUT_WORK:
        if stated:
            return _Decided(Verdict.NOT_ALLOWED, (POST_POLICY,))
        return _Decided(Verdict.NEEDS_APPROVAL, (POST_SILENT,), fallback=True)
    if kind is RequestKind.POST_PHOTO:
        if not facts.written_consent:
            return _Decided(Verdict.NOT_ALLOWED, (NO_CONSENT_POLICY,) if stated else (NO_CONSENT_CODES,),
                            fallback=not stated)
        if not stated:
            return _Decided(Verdict.NEEDS_APPROVAL, (CONSENT_SILENT,), fallback=True)
        also = (PHOTO_IS_A_POST,) if policy.expects(Conduct.NO_POSTS_ABOUT_WORK).on else ()
        return _Decided(Verdict.ALLOWED, (CONSENT_POLICY,) + also)
    # RequestKind.REPLY_TO_REVIEW
    if stated:
        return _Decided(Verdict.ALLOWED, (REVIEW_POLICY,))
    return _Decided(Verdict.NEEDS_APPROVAL, (REVIEW_SILENT,), fallback=True)


# --- the walks: documentation prompts for each option --------------------------------------------

TEXT, DATE, DONE = StepField.TEXT, StepField.DATE, StepField.DONE


def _done(prompt: str) -> Step:
    return Step("done_it", "Done", prompt, DONE)


PROFESSIONAL_REASON = Step(
    "professional_reason",
    "The professional reason",
    "Why the work needs this: the concern, what you need to know and why you can't learn it by asking the person.",
    TEXT,
)
WHAT_YOU_LOOKED_AT = Step(
    "what_you_looked_at",
    "What you looked at",
    "Where you looked and what you found that matters for the work; leave out everything else you saw.",
    TEXT,
)
CHECK_POST = Step(
    "check_post",
    "Read it as a client would",
    "No names, initials, places, dates, photos or details that could point to someone you serve or to your "
    "workplace.",
    DONE,
)
CONSENT_DATE = Step(
    "consent_date",
    "Written consent on file",
    "Date of the written consent, kept with the client's record.",
    DATE,
)
CHECK_PHOTO = Step(
    "check_photo",
    "Check the frame",
    "Nothing in it names or shows anyone else: no faces without consent, papers, screens, addresses or location "
    "tags.",
    DONE,
)
DRAFT_REPLY = Step(
    "draft_reply",
    "Draft the reply",
    "A general reply: thanks, and an invitation to contact the agency. Nothing that confirms they use the service.",
    TEXT,
)
WHY_HOLD_OFF = replace(PLAN, prompt="What you decided not to do, and why.")
SUPERVISOR_QUESTION = Step(
    "question_for_supervisor",
    "What to ask your supervisor",
    "What you want to do and why, in a few words, using the client's reference rather than a name.",
    TEXT,
)
SUPERVISOR_ADVICE = Step(
    "supervisor_advice",
    "What your supervisor advised",
    "What you agreed, and anything you must document.",
    TEXT,
)

_INSTEAD: Mapping[RequestKind, Step] = MappingProxyType(
    {
        RequestKind.LOOK_UP_CLIENT: Step(
            "instead", "What you will do instead",
            "Ask the person at your next session, or raise the worry with your supervisor if it grows.", TEXT),
        RequestKind.POST_ABOUT_WORK: Step(
            "instead", "Where the hard day goes instead",
            "A colleague, your supervisor, supervision time or the staff support line: somewhere private.", TEXT),
        RequestKind.POST_PHOTO: Step(
            "instead", "What you will do instead",
            "Ask for written consent first, or keep the photo off social media.", TEXT),
        RequestKind.REPLY_TO_REVIEW: Step(
            "instead", "What you will do instead",
            "Pass the review to whoever speaks for the agency, and don't react to it from your own account.", TEXT),
    }
)
_PROCEED_STEPS: Mapping[RequestKind, tuple[Step, ...]] = MappingProxyType(
    {
        RequestKind.LOOK_UP_CLIENT: (PROFESSIONAL_REASON, WHAT_YOU_LOOKED_AT,
                                     _done("Stop once you have what the concern needs, and follow it up at work.")),
        RequestKind.POST_ABOUT_WORK: (replace(PLAN, prompt="What you will post, and where."), CHECK_POST,
                                      _done("Posted, with nothing that points to anyone you serve.")),
        RequestKind.POST_PHOTO: (CONSENT_DATE, CHECK_PHOTO, replace(PLAN, prompt="Where the photo will go."),
                                 _done("Shared only where the consent covers.")),
        RequestKind.REPLY_TO_REVIEW: (DRAFT_REPLY, CHECK_POST,
                                      _done("Reply posted in general words, confirming nothing about anyone.")),
    }
)


def _walk(kind: RequestKind, option: BeforeOption, verdict: Verdict) -> tuple[Step, ...]:
    if verdict is Verdict.NOT_ALLOWED:
        return ()
    if option is HOLD_OFF:
        return (WHY_HOLD_OFF, _INSTEAD[kind], _done("Nothing done online, and you kept to it."))
    if option is ASK:
        return (SUPERVISOR_QUESTION, SUPERVISOR_APPROVAL, SUPERVISOR_ADVICE,
                _done("Carried out what you and your supervisor agreed."))
    steps = _PROCEED_STEPS[kind]
    if verdict is Verdict.NEEDS_APPROVAL:
        return steps[:-1] + (SUPERVISOR_APPROVAL, steps[-1])
    return steps


# --- words ---------------------------------------------------------------------------------------

_PROCEED_LABELS: Mapping[RequestKind, str] = MappingProxyType(
    {
        RequestKind.LOOK_UP_CLIENT: "Look them up",
        RequestKind.POST_ABOUT_WORK: "Post it",
        RequestKind.POST_PHOTO: "Post the photo",
        RequestKind.REPLY_TO_REVIEW: "Reply to the review",
    }
)
_CONSEQUENCES: Mapping[BeforeOption, tuple[str, ...]] = MappingProxyType(
    {
        PROCEED: ("What goes online stays online: others can copy, share or find it later.",),
        HOLD_OFF: ("Nothing is shared or seen that can't be undone.",),
        ASK: ("It takes a little time, and the decision is shared with your supervisor.",),
    }
)
_SUMMARIES: Mapping[tuple[RequestKind, Verdict], str] = MappingProxyType(
    {
        (RequestKind.LOOK_UP_CLIENT, Verdict.NEEDS_APPROVAL): (
            "Ask your supervisor before you look, and document the professional reason."
        ),
        (RequestKind.LOOK_UP_CLIENT, Verdict.NOT_ALLOWED): (
            "Hold off: without a professional reason such as safety, don't look a client up online."
        ),
        (RequestKind.POST_ABOUT_WORK, Verdict.NOT_ALLOWED): (
            "Hold off: don't post about work, the people you serve or a hard day; talk it over with someone instead."
        ),
        (RequestKind.POST_ABOUT_WORK, Verdict.NEEDS_APPROVAL): "Ask your supervisor before you post anything about work.",
        (RequestKind.POST_PHOTO, Verdict.NOT_ALLOWED): "Hold off: don't post a photo taken at work without written consent.",
        (RequestKind.POST_PHOTO, Verdict.NEEDS_APPROVAL): "Ask your supervisor where, if anywhere, the photo may go.",
        (RequestKind.POST_PHOTO, Verdict.ALLOWED): (
            "You may post it within the written consent: check the frame, and add no names, places or tags."
        ),
        (RequestKind.REPLY_TO_REVIEW, Verdict.ALLOWED): (
            "You may reply, in general words that don't confirm the reviewer is a client."
        ),
        (RequestKind.REPLY_TO_REVIEW, Verdict.NEEDS_APPROVAL): "Ask your supervisor before you reply to the review.",
    }
)
_FOLLOW_UP = {
    Verdict.NOT_ALLOWED: "Don't go ahead; if the reason for it changes, check again.",
    Verdict.NEEDS_APPROVAL: "Ask your supervisor before you go ahead.",
}


def _summary(kind: RequestKind, verdict: Verdict, *, fallback: bool, default_policy: bool) -> str:
    text = _SUMMARIES[(kind, verdict)]
    if default_policy:
        return f"With no agency policy published, {text[0].lower()}{text[1:]}"
    if fallback:
        return f"As your policy doesn't settle this, {text[0].lower()}{text[1:]}"
    return text


def _recommended(verdict: Verdict) -> tuple[BeforeOption, ...]:
    if verdict is Verdict.ALLOWED:
        return (PROCEED,)
    if verdict is Verdict.NEEDS_APPROVAL:
        return (ASK,)
    return (HOLD_OFF,)


def _notes(facts: Facts, policy: Policy, supervisor_review: bool) -> tuple[Reason, ...]:
    notes: list[Reason] = []
    if policy.is_default:
        notes.append(DEFAULT_USED)
    expectation = policy.expects(CONDUCT_FOR[facts.kind])
    if expectation.on and expectation.note:
        notes.append(texts.agency_guidance(expectation.note, _clause(expectation.conduct)))
    if supervisor_review and policy.procedures.consult_supervisor_when:
        notes.append(
            texts.agency_guidance(policy.procedures.consult_supervisor_when, "procedures.consult_supervisor_when")
        )
    return tuple(notes)


def _option(
    kind: RequestKind, option: BeforeOption, verdict: Verdict, extra: tuple[Reason, ...], notes: tuple[Reason, ...]
) -> OptionGuidance:
    reasons = extra + notes
    return OptionGuidance(
        option=option,
        label=_PROCEED_LABELS[kind] if option is PROCEED else option.label,
        verdict=verdict,
        reasons=reasons,
        citations=citations_for(key for reason in reasons for key in reason.citation_keys),
        consequences=_CONSEQUENCES[option],
        steps=_walk(kind, option, verdict),
        conversation_starters=(),
    )


def before_verdicts(facts: Facts, policy: Policy) -> tuple[Verdict, Verdict, Verdict]:
    """The verdicts `evaluate_before` gives proceed, hold off and ask the supervisor, without the words."""
    return _decide(facts, policy).verdict, Verdict.ALLOWED, Verdict.NEEDS_APPROVAL


def evaluate_before(facts: Facts, policy: Policy, now: dt.datetime) -> Guidance:
    """Guidance on one "Before I do it" check; `facts.kind` is one of BEFORE_KINDS."""
    decided = _decide(facts, policy)
    verdict = decided.verdict
    supervisor_review = verdict is Verdict.NEEDS_APPROVAL or decided.fallback
    notes = _notes(facts, policy, supervisor_review)
    follow_ups = [FollowUp(_FOLLOW_UP[verdict])] if verdict in _FOLLOW_UP else []
    if decided.fallback:
        follow_ups.append(FollowUp(texts.ASK_SUPERVISOR))
    # The codes' reasons stand under every option: they are why holding off or asking is wise too.
    options = (
        _option(facts.kind, PROCEED, verdict, decided.reasons, notes),
        _option(facts.kind, HOLD_OFF, Verdict.ALLOWED, (_HOLD_OFF_REASON,) + decided.reasons, notes),
        _option(facts.kind, ASK, Verdict.NEEDS_APPROVAL, (_ASK_REASON,) + decided.reasons, notes),
    )
    return Guidance(
        recommended=_recommended(verdict),
        options=options,
        supervisor_review=supervisor_review,
        follow_ups=tuple(follow_ups),
        fallback=decided.fallback or policy.is_default,
        # Nothing arrived, so there is no reply to time.
        outside_working_hours=False,
        summary=_summary(facts.kind, verdict, fallback=decided.fallback, default_policy=policy.is_default),
        policy_title=policy.title,
    )
