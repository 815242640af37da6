"""The Boundaries guidance engine: plain Python, no Django, no I/O, the time passed in.

The main entry points, re-exported for convenience.
"""

from .document import evaluate_document, parse_facts
from .errors import DocumentError, FactsError, PolicyDocumentError
from .evaluate import evaluate
from .facts import Facts
from .guidance import FollowUp, Guidance, OptionGuidance, Reason, Step, StepField
from .policy import DEFAULT_POLICY, STARTER_TEMPLATES, Policy, parse_document, to_document

__all__ = [
    "DEFAULT_POLICY",
    "STARTER_TEMPLATES",
    "DocumentError",
    "Facts",
    "FactsError",
    "FollowUp",
    "Guidance",
    "OptionGuidance",
    "Policy",
    "PolicyDocumentError",
    "Reason",
    "Step",
    "StepField",
    "evaluate",
    "evaluate_document",
    "parse_document",
    "parse_facts",
    "to_document",
]
