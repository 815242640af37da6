"""At a glance: the supervisor's counts, the dashboard's figures, and what a practitioner has to do today.

Every figure is read in a fixed number of queries, whatever the number of requests: the
dashboard reads the requests of its range once (a few columns each) and counts in Python,
so its query count is pinned by a test with two data sizes. Days and months are the agency's
own (the agency's time zone is active for the request, see boundaries.tenancy.AgencyMiddleware).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import partial

from django.db.models import Case, Count, DateField, F, Min, Q, Value, When, Window
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts.models import Agency, Membership
from boundaries.dates import show_day
from boundaries.prepared import Prepared
from policies.models import Acknowledgement, PolicyVersion
from scenarios.engine.vocabulary import BeforeOption, Option, Relationship

from . import charts
from .models import MEDIUM_LABELS, RECEIVED_FLOOR, ContactRequest, Outcome, RequestStatus, ReviewDecision, waiting_q

STILL_OPEN = "Not closed yet"
# More months than this and the columns become years, so a long range stays readable.
MONTHS_SHOWN_AS_MONTHS = 24
OVERDUE_SHOWN = 50
# What a "Before I do it" check that names no platform or person is counted under.
NO_MEDIUM = "No platform given (Before I do it)"
NO_ONE = "No one in particular (Before I do it)"
CHART_KEYS = ("platforms", "relationships", "outcomes", "resolved", "options", "acknowledgements", "overdue")


def overdue_q(today: dt.date) -> Q:
    """A follow-up date already past on a request that is not closed."""
    return ~Q(status=RequestStatus.CLOSED) & Q(follow_up_on__lt=today)


# Acknowledgement coverage --------------------------------------------------------------------------

@dataclass(frozen=True)
class Coverage:
    number: int
    effective_from: dt.date
    acknowledged: int
    staff: int

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.staff) if self.staff else 0


def version_coverage(agency: Agency, *, today: dt.date, in_force_only: bool = False) -> list[Coverage]:
    """How many of today's active staff acknowledged each published version (two queries).

    Staff who left are not counted either way: coverage is about the people working now.
    """
    active = Membership.objects.filter(agency=agency).active()
    staff = active.count()
    versions = PolicyVersion.objects.for_agency(agency).released()
    if in_force_only:
        versions = versions.in_force_on(today)[:1]
    else:
        versions = versions.filter(effective_from__lte=today).order_by("-number")
    acknowledged_by_staff = Acknowledgement.objects.filter(agency=agency, user__in=active.values("user"))
    rows = versions.annotate(acknowledged=Count("acknowledgements", filter=Q(
        acknowledgements__in=acknowledged_by_staff))).values_list("number", "effective_from", "acknowledged")
    return [Coverage(number, effective_from, acknowledged, staff) for number, effective_from, acknowledged in rows]


# The supervisor's home ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Glance:
    waiting: int
    overdue: int
    this_month: int
    month_start: dt.date
    coverage: Coverage | None
    waiting_more: bool = False  # more than GLANCE_CAP: the card says "1000+"
    overdue_more: bool = False


# Past this the cards stop counting: each count reads an index of its own, and no further than this.
GLANCE_CAP = 1_000


def supervisor_glance(*, agency: Agency, user, today: dt.date) -> Glance:
    """The four counts on a supervisor's home page (five queries, each served by an index: one
    aggregate with three filters read all 300,000 of an agency's requests, 230 ms a page)."""
    month_start = today.replace(day=1)
    requests = ContactRequest.objects.for_agency(agency)
    waiting, waiting_more = requests.filter(waiting_q(user)).count_up_to(GLANCE_CAP)
    overdue, overdue_more = requests.filter(overdue_q(today)).count_up_to(GLANCE_CAP)
    # A range on received_at itself (its index), not on its date (a cast the index can't serve).
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(month_start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    this_month = requests.filter(received_at__gte=start, received_at__lt=end).order_by().count()
    coverage = version_coverage(agency, today=today, in_force_only=True)
    return Glance(waiting, overdue, this_month, month_start, coverage[0] if coverage else None,
                  waiting_more, overdue_more)


# The dashboard ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Chart:
    """One chart and the table that says the same thing (also its CSV)."""

    key: str
    title: str
    description: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str | int, ...], ...]
    svg: charts.Svg
    legend: tuple[tuple[str, str], ...] = ()
    # A table with a column per series sits under its chart rather than beside it.
    wide: bool = False


@dataclass(frozen=True)
class Dashboard:
    since: dt.date
    until: dt.date
    total: int
    agency_has_requests: bool
    charts: tuple[Chart, ...] = field(default=())

    def chart(self, key: str) -> Chart | None:
        return next((chart for chart in self.charts if chart.key == key), None)


@dataclass(frozen=True)
class RequestFacts:
    """The few columns of one request the dashboard counts."""

    received_on: dt.date
    medium: str
    relationship: str
    outcome: str
    chosen_option: str
    recommended: tuple[str, ...]
    # Fractional: a request closed 7 days and 2 hours after it arrived was not closed within 7 days.
    days_to_close: float | None


def _buckets(since: dt.date, until: dt.date) -> tuple[list[dt.date], bool]:
    """The first day of each month (or year, for a long range) from `since` to `until`; and whether years."""
    months = (until.year - since.year) * 12 + until.month - since.month + 1
    if months > MONTHS_SHOWN_AS_MONTHS:
        return [dt.date(year, 1, 1) for year in range(since.year, until.year + 1)], True
    starts, current = [], since.replace(day=1)
    while current <= until:
        starts.append(current)
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return starts, False


def _bucket_of(day: dt.date, yearly: bool) -> dt.date:
    return dt.date(day.year, 1, 1) if yearly else day.replace(day=1)


def _over_time(key: str, title: str, description: str, facts: list[RequestFacts], buckets: list[dt.date],
               yearly: bool, value_of, label_of) -> Chart:
    counts = Counter((_bucket_of(item.received_on, yearly), value_of(item)) for item in facts)
    totals = Counter(value_of(item) for item in facts)
    # The largest series first (at the foot of each column), ties by name: the same order on every database.
    values = sorted(totals, key=lambda value: (-totals[value], label_of(value)))
    names = [dateformat.format(bucket, "Y" if yearly else "M Y") for bucket in buckets]
    # The axis has room for "Mar 26" under each of twelve columns; the table gives the year in full.
    ticks = [dateformat.format(bucket, "Y" if yearly else "M y") for bucket in buckets]
    series = [(label_of(value), [counts[(bucket, value)] for bucket in buckets]) for value in values]
    rows = tuple((name, *(numbers[i] for _, numbers in series), sum(numbers[i] for _, numbers in series))
                 for i, name in enumerate(names))
    return Chart(
        key=key, title=title, description=description,
        headers=("Year" if yearly else "Month", *(label for label, _ in series), "Total"), rows=rows,
        svg=charts.stacked_columns(buckets=ticks, series=series), wide=True,
        legend=tuple((label, charts.series_class(index)) for index, (label, _) in enumerate(series)),
    )


def _resolved(facts: list[RequestFacts]) -> Chart:
    days = [item.days_to_close for item in facts]
    bands = [
        ("Closed within 7 days", sum(1 for d in days if d is not None and d <= 7)),
        ("Closed within 30 days", sum(1 for d in days if d is not None and d <= 30)),
        ("Closed after more than 30 days", sum(1 for d in days if d is not None and d > 30)),
        (STILL_OPEN, sum(1 for d in days if d is None)),
    ]
    return Chart(
        key="resolved", title="How quickly requests were closed",
        description="Of the requests received in the range, how many were closed within a week and within "
                    "a month of arriving. \u201cWithin 30 days\u201d includes those closed within 7.",
        headers=("How quickly", "Requests"), rows=tuple(bands),
        svg=charts.horizontal_bars(bars=[(label, value, i) for i, (label, value) in enumerate(bands)],
                                   top=len(facts)),
    )


def _options(facts: list[RequestFacts]) -> Chart:
    decided = [item for item in facts if item.chosen_option]
    chosen = Counter(item.chosen_option for item in decided)
    recommended = Counter(item.recommended[0] for item in decided if item.recommended)
    followed = sum(1 for item in decided if item.recommended and item.chosen_option == item.recommended[0])
    # The three options of "Before I do it" checks show once there are checks in the range.
    shown = (*Option, *(option for option in BeforeOption if chosen[option.value] or recommended[option.value]))
    rows = tuple((option.label, recommended[option.value], chosen[option.value]) for option in shown)
    bars = [bar for option in shown for bar in ((f"{option.label}: recommended", recommended[option.value], 0),
                                                 (f"{option.label}: chosen", chosen[option.value], 1))]
    return Chart(
        key="options", title="Options chosen against options recommended",
        description=f"Of the {len(decided)} request{'s' if len(decided) != 1 else ''} where an option was chosen, "
                    f"{followed} followed the first option the guidance recommended.",
        headers=("Option", "Recommended first", "Chosen"), rows=rows,
        svg=charts.horizontal_bars(bars=bars, top=max([value for _, value, _ in bars], default=0)),
        legend=(("Recommended first", charts.series_class(0)), ("Chosen", charts.series_class(1))),
    )


def _coverage(coverage: list[Coverage]) -> Chart:
    rows = tuple((f"Version {item.number}", dateformat.format(item.effective_from, "j M Y"), item.acknowledged,
                  item.staff, item.percent) for item in coverage)
    return Chart(
        key="acknowledgements", title="Acknowledgement coverage of each version",
        description="The share of the people working at the agency today who acknowledged each published "
                    "version that has taken effect, the newest first.",
        headers=("Version", "In force from", "Acknowledged", "Staff", "Per cent"), rows=rows,
        svg=charts.horizontal_bars(bars=[(f"Version {item.number}", item.percent, 0) for item in coverage],
                                   top=100, suffix="%"),
    )


def _overdue(overdue: list[tuple[str, int, dt.date]]) -> Chart:
    rows = tuple((name, count, dateformat.format(oldest, "j M Y")) for name, count, oldest in overdue)
    return Chart(
        key="overdue", title="Overdue follow-ups",
        description="Follow-ups whose date has passed on requests not yet closed, by practitioner, as of "
                    "today (whatever the range).",
        headers=("Practitioner", "Overdue follow-ups", "Oldest due on"), rows=rows,
        svg=charts.horizontal_bars(bars=[(name, count, 2) for name, count, _ in overdue],
                                   top=max([count for _, count, _ in overdue], default=0)),
    )


def _facts(agency: Agency, since: dt.date, until: dt.date) -> list[RequestFacts]:
    rows = (ContactRequest.objects.for_agency(agency)
            .filter(received_at__date__gte=since, received_at__date__lte=until)
            .order_by().values_list("received_at", "medium", "relationship", "outcome", "chosen_option",
                                    "recommended", "closed_at"))
    facts = []
    for received_at, medium, relationship, outcome, chosen, recommended, closed_at in rows.iterator():
        days = (closed_at - received_at).total_seconds() / 86400 if closed_at else None
        facts.append(RequestFacts(timezone.localtime(received_at).date(), medium, relationship, outcome, chosen,
                                  tuple(recommended or ()), days))
    return facts


def _overdue_by_practitioner(agency: Agency, today: dt.date) -> list[tuple[str, int, dt.date]]:
    rows = (ContactRequest.objects.for_agency(agency).filter(overdue_q(today)).order_by()
            .values("practitioner_id", "practitioner__full_name")
            .annotate(count=Count("pk"), oldest=Min("follow_up_on"))
            .order_by("-count", "practitioner__full_name")[:OVERDUE_SHOWN])
    return [(row["practitioner__full_name"], row["count"], row["oldest"]) for row in rows]


def dashboard_for(*, agency: Agency, since: dt.date, until: dt.date, today: dt.date) -> Dashboard:
    """Every chart of the dashboard for requests received from `since` to `until` (local days)."""
    facts = _facts(agency, since, until)
    if not facts and not ContactRequest.objects.for_agency(agency).exists():
        return Dashboard(since, until, 0, agency_has_requests=False)
    # No request arrived before 2000 or after today (scenarios.models.received_at_problem), so a
    # range reaching back to year 1 or on to 9000 draws the years that can hold requests, not thousands.
    first = max(since, RECEIVED_FLOOR.date())
    last = max(min(until, today), first)
    buckets, yearly = ([], False) if not facts else _buckets(first, last)
    over_time = [
        _over_time("platforms", "Requests over time, by platform",
                   "How many requests arrived each month, by the platform or channel they came through.",
                   facts, buckets, yearly, lambda item: item.medium, lambda value: MEDIUM_LABELS.get(value, value) or NO_MEDIUM),
        _over_time("relationships", "Requests over time, by relationship",
                   "How many requests arrived each month, by who sent them.",
                   facts, buckets, yearly, lambda item: item.relationship,
                   lambda value: Relationship(value).label if value else NO_ONE),
        _over_time("outcomes", "Requests over time, by outcome",
                   "How the requests that arrived each month ended, or whether they are still open.",
                   facts, buckets, yearly, lambda item: item.outcome,
                   lambda value: Outcome(value).label if value else STILL_OPEN),
    ]
    return Dashboard(since, until, len(facts), agency_has_requests=True, charts=(
        *over_time, _resolved(facts), _options(facts),
        _coverage(version_coverage(agency, today=today)),
        _overdue(_overdue_by_practitioner(agency, today)),
    ))


# The practitioner's day -------------------------------------------------------------------------------

# How long a supervisor's decision stays on the practitioner's home page after it was made.
DECISION_SHOWN_FOR = dt.timedelta(days=14)


@dataclass(frozen=True)
class Task:
    """One thing on a practitioner's list: lower `urgency` first, then the older `when` first.

    0 an overdue follow-up; 1 an option not approved (someone waits for an answer); 2 the policy in
    force to acknowledge; 3 a follow-up due today; 4 an approval to act on; 5 an option to choose;
    6 a scheduled policy to acknowledge; 7 a walk-through under way; 8 waiting for the supervisor.
    """

    urgency: int
    when: dt.date
    title: str
    detail: str
    url: str
    badge: str = ""
    badge_css: str = "text-bg-secondary"
    request_pk: int | None = None  # a request's task: its address is worked out only if it is shown


@dataclass(frozen=True)
class _Rule:
    """When a request becomes a task of which kind, and the day that orders it among its kind."""

    key: str
    urgency: int
    applies: Q
    when: object  # an expression: the day the task is ordered by


def _rules(today: dt.date, since: dt.datetime) -> list[_Rule]:
    """What a practitioner's request asks of them, in order: the first rule that applies is the task.
    Evaluated by the database (one CASE), which orders the tasks and returns only those shown."""
    zone = timezone.get_current_timezone()
    decided = Q(reviewed_at__isnull=False, reviewed_at__gte=since)
    open_ = ~Q(status=RequestStatus.CLOSED)
    not_approved = Q(review_decision=ReviewDecision.NOT_APPROVED)
    decided_on, received = TruncDate("reviewed_at", tzinfo=zone), TruncDate("received_at", tzinfo=zone)
    on_today = Value(today, output_field=DateField())
    return [
        _Rule("overdue", 0, Q(follow_up_on__lt=today) & open_, F("follow_up_on")),
        # A review of how a closed request ended: there is a note to read either way.
        _Rule("closed_not_approved", 1, decided & ~open_ & not_approved, decided_on),
        _Rule("closed_reviewed", 4, decided & ~open_, decided_on),
        # Sent back and not chosen again yet; once chosen again, the request is listed for what it is now.
        _Rule("not_approved", 1, decided & not_approved & Q(status=RequestStatus.OPEN), decided_on),
        _Rule("due_today", 3, Q(follow_up_on=today) & open_, on_today),
        _Rule("approved", 4, decided & Q(review_decision=ReviewDecision.APPROVED), decided_on),
        _Rule("choose", 5, Q(status=RequestStatus.OPEN), received),
        _Rule("under_way", 7, Q(status__in=[RequestStatus.IN_PROGRESS, RequestStatus.AWAITING_CONVERSATION]),
              Coalesce("follow_up_on", received)),
        _Rule("waiting", 8, Q(status=RequestStatus.AWAITING_APPROVAL), received),
    ]


def _request_task(item: ContactRequest) -> Task:
    """The task for a request, by the rule the database found for it (`task_rule`, `task_urgency`,
    `task_when`)."""
    task = partial(Task, item.task_urgency, item.task_when, request_pk=item.pk, url="")
    name = f"Request {item.pk}: {item.title[0].lower()}{item.title[1:]}"
    if item.task_rule == "overdue":
        return task(name, "A follow-up on this request is overdue.", badge="Overdue", badge_css="text-bg-danger")
    if item.task_rule in ("closed_not_approved", "closed_reviewed"):
        return task(name, "Your supervisor reviewed how this request ended. Read their note.",
                    badge=item.get_review_decision_display(),
                    badge_css="text-bg-warning" if item.task_rule == "closed_not_approved" else "text-bg-success")
    if item.task_rule == "not_approved":
        return task(name, "Your supervisor did not approve the option you chose. Read their note and choose again.",
                    badge="Not approved", badge_css="text-bg-warning")
    if item.task_rule == "due_today":
        return task(name, "A follow-up on this request is due today.", badge="Due today", badge_css="text-bg-warning")
    if item.task_rule == "approved":
        return task(name, "Your supervisor approved it. You can carry on with the walk-through.", badge="Approved",
                    badge_css="text-bg-success")
    if item.task_rule == "choose":
        return task(name, "Choose what to do about it.", badge="Choose an option")
    if item.task_rule == "under_way":
        due = f" Next follow-up: {show_day(item.follow_up_on)}." if item.follow_up_on else ""
        return task(name, f"{item.get_status_display()}.{due}")
    return task(name, "Waiting for your supervisor's decision: nothing to do yet.", badge="Waiting")


# What a task reads: a practitioner may have hundreds of open requests; only the shown ones are read.
TASK_COLUMNS = ("agency_id", "kind", "medium", "status", "received_at", "follow_up_on", "reviewed_at",
                "review_decision")


def _task_rows(limit: int | None, *, agency: int, practitioner: int, today: dt.date, since: dt.datetime):
    rules = _rules(today, since)
    # Every status but closed, by name, so each half of the OR is read from an index of its own.
    mine = (ContactRequest.objects.for_agency(agency).for_practitioner(practitioner)
            .filter(Q(status__in=[status for status in RequestStatus if status != RequestStatus.CLOSED])
                    | Q(status=RequestStatus.CLOSED, reviewed_at__gte=since))
            .only(*TASK_COLUMNS)
            .annotate(task_rule=Case(*(When(rule.applies, then=Value(rule.key)) for rule in rules)),
                      task_urgency=Case(*(When(rule.applies, then=Value(rule.urgency)) for rule in rules)),
                      task_when=Case(*(When(rule.applies, then=rule.when) for rule in rules),
                                     output_field=DateField()),
                      tasks_in_all=Window(Count("pk")))
            .order_by("task_urgency", "task_when", "-received_at", "-pk"))
    return mine if limit is None else mine[:limit]


# Prepared (boundaries/prepared.py): the rules make a long query, compiled once per worker and time zone.
_TASKS = Prepared(_task_rows)


def practitioner_today(*, membership: Membership, awaiting: list[PolicyVersion], today: dt.date,
                       now: dt.datetime, limit: int | None = None) -> "TodayList":
    """What needs this person today, most urgent first (one query, plus the acknowledgements passed in):
    the first `limit` of them (all when None), with the number in all as `.total`.

    Every request still open, or decided lately, is a task. The database works out each one's kind and
    day, orders them, and returns only the first `limit` with the count of all: reading and judging all
    of a practitioner's open requests (hundreds, for some) cost most of the home page (issue 14)."""
    requests = _TASKS.run(limit, agency=membership.agency_id, practitioner=membership.user_id, today=today,
                          since=now - DECISION_SHOWN_FOR)
    tasks = [_request_task(item) for item in requests]
    for version in awaiting:
        scheduled = getattr(version, "scheduled", False)
        tasks.append(Task(
            6 if scheduled else 2, version.effective_from,
            f"Policy version {version.number}: {version.title}",
            (f"It takes effect on {show_day(version.effective_from)}. Read and acknowledge it."
             if scheduled else "This is the policy in force. Read and acknowledge it."),
            reverse("policies:read_version", args=[version.number]) if scheduled else reverse("policies:read"),
            "Scheduled" if scheduled else "To acknowledge",
            "text-bg-secondary" if scheduled else "text-bg-warning"))
    if (training := training_task(membership, today)) is not None:
        tasks.append(training)
    tasks.sort(key=lambda task: (task.urgency, task.when))
    total = len(tasks) - len(requests) + (requests[0].tasks_in_all if requests else 0)
    shown = tasks if limit is None else tasks[:limit]
    return TodayList([_with_url(task) for task in shown], total)


class TodayList(list):
    """The tasks shown, most urgent first, and how many there are in all (`total`)."""

    def __init__(self, tasks: list[Task], total: int):
        super().__init__(tasks)
        self.total = total

    @property
    def more(self) -> int:
        return self.total - len(self)


def _with_url(task: Task) -> Task:
    if task.request_pk is None:
        return task
    return replace(task, url=reverse("scenarios:detail", args=[task.request_pk]))


def training_task(membership: Membership, today: dt.date) -> Task | None:
    """The training set, once the person has acknowledged a policy version and while scenarios wait."""
    from training.services import training_task_parts

    parts = training_task_parts(membership, today)
    if parts is None:
        return None
    to_do, again, total = parts
    said = []
    if to_do:
        said.append(f"{to_do} of {total} scenarios to rehearse, a few minutes each.")
    if again:
        said.append(f"A new policy version changed the answer to {again} you rehearsed: answer "
                    f"{'it' if again == 1 else 'them'} again.")
    detail = " ".join(said)
    return Task(6, today, "Rehearse the training scenarios", detail, reverse("training:list"), "Training",
                "text-bg-info")
