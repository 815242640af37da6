"""JSON in, JSON out: the request document the `evaluate_request` command reads.

    {"policy": <policy document, optional>, "facts": {...}}

For a "Before I do it" check (kind in BEFORE_KINDS) "platform" and "relationship" may be left out,
and "safety_concern" and "written_consent" (true or false) may be given.

Without "policy" the conservative DEFAULT_POLICY applies.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .errors import FactsError, PolicyDocumentError
from .evaluate import evaluate
from .facts import Facts, Profession
from policies.document import Policy, parse_document
from policies.document.policy import MAX_TEXT
from policies.document.reading import Reader, join, values_of

from .vocabulary import BEFORE_KINDS, MEDIA, ClientStatus, Relationship, RequestKind

_KINDS = values_of(RequestKind)
_RELATIONSHIPS = values_of(Relationship)
_STATUSES = values_of(ClientStatus)
_PROFESSIONS = values_of(Profession)

_FACT_KEYS = ("kind", "platform", "relationship", "received_at")
_OPTIONAL_FACT_KEYS = ("client_status", "discharged_on", "small_community", "context", "profession")
# A "Before I do it" check may leave out the platform and the person; it has two facts of its own.
_BEFORE_KEYS = ("kind", "received_at")
_BEFORE_OPTIONAL_KEYS = ("platform", "relationship") + _OPTIONAL_FACT_KEYS + ("safety_concern", "written_consent")
_BEFORE_VALUES = frozenset(kind.value for kind in BEFORE_KINDS)


def _is_before(doc: object) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("kind"), str) and doc["kind"] in _BEFORE_VALUES


def parse_facts(doc: object, *, at: str = "facts") -> Facts:
    """Validate the facts object; FactsError carries every problem as (path, message) pairs."""
    reader = Reader()
    facts = _read_facts(reader, doc, at)
    if reader.errors or facts is None:
        raise FactsError(reader.errors)
    return facts


def _read_facts(reader: Reader, doc: object, at: str) -> Facts | None:
    before = _is_before(doc)
    if before:
        fields = reader.fields(doc, at, _BEFORE_KEYS, _BEFORE_OPTIONAL_KEYS)
    else:
        fields = reader.fields(doc, at, _FACT_KEYS, _OPTIONAL_FACT_KEYS)
    if fields is None:
        return None
    kind = reader.choice(fields.get("kind"), join(at, "kind"), _KINDS)
    medium = _optional(reader, fields, at, "platform", MEDIA, before)
    relationship = _optional(reader, fields, at, "relationship", _RELATIONSHIPS, before)
    received_at = reader.local_datetime(fields.get("received_at"), join(at, "received_at"))
    raw_status = fields.get("client_status")
    status = None if raw_status is None else reader.choice(raw_status, join(at, "client_status"), _STATUSES)
    raw_discharged = fields.get("discharged_on")
    discharged_on = None if raw_discharged is None else reader.date(raw_discharged, join(at, "discharged_on"))
    small_community = reader.boolean(fields.get("small_community", False), join(at, "small_community"))
    context = reader.string(fields.get("context", ""), join(at, "context"), max_length=MAX_TEXT)
    raw_profession = fields.get("profession")
    profession = None if raw_profession is None else reader.choice(raw_profession, join(at, "profession"), _PROFESSIONS)
    safety_concern = reader.boolean(fields.get("safety_concern", False), join(at, "safety_concern"))
    written_consent = reader.boolean(fields.get("written_consent", False), join(at, "written_consent"))
    if kind is None or received_at is None or (not before and (medium is None or relationship is None)):
        return None
    if small_community is None or context is None or safety_concern is None or written_consent is None:
        return None
    return Facts(
        kind=kind,
        medium=medium,
        relationship=relationship,
        client_status=status,
        discharged_on=discharged_on,
        received_at=received_at,
        small_community=small_community,
        context=context,
        profession=profession,
        safety_concern=safety_concern,
        written_consent=written_consent,
    )


def _optional(reader: Reader, fields: Any, at: str, key: str, values: Any, before: bool) -> Any:
    """A choice that a "Before I do it" check may leave out (or give as null)."""
    value = fields.get(key)
    if before and value is None:
        return None
    return reader.choice(value, join(at, key), values)


def evaluate_document(doc: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """Evaluate a request document and return JSON-ready guidance.

    Raises FactsError when the facts (or the document's shape) are wrong, and PolicyDocumentError
    when only the policy is; both are DocumentError and list every problem found.
    """
    reader = Reader()
    fields = reader.fields(doc, "", ("facts",), ("policy",))
    facts = None
    policy_errors: tuple[tuple[str, str], ...] = ()
    policy: Policy | None = None
    if fields is not None:
        facts = _read_facts(reader, fields.get("facts"), "facts")
        if fields.get("policy") is not None:
            try:
                policy = parse_document(fields["policy"], at="policy")
            except PolicyDocumentError as error:
                policy_errors = error.errors
    if reader.errors:
        raise FactsError(reader.errors + list(policy_errors))
    if policy_errors:
        raise PolicyDocumentError(policy_errors)
    assert facts is not None
    return evaluate(facts, policy, now).to_dict()
