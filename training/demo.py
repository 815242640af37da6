"""The demo's own training scenario at Riverside, written by its supervisor (seed_demo)."""

from __future__ import annotations

from accounts.models import Agency, User

from .models import TrainingScenario
from .services import scenario_save

DEMO_TITLE = "A parent tags you in a photo from the family picnic"


def seed_demo_training(*, agency: Agency, supervisor: User) -> None:
    """One supervisor-written scenario; left alone once the agency has any."""
    if TrainingScenario.objects.for_agency(agency).exists():
        return
    scenario_save(agency=agency, actor=supervisor, scenario=TrainingScenario(
        title=DEMO_TITLE,
        situation=("At the programme's summer picnic a parent took a group photo and posted it on Facebook "
                   "that evening, tagging you by name with the programme's logo in the background."),
        answer_kind="options", kind="tag_mention", medium="facebook", relationship="client_family",
        client_status="current",
        considerations=("A tag links your name to the family's in public: others can work out they use the service.\n"
                        "The parent meant it kindly; removing the tag without a word may hurt.\n"
                        "Photos from work events are shared only with everyone's written consent."),
        reflective_questions=("How would you raise the tag with the parent at the next visit?\n"
                              "What could the programme tell families about photos before the next picnic?"),
        citation_keys=["nasw_1_06_fg", "aca_h_6"],
    ))
