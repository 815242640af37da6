"""The rows of an audit export, written as CSV or JSON Lines: one writer for the web and the CLI.

Rows come from a values() iterator in chunks, so memory stays flat however long the trail is.
Every row carries all the hashed fields, so a receiver can recompute each event's hash, and the
last line names the chain head at export time, so they can tell whether anything is missing.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from django.db.models import QuerySet

from .hashing import canonical_data, canonical_time
from .models import AuditAction
from .services import record

CHUNK_SIZE = 2000
COLUMNS = ("sequence", "occurred_at", "actor_id", "actor_name", "action", "target_type", "target_id",
           "data", "prev_hash", "hash")
_VALUES = ("sequence", "occurred_at", "actor_id", "actor__full_name", "action", "target_type", "target_id",
           "data", "prev_hash", "hash")
TRAILER_MARK = "#chain_head"
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "jsonl": ("application/jsonl; charset=utf-8", "jsonl"),
}


@dataclass(frozen=True)
class ChainHead:
    agency_slug: str
    agency_id: int
    sequence: int
    hash: str


def event_rows(queryset: QuerySet) -> Iterator[tuple]:
    """Events in chain order as plain tuples: canonical time, `data` still a dict."""
    rows = queryset.order_by("sequence").values_list(*_VALUES).iterator(chunk_size=CHUNK_SIZE)
    for sequence, occurred_at, actor_id, actor_name, action, target_type, target_id, data, prev, digest in rows:
        yield (sequence, canonical_time(occurred_at), actor_id, actor_name, action, target_type, target_id,
               data, prev, digest)


def _batches(rows: Iterator[tuple]) -> Iterator[list[tuple]]:
    while batch := list(islice(rows, CHUNK_SIZE)):
        yield batch


def csv_chunks(queryset: QuerySet, head: ChainHead) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for batch in _batches(event_rows(queryset)):
        writer.writerows(row[:7] + (canonical_data(row[7]),) + row[8:] for row in batch)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    writer.writerow((TRAILER_MARK, head.agency_slug, head.agency_id, head.sequence, head.hash))
    yield buffer.getvalue()


def jsonl_chunks(queryset: QuerySet, head: ChainHead) -> Iterator[str]:
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for batch in _batches(event_rows(queryset)):
        yield "".join(dumps(dict(zip(COLUMNS, row))) + "\n" for row in batch)
    yield dumps({"chain_head": {"agency": head.agency_slug, "agency_id": head.agency_id,
                                "sequence": head.sequence, "hash": head.hash}}) + "\n"


def chunks(fmt: str, queryset: QuerySet, head: ChainHead) -> Iterator[str]:
    return csv_chunks(queryset, head) if fmt == "csv" else jsonl_chunks(queryset, head)


def export_begin(*, agency, actor, fmt: str, queryset: QuerySet, codes: dict, via: str) -> tuple[QuerySet, ChainHead]:
    """Record the export on the chain first, then bound the rows by it: the head is the export itself."""
    event = record(agency=agency, actor=actor, action=AuditAction.AUDIT_EXPORTED,
                   data={"format": fmt, "via": via, **codes})
    head = ChainHead(agency.slug, agency.pk, event.sequence, event.hash)
    return queryset.filter(agency=agency, sequence__lte=event.sequence), head
