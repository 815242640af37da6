import dataclasses
import datetime as dt

import pytest

from scenarios.engine.evaluate import evaluate
from scenarios.engine.facts import Facts
from policies.document import (
    DEFAULT_POLICY,
    STARTER_TEMPLATES,
    ConnectionRule,
    Period,
    Policy,
)
from scenarios.engine.vocabulary import (
    ClientStatus,
    Decision,
    Option,
    PeriodUnit,
    Platform,
    PlatformGroup,
    Relationship,
    RequestKind,
    Verdict,
    parse_medium,
)

NOW = dt.datetime(2026, 3, 14, 12, 0)
THURSDAY_MORNING = dt.datetime(2026, 3, 12, 10, 0)
STRICT = STARTER_TEMPLATES["strict"].policy
EARLY_INTERVENTION = STARTER_TEMPLATES["early_intervention"].policy
PROFESSIONAL = STARTER_TEMPLATES["professional_after_discharge"].policy
DISCUSS_THEN_DECLINE = (Option.DISCUSS, Option.DECLINE)


def request(
    kind: str = "friend_request",
    medium: str = "facebook",
    relationship: str = "current_client",
    status: str | None = "current",
    discharged_on: dt.date | None = None,
    small_community: bool = False,
) -> Facts:
    return Facts(
        kind=RequestKind(kind),
        medium=parse_medium(medium),
        relationship=Relationship(relationship),
        client_status=None if status is None else ClientStatus(status),
        discharged_on=discharged_on,
        received_at=THURSDAY_MORNING,
        small_community=small_community,
    )


def with_rule(policy: Policy, rule: ConnectionRule) -> Policy:
    return dataclasses.replace(policy, connection_rules=(rule,) + policy.connection_rules)


def follow_up_texts(guidance) -> list[str]:
    return [follow_up.text for follow_up in guidance.follow_ups]


def test_it_recommends_discuss_then_decline_for_a_current_client_on_a_personal_network() -> None:
    guidance = evaluate(request(), STRICT, NOW)
    accept = guidance.option(Option.ACCEPT)
    assert accept.verdict is Verdict.NOT_ALLOWED
    assert accept.steps == ()
    assert guidance.recommended == DISCUSS_THEN_DECLINE
    assert guidance.supervisor_review is False
    assert follow_up_texts(guidance) == ["Raise it at the next session."]
    assert [(c.code, c.section) for c in accept.citations][:3] == [
        ("NASW Code of Ethics", "1.06(c)"),
        ("NASW Code of Ethics", "1.06(h)"),
        ("ACA Code of Ethics (2014)", "A.5.e"),
    ]
    # An agency policy is no fallback, and ignoring is allowed but weak on its own.
    assert guidance.fallback is False
    assert not any(r.clause == "default policy" for o in guidance.options for r in o.reasons)
    ignore = guidance.option(Option.IGNORE)
    assert ignore.verdict is Verdict.ALLOWED
    assert any("weak" in consequence for consequence in ignore.consequences)


def test_it_recommends_discuss_then_decline_for_a_current_clients_parent() -> None:
    guidance = evaluate(request(relationship="client_family"), STRICT, NOW)
    assert guidance.recommended == DISCUSS_THEN_DECLINE
    assert guidance.summary.startswith("Don't accept")
    assert any("client's family member on Facebook is not allowed" in r.text for r in guidance.option(Option.ACCEPT).reasons)


def test_a_small_community_asks_for_supervisor_review() -> None:
    guidance = evaluate(request(relationship="client_family", small_community=True), STRICT, NOW)
    assert guidance.supervisor_review is True
    assert guidance.recommended == DISCUSS_THEN_DECLINE
    texts = [r.text for r in guidance.option(Option.DISCUSS).reasons]
    assert any("declare the connection to your supervisor" in t for t in texts)
    assert "Tell your supervisor about the connection and get their sign-off." in follow_up_texts(guidance)


def test_an_allowed_connection_in_a_small_community_needs_approval_instead() -> None:
    # Without the small community this is allowed: see the professional-network test below.
    small = evaluate(
        request("connection_request", "linkedin", "former_client", "discharged", dt.date(2024, 1, 1), small_community=True),
        PROFESSIONAL,
        NOW,
    )
    assert small.option(Option.ACCEPT).verdict is Verdict.NEEDS_APPROVAL
    assert small.recommended == (Option.DISCUSS,)
    assert small.supervisor_review is True
    assert any(r.clause == "exceptions.small_community" for r in small.option(Option.ACCEPT).reasons)


# --- former clients and the cooling-off period --------------------------------------------

DISCHARGED = dt.date(2021, 3, 14)  # + 5 years = 2026-03-14


@pytest.mark.parametrize(
    ("today", "kind", "medium", "verdict"),
    [
        (dt.date(2026, 3, 13), "friend_request", "facebook", Verdict.NOT_ALLOWED),
        (dt.date(2026, 3, 14), "friend_request", "facebook", Verdict.NEEDS_APPROVAL),
        # A text to a personal inbox takes the message track, and still waits out the period.
        (dt.date(2026, 3, 13), "text_message", "personal_email", Verdict.NOT_ALLOWED),
    ],
)
def test_the_cooling_off_is_over_on_its_end_date(today: dt.date, kind: str, medium: str, verdict: Verdict) -> None:
    facts = request(kind, medium, "former_client", "discharged", DISCHARGED)
    guidance = evaluate(facts, EARLY_INTERVENTION, dt.datetime.combine(today, dt.time(9)))
    assert guidance.option(Option.ACCEPT).verdict is verdict


def test_before_the_end_date_it_names_the_date_in_a_reason_and_a_follow_up() -> None:
    facts = request("friend_request", "facebook", "former_client", "discharged", DISCHARGED)
    guidance = evaluate(facts, EARLY_INTERVENTION, dt.datetime(2026, 3, 13, 23, 59))
    accept = guidance.option(Option.ACCEPT)
    assert accept.verdict is Verdict.NOT_ALLOWED
    assert any("2026-03-14" in r.text and r.clause == "cooling_off.after_discharge" for r in accept.reasons)
    assert guidance.follow_ups[0].text == "The cooling-off period ends on 2026-03-14."
    assert guidance.follow_ups[0].due == dt.date(2026, 3, 14)
    assert guidance.recommended == DISCUSS_THEN_DECLINE


def test_after_the_end_date_it_says_the_period_is_over() -> None:
    facts = request("friend_request", "facebook", "former_client", "discharged", DISCHARGED)
    guidance = evaluate(facts, EARLY_INTERVENTION, NOW)
    accept = guidance.option(Option.ACCEPT)
    assert any("ended on 2026-03-14" in r.text for r in accept.reasons)
    assert not any("cooling-off period ends" in text for text in follow_up_texts(guidance))
    assert guidance.recommended == (Option.DISCUSS,)
    assert guidance.supervisor_review is True
    assert [s.key for s in accept.steps][-2:] == ["supervisor_approval", "done_on_platform"]


# The calendar arithmetic itself is pinned in test_engine_policy_document; these two show the
# engine judges by the clamped end date (a month unit) and by a plain count of days.
@pytest.mark.parametrize(
    ("discharged", "period", "day_before", "end"),
    [
        (dt.date(2024, 1, 31), Period(1, PeriodUnit.MONTHS), dt.date(2024, 2, 28), dt.date(2024, 2, 29)),
        (dt.date(2025, 12, 31), Period(30, PeriodUnit.DAYS), dt.date(2026, 1, 29), dt.date(2026, 1, 30)),
    ],
)
def test_the_end_date_is_clamped_to_a_short_month_or_counted_in_days(
    discharged: dt.date, period: Period, day_before: dt.date, end: dt.date
) -> None:
    policy = dataclasses.replace(PROFESSIONAL, cooling_off_after_discharge=period)
    facts = request("connection_request", "linkedin", "former_client", "discharged", discharged)
    verdicts = [
        evaluate(facts, policy, dt.datetime.combine(day, dt.time(0, 0))).option(Option.ACCEPT).verdict
        for day in (day_before, end, end + dt.timedelta(days=1))
    ]
    assert verdicts == [Verdict.NOT_ALLOWED, Verdict.ALLOWED, Verdict.ALLOWED]


def test_a_former_client_without_a_discharge_date_gets_the_cautious_answer() -> None:
    facts = request("friend_request", "facebook", "former_client", "discharged", None)
    guidance = evaluate(facts, EARLY_INTERVENTION, NOW)
    assert guidance.option(Option.ACCEPT).verdict is Verdict.NOT_ALLOWED
    assert guidance.fallback is True
    assert any("discharge date is missing" in r.text for r in guidance.option(Option.DISCUSS).reasons)


def test_without_a_cooling_off_period_the_former_client_rule_decides_directly() -> None:
    policy = dataclasses.replace(PROFESSIONAL, cooling_off_after_discharge=None)
    facts = request("connection_request", "linkedin", "former_client", "discharged", dt.date(2026, 3, 1))
    guidance = evaluate(facts, policy, NOW)
    assert guidance.option(Option.ACCEPT).verdict is Verdict.ALLOWED
    assert guidance.recommended == (Option.ACCEPT,)
    assert guidance.fallback is False


def test_the_default_policy_never_allows_former_clients_even_with_a_permissive_rule() -> None:
    permissive = with_rule(
        DEFAULT_POLICY, ConnectionRule(Relationship.FORMER_CLIENT, Platform.LINKEDIN, Decision.ALLOWED)
    )
    facts = request("connection_request", "linkedin", "former_client", "discharged", dt.date(2000, 1, 1))
    accept = evaluate(facts, permissive, NOW).option(Option.ACCEPT)
    assert accept.verdict is Verdict.NOT_ALLOWED
    assert accept.reasons[0].clause == "default policy"


def test_a_discharged_clients_family_waits_out_the_cooling_off_too() -> None:
    policy = with_rule(
        EARLY_INTERVENTION, ConnectionRule(Relationship.CLIENT_FAMILY, Platform.LINKEDIN, Decision.ALLOWED)
    )
    facts = request("connection_request", "linkedin", "client_family", "discharged", DISCHARGED)
    before = evaluate(facts, policy, dt.datetime(2026, 3, 13, 9))
    after = evaluate(facts, policy, NOW)
    assert before.option(Option.ACCEPT).verdict is Verdict.NOT_ALLOWED
    assert after.option(Option.ACCEPT).verdict is Verdict.ALLOWED


def test_the_wait_after_leaving_the_agency_is_mentioned_for_former_clients() -> None:
    facts = request("friend_request", "facebook", "former_client", "discharged", DISCHARGED)
    accept = evaluate(facts, EARLY_INTERVENTION, NOW).option(Option.ACCEPT)
    assert any(r.clause == "cooling_off.after_leaving" and "1 year" in r.text for r in accept.reasons)


# --- professional networks ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("medium", "verdict", "recommended"),
    [
        ("linkedin", Verdict.ALLOWED, (Option.ACCEPT,)),
        ("facebook", Verdict.NOT_ALLOWED, DISCUSS_THEN_DECLINE),
    ],
)
def test_professional_networks_are_treated_differently_from_personal_ones(
    medium: str, verdict: Verdict, recommended: tuple[Option, ...]
) -> None:
    facts = request("connection_request", medium, "former_client", "discharged", dt.date(2024, 1, 1))
    guidance = evaluate(facts, PROFESSIONAL, NOW)
    assert guidance.option(Option.ACCEPT).verdict is verdict
    assert guidance.recommended == recommended


def test_a_platform_rule_overrides_the_group_rule_in_the_guidance() -> None:
    policy = with_rule(
        PROFESSIONAL,
        ConnectionRule(Relationship.FORMER_CLIENT, Platform.OTHER_PROFESSIONAL, Decision.NEEDS_APPROVAL, "Ask first."),
    )
    facts = request("connection_request", "other_professional", "former_client", "discharged", dt.date(2024, 1, 1))
    accept = evaluate(facts, policy, NOW).option(Option.ACCEPT)
    assert accept.verdict is Verdict.NEEDS_APPROVAL
    assert any(r.clause == "connection_rules: former_client / other_professional" for r in accept.reasons)
    linkedin = evaluate(dataclasses.replace(facts, medium=Platform.LINKEDIN), policy, NOW).option(Option.ACCEPT)
    assert any(r.clause == f"connection_rules: former_client / {PlatformGroup.PROFESSIONAL_NETWORKS}" for r in linkedin.reasons)


def test_a_community_member_needs_approval_under_the_default() -> None:
    guidance = evaluate(request("friend_request", "facebook", "community_member", None), None, NOW)
    assert guidance.option(Option.ACCEPT).verdict is Verdict.NEEDS_APPROVAL
    assert guidance.recommended == (Option.DISCUSS,)
    assert guidance.supervisor_review is True
    assert "Ask your supervisor for approval before you accept." in follow_up_texts(guidance)


# --- accidental connections and follows --------------------------------------------------------


def test_an_accidental_connection_is_discussed_then_removed() -> None:
    guidance = evaluate(request("accidental_connection", "facebook", "client_family"), EARLY_INTERVENTION, NOW)
    assert guidance.recommended == DISCUSS_THEN_DECLINE
    assert guidance.supervisor_review is True
    decline = guidance.option(Option.DECLINE)
    last = decline.steps[-1]
    assert last.key == "done_on_platform" and "unfriend" in last.prompt and last.prompt.startswith("After the conversation")
    assert [s.key for s in decline.steps].index("conversation_notes") < len(decline.steps) - 1
    # Leaving the connection alone is keeping it.
    assert guidance.option(Option.IGNORE).verdict is Verdict.NOT_ALLOWED


def test_a_client_following_a_public_account_is_left_quiet_then_mentioned() -> None:
    guidance = evaluate(request("follow", "instagram"), STRICT, NOW)
    assert guidance.recommended == (Option.IGNORE, Option.DISCUSS)
    assert guidance.option(Option.ACCEPT).verdict is Verdict.NOT_ALLOWED
    ignore = guidance.option(Option.IGNORE)
    assert any("don't follow back" in r.text for r in ignore.reasons)
    assert ignore.steps[0].key == "privacy_check"
    assert any(r.clause == "exceptions.public_account" for r in ignore.reasons)


# --- no policy ----------------------------------------------------------------------------------


def test_without_a_policy_the_conservative_default_applies_and_says_so() -> None:
    guidance = evaluate(request(), None, NOW)
    assert guidance.policy_title == DEFAULT_POLICY.title
    assert guidance.fallback is True
    assert guidance.summary.startswith("With no agency policy published")
    for option in guidance.options:
        reason = next(r for r in option.reasons if r.clause == "default policy")
        assert reason.text == "Your agency has not published a policy; this is the conservative default."
        assert {c.section for c in option.citations} >= {"2.01, 2.10", "1.06(h)", "A.5.e"}


# --- the end of the calendar: never a traceback ----------------------------------------------


def test_a_discharge_so_late_that_the_cooling_off_ends_past_the_calendar_is_still_running() -> None:
    facts = request("friend_request", "facebook", "former_client", "discharged", dt.date(9999, 12, 31))
    guidance = evaluate(facts, EARLY_INTERVENTION, NOW)
    accept = guidance.option(Option.ACCEPT)
    assert accept.verdict is Verdict.NOT_ALLOWED
    assert any("would end after 9999-12-31, so it has not ended" in r.text for r in accept.reasons)
    assert (guidance.follow_ups[0].text, guidance.follow_ups[0].due) == (
        "Check the discharge date: with it, the cooling-off period would end after 9999-12-31.",
        None,
    )


@pytest.mark.parametrize(
    ("period", "discharged", "verdict"),
    [
        # Ends on the calendar's last day: over on that day.
        (Period(5, PeriodUnit.YEARS), dt.date(9994, 12, 31), Verdict.ALLOWED),
        # A count of days that runs one day past it: still running.
        (Period(30, PeriodUnit.DAYS), dt.date(9999, 12, 2), Verdict.NOT_ALLOWED),
    ],
)
def test_on_the_last_day_of_the_calendar_the_engine_still_answers(
    period: Period, discharged: dt.date, verdict: Verdict
) -> None:
    policy = dataclasses.replace(PROFESSIONAL, cooling_off_after_discharge=period)
    facts = request("connection_request", "linkedin", "former_client", "discharged", discharged)
    guidance = evaluate(facts, policy, dt.datetime.max)
    assert guidance.option(Option.ACCEPT).verdict is verdict
