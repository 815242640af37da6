import copy
import dataclasses
import datetime as dt
import json
from typing import Any

import pytest

from scenarios.engine.errors import PolicyDocumentError
from policies.document import (
    DEFAULT_POLICY,
    STARTER_TEMPLATES,
    Period,
    Policy,
    parse_document,
    to_document,
)
from scenarios.engine.vocabulary import (
    Decision,
    PeriodUnit,
    Platform,
    Relationship,
)

ALL_POLICIES = {"default": DEFAULT_POLICY, **{slug: t.policy for slug, t in STARTER_TEMPLATES.items()}}


def dump(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, sort_keys=False)


def valid_document() -> dict[str, Any]:
    return copy.deepcopy(to_document(STARTER_TEMPLATES["early_intervention"].policy))


def errors_for(doc: object) -> tuple[tuple[str, str], ...]:
    with pytest.raises(PolicyDocumentError) as caught:
        parse_document(doc)
    return caught.value.errors


# Any well-formed policy survives export and import (test_engine_properties.py); these two pin the
# exact bytes, and that the default's flag is not part of the document.
@pytest.mark.parametrize("slug", ["default", "early_intervention"])
def test_export_import_export_is_byte_identical_apart_from_the_default_flag(slug: str) -> None:
    policy = ALL_POLICIES[slug]
    exported = dump(to_document(policy))
    reimported = parse_document(json.loads(exported))
    assert dump(to_document(reimported)) == exported
    assert reimported == dataclasses.replace(policy, is_default=False)
    assert reimported.is_default is False


def test_the_document_keys_come_in_the_documented_order() -> None:
    assert list(to_document(DEFAULT_POLICY)) == [
        "schema",
        "title",
        "connection_rules",
        "cooling_off",
        "channels",
        "working_hours",
        "exceptions",
        "procedures",
        "conduct",
    ]


def test_the_default_policy_is_flagged_and_titled() -> None:
    assert DEFAULT_POLICY.is_default
    assert DEFAULT_POLICY.title == "Conservative default (no agency policy published)"
    assert DEFAULT_POLICY.cooling_off_after_discharge is None


@pytest.mark.parametrize(
    ("relationship", "platform", "decision"),
    [
        (Relationship.CURRENT_CLIENT, Platform.FACEBOOK, Decision.NOT_ALLOWED),
        (Relationship.CURRENT_CLIENT, Platform.LINKEDIN, Decision.NOT_ALLOWED),
        (Relationship.CLIENT_FAMILY, Platform.PERSONAL_PHONE, Decision.NOT_ALLOWED),
        (Relationship.FORMER_CLIENT, Platform.INSTAGRAM, Decision.NOT_ALLOWED),
        (Relationship.COMMUNITY_MEMBER, Platform.TIKTOK, Decision.NEEDS_APPROVAL),
        (Relationship.COLLEAGUE, Platform.FACEBOOK, Decision.ALLOWED),
        (Relationship.OWN_SUPERVISEE, Platform.FACEBOOK, Decision.NEEDS_APPROVAL),
        (Relationship.OWN_SUPERVISOR, Platform.MESSAGING_APPS, Decision.NEEDS_APPROVAL),
        (Relationship.OWN_SUPERVISOR, Platform.LINKEDIN, Decision.ALLOWED),
    ],
)
def test_the_default_policy_decides(relationship: Relationship, platform: Platform, decision: Decision) -> None:
    assert DEFAULT_POLICY.decision_for(relationship, platform)[0] is decision


def test_every_relationship_and_platform_is_covered_by_the_default_and_the_templates() -> None:
    for policy in ALL_POLICIES.values():
        for relationship in Relationship:
            for platform in Platform:
                assert policy.decision_for(relationship, platform)[0] is not None


def test_a_platform_rule_overrides_its_group_rule() -> None:
    doc = valid_document()
    doc["connection_rules"].append(
        {"relationship": "former_client", "scope": "linkedin", "decision": "allowed", "rationale": "Work only."}
    )
    policy = parse_document(doc)
    decision, rule = policy.decision_for(Relationship.FORMER_CLIENT, Platform.LINKEDIN)
    assert decision is Decision.ALLOWED and rule is not None and rule.rationale == "Work only."
    assert policy.decision_for(Relationship.FORMER_CLIENT, Platform.OTHER_PROFESSIONAL)[0] is Decision.NEEDS_APPROVAL


def test_nothing_covers_a_relationship_without_rules() -> None:
    doc = valid_document()
    doc["connection_rules"] = []
    assert parse_document(doc).decision_for(Relationship.COLLEAGUE, Platform.X) == (None, None)


def test_the_rationale_may_be_left_out() -> None:
    doc = valid_document()
    del doc["connection_rules"][0]["rationale"]
    assert parse_document(doc).connection_rules[0].rationale == ""


@pytest.mark.parametrize(
    ("start", "period", "expected"),
    [
        ("2020-03-14", Period(5, PeriodUnit.YEARS), "2025-03-14"),
        ("2024-02-29", Period(1, PeriodUnit.YEARS), "2025-02-28"),
        ("2024-02-29", Period(4, PeriodUnit.YEARS), "2028-02-29"),
        ("2024-01-31", Period(1, PeriodUnit.MONTHS), "2024-02-29"),
        ("2023-01-31", Period(1, PeriodUnit.MONTHS), "2023-02-28"),
        ("2024-08-31", Period(1, PeriodUnit.MONTHS), "2024-09-30"),
        ("2024-12-15", Period(13, PeriodUnit.MONTHS), "2026-01-15"),
        ("2024-12-31", Period(1, PeriodUnit.DAYS), "2025-01-01"),
        ("2024-02-28", Period(365, PeriodUnit.DAYS), "2025-02-27"),
    ],
)
def test_periods_use_calendar_arithmetic(start: str, period: Period, expected: str) -> None:
    assert period.add_to(dt.date.fromisoformat(start)) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("period", "text"),
    [(Period(1, PeriodUnit.DAYS), "1 day"), (Period(5, PeriodUnit.YEARS), "5 years")],
)
def test_periods_describe_themselves(period: Period, text: str) -> None:
    assert period.describe() == text


def _set(doc: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    target: Any = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


REJECTIONS = [
    # (where to change, new value, error path, words in the message)
    (("schema",), "boundaries.policy/3", "schema", "boundaries.policy/2"),
    (("conduct", "online_reviews", "on"), "yes", "conduct.online_reviews.on", "true or false"),
    (("conduct", "professional_accounts", "stance"), "sometimes", "conduct.professional_accounts.stance",
     "allowed, expected, not_used"),
    (("conduct", "no_posts_about_work", "note"), "n" * 2001, "conduct.no_posts_about_work.note", "2000"),
    (("channels", 1, "relationships"), ["client_family", "colleague"], "channels[1].relationships[1]",
     "client side"),
    (("channels", 1, "relationships"), ["client_family", "client_family"], "channels[1].relationships[1]", "twice"),
    (("title",), "", "title", "empty"),
    (("title",), "   ", "title", "empty"),
    (("title",), "t" * 201, "title", "200"),
    (("title",), 7, "title", "text"),
    (("title",), "Riverside\x00", "title", "NUL character (\\x00)"),
    (("title",), "Riverside \ud800", "title", "isn't valid Unicode"),
    (("connection_rules",), {}, "connection_rules", "list"),
    (("connection_rules", 3, "decision"), "maybe", "connection_rules[3].decision", "allowed, needs_approval, not_allowed"),
    (("connection_rules", 0, "relationship"), "cousin", "connection_rules[0].relationship", "current_client"),
    (("connection_rules", 0, "scope"), "myspace", "connection_rules[0].scope", "personal_networks"),
    (("connection_rules", 0, "rationale"), "r" * 2001, "connection_rules[0].rationale", "2000"),
    (("connection_rules", 0, "colour"), "red", "connection_rules[0].colour", "Unknown field"),
    (("cooling_off", "after_discharge", "amount"), 0, "cooling_off.after_discharge.amount", "from 1 to 30 years"),
    (("cooling_off", "after_discharge", "amount"), -2, "cooling_off.after_discharge.amount", "from 1 to 30 years"),
    (("cooling_off", "after_discharge", "amount"), 31, "cooling_off.after_discharge.amount", "from 1 to 30 years"),
    (("cooling_off", "after_discharge", "amount"), "5", "cooling_off.after_discharge.amount", "whole number"),
    (("cooling_off", "after_discharge", "amount"), True, "cooling_off.after_discharge.amount", "whole number"),
    (("cooling_off", "after_discharge", "amount"), 2.5, "cooling_off.after_discharge.amount", "whole number"),
    (("cooling_off", "after_discharge"), {"amount": 361, "unit": "months"}, "cooling_off.after_discharge.amount", "from 1 to 360 months"),
    (("cooling_off", "after_discharge"), {"amount": 10958, "unit": "days"}, "cooling_off.after_discharge.amount", "from 1 to 10957 days"),
    (("cooling_off", "after_discharge", "unit"), "weeks", "cooling_off.after_discharge.unit", "days, months, years"),
    (("cooling_off", "after_leaving"), 5, "cooling_off.after_leaving", "object"),
    (("channels", 0, "channel"), "carrier_pigeon", "channels[0].channel", "work_phone"),
    (("channels", 0, "allowed"), "yes", "channels[0].allowed", "true or false"),
    (("channels", 0, "uses"), ["emergencies"], "channels[0].uses[0]", "emergency services or the crisis line"),
    (("channels", 0, "uses"), ["scheduling", "scheduling"], "channels[0].uses[1]", "twice"),
    (("channels", 0, "uses"), [], "channels[0].uses", "at least one use"),
    (("channels", 0, "uses"), ["gossip"], "channels[0].uses[0]", "encouragement"),
    (("working_hours", "start"), "17:00", "working_hours.start", "start before it ends"),
    (("working_hours", "start"), "17:30", "working_hours.start", "start before it ends"),
    (("working_hours", "start"), "8:30", "working_hours.start", "08:30"),
    (("working_hours", "end"), "25:00", "working_hours.end", "08:30"),
    (("working_hours", "days"), [], "working_hours.days", "at least one"),
    (("working_hours", "days"), ["mon", "mon"], "working_hours.days[1]", "twice"),
    (("working_hours", "days"), ["monday"], "working_hours.days[0]", "mon, tue"),
    (("working_hours", "response_within_hours"), 0, "working_hours.response_within_hours", "from 1 to 168 hours"),
    (("working_hours", "response_within_hours"), 169, "working_hours.response_within_hours", "from 1 to 168 hours"),
    (("working_hours", "after_hours"), "never", "working_hours.after_hours", "next_working_day"),
    (("exceptions", "small_community"), "x" * 2001, "exceptions.small_community", "2000"),
    (("exceptions", "public_account"), None, "exceptions.public_account", "text"),
    (("procedures", "documentation"), "x" * 2001, "procedures.documentation", "2000"),
    (("procedures", "audit"), "", "procedures.audit", "Unknown field"),
    (("procedures", "a\x00b"), "", "procedures.a\\x00b", "Unknown field"),
    (("version",), 2, "version", "Unknown field"),
]


@pytest.mark.parametrize(("where", "value", "path", "words"), REJECTIONS)
def test_it_rejects_a_malformed_document_with_a_path_and_a_helpful_message(
    where: tuple[Any, ...], value: Any, path: str, words: str
) -> None:
    doc = valid_document()
    _set(doc, where, value)
    errors = errors_for(doc)
    messages = [message for where_, message in errors if where_ == path]
    assert messages, errors
    assert any(words in message for message in messages), messages


def test_it_rejects_a_duplicate_rule_naming_the_first_one() -> None:
    doc = valid_document()
    doc["connection_rules"].append(dict(doc["connection_rules"][1]))
    index = len(doc["connection_rules"]) - 1
    assert errors_for(doc) == (
        (
            f"connection_rules[{index}]",
            "This rule repeats connection_rules[1] (same relationship current_client and scope professional_networks).",
        ),
    )


def test_it_rejects_a_duplicate_channel_naming_the_first_one() -> None:
    doc = valid_document()
    doc["channels"].append(dict(doc["channels"][2]))
    ((path, message),) = errors_for(doc)
    assert path == f"channels[{len(doc['channels']) - 1}]"
    assert "channels[2]" in message


def test_it_rejects_uses_on_a_channel_that_is_not_allowed() -> None:
    doc = valid_document()
    doc["channels"][0]["allowed"] = False
    assert errors_for(doc)[0][0] == "channels[0].uses"


@pytest.mark.parametrize("key", ["schema", "title", "connection_rules", "cooling_off", "working_hours", "procedures"])
def test_it_reports_a_missing_field_once(key: str) -> None:
    doc = valid_document()
    del doc[key]
    assert errors_for(doc) == ((key, "This field is required."),)


def test_it_rejects_a_document_that_is_not_an_object() -> None:
    ((path, message),) = errors_for(["not", "an", "object"])
    assert path == "(document)" and "object" in message


def test_it_collects_every_error_in_document_order() -> None:
    doc = valid_document()
    doc["title"] = ""
    doc["connection_rules"][2]["decision"] = "perhaps"
    doc["working_hours"]["end"] = "07:00"
    paths = [path for path, _ in errors_for(doc)]
    assert paths == ["title", "connection_rules[2].decision", "working_hours.start"]


def test_the_error_message_lists_every_problem() -> None:
    doc = valid_document()
    doc["title"] = ""
    doc["working_hours"]["after_hours"] = "later"
    with pytest.raises(PolicyDocumentError) as caught:
        parse_document(doc)
    assert "title: This must not be empty." in str(caught.value)
    assert "working_hours.after_hours" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_paths_can_be_prefixed_when_the_policy_is_nested() -> None:
    doc = valid_document()
    doc["title"] = ""
    with pytest.raises(PolicyDocumentError) as caught:
        parse_document(doc, at="policy")
    assert caught.value.errors == (("policy.title", "This must not be empty."),)


def test_a_null_cooling_off_period_means_none() -> None:
    doc = valid_document()
    doc["cooling_off"]["after_discharge"] = None
    assert parse_document(doc).cooling_off_after_discharge is None


def test_starter_templates_keep_their_order_and_shape() -> None:
    assert list(STARTER_TEMPLATES)[:3] == ["strict", "early_intervention", "professional_after_discharge"]
    for name, description, policy in STARTER_TEMPLATES.values():
        assert name and description and isinstance(policy, Policy) and not policy.is_default


def test_the_early_intervention_template_waits_five_years_then_asks() -> None:
    policy = STARTER_TEMPLATES["early_intervention"].policy
    assert policy.cooling_off_after_discharge == Period(5, PeriodUnit.YEARS)
    assert policy.decision_for(Relationship.FORMER_CLIENT, Platform.FACEBOOK)[0] is Decision.NEEDS_APPROVAL


def test_the_professional_template_opens_only_professional_networks_to_former_clients() -> None:
    policy = STARTER_TEMPLATES["professional_after_discharge"].policy
    assert policy.cooling_off_after_discharge == Period(1, PeriodUnit.YEARS)
    assert policy.decision_for(Relationship.FORMER_CLIENT, Platform.LINKEDIN)[0] is Decision.ALLOWED
    assert policy.decision_for(Relationship.FORMER_CLIENT, Platform.FACEBOOK)[0] is Decision.NOT_ALLOWED


def test_a_channel_that_is_not_allowed_names_nobody() -> None:
    doc = valid_document()
    doc["channels"][4] = {"channel": "video", "allowed": False, "uses": [], "relationships": ["current_client"]}
    assert errors_for(doc) == (
        ("channels[4].relationships", "A channel that is not allowed is not allowed with anyone; leave the list empty."),
    )
