"""The rows of an audit export, written as CSV or JSON Lines: one writer for the web and the CLI.

Rows come from a values() iterator in chunks, so memory stays flat however long the trail is.
Every row carries all the hashed fields, so a receiver holding the audit key can recompute each
event's hash, and the last line is a signed checkpoint of the chain head at export time (the
export's own event), which `audit_verify --checkpoint FILE` checks against the database later.
No cell can run as a spreadsheet formula: free-form cells go through boundaries.csv_cells, codes are checked per batch.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice
from operator import itemgetter

from django.db.models import QuerySet

from boundaries.csv_cells import FORMULA_STARTS, SafeWriter

from .checkpoints import CSV_MARK, Checkpoint, checkpoint_line, checkpoint_sign
from .models import AuditAction
from .services import record
from .stored import canonical_data_text, parsed_data, with_text

CHUNK_SIZE = 2000
COLUMNS = ("sequence", "occurred_at", "actor_id", "actor_name", "action", "target_type", "target_id",
           "data", "prev_hash", "hash", "key_id")
_VALUES = ("sequence", "occurred_text", "actor_id", "actor__full_name", "action", "target_type", "target_id",
           "data_text", "prev_hash", "hash", "key_id")
TRAILER_MARK = CSV_MARK
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "jsonl": ("application/jsonl; charset=utf-8", "jsonl"),
}


@lru_cache(maxsize=4096)
def _csv_field(value: str | None) -> str:
    """One cell, made safe and quoted exactly as the csv module quotes it (values repeat: cached)."""
    if not value:
        return ""
    buffer = io.StringIO()
    SafeWriter(buffer).writerow((value, ""))
    return buffer.getvalue()[:-3]  # drop the empty second field and the line end


_CODE_COLUMNS = (4, 5, 6, 10)
_ACTION, _TARGET_TYPE, _TARGET_ID, _KEY_ID = (itemgetter(i) for i in _CODE_COLUMNS)


def _plain(code: str) -> bool:
    """Can't start a formula, nor a new cell or line."""
    return not code.startswith(FORMULA_STARTS) and not any(mark in code for mark in ',"\r\n')


def _codes_plain(batch: list[tuple]) -> bool:
    """True when every code cell of the batch is plain, as in every row record() writes: target ids
    are primary keys (digits), and actions, target types and key ids come from a few known values.

    Checked once per batch at C speed; a check per cell cost the export a sixth of its speed.
    """
    target_ids = "".join(map(_TARGET_ID, batch))
    if target_ids and not target_ids.isdigit():
        return False
    codes = set(map(_ACTION, batch)).union(map(_TARGET_TYPE, batch), map(_KEY_ID, batch))
    return all(_plain(code) for code in codes)


def _rows(queryset: QuerySet) -> Iterator[list[tuple]]:
    """Events in chain order, CHUNK_SIZE rows at a time: time and `data` as text."""
    rows = (with_text(queryset.order_by("sequence"))
            .values_list(*_VALUES).iterator(chunk_size=CHUNK_SIZE))
    while batch := list(islice(rows, CHUNK_SIZE)):
        yield batch


def _careful(row: tuple) -> tuple:
    """A row whose codes go through the safe, quoting writer like the free-form cells."""
    row = list(row)
    for column in _CODE_COLUMNS:
        row[column] = _csv_field(row[column])
    return tuple(row)


def csv_chunks(queryset: QuerySet, checkpoint: Checkpoint) -> Iterator[str]:
    yield ",".join(COLUMNS) + "\r\n"
    for batch in _rows(queryset):
        if not _codes_plain(batch):
            batch = [_careful(row) for row in batch]  # a row slipped in behind record()'s back
        # Lines are put together by hand: at a million rows csv.writer was the slowest step. The name
        # and the data are free-form, so they always go through the safe, quoting writer.
        yield "".join([
            f"{sequence},{at},{'' if actor_id is None else actor_id},{_csv_field(name)},"
            f"{action},{target_type},{target_id},{_csv_field(canonical_data_text(data))},{prev},{digest},{key_id}\r\n"
            for sequence, at, actor_id, name, action, target_type, target_id, data, prev, digest, key_id in batch
        ])
    buffer = io.StringIO()
    SafeWriter(buffer).writerow((TRAILER_MARK, checkpoint_line(checkpoint)))
    yield buffer.getvalue()


def jsonl_chunks(queryset: QuerySet, checkpoint: Checkpoint) -> Iterator[str]:
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for batch in _rows(queryset):
        yield "".join([
            dumps(dict(zip(COLUMNS, (sequence, at, actor_id, name, action, target_type, target_id,
                                     parsed_data(data), prev, digest, key_id)))) + "\n"
            for sequence, at, actor_id, name, action, target_type, target_id, data, prev, digest, key_id in batch
        ])
    yield dumps({"checkpoint": checkpoint.as_dict()}) + "\n"


def chunks(fmt: str, queryset: QuerySet, checkpoint: Checkpoint) -> Iterator[str]:
    return csv_chunks(queryset, checkpoint) if fmt == "csv" else jsonl_chunks(queryset, checkpoint)


def export_begin(*, agency, actor, fmt: str, queryset: QuerySet, codes: dict,
                 via: str) -> tuple[QuerySet, Checkpoint]:
    """Record the export on the chain first, then bound the rows by it: the checkpoint is of the export itself."""
    event = record(agency=agency, actor=actor, action=AuditAction.AUDIT_EXPORTED,
                   data={"format": fmt, "via": via, **codes})
    checkpoint = checkpoint_sign(agency_slug=agency.slug, agency_id=agency.pk, sequence=event.sequence,
                                 head_hash=event.hash, now=event.occurred_at)
    return queryset.filter(agency=agency, sequence__lte=event.sequence), checkpoint
