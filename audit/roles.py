"""Two PostgreSQL roles: an owner that runs migrations, and the runtime role the app connects as.

The runtime role may read and append to the audit tables and nothing more: it owns no table,
so it can't disable triggers; it has no UPDATE, DELETE or TRUNCATE on the events; it may UPDATE
the chain head, whose own trigger (migration 0006) lets it move only forward. Everything else
it may read and write as an application does.
"""

from __future__ import annotations

from django.db import connections

from .models import AuditChainHead, AuditEvent

SCHEMA = "public"
APPEND_ONLY = {
    AuditEvent._meta.db_table: "SELECT, INSERT",
    AuditChainHead._meta.db_table: "SELECT, INSERT, UPDATE",  # to move the head forward
}


def _name(role: str, using: str = "default") -> str:
    return connections[using].ops.quote_name(role)


def runtime_grants(role: str, *, using: str = "default") -> list[str]:
    """The runtime role's privileges on every table there is now: run again after each migration."""
    runtime = _name(role, using)
    statements = [
        f"GRANT USAGE ON SCHEMA {SCHEMA} TO {runtime}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {SCHEMA} TO {runtime}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {SCHEMA} TO {runtime}",
    ]
    for table, privileges in APPEND_ONLY.items():
        # Before the first migration the table isn't there yet; migrate's own grant covers it then.
        statements.append(f"DO $$ BEGIN IF to_regclass('{SCHEMA}.{table}') IS NOT NULL THEN "
                          f"REVOKE ALL ON {SCHEMA}.{table} FROM {runtime}; "
                          f"GRANT {privileges} ON {SCHEMA}.{table} TO {runtime}; END IF; END $$")
    return statements


def _create_if_missing(role: str, using: str) -> str:
    literal = role.replace("'", "''")
    return (f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{literal}') "
            f"THEN CREATE ROLE {_name(role, using)} LOGIN; END IF; END $$")


def _take_ownership(owner: str, using: str) -> str:
    """Whatever is in the schema already (made by a superuser, or by an older single-role set-up)."""
    literal = owner.replace("'", "''")
    return f"""DO $$
DECLARE item record;
BEGIN
    FOR item IN SELECT c.relname, c.relkind FROM pg_class c
        WHERE c.relnamespace = '{SCHEMA}'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
    LOOP
        EXECUTE format('ALTER %s %I OWNER TO %I',
            CASE item.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                              WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
            item.relname, '{literal}');
    END LOOP;
    FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
        WHERE p.pronamespace = '{SCHEMA}'::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO %I', item.signature, '{literal}');
    END LOOP;
END $$"""


def roles_sql(*, owner: str, runtime: str, database: str, using: str = "default") -> list[str]:
    """Create both roles (without passwords), give the owner the schema and every object in it,
    and give the runtime role its privileges. Run as a superuser; safe to run again."""
    if owner == runtime:
        raise ValueError("The owner and the runtime role must be two different roles.")
    owner_name, runtime_name = _name(owner, using), _name(runtime, using)
    return [
        _create_if_missing(owner, using),
        _create_if_missing(runtime, using),
        # The runtime role is an ordinary login: no superuser, no role or database creation, no RLS bypass.
        f"ALTER ROLE {runtime_name} NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION",
        f"GRANT CONNECT ON DATABASE {_name(database, using)} TO {owner_name}, {runtime_name}",
        f"GRANT USAGE, CREATE ON SCHEMA {SCHEMA} TO {owner_name}",
        f"REVOKE CREATE ON SCHEMA {SCHEMA} FROM PUBLIC",  # PostgreSQL before 15 let every role create tables
        _take_ownership(owner, using),
        *runtime_grants(runtime, using=using),
    ]


def grant_after_migrate(*, role: str, using: str = "default") -> None:
    """Run at the end of every `migrate` when settings.DATABASE_RUNTIME_ROLE names the runtime role."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not role:
        return
    with connection.cursor() as cursor:
        for statement in runtime_grants(role, using=using):
            cursor.execute(statement)
