"""CSV formula injection: one helper for every CSV the product writes, and a sweep that keeps it so."""

import csv
import io
from pathlib import Path

import pytest

from boundaries.csv_cells import SafeWriter, safe_cell

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "audit", "boundaries", "policies", "scenarios")
WRITES_CSV = ("csv.writer(", "csv.DictWriter(", "text/csv")


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx",
                                   '=HYPERLINK("http://x.example","click")'])
def test_a_cell_a_spreadsheet_would_run_gets_a_leading_apostrophe(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Alex Admin", "", "'quoted", "1-2", 5, -5, None, "a=b"])
def test_other_cells_are_left_alone(value):
    assert safe_cell(value) == value


def test_the_safe_writer_writes_every_cell_through_the_helper():
    buffer = io.StringIO()
    SafeWriter(buffer).writerows([["=cmd|' /C calc'!A0", -3, "plain"]])
    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [["'=cmd|' /C calc'!A0", "-3", "plain"]]


def test_every_module_that_writes_csv_uses_the_helper():
    writers = [path for app in APPS for path in (ROOT / app).rglob("*.py")
               if "tests" not in path.parts and any(mark in path.read_text() for mark in WRITES_CSV)]
    assert writers, "the sweep found nothing: has the audit export moved?"
    unsafe = [str(path.relative_to(ROOT)) for path in writers
              if path.name != "csv_cells.py" and "boundaries.csv_cells" not in path.read_text()]
    assert unsafe == []
