"""The Boundaries guidance engine: plain Python, no Django, no I/O, the time passed in.

The main entry points, re-exported for convenience. The policy it reads is policies.document.Policy.
"""

from policies.document import Policy

from .document import evaluate_document, parse_facts
from .errors import DocumentError, FactsError, PolicyDocumentError
from .evaluate import OPTIONS, evaluate, verdicts, verdicts_key
from .facts import Facts
from .guidance import FollowUp, Guidance, OptionGuidance, Reason, Step, StepField

__all__ = [
    "DocumentError",
    "Facts",
    "FactsError",
    "FollowUp",
    "Guidance",
    "OPTIONS",
    "OptionGuidance",
    "Policy",
    "PolicyDocumentError",
    "Reason",
    "Step",
    "StepField",
    "evaluate",
    "evaluate_document",
    "parse_facts",
    "verdicts",
    "verdicts_key",
]
