"""A policy in readable words: the grid practitioners read, the diff supervisors compare, the client statement.

The words for each conduct expectation, for staff and for clients, are kept here (CONDUCT_WORDS).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.dateformat import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from policies.document.hours import reply_deadline
from policies.document import Period, Policy, WorkingHours
from policies.document.vocabulary import (
    GROUP_MEMBERS,
    AccountStance,
    AfterHours,
    Channel,
    Conduct,
    Decision,
    Platform,
    PeriodUnit,
    PlatformGroup,
    Relationship,
    Weekday,
    weekday_of,
)

WEEKDAYS = tuple(Weekday)
BADGES = {Decision.ALLOWED: "text-bg-success", Decision.NEEDS_APPROVAL: "text-bg-warning",
          Decision.NOT_ALLOWED: "text-bg-danger"}


@dataclass(frozen=True)
class Cell:
    decision: Decision | None
    rationale: str

    @property
    def label(self) -> str:
        return self.decision.label if self.decision else _("No rule: ask your supervisor")

    @property
    def badge(self) -> str:
        return BADGES.get(self.decision, "text-bg-secondary")


@dataclass(frozen=True)
class Line:
    section: str
    label: str
    value: str


@dataclass(frozen=True)
class Change:
    section: str
    label: str
    before: str
    after: str


def group_heading(group: PlatformGroup) -> str:
    return f"{group.label} ({', '.join(platform.label for platform in GROUP_MEMBERS[group])})"


def decision_grid(policy: Policy) -> list[tuple[Relationship, list[Cell]]]:
    index = {(rule.relationship, rule.scope): rule for rule in policy.connection_rules}
    rows = []
    for relationship in Relationship:
        cells = []
        for group in PlatformGroup:
            rule = index.get((relationship, group))
            cells.append(Cell(rule.decision, rule.rationale) if rule else Cell(None, ""))
        rows.append((relationship, cells))
    return rows


def overrides(policy: Policy) -> list[tuple[Relationship, Platform, Cell]]:
    return [(rule.relationship, rule.scope, Cell(rule.decision, rule.rationale))
            for rule in policy.connection_rules if isinstance(rule.scope, Platform)]


def describe_period(period: Period | None) -> str:
    """"5 years", in figures (the client statement spells the number out), in the active language."""
    if period is None:
        return _("Not set")
    words = {"number": period.amount}
    if period.unit is PeriodUnit.YEARS:
        return ngettext("%(number)s year", "%(number)s years", period.amount) % words
    if period.unit is PeriodUnit.MONTHS:
        return ngettext("%(number)s month", "%(number)s months", period.amount) % words
    return ngettext("%(number)s day", "%(number)s days", period.amount) % words


def describe_days(days: tuple[Weekday, ...]) -> str:
    return days_in_words(days)


def describe_people(relationships: tuple[Relationship, ...]) -> str:
    return ", ".join(relationship.label.lower() for relationship in relationships)


def describe_channel(policy: Policy, channel: Channel) -> str:
    rule = policy.channel_rule(channel)
    if rule is None or not rule.allowed:
        return _("Not allowed")
    uses = ", ".join(use.label.lower() for use in rule.uses)
    if rule.relationships:
        return _("Allowed for: %(uses)s; only with: %(people)s") % {
            "uses": uses, "people": describe_people(rule.relationships)}
    return _("Allowed for: %(uses)s") % {"uses": uses}


@dataclass(frozen=True)
class ConductWords:
    staff: str
    # What the client statement says, or None for an expectation that concerns staff alone.
    client: str | None


# Our own words for each expectation: what staff read and acknowledge, and what clients are told.
CONDUCT_WORDS: dict[Conduct, ConductWords] = {
    Conduct.PRIVATE_PERSONAL_ACCOUNTS: ConductWords(
        gettext_lazy("Keep your personal accounts private, so the people you serve can't see your private life and "
                     "you don't show up in their searches."),
        gettext_lazy("Our staff keep their personal social-media accounts private and don't connect with the people "
                     "they work with there. This is about their role, not about you."),
    ),
    Conduct.PROFESSIONAL_ACCOUNTS: ConductWords("", None),  # worded by its stance, below
    Conduct.NO_POSTS_ABOUT_WORK: ConductWords(
        gettext_lazy("Don't post about your work, the people you serve or a hard day at work, even without names: "
                     "the people who know you can often tell who you mean."),
        gettext_lazy("Our staff don't post about you, your family or their work with you."),
    ),
    Conduct.CLIENT_PHOTOS_WITH_CONSENT: ConductWords(
        gettext_lazy("Take or share a photo of someone you serve, or of their family, only with their written "
                     "consent."),
        gettext_lazy("Our staff take or share a photo of you or your family only with your written consent."),
    ),
    Conduct.NO_SEARCHING_FOR_CLIENTS: ConductWords(
        gettext_lazy("Don't search for the people you serve online or look through their profiles without a "
                     "professional reason, such as their safety, and, where it fits, their consent (NASW 1.07(a), "
                     "1.07(q); ACA H.6.c)."),
        gettext_lazy("Our staff don't look you up online or look through your profiles, unless there is a "
                     "professional reason such as your safety; where it fits, we ask you first."),
    ),
    Conduct.ONLINE_REVIEWS: ConductWords(
        gettext_lazy("If someone you serve reviews the agency online, don't confirm in public that they are a "
                     "client: thank reviewers in general words, or invite them to talk with the agency directly."),
        gettext_lazy("If you review our service online, we won't confirm in public that you work with us. We may "
                     "thank you in general words or invite you to talk with us directly."),
    ),
}
PROFESSIONAL_ACCOUNTS = {
    AccountStance.ALLOWED: gettext_lazy("You may keep a professional account apart from your personal one; if you "
                                        "do, keep anything about your work to that one."),
    AccountStance.EXPECTED: gettext_lazy("Keep a professional account apart from your personal one, and keep "
                                         "anything about your work to that one."),
    AccountStance.NOT_USED: gettext_lazy("The agency doesn't use separate professional accounts: speak about the "
                                         "work only through the agency's own channels."),
}


@dataclass(frozen=True)
class ConductItem:
    label: str
    text: str
    note: str


def _staff_words(policy: Policy, conduct: Conduct) -> str:
    expectation = policy.expects(conduct)
    if conduct is Conduct.PROFESSIONAL_ACCOUNTS:
        return PROFESSIONAL_ACCOUNTS[expectation.stance or AccountStance.ALLOWED]
    return CONDUCT_WORDS[conduct].staff


def staff_conduct(policy: Policy) -> list[ConductItem]:
    """The expectations the policy states, as staff read and acknowledge them, each with the agency's note."""
    return [ConductItem(expectation.conduct.label, _staff_words(policy, expectation.conduct), expectation.note)
            for expectation in policy.conduct_stated]


def describe_conduct(policy: Policy, conduct: Conduct) -> str:
    expectation = policy.expects(conduct)
    if not expectation.on:
        return _("Not stated")
    if expectation.stance:
        stated = _("Stated (%(stance)s)") % {"stance": expectation.stance.label.lower()}
    else:
        stated = _("Stated")
    if not expectation.note:
        return stated
    return _("%(stated)s. Note: %(note)s") % {"stated": stated, "note": expectation.note}


def policy_lines(policy: Policy) -> dict[str, Line]:
    """Every setting as a keyed, labelled line; the keys let two policies be compared."""
    lines: dict[str, Line] = {"title": Line(_("General"), _("Title"), policy.title)}
    connections = _("Connections")
    for rule in policy.connection_rules:
        scope = rule.scope.label if isinstance(rule.scope, Platform) else rule.scope.label.lower()
        label = f"{rule.relationship.label}, {scope}"
        lines[f"rule:{rule.relationship}:{rule.scope}"] = Line(connections, label, rule.decision.label)
        lines[f"why:{rule.relationship}:{rule.scope}"] = Line(connections, _("%(rule)s: reason") % {"rule": label},
                                                               rule.rationale)
    cooling = _("Cooling-off")
    lines["cooling:discharge"] = Line(cooling, _("After discharge"),
                                      describe_period(policy.cooling_off_after_discharge))
    lines["cooling:leaving"] = Line(cooling, _("After a staff member leaves"),
                                    describe_period(policy.cooling_off_after_leaving))
    for channel in Channel:
        lines[f"channel:{channel}"] = Line(_("Contact channels"), channel.label, describe_channel(policy, channel))
    hours, working = policy.working_hours, _("Working hours")
    lines["hours:days"] = Line(working, _("Working days"), describe_days(hours.days))
    lines["hours:time"] = Line(working, _("Hours"), _("%(first)s to %(last)s") % {
        "first": f"{hours.start:%H:%M}", "last": f"{hours.end:%H:%M}"})
    lines["hours:response"] = Line(working, _("Reply within"), ngettext(
        "%(hours)s hour", "%(hours)s hours", hours.response_within_hours) % {"hours": hours.response_within_hours})
    lines["hours:after"] = Line(working, _("After hours"), hours.after_hours.label)
    # Keyed by a fixed name, so two policies compare the same way in any language.
    texts = [
        ("small_community", _("Exceptions"), _("Small or rural community"), policy.exceptions.small_community_guidance),
        ("accidental", _("Exceptions"), _("Accidental connection"), policy.exceptions.accidental_connection_guidance),
        ("public_account", _("Exceptions"), _("A client follows a public account"),
         policy.exceptions.public_account_guidance),
        ("consult", _("Procedures"), _("When to consult a supervisor"), policy.procedures.consult_supervisor_when),
        ("document", _("Procedures"), _("What to document"), policy.procedures.documentation),
    ]
    for key, section, label, text in texts:
        lines[f"text:{key}"] = Line(section, label, text)
    for conduct in Conduct:
        lines[f"conduct:{conduct}"] = Line(_("Conduct"), conduct.label, describe_conduct(policy, conduct))
    return lines


def policy_diff(before: Policy, after: Policy) -> list[Change]:
    """What changed from `before` to `after`, in the order the settings appear on the page."""
    old, new = policy_lines(before), policy_lines(after)
    changes = []
    for key in list(new) + [key for key in old if key not in new]:
        was, now = old.get(key), new.get(key)
        if was is not None and now is not None and was.value == now.value:
            continue
        line = now or was
        missing = _("Not in this version")
        changes.append(Change(line.section, line.label, was.value if was else missing, now.value if now else missing))
    return changes


# Any Monday will do: the statement's example is worked through on this week by the engine's own
# reply rule, so the promise to clients and the practitioner's guidance can't drift apart.
EXAMPLE_WEEK = dt.date(2024, 1, 1)


@dataclass(frozen=True)
class ReplyPromise:
    rule: str
    example: str
    # The example's message and the moment the example names (the deadline, or the start of the next
    # working day), kept for the test that holds the statement and the guidance together.
    sent: dt.datetime | None
    named: dt.datetime | None


def _clock(moment: dt.datetime) -> str:
    return time_format(moment.time(), "g:i A")


def _example_message(hours: WorkingHours) -> dt.datetime:
    """A message sent at closing time on the last working day of the week, the case clients ask about."""
    last = max(WEEKDAYS.index(day) for day in hours.days)
    return dt.datetime.combine(EXAMPLE_WEEK + dt.timedelta(days=last), hours.end)


def reply_promise(policy: Policy) -> ReplyPromise:
    """The client statement's words for when a message is answered, with an example the engine worked out.

    Worded through gettext, so the statement reads it in the language active when it is called.
    """
    hours = policy.working_hours
    next_day = hours.after_hours is AfterHours.NEXT_WORKING_DAY
    if next_day:
        rule = _("A message that arrives outside these hours is answered on the next working day.")
    else:
        rule = _("A message that arrives outside these hours is answered within %(hours)s hours, counted from "
                 "when we next start work.") % {"hours": hours.response_within_hours}
    if not hours.days:
        return ReplyPromise(rule, "", None, None)
    sent = _example_message(hours)
    deadline = reply_deadline(sent, hours)
    named = deadline.counts_from if next_day else deadline.due
    assert named is not None  # a week in 2024 is far from the calendar's end
    # A weekday alone is ambiguous once the answer is a week or more away.
    days = (named.date() - sent.date()).days
    words = {"sent_day": weekday_name(weekday_of(sent.date())), "sent_time": _clock(sent),
             "day": weekday_name(weekday_of(named.date())), "time": _clock(named), "days": days}
    if next_day and days >= 7:
        example = _("For example, a message sent on a %(sent_day)s at %(sent_time)s is answered on %(day)s, "
                    "%(days)s days later, from %(time)s.") % words
    elif next_day:
        example = _("For example, a message sent on a %(sent_day)s at %(sent_time)s is answered on %(day)s, "
                    "from %(time)s.") % words
    elif days >= 7:
        example = _("For example, a message sent on a %(sent_day)s at %(sent_time)s is answered by %(day)s at "
                    "%(time)s, %(days)s days later.") % words
    else:
        example = _("For example, a message sent on a %(sent_day)s at %(sent_time)s is answered by %(day)s at "
                    "%(time)s.") % words
    return ReplyPromise(rule, example, sent, named)


def weekday_name(day: Weekday) -> str:
    """The day's name in the active language (the vocabulary's labels are English)."""
    return {
        Weekday.MON: _("Monday"), Weekday.TUE: _("Tuesday"), Weekday.WED: _("Wednesday"),
        Weekday.THU: _("Thursday"), Weekday.FRI: _("Friday"), Weekday.SAT: _("Saturday"), Weekday.SUN: _("Sunday"),
    }[day]


def days_in_words(days: tuple[Weekday, ...]) -> str:
    """describe_days in the active language: "Monday to Friday", or the days one by one."""
    positions = sorted(WEEKDAYS.index(day) for day in days)
    if len(positions) > 2 and positions == list(range(positions[0], positions[-1] + 1)):
        return _("%(first)s to %(last)s") % {"first": weekday_name(WEEKDAYS[positions[0]]),
                                              "last": weekday_name(WEEKDAYS[positions[-1]])}
    return ", ".join(weekday_name(WEEKDAYS[position]) for position in positions)
