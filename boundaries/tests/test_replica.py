"""The replica router: reads inside `replica_reads` go to the replica, everything else to the primary."""

from boundaries.replica import REPLICA, ReplicaRouter, replica_caught_up, replica_reads
from scenarios.models import ContactRequest

router = ReplicaRouter()


def test_only_reads_inside_the_block_go_to_the_replica():
    assert router.db_for_read(ContactRequest) is None  # Django's default: the primary
    with replica_reads():
        assert router.db_for_read(ContactRequest) == REPLICA
        assert router.db_for_write(ContactRequest) == "default"
    assert router.db_for_read(ContactRequest) is None


def test_the_replica_is_never_migrated():
    assert router.allow_migrate(REPLICA, "scenarios") is False
    assert router.allow_migrate("default", "scenarios") is True


def test_without_a_replica_nothing_waits_for_one():
    assert replica_caught_up(timeout=5) is False
