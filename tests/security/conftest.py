import pytest

from .world import build_world


@pytest.fixture
def world(agency_a, agency_b, practitioner, supervisor, admin, outsider):
    return build_world(agency_a=agency_a, agency_b=agency_b, practitioner=practitioner, supervisor=supervisor,
                       admin=admin, outsider=outsider)
