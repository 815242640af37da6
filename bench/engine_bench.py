"""How many evaluations per second the guidance engine manages on one core.

Run with plain Python from the repository root: `python bench/engine_bench.py [evaluations]`.
The target is 20,000 evaluations per second.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scenarios.engine.evaluate import evaluate  # noqa: E402
from scenarios.engine.facts import Facts  # noqa: E402
from policies.document import DEFAULT_POLICY, STARTER_TEMPLATES, Policy  # noqa: E402
from scenarios.engine.vocabulary import (  # noqa: E402
    Channel,
    ClientStatus,
    Medium,
    Platform,
    Relationship,
    RequestKind,
)

TARGET = 20_000
NOW = dt.datetime(2026, 3, 14, 12, 0)
POLICIES: tuple[Policy, ...] = (DEFAULT_POLICY, *(template.policy for template in STARTER_TEMPLATES.values()))
# A fixed mix: connections, follows, accidents and texts, from clients, families, former
# clients, community members and colleagues, in and out of working hours.
SHAPES: tuple[tuple[RequestKind, Medium, Relationship, ClientStatus | None], ...] = (
    (RequestKind.FRIEND_REQUEST, Platform.FACEBOOK, Relationship.CURRENT_CLIENT, ClientStatus.CURRENT),
    (RequestKind.FRIEND_REQUEST, Platform.INSTAGRAM, Relationship.CLIENT_FAMILY, ClientStatus.CURRENT),
    (RequestKind.CONNECTION_REQUEST, Platform.LINKEDIN, Relationship.FORMER_CLIENT, ClientStatus.DISCHARGED),
    (RequestKind.FOLLOW, Platform.TIKTOK, Relationship.CURRENT_CLIENT, ClientStatus.CURRENT),
    (RequestKind.ACCIDENTAL_CONNECTION, Platform.FACEBOOK, Relationship.CLIENT_FAMILY, ClientStatus.CURRENT),
    (RequestKind.TEXT_MESSAGE, Channel.WORK_TEXT, Relationship.CURRENT_CLIENT, ClientStatus.CURRENT),
    (RequestKind.TEXT_MESSAGE, Platform.PERSONAL_PHONE, Relationship.CLIENT_FAMILY, ClientStatus.CURRENT),
    (RequestKind.FRIEND_REQUEST, Platform.FACEBOOK, Relationship.OWN_SUPERVISEE, None),
    (RequestKind.FRIEND_REQUEST, Platform.SNAPCHAT, Relationship.COLLEAGUE, None),
    (RequestKind.TAG_MENTION, Platform.MESSAGING_APPS, Relationship.COMMUNITY_MEMBER, None),
)
RECEIVED = (dt.datetime(2026, 3, 12, 10, 0), dt.datetime(2026, 3, 13, 23, 5))
DISCHARGED = (dt.date(2019, 6, 30), dt.date(2025, 2, 28))


def workload() -> list[tuple[Facts, Policy]]:
    return [
        (Facts(kind, medium, relationship, status, discharged, received, small_community=small), policy)
        for (kind, medium, relationship, status), received, discharged, small, policy in itertools.product(
            SHAPES, RECEIVED, DISCHARGED, (False, True), POLICIES
        )
    ]


def pin_to_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this platform)"
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return f"pinned to core {core}"


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    pinned = pin_to_one_core()
    mix = workload()
    requests = list(itertools.islice(itertools.cycle(mix), max(total, TARGET)))
    for facts, policy in requests[: len(mix)]:
        evaluate(facts, policy, NOW)  # warm the per-policy indexes
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for facts, policy in requests:
            evaluate(facts, policy, NOW)
        best = min(best, time.perf_counter() - started)
    rate = len(requests) / best
    print(f"{len(requests):,} evaluations of {len(mix)} distinct requests, {pinned}, best of 3")
    print(f"{rate:,.0f} evaluations per second ({rate / TARGET:.2f}x the {TARGET:,}/s target)")


if __name__ == "__main__":
    main()
