"""The stand-alone benchmark scripts still run against today's schema, at a tiny size.

They make their own databases on the PostgreSQL server the tests use, so they run only there. Both
had broken unnoticed when the requests gained columns and agencies gained their chain heads.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.postgresql
ROOT = Path(__file__).resolve().parent.parent.parent


def _server() -> str:
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"


def _run(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, f"bench/{script}", "--server", _server(), *args], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": ""}, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_whatif_benchmark_runs_and_its_query_count_does_not_grow():
    out = _run("whatif_bench.py", "--requests", "300", "--small", "30", "--database", "boundaries_whatif_selftest")
    assert "query count: 2 for 30 requests, 2 for 300 (the same)" in out


def test_the_audit_export_benchmark_runs_and_reports_the_ratio_to_copy():
    out = _run("audit_export_bench.py", "--events", "600", "--database", "boundaries_export_selftest")
    assert "export peak RSS:" in out and "page: newest page: 50 events" in out
