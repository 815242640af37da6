"""Errors for malformed request documents; the policy's own live with the policy document."""

from __future__ import annotations

from policies.document.errors import DocumentError, PolicyDocumentError

__all__ = ["DocumentError", "FactsError", "PolicyDocumentError"]


class FactsError(DocumentError):
    summary = "The request facts are not valid"
