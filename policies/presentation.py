"""A policy in readable words: the grid practitioners read, the diff supervisors compare, the client statement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.dateformat import time_format

from policies.document.hours import reply_deadline
from policies.document import Period, Policy, WorkingHours
from policies.document.vocabulary import (
    GROUP_MEMBERS,
    AfterHours,
    Channel,
    Decision,
    Platform,
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
        return self.decision.label if self.decision else "No rule: ask your supervisor"

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
    return period.describe() if period else "Not set"


def describe_days(days: tuple[Weekday, ...]) -> str:
    positions = sorted(WEEKDAYS.index(day) for day in days)
    if len(positions) > 2 and positions == list(range(positions[0], positions[-1] + 1)):
        return f"{WEEKDAYS[positions[0]].label} to {WEEKDAYS[positions[-1]].label}"
    return ", ".join(WEEKDAYS[position].label for position in positions)


def describe_channel(policy: Policy, channel: Channel) -> str:
    rule = policy.channel_rule(channel)
    if rule is None or not rule.allowed:
        return "Not allowed"
    return "Allowed for: " + ", ".join(use.label.lower() for use in rule.uses)


def policy_lines(policy: Policy) -> dict[str, Line]:
    """Every setting as a keyed, labelled line; the keys let two policies be compared."""
    lines: dict[str, Line] = {"title": Line("General", "Title", policy.title)}
    for rule in policy.connection_rules:
        scope = rule.scope.label if isinstance(rule.scope, Platform) else rule.scope.label.lower()
        label = f"{rule.relationship.label}, {scope}"
        lines[f"rule:{rule.relationship}:{rule.scope}"] = Line("Connections", label, rule.decision.label)
        lines[f"why:{rule.relationship}:{rule.scope}"] = Line("Connections", f"{label}: reason", rule.rationale)
    lines["cooling:discharge"] = Line("Cooling-off", "After discharge",
                                      describe_period(policy.cooling_off_after_discharge))
    lines["cooling:leaving"] = Line("Cooling-off", "After a staff member leaves",
                                    describe_period(policy.cooling_off_after_leaving))
    for channel in Channel:
        lines[f"channel:{channel}"] = Line("Contact channels", channel.label, describe_channel(policy, channel))
    hours = policy.working_hours
    lines["hours:days"] = Line("Working hours", "Working days", describe_days(hours.days))
    lines["hours:time"] = Line("Working hours", "Hours", f"{hours.start:%H:%M} to {hours.end:%H:%M}")
    lines["hours:response"] = Line("Working hours", "Reply within", f"{hours.response_within_hours} hours")
    lines["hours:after"] = Line("Working hours", "After hours", hours.after_hours.label)
    texts = [
        ("Exceptions", "Small or rural community", policy.exceptions.small_community_guidance),
        ("Exceptions", "Accidental connection", policy.exceptions.accidental_connection_guidance),
        ("Exceptions", "A client follows a public account", policy.exceptions.public_account_guidance),
        ("Procedures", "When to consult a supervisor", policy.procedures.consult_supervisor_when),
        ("Procedures", "What to document", policy.procedures.documentation),
    ]
    for section, label, text in texts:
        lines[f"text:{label}"] = Line(section, label, text)
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
        changes.append(Change(line.section, line.label, was.value if was else "Not in this version",
                              now.value if now else "Not in this version"))
    return changes


def client_channels(policy: Policy) -> list[tuple[str, str]]:
    return [(rule.channel.label, ", ".join(use.label.lower() for use in rule.uses))
            for rule in policy.channels if rule.allowed]


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
    """The client statement's words for when a message is answered, with an example the engine worked out."""
    hours = policy.working_hours
    next_day = hours.after_hours is AfterHours.NEXT_WORKING_DAY
    if next_day:
        rule = "A message that arrives outside these hours is answered on the next working day."
    else:
        rule = (f"A message that arrives outside these hours is answered within {hours.response_within_hours} "
                "hours, counted from when we next start work.")
    if not hours.days:
        return ReplyPromise(rule, "", None, None)
    sent = _example_message(hours)
    deadline = reply_deadline(sent, hours)
    named = deadline.counts_from if next_day else deadline.due
    assert named is not None  # a week in 2024 is far from the calendar's end
    # A weekday alone is ambiguous once the answer is a week or more away.
    days = (named.date() - sent.date()).days
    gap = f", {days} days later" if days >= 7 else ""
    day = weekday_of(named.date()).label
    answered = f"on {day}{gap}, from {_clock(named)}" if next_day else f"by {day} at {_clock(named)}{gap}"
    example = f"For example, a message sent on a {weekday_of(sent.date()).label} at {_clock(sent)} is answered {answered}."
    return ReplyPromise(rule, example, sent, named)
