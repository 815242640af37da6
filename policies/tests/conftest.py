import datetime as dt

import pytest

from tests.factories import PolicyVersionFactory


@pytest.fixture
def draft(agency_a, supervisor):
    return PolicyVersionFactory(agency=agency_a, number=1, created_by=supervisor.user, updated_by=supervisor.user)


@pytest.fixture
def published(agency_a, supervisor):
    return PolicyVersionFactory(agency=agency_a, number=1, published=True, template="strict",
                                effective_from=dt.date(2026, 1, 5), published_by=supervisor.user)
