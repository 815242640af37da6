import datetime as dt
import importlib

import pytest
from django.core.exceptions import ValidationError
from django.apps import apps as django_apps
from django.db import IntegrityError, transaction

from audit.models import AuditAction, AuditEvent
from policies.models import Acknowledgement, PolicyStatus, PolicyVersion, VersionState
from policies.services import (
    awaiting_acknowledgement,
    awaiting_acknowledgements,
    policy_acknowledge,
    policy_discard,
    policy_in_force,
    policy_publish,
    policy_save_draft,
    policy_start_draft,
    version_state,
    DraftConflict,
)
from policies.document import DEFAULT_POLICY, STARTER_TEMPLATES, Period
from policies.document.vocabulary import PeriodUnit
from tests.factories import PolicyVersionFactory

JAN_5, FEB_2, MAR_2 = dt.date(2026, 1, 5), dt.date(2026, 2, 2), dt.date(2026, 3, 2)


def actions(agency) -> list[str]:
    return list(AuditEvent.objects.for_agency(agency).values_list("action", flat=True))


def publish(agency, actor, template, on):
    draft = policy_start_draft(agency=agency, actor=actor, template=template)
    return policy_publish(version=draft, actor=actor, effective_from=on, today=on)


def test_a_draft_from_a_template_holds_the_template_policy(agency_a, supervisor):
    version = policy_start_draft(agency=agency_a, actor=supervisor.user, template="strict")
    assert (version.number, version.status, version.based_on) == (1, PolicyStatus.DRAFT, "template:strict")
    _, policy = policy_in_force(agency_a, MAR_2)
    assert policy is DEFAULT_POLICY  # a draft is never in force
    assert version.policy == STARTER_TEMPLATES["strict"].policy
    assert actions(agency_a) == [AuditAction.POLICY_CREATED]


def test_a_new_draft_copies_the_current_version(agency_a, supervisor):
    first = publish(agency_a, supervisor.user, "early_intervention", JAN_5)
    draft = policy_start_draft(agency=agency_a, actor=supervisor.user)
    assert (draft.number, draft.based_on) == (2, f"version:{first.number}")
    assert draft.policy == first.policy


def test_without_any_version_a_draft_starts_from_the_default_with_its_own_title(agency_a, supervisor):
    draft = policy_start_draft(agency=agency_a, actor=supervisor.user)
    assert draft.based_on == "default" and "default" not in draft.title.lower()


def test_an_agency_has_at_most_one_draft(agency_a, supervisor):
    policy_start_draft(agency=agency_a, actor=supervisor.user, template="strict")
    with pytest.raises(ValidationError, match="already a draft"):
        policy_start_draft(agency=agency_a, actor=supervisor.user, template="strict")
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyVersionFactory(agency=agency_a, number=9)


def test_publishing_stores_no_superseded_state(agency_a, supervisor):
    first = publish(agency_a, supervisor.user, "strict", JAN_5)
    second = publish(agency_a, supervisor.user, "early_intervention", FEB_2)
    first.refresh_from_db()
    assert first.status == PolicyStatus.PUBLISHED and second.status == PolicyStatus.PUBLISHED
    assert second.published_by == supervisor.user and second.effective_from == FEB_2
    assert version_state(first, FEB_2) == VersionState.SUPERSEDED
    assert version_state(second, FEB_2) == VersionState.IN_FORCE
    assert actions(agency_a).count(AuditAction.POLICY_PUBLISHED) == 2


def test_the_version_in_force_follows_the_effective_dates(agency_a, supervisor, agency_b):
    first = publish(agency_a, supervisor.user, "strict", JAN_5)
    second = publish(agency_a, supervisor.user, "early_intervention", FEB_2)
    assert policy_in_force(agency_a, dt.date(2026, 1, 4)) == (None, DEFAULT_POLICY)
    assert policy_in_force(agency_a, JAN_5)[0] == first
    assert policy_in_force(agency_a, dt.date(2026, 2, 1))[0] == first
    version, policy = policy_in_force(agency_a, FEB_2)
    assert version == second and policy == STARTER_TEMPLATES["early_intervention"].policy
    assert policy_in_force(agency_a, dt.date(2030, 1, 1))[0] == second
    assert policy_in_force(agency_b, FEB_2) == (None, DEFAULT_POLICY)


def test_a_scheduled_version_leaves_the_one_in_force_in_force_until_its_date(agency_a, supervisor):
    first = publish(agency_a, supervisor.user, "strict", JAN_5)
    draft = policy_start_draft(agency=agency_a, actor=supervisor.user)
    later = policy_publish(version=draft, actor=supervisor.user, effective_from=MAR_2, today=FEB_2)
    assert policy_in_force(agency_a, FEB_2)[0] == first
    assert policy_in_force(agency_a, MAR_2)[0] == later
    first.refresh_from_db()
    assert (version_state(first, FEB_2), version_state(later, FEB_2)) == (VersionState.IN_FORCE,
                                                                          VersionState.SCHEDULED)
    assert (version_state(first, MAR_2), version_state(later, MAR_2)) == (VersionState.SUPERSEDED,
                                                                          VersionState.IN_FORCE)
    assert version_state(first, dt.date(2026, 1, 4)) == VersionState.SCHEDULED


def test_of_two_versions_taking_effect_the_same_day_the_later_one_is_in_force(agency_a, supervisor):
    first = publish(agency_a, supervisor.user, "strict", FEB_2)
    second = publish(agency_a, supervisor.user, "early_intervention", FEB_2)
    assert policy_in_force(agency_a, FEB_2)[0] == second
    assert (version_state(first, FEB_2), version_state(second, FEB_2)) == (VersionState.SUPERSEDED,
                                                                           VersionState.IN_FORCE)


def test_the_migration_turns_stored_superseded_versions_into_published_ones(agency_a, agency_b, supervisor):
    migration = importlib.import_module("policies.migrations.0002_derive_superseded_state")
    first = publish(agency_a, supervisor.user, "strict", JAN_5)
    second = publish(agency_a, supervisor.user, "early_intervention", FEB_2)
    other = PolicyVersionFactory(agency=agency_b, number=1, published=True)
    PolicyVersion.objects.filter(pk=first.pk).update(status="superseded")  # what 0001 stored
    migration.superseded_to_published(django_apps, None)
    assert set(PolicyVersion.objects.values_list("status", flat=True)) == {PolicyStatus.PUBLISHED}
    migration.published_to_superseded(django_apps, None)  # the rollback restores the old rule
    assert dict(PolicyVersion.objects.values_list("pk", "status")) == {
        first.pk: "superseded", second.pk: "published", other.pk: "published"}


def test_policy_in_force_takes_one_query(agency_a, supervisor, django_assert_num_queries):
    publish(agency_a, supervisor.user, "early_intervention", JAN_5)
    # The version row holds the whole document.
    with django_assert_num_queries(1):
        version, policy = policy_in_force(agency_a, MAR_2)
        assert policy.cooling_off_after_discharge == Period(5, PeriodUnit.YEARS)
        assert len(policy.connection_rules) == 21 and len(policy.channels) == 5


def test_an_effective_date_before_the_current_versions_is_refused(agency_a, supervisor):
    publish(agency_a, supervisor.user, "strict", FEB_2)
    draft = policy_start_draft(agency=agency_a, actor=supervisor.user)
    with pytest.raises(ValidationError) as error:
        policy_publish(version=draft, actor=supervisor.user, effective_from=JAN_5, today=JAN_5)
    assert "can't start before it" in error.value.message_dict["effective_from"][0]
    draft.refresh_from_db()
    assert draft.status == PolicyStatus.DRAFT


def test_an_effective_date_in_the_past_is_refused(agency_a, supervisor):
    draft = policy_start_draft(agency=agency_a, actor=supervisor.user, template="strict")
    with pytest.raises(ValidationError, match="past"):
        policy_publish(version=draft, actor=supervisor.user, effective_from=JAN_5, today=FEB_2)


def test_a_published_version_can_not_be_saved_published_again_or_discarded(agency_a, supervisor):
    version = publish(agency_a, supervisor.user, "strict", JAN_5)
    policy = STARTER_TEMPLATES["early_intervention"].policy
    with pytest.raises(ValidationError, match="Version 1 was published after you opened it"):
        policy_save_draft(version=version, actor=supervisor.user, policy=policy, expected_lock_version=0)
    with pytest.raises(ValidationError):
        policy_publish(version=version, actor=supervisor.user, effective_from=FEB_2, today=FEB_2)
    with pytest.raises(ValidationError):
        policy_discard(version=version, actor=supervisor.user)
    version.refresh_from_db()
    assert version.title == STARTER_TEMPLATES["strict"].policy.title


def test_saving_a_draft_bumps_its_lock_version(agency_a, supervisor):
    draft = policy_start_draft(agency=agency_a, actor=supervisor.user, template="strict")
    policy = STARTER_TEMPLATES["early_intervention"].policy
    saved = policy_save_draft(version=draft, actor=supervisor.user, policy=policy, expected_lock_version=0)
    saved.refresh_from_db()
    assert saved.lock_version == 1 and saved.document["cooling_off"]["after_discharge"] == {"amount": 5, "unit": "years"}
    assert saved.policy == policy
    assert actions(agency_a) == [AuditAction.POLICY_CREATED, AuditAction.POLICY_EDITED]


def test_a_stale_save_is_refused_and_says_who_saved_first(agency_a, supervisor, admin):
    draft = policy_start_draft(agency=agency_a, actor=supervisor.user, template="strict")
    mine = STARTER_TEMPLATES["early_intervention"].policy
    theirs = STARTER_TEMPLATES["professional_after_discharge"].policy
    policy_save_draft(version=draft, actor=supervisor.user, policy=theirs, expected_lock_version=0)
    with pytest.raises(DraftConflict) as conflict:
        policy_save_draft(version=draft, actor=admin.user, policy=mine, expected_lock_version=0)
    assert str(conflict.value).startswith("Sam Supervisor saved this draft at ")
    assert conflict.value.lock_version == 1
    draft.refresh_from_db()
    assert draft.title == theirs.title
    assert actions(agency_a).count(AuditAction.POLICY_EDITED) == 1


def test_discarding_a_draft_removes_it_and_its_rules(agency_a, supervisor):
    draft = policy_start_draft(agency=agency_a, actor=supervisor.user, template="strict")
    policy_discard(version=draft, actor=supervisor.user)
    assert not PolicyVersion.objects.exists()
    assert actions(agency_a)[-1] == AuditAction.POLICY_DISCARDED


def test_acknowledging_records_the_exact_version_once(agency_a, supervisor, practitioner):
    first = publish(agency_a, supervisor.user, "strict", JAN_5)
    assert awaiting_acknowledgement(practitioner, JAN_5) == first
    policy_acknowledge(version=first, user=practitioner.user, today=JAN_5)
    policy_acknowledge(version=first, user=practitioner.user, today=JAN_5)
    assert awaiting_acknowledgement(practitioner, JAN_5) is None
    second = publish(agency_a, supervisor.user, "early_intervention", FEB_2)
    assert awaiting_acknowledgement(practitioner, FEB_2) == second
    assert list(Acknowledgement.objects.values_list("version__number", "user")) == [(1, practitioner.user.pk)]
    assert actions(agency_a).count(AuditAction.POLICY_ACKNOWLEDGED) == 1
    with pytest.raises(ValidationError, match="Version 1 is no longer in force"):
        policy_acknowledge(version=first, user=supervisor.user, today=FEB_2)  # superseded: nothing to acknowledge
    assert Acknowledgement.objects.count() == 1


def test_staff_acknowledge_both_the_version_in_force_and_a_scheduled_one(agency_a, supervisor, practitioner):
    first = publish(agency_a, supervisor.user, "strict", JAN_5)
    draft = policy_start_draft(agency=agency_a, actor=supervisor.user)
    later = policy_publish(version=draft, actor=supervisor.user, effective_from=MAR_2, today=FEB_2)
    due = awaiting_acknowledgements(practitioner, FEB_2)
    assert [(version.number, version.scheduled) for version in due] == [(1, False), (2, True)]
    policy_acknowledge(version=later, user=practitioner.user, today=FEB_2)
    assert awaiting_acknowledgements(practitioner, FEB_2) == [first]
    policy_acknowledge(version=first, user=practitioner.user, today=FEB_2)
    assert awaiting_acknowledgements(practitioner, FEB_2) == []
    assert sorted(Acknowledgement.objects.values_list("version__number", flat=True)) == [1, 2]
    assert awaiting_acknowledgements(practitioner, MAR_2) == []  # version 1 is superseded by then


def test_a_draft_can_not_be_acknowledged(agency_a, supervisor):
    draft = policy_start_draft(agency=agency_a, actor=supervisor.user, template="strict")
    with pytest.raises(ValidationError):
        policy_acknowledge(version=draft, user=supervisor.user)


def test_an_effective_date_more_than_a_year_ahead_is_refused(agency_a, supervisor):
    draft = policy_start_draft(agency=agency_a, actor=supervisor.user, template="strict")
    with pytest.raises(ValidationError, match="within the next year"):
        policy_publish(version=draft, actor=supervisor.user, effective_from=dt.date(9999, 12, 31), today=FEB_2)
    draft.refresh_from_db()
    assert draft.status == PolicyStatus.DRAFT


def test_a_draft_published_meanwhile_is_not_discarded(agency_a, supervisor):
    draft = policy_start_draft(agency=agency_a, actor=supervisor.user, template="strict")
    stale = PolicyVersion.objects.get(pk=draft.pk)
    policy_publish(version=draft, actor=supervisor.user, effective_from=FEB_2, today=FEB_2)
    with pytest.raises(ValidationError, match="Only a draft can be discarded"):
        policy_discard(version=stale, actor=supervisor.user)
    assert PolicyVersion.objects.get(pk=draft.pk).status == PolicyStatus.PUBLISHED
