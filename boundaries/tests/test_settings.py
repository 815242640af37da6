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


def _database_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS",
                          "DATABASE_REPLICA_URL", "DATABASE_PLAN_ONCE")}
    code = ("import boundaries.settings as s; d = s.DATABASES; "
            "print(d['default']['CONN_MAX_AGE'], d['default']['CONN_HEALTH_CHECKS'], sorted(d), "
            "getattr(s, 'DATABASE_ROUTERS', []))")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, "DEBUG": "true", **env},
                          capture_output=True, text=True)


def test_connections_persist_a_minute_with_health_checks_by_default():
    assert _database_settings().stdout.strip() == "60 True ['default'] []"
    assert _database_settings(CONN_MAX_AGE="0", CONN_HEALTH_CHECKS="false").stdout.strip() == "0 False ['default'] []"


def test_statements_are_planned_once_unless_turned_off():
    code = "import boundaries.settings as s; print(s.DATABASE_PLAN_ONCE)"
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_PLAN_ONCE", "DEBUG")}

    def planned(**env: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, "DEBUG": "true", **env},
                              capture_output=True, text=True)

    assert planned().stdout.strip() == "True"
    assert planned(DATABASE_PLAN_ONCE="false").stdout.strip() == "False"
    assert "DATABASE_PLAN_ONCE must be true or false, not 'sometimes'." in planned(DATABASE_PLAN_ONCE="sometimes").stderr


def test_a_bad_connection_age_is_named():
    assert "CONN_MAX_AGE must be a whole number, not 'forever'." in _database_settings(CONN_MAX_AGE="forever").stderr
    assert "CONN_MAX_AGE must be 0 or more seconds, not -1." in _database_settings(CONN_MAX_AGE="-1").stderr


def test_a_replica_url_adds_the_replica_and_its_router():
    result = _database_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
                                DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:5433/x")
    assert result.stdout.strip() == "60 True ['default', 'replica'] ['boundaries.replica.ReplicaRouter']"
    mixed = _database_settings(DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:5433/x")
    assert "DATABASE_REPLICA_URL must name the same kind of database as DATABASE_URL." in mixed.stderr
