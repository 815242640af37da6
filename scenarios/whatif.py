"""The policy what-if: how an agency's past requests would be judged under another policy version.

For each request received in the period, the engine decides the four options twice from the
request's stored facts: under the candidate (the draft, or a version named by number) and under
the version the request was judged by. That version is the one stored with the request when it
was logged (`ContactRequest.policy_version`: the version in force on the day it arrived), and
none means the conservative default judged it. Both evaluations use the day the request arrived
as "today", so a cooling-off period is counted as it was then and only the policy differs.

Nothing is written. The facts are streamed in chunks (`iterator(chunk_size=...)`), so the number
of queries is fixed (the candidate, the versions that judged the period's requests, the facts) and
memory stays flat however many requests there are; each policy document is read once.

Verdict order, strictest last (STRICTNESS): allowed < needs supervisor approval < not allowed.
A change towards "not allowed" is stricter, a change towards "allowed" is looser.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils import timezone

from policies.document import Policy
from policies.models import PolicyVersion
from scenarios.engine import OPTIONS, Facts, verdicts, verdicts_key
from scenarios.engine.facts import Profession
from scenarios.engine.vocabulary import MEDIA, ClientStatus, Option, Relationship, RequestKind, Verdict

from .models import BEFORE_KIND_VALUES, MEDIUM_LABELS, ContactRequest

STRICTNESS: dict[Verdict, int] = {Verdict.ALLOWED: 0, Verdict.NEEDS_APPROVAL: 1, Verdict.NOT_ALLOWED: 2}
DEFAULT_MONTHS = 12
MAX_MONTHS = 120
CHUNK_SIZE = 2000
# Answers kept for reuse (requests alike in all the engine reads get the same verdicts), emptied
# when full so memory stays flat.
MEMO_LIMIT = 20_000

_KINDS = {kind.value: kind for kind in RequestKind}
_RELATIONSHIPS = {relationship.value: relationship for relationship in Relationship}
_STATUSES = {status.value: status for status in ClientStatus}
_PROFESSIONS = {profession.value: profession for profession in Profession}
_FACT_COLUMNS = ("pk", "kind", "medium", "relationship", "client_status", "discharged_on", "received_at",
                 "small_community", "profession", "policy_version_id")


class Direction(StrEnum):
    STRICTER = "stricter"
    LOOSER = "looser"


def direction(before: Verdict, after: Verdict) -> Direction:
    """"stricter" when `after` forbids more than `before`, "looser" when less (they must differ)."""
    return Direction.STRICTER if STRICTNESS[after] > STRICTNESS[before] else Direction.LOOSER


@dataclass(frozen=True, slots=True)
class Case:
    """One option of one request judged differently: no client reference, no context."""

    request_id: int
    kind: str
    medium: str
    relationship: str
    option: Option
    before: Verdict
    after: Verdict

    @property
    def direction(self) -> Direction:
        return direction(self.before, self.after)

    @property
    def kind_label(self) -> str:
        return RequestKind(self.kind).label

    @property
    def medium_label(self) -> str:
        return MEDIUM_LABELS.get(self.medium, self.medium)

    @property
    def relationship_label(self) -> str:
        return Relationship(self.relationship).label

    def to_dict(self) -> dict[str, object]:
        return {"request": self.request_id, "option": self.option.value, "from": self.before.value,
                "to": self.after.value}


@dataclass(slots=True)
class Tally:
    """Requests judged differently, and how many of them more strictly or more loosely."""

    changed: int = 0
    stricter: int = 0
    looser: int = 0

    def count(self, directions: set[Direction]) -> None:
        self.changed += 1
        self.stricter += Direction.STRICTER in directions
        self.looser += Direction.LOOSER in directions


@dataclass(slots=True)
class WhatIf:
    """The comparison's counts, and the changed cases kept (all, or one page of them).

    Counts are of requests: `changed` counts each request with at least one option judged
    differently; `stricter` and `looser` count the requests with an option judged more strictly
    (or more loosely), so a request with both would count in both. `per_option` counts the same
    for each option; `cases` has one entry per option changed, newest request first, and
    `cases_total` says how many there are in all.
    """

    candidate: PolicyVersion
    since: dt.date
    requests: int = 0
    total: Tally = field(default_factory=Tally)
    per_option: dict[Option, Tally] = field(default_factory=lambda: {option: Tally() for option in OPTIONS})
    cases: list[Case] = field(default_factory=list)
    cases_total: int = 0

    def to_dict(self) -> dict[str, object]:
        return {"requests": self.requests, "changed": self.total.changed, "stricter": self.total.stricter,
                "looser": self.total.looser, "cases": [case.to_dict() for case in self.cases]}


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier, clamped to the end of a shorter month."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month_index + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_start(months: int, today: dt.date) -> dt.datetime:
    """Local midnight `months` months before `today`, in the active (the agency's) time zone."""
    return timezone.make_aware(dt.datetime.combine(months_before(today, months), dt.time.min))


def _governing_policies(requests, candidate: PolicyVersion) -> dict[int | None, Policy | None]:
    """The policy of every version that judged one of `requests`, read once each; None is the default."""
    versions = PolicyVersion.objects.filter(
        agency_id=candidate.agency_id, pk__in=requests.order_by().values("policy_version_id").distinct())
    policies: dict[int | None, Policy | None] = {None: None}
    for version in versions.only("pk", "document"):
        policies[version.pk] = candidate.policy if version.pk == candidate.pk else version.policy
    return policies


def compare(*, candidate: PolicyVersion, months: int = DEFAULT_MONTHS, today: dt.date | None = None,
            keep: slice | None = None, chunk_size: int = CHUNK_SIZE) -> WhatIf:
    """Compare the agency's requests received in the last `months` months under `candidate`.

    `keep` selects which changed cases to keep (by position, newest first); None keeps them all.
    Runs in the active time zone, which should be the agency's. Three queries, whatever the number
    of requests; nothing is written.
    """
    today = today or timezone.localdate()
    since = period_start(months, today)
    # Requests that arrived: "Before I do it" checks have three options of their own and are not compared yet.
    requests = (ContactRequest.objects.for_agency(candidate.agency_id).filter(received_at__gte=since)
                .exclude(kind__in=sorted(BEFORE_KIND_VALUES)))
    policies = _governing_policies(requests, candidate)
    result = WhatIf(candidate=candidate, since=since.date())
    draft = candidate.policy
    rows = requests.order_by("-received_at", "-pk").values_list(*_FACT_COLUMNS).iterator(chunk_size=chunk_size)
    for case_batch in _changes(rows, draft, candidate.pk, policies, result):
        for case in case_batch:
            if keep is None or keep.start <= result.cases_total < keep.stop:
                result.cases.append(case)
            result.cases_total += 1
    return result


def _changes(rows: Iterable[tuple], draft: Policy, candidate_pk: int, policies: dict[int | None, Policy | None],
             result: WhatIf) -> Iterable[list[Case]]:
    """The changed options of each request in turn; counts them into `result` on the way."""
    zone = timezone.get_current_timezone()
    per_option = result.per_option
    memo: dict[tuple, tuple[Verdict, ...]] = {}

    def judged(policy_key: int | None, policy: Policy | None, facts: Facts, key: tuple) -> tuple[Verdict, ...]:
        found = memo.get((policy_key, key))
        if found is None:
            if len(memo) >= MEMO_LIMIT:
                memo.clear()
            found = memo[(policy_key, key)] = verdicts(facts, policy, facts.received_at)
        return found

    for pk, kind, medium, relationship, client_status, discharged_on, received_at, small, profession, version_pk in rows:
        result.requests += 1
        if version_pk == candidate_pk:
            continue  # judged by the candidate itself: nothing can differ
        facts = Facts(kind=_KINDS[kind], medium=MEDIA[medium], relationship=_RELATIONSHIPS[relationship],
                      client_status=_STATUSES[client_status] if client_status else None,
                      discharged_on=discharged_on, received_at=received_at.astimezone(zone).replace(tzinfo=None),
                      small_community=small, profession=_PROFESSIONS.get(profession))
        # The day it arrived is "today" for both: a cooling-off period is counted as it was then.
        key = verdicts_key(facts, facts.received_at)
        after = judged(candidate_pk, draft, facts, key)
        before = judged(version_pk, policies[version_pk], facts, key)
        if after == before:
            continue
        cases = [Case(pk, kind, medium, relationship, option, old, new)
                 for option, old, new in zip(OPTIONS, before, after) if old is not new]
        result.total.count({case.direction for case in cases})
        for case in cases:
            per_option[case.option].count({case.direction})
        yield cases
