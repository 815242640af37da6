import datetime as dt

import pytest

from scenarios.engine.vocabulary import (
    GROUP_MEMBERS,
    MEDIA,
    Channel,
    ChannelUse,
    Decision,
    Platform,
    PlatformGroup,
    Relationship,
    RequestKind,
    Verdict,
    Weekday,
    choices,
    group_of,
    parse_medium,
    weekday_of,
)


@pytest.mark.parametrize(
    ("member", "label"),
    [
        (Relationship.CURRENT_CLIENT, "Current client"),
        (Relationship.CLIENT_FAMILY, "Client's family member"),
        (Relationship.COLLEAGUE, "Colleague (peer)"),
        (Relationship.OWN_SUPERVISEE, "Own supervisee or student"),
        (Relationship.COMMUNITY_MEMBER, "Community member met through work"),
        (Platform.OTHER_PERSONAL, "Other personal network"),
        (Platform.OTHER_PROFESSIONAL, "Other professional network"),
        (Platform.PERSONAL_PHONE, "Personal phone and text"),
        (Platform.LINKEDIN, "LinkedIn"),
        (Channel.WORK_PHONE, "Work phone calls"),
        (Channel.WORK_TEXT, "Work mobile texts"),
        (Channel.VIDEO, "Video platform"),
        (ChannelUse.SCHEDULING, "Scheduling and reminders"),
        (ChannelUse.ENCOURAGEMENT, "A word of encouragement"),
        (ChannelUse.INFORMATION, "Sharing information and resources"),
        (ChannelUse.SESSIONS, "Sessions and check-ins"),
        (RequestKind.TAG_MENTION, "Tag or mention"),
        (RequestKind.ACCIDENTAL_CONNECTION, "Already connected by accident"),
        (Channel.WORK_EMAIL, "Work email"),
    ],
)
def test_every_member_has_a_human_label(member, label: str) -> None:
    assert member.label == label


def test_values_are_the_stored_strings() -> None:
    assert Relationship("former_client") is Relationship.FORMER_CLIENT
    assert str(Decision.NEEDS_APPROVAL) == "needs_approval"
    assert Verdict is Decision


def test_choices_pair_values_with_labels_in_order() -> None:
    assert choices(Weekday)[0] == ("mon", "Monday")
    assert [value for value, _ in choices(Decision)] == ["allowed", "needs_approval", "not_allowed"]


def test_each_platform_belongs_to_exactly_one_group() -> None:
    members = [platform for group in GROUP_MEMBERS.values() for platform in group]
    assert sorted(members) == sorted(Platform)
    assert group_of(Platform.LINKEDIN) is PlatformGroup.PROFESSIONAL_NETWORKS
    assert group_of(Platform.SNAPCHAT) is PlatformGroup.PERSONAL_NETWORKS
    assert group_of(Platform.PERSONAL_EMAIL) is PlatformGroup.PERSONAL_CHANNELS


@pytest.mark.parametrize(("value", "medium"), [("facebook", Platform.FACEBOOK), ("work_text", Channel.WORK_TEXT)])
def test_a_request_medium_is_a_platform_or_a_channel(value: str, medium) -> None:
    assert parse_medium(value) is medium
    assert MEDIA[value] is medium


@pytest.mark.parametrize("value", ["Facebook", ["facebook"]], ids=["unknown", "unhashable"])
def test_an_unknown_medium_is_a_value_error(value) -> None:
    with pytest.raises(ValueError, match="Unknown platform or channel"):
        parse_medium(value)


def test_weekdays_line_up_with_python_dates() -> None:
    assert weekday_of(dt.date(2026, 3, 16)) is Weekday.MON
    assert weekday_of(dt.date(2026, 3, 15)) is Weekday.SUN
