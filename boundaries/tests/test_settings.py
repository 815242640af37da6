import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL")}
    return subprocess.run([sys.executable, "-c", "import boundaries.settings as s; print(s.DATABASES['default']['ENGINE'])"],
                          cwd=ROOT, env={**clean, **env}, capture_output=True, text=True)


def test_start_up_without_a_secret_key_says_what_to_set():
    result = load_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set. Set the SECRET_KEY environment variable" in result.stderr


def test_a_bad_boolean_is_named():
    result = load_settings(DEBUG="maybe")
    assert "DEBUG must be true or false, not 'maybe'." in result.stderr


def test_sqlite_is_the_default_and_database_url_switches_it():
    assert load_settings(DEBUG="true").stdout.strip() == "django.db.backends.sqlite3"
    postgres = load_settings(DEBUG="true", DATABASE_URL="postgres://postgres@127.0.0.1:5432/x")
    assert postgres.stdout.strip() == "django.db.backends.postgresql"
