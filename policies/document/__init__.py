"""The policy document: pure Python, no Django, no I/O.

What an agency's policy says (policy.py), the words it is written in (vocabulary.py), the one
reader every JSON document passes through (reading.py), working hours and reply deadlines
(hours.py), the conservative default (default.py) and the starter templates (templates.py).
The engine in scenarios/engine reads these; nothing here knows the engine.
"""

from .default import DEFAULT_POLICY
from .errors import DocumentError, PolicyDocumentError
from .policy import (
    MAX_TEXT,
    SCHEMA,
    SCHEMA_V1,
    ChannelRule,
    ConnectionRule,
    Exceptions,
    Expectation,
    Period,
    Policy,
    Procedures,
    WorkingHours,
    fits_v1,
    json_schema,
    parse_document,
    schema_of,
    to_document,
)
from .templates import STARTER_TEMPLATES, StarterTemplate

__all__ = [
    "DEFAULT_POLICY",
    "MAX_TEXT",
    "ChannelRule",
    "ConnectionRule",
    "Exceptions",
    "Expectation",
    "Period",
    "Procedures",
    "WorkingHours",
    "fits_v1",
    "SCHEMA",
    "SCHEMA_V1",
    "STARTER_TEMPLATES",
    "DocumentError",
    "Policy",
    "PolicyDocumentError",
    "StarterTemplate",
    "json_schema",
    "parse_document",
    "schema_of",
    "to_document",
]
