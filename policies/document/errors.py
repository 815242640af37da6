"""Errors for malformed input documents, each carrying every problem found."""

from __future__ import annotations

from collections.abc import Iterable


class DocumentError(ValueError):
    """A document failed validation; `errors` holds (path, message) pairs in document order."""

    def __init__(self, errors: Iterable[tuple[str, str]]) -> None:
        self.errors: tuple[tuple[str, str], ...] = tuple(errors)
        lines = "\n".join(f"  {path}: {message}" for path, message in self.errors)
        super().__init__(f"{self.summary} ({len(self.errors)} problem(s)):\n{lines}")

    summary = "The document is not valid"

    def messages_at(self, path: str) -> tuple[str, ...]:
        return tuple(message for where, message in self.errors if where == path)


class PolicyDocumentError(DocumentError):
    summary = "The policy document is not valid"
