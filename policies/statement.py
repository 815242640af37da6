"""The client statement: ten sections in plain words, built from the policy version in force.

Each section says only what the policy says; where the policy is silent on a connection rule, the
conservative default speaks. Sections that depend on a setting the policy leaves off are left out.
Every sentence goes through gettext, so the statement reads in the language active when it is built
(the view picks it with `translation.override`); the Spanish lives in locale/es/LC_MESSAGES/django.po.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.dateformat import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from policies.document import DEFAULT_POLICY, Period, Policy
from policies.document.vocabulary import (
    Channel,
    ChannelUse,
    Conduct,
    Decision,
    PeriodUnit,
    Platform,
    Relationship,
)
from policies.presentation import days_in_words, reply_promise

LANGUAGES = {"en": "English", "es": "Español"}
# Named when the agency has set no crisis numbers of its own (StatementSettings).
DEFAULT_EMERGENCY_NUMBER = "911"
DEFAULT_CRISIS_NUMBER = "988"
# Whom the statement speaks about, per relationship on the client side, in the order it names them.
STATEMENT_RELATIONSHIPS = (Relationship.CURRENT_CLIENT, Relationship.CLIENT_FAMILY, Relationship.FORMER_CLIENT)


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    paragraphs: tuple[str, ...]
    items: tuple[str, ...] = ()


def _people(relationship: Relationship) -> str:
    """Whom a channel is for, named as a family would name them."""
    return {
        Relationship.CURRENT_CLIENT: _("clients"),
        Relationship.CLIENT_FAMILY: _("families"),
        Relationship.FORMER_CLIENT: _("former clients"),
        Relationship.COMMUNITY_MEMBER: _("people we know through our work"),
    }[relationship]


def _channel(channel: Channel) -> str:
    return {
        Channel.WORK_PHONE: _("Work phone"), Channel.WORK_TEXT: _("Work texts"), Channel.WORK_EMAIL: _("Work email"),
        Channel.AGENCY_PORTAL: _("Our online portal"), Channel.VIDEO: _("Video calls"),
    }[channel]


def _use(use: ChannelUse) -> str:
    return {
        ChannelUse.SCHEDULING: _("appointments and reminders"), ChannelUse.ENCOURAGEMENT: _("a word of support"),
        ChannelUse.INFORMATION: _("sharing information"), ChannelUse.SESSIONS: _("sessions and check-ins"),
    }[use]


def _period(period: Period) -> str:
    number = {1: _("one"), 2: _("two"), 3: _("three"), 4: _("four"), 5: _("five"), 6: _("six"), 7: _("seven"),
              8: _("eight"), 9: _("nine"), 10: _("ten")}.get(period.amount, str(period.amount))
    if period.unit is PeriodUnit.YEARS:
        return ngettext("%(number)s year", "%(number)s years", period.amount) % {"number": number}
    if period.unit is PeriodUnit.MONTHS:
        return ngettext("%(number)s month", "%(number)s months", period.amount) % {"number": number}
    return ngettext("%(number)s day", "%(number)s days", period.amount) % {"number": number}


def connection_decision(policy: Policy, relationship: Relationship) -> Decision:
    """The policy's rule for personal networks, or the conservative default's where the policy is silent."""
    rule = policy.decision_for(relationship, _PERSONAL)[0]
    return rule or DEFAULT_POLICY.decision_for(relationship, _PERSONAL)[0] or Decision.NOT_ALLOWED


# The statement speaks of personal social media as a whole; the most used network's rule (its own, or its group's) stands for it.
_PERSONAL = Platform.FACEBOOK


def _connection_sentence(decision: Decision, people: str) -> str:
    if decision is Decision.NOT_ALLOWED:
        return _("Our staff don't accept friend or follow requests from %(people)s.") % {"people": people}
    if decision is Decision.NEEDS_APPROVAL:
        return _("Before our staff accept a friend or follow request from %(people)s, they talk it over with a "
                 "supervisor.") % {"people": people}
    return _("Our staff may accept friend or follow requests from %(people)s.") % {"people": people}


def _connections(policy: Policy) -> Section:
    decisions = {relationship: connection_decision(policy, relationship) for relationship in STATEMENT_RELATIONSHIPS}
    paragraphs = [_connection_sentence(decisions[Relationship.CURRENT_CLIENT], _("you")),
                  _connection_sentence(decisions[Relationship.CLIENT_FAMILY], _("your family"))]
    cooling = policy.cooling_off_after_discharge
    if cooling is not None:
        paragraphs.append(_("This stays the same for %(period)s after our work together ends.")
                          % {"period": _period(cooling)})
        after = _("you after that time")
    else:
        after = _("you after our work together ends")
    paragraphs.append(_connection_sentence(decisions[Relationship.FORMER_CLIENT], after))
    if policy.expects(Conduct.PRIVATE_PERSONAL_ACCOUNTS).on:
        paragraphs.append(_("Our staff keep their own social media accounts private."))
    if Decision.NOT_ALLOWED in decisions.values():
        paragraphs.append(_("This is not about you. It keeps your private life private, and it keeps our work "
                            "about you. If you send a request, your worker will talk with you about it kindly."))
    return Section("connections", _("Friend and follow requests"), tuple(paragraphs))


def _following(policy: Policy) -> Section:
    paragraphs = [_("Some of our staff have public pages that anyone can follow. If you follow one, other people "
                    "may see it and guess that you know each other.")]
    if connection_decision(policy, Relationship.CURRENT_CLIENT) is not Decision.ALLOWED:
        paragraphs.append(_("Our staff won't follow you back. This helps keep your privacy safe."))
    return Section("following", _("If you follow us"), tuple(paragraphs))


def _agency_pages() -> Section:
    return Section("agency_pages", _("Our agency's own pages"), (
        _("If you follow or like our agency's pages, other people may see it. They may guess that you use our "
          "services. The choice is yours."),
        _("We will never ask you to write a review or say good things about us online."),
    ))


def _messages(policy: Policy) -> Section:
    hours = policy.working_hours
    items = []
    for rule in policy.channels:
        allowed_for = [relationship for relationship in STATEMENT_RELATIONSHIPS if rule.allowed_for(relationship)]
        if not allowed_for:
            continue
        uses = ", ".join(_use(use) for use in rule.uses)
        if rule.relationships:
            items.append(_("%(channel)s: for %(uses)s (%(people)s only)") % {
                "channel": _channel(rule.channel), "uses": uses,
                "people": _(" and ").join(_people(relationship) for relationship in allowed_for)})
        else:
            items.append(_("%(channel)s: for %(uses)s") % {"channel": _channel(rule.channel), "uses": uses})
    replies = reply_promise(policy)
    paragraphs = [
        _("You can reach your worker in these ways:") if items else _("Call our office and ask for your worker."),
        _("We work %(days)s, from %(start)s to %(end)s. We try to reply within %(hours)s hours.") % {
            "days": days_in_words(hours.days), "start": _time(hours.start), "end": _time(hours.end),
            "hours": hours.response_within_hours},
        " ".join(text for text in (replies.rule, replies.example) if text),
        _("We don't answer messages sent on social media. Please use one of the ways above."),
        _("What you send us may become part of your file."),
        _("Email and texts are not fully private. Others may see them on a shared phone or computer. Keep "
          "private things for a call or a visit."),
    ]
    return Section("messages", _("Messages"), tuple(paragraphs), tuple(items))


def _time(value: dt.time) -> str:
    return time_format(value, "g:i A")


def crisis_lines(emergency_number: str = DEFAULT_EMERGENCY_NUMBER, crisis_number: str = DEFAULT_CRISIS_NUMBER,
                 crisis_texts: bool = True) -> str:
    """Whom to call, in the active language: the emergency number, then the crisis line if the agency names one."""
    sentences = [_("In an emergency, call %(number)s.") % {"number": emergency_number}]
    if crisis_number:
        sentence = (_("In a mental health crisis, call or text %(number)s.") if crisis_texts
                    else _("In a mental health crisis, call %(number)s."))
        sentences.append(sentence % {"number": crisis_number})
    return " ".join(sentences)


def _emergencies(lines: str) -> Section:
    return Section("emergencies", _("In an emergency"), (
        _("No one watches these messages day and night. Please don't use them in an emergency."),
        lines or crisis_lines(),
    ))


def agency_paragraphs(text: str) -> tuple[str, ...]:
    """The agency's own words as paragraphs: split at blank lines, each paragraph's line breaks read as spaces.

    Plain text only: the template escapes it like any other sentence.
    """
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return tuple(" ".join(block.split()) for block in blocks if block.strip())


def _agency_words(text: str) -> Section:
    return Section("agency", _("A word from our agency"), agency_paragraphs(text))


def _searching() -> Section:
    return Section("searching", _("Looking you up online"), (
        _("Our staff don't look you up online. They don't look through your profiles."),
        _("The one exception is a worry about someone's safety. If that happens, we will tell you."),
    ))


def _reviews() -> Section:
    return Section("reviews", _("Online reviews"), (
        _("If you write a review of us online, we won't answer it. An answer would show others that you work "
          "with us."),
        _("To tell us how we are doing, please talk with your worker or ask to speak with a supervisor."),
    ))


def _tags(policy: Policy) -> Section:
    paragraphs = [_("If you check in at our office online, or tag our staff in a post, others may learn that you "
                    "use our services.")]
    if policy.expects(Conduct.NO_POSTS_ABOUT_WORK).on:
        paragraphs.append(_("Our staff don't post about you, your family or their work with you."))
    if policy.expects(Conduct.CLIENT_PHOTOS_WITH_CONSENT).on:
        paragraphs.append(_("Our staff never post photos from work without your written consent."))
    return Section("tags", _("Tags, photos and check-ins"), tuple(paragraphs))


def _community() -> Section:
    return Section("community", _("If we meet in town"), (
        _("You may see your worker at a shop, a school or an event. They won't say hello first. This keeps your "
          "privacy safe, because others may be watching."),
        _("You are welcome to say hello. Your worker will be glad to say hello back."),
    ))


def _changes(version_number: int | None, effective: str) -> Section:
    if version_number is None:
        first = _("This statement follows our standard rules.")
    else:
        first = _("This statement follows our policy, version %(number)s, in use from %(date)s.") % {
            "number": version_number, "date": effective}
    return Section("changes", _("When things change"), (
        first, _("If our policy changes, your worker will go through the changes with you."),
    ))


def statement_sections(policy: Policy, *, version_number: int | None = None, effective: str = "",
                       crisis_lines: str = "", agency_words: str = "") -> list[Section]:
    """The sections this policy's statement holds, in order, in the active language.

    `crisis_lines` replaces the default's 911 and 988 (see `crisis_lines()`); `agency_words`, the agency's
    own paragraph in the language being built, adds a section of its own before the last one.
    """
    sections = [_connections(policy), _following(policy), _agency_pages(), _messages(policy),
                _emergencies(crisis_lines)]
    if policy.expects(Conduct.NO_SEARCHING_FOR_CLIENTS).on:
        sections.append(_searching())
    if policy.expects(Conduct.ONLINE_REVIEWS).on:
        sections.append(_reviews())
    sections.append(_tags(policy))
    if policy.exceptions.small_community_guidance.strip():
        sections.append(_community())
    if agency_paragraphs(agency_words):
        sections.append(_agency_words(agency_words))
    sections.append(_changes(version_number, effective))
    return sections
