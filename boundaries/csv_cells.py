"""Every CSV the product writes goes through here, so no cell runs as a spreadsheet formula.

A spreadsheet treats a cell starting with =, +, -, @, a tab or a carriage return as a formula
(CSV injection): a staff member named `=HYPERLINK("http://x.example","click")` would become a
link in an auditor's spreadsheet. Such a cell is written with a leading apostrophe, which
spreadsheets show as text, as OWASP advises. Numbers are left alone: they are never formulas.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer with every cell passed through safe_cell()."""

    def __init__(self, stream, **kwargs) -> None:
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
