"""What the stand-alone benchmark scripts (bench/whatif_bench.py, bench/audit_export_bench.py) share:
a PostgreSQL database of their own, made afresh and migrated, and development settings."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent


def environment(server: str, database: str) -> dict:
    return {**os.environ, "DATABASE_URL": f"{server}/{database}", "SECRET_KEY": "bench", "DEBUG": "true",
            "STATIC_MANIFEST": "false"}


def django_setup(server: str, database: str) -> None:
    os.environ.update(environment(server, database))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boundaries.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def rss_mb() -> float:
    """This process's peak resident memory, in MB. Linux's `ru_maxrss` carries the peak of whatever ran
    in the process before `exec` (a forked copy of the bench itself, 170 MB after the load run), so
    the kernel's own high-water mark of this program's memory (VmHWM) is read where there is one."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def create_database(server: str, database: str) -> None:
    """Drop the database if it is there, make it again, and migrate it."""
    admin = psycopg2.connect(f"{server}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}"')
        cursor.execute(f'CREATE DATABASE "{database}"')
    admin.close()
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT,
                   env=environment(server, database), check=True)
