import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import AcknowledgementFactory, PolicyVersionFactory


@pytest.fixture
def strict_version(agency_a, supervisor):
    """Version 1, the strict template, in force since January: a late text is not answered on the work mobile."""
    return PolicyVersionFactory(agency=agency_a, number=1, published=True, template="strict",
                                effective_from=dt.date(2026, 1, 5), published_by=supervisor.user)


@pytest.fixture
def publish_early_intervention(agency_a, supervisor):
    """Version 2, the early-intervention template, in force from today: replying by text is allowed."""

    def publish():
        return PolicyVersionFactory(agency=agency_a, number=2, published=True, template="early_intervention",
                                    effective_from=timezone.localdate(), published_by=supervisor.user)

    return publish


@pytest.fixture
def acknowledged(practitioner, strict_version):
    return AcknowledgementFactory(agency=strict_version.agency, version=strict_version, user=practitioner.user)
