#!/usr/bin/env bash
# A real PostgreSQL streaming replica on loopback, and the dashboard served from it (docs/scaling.md).
#
# Makes a private primary and, with pg_basebackup, a streaming replica of it, each under a temporary
# directory on a spare port and run as the postgres user; migrates and seeds the primary (the replica
# follows through the WAL), then asks for the supervisor's dashboard with DATABASE_REPLICA_URL set
# and prints which server answered each query. Removes both clusters on the way out.
#
#   bench/replica.sh            (as root or postgres; PRIMARY_PORT and REPLICA_PORT to change the ports)
set -euo pipefail

HERE="$(cd "$(dirname "$0")/.." && pwd)"
PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}"
PRIMARY_PORT="${PRIMARY_PORT:-55432}"
REPLICA_PORT="${REPLICA_PORT:-55433}"
WORK="$(mktemp -d /tmp/boundaries-replica.XXXXXX)"
chmod 755 "$WORK"
chown postgres: "$WORK"

as_postgres() {
    if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

stop_all() {
    as_postgres "$PGBIN/pg_ctl" -D "$WORK/replica" stop -m fast >/dev/null 2>&1 || true
    as_postgres "$PGBIN/pg_ctl" -D "$WORK/primary" stop -m fast >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap stop_all EXIT

echo "== primary on 127.0.0.1:$PRIMARY_PORT ($WORK/primary)"
as_postgres "$PGBIN/initdb" -D "$WORK/primary" -U postgres --auth=trust >/dev/null
cat >> "$WORK/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PRIMARY_PORT
unix_socket_directories = '$WORK'
wal_level = replica
max_wal_senders = 4
CONF
as_postgres "$PGBIN/pg_ctl" -D "$WORK/primary" -l "$WORK/primary.log" -w start >/dev/null
as_postgres "$PGBIN/createdb" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres boundaries

echo "== replica on 127.0.0.1:$REPLICA_PORT, by pg_basebackup (streaming, standby.signal written by -R)"
as_postgres "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$WORK/replica" \
    -R -X stream --checkpoint=fast
echo "port = $REPLICA_PORT" >> "$WORK/replica/postgresql.conf"
as_postgres "$PGBIN/pg_ctl" -D "$WORK/replica" -l "$WORK/replica.log" -w start >/dev/null
as_postgres "$PGBIN/psql" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atc \
    "SELECT 'primary sees a replica: ' || application_name || ', ' || state FROM pg_stat_replication"

export DEBUG=true SECRET_KEY=replica-demo-not-secret STATIC_MANIFEST=false ALLOWED_HOSTS=testserver
export DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/boundaries"
cd "$HERE"
echo "== migrate and seed the primary (the replica replays it)"
.venv/bin/python manage.py migrate --noinput >/dev/null
.venv/bin/python manage.py seed_demo >/dev/null
echo "== the dashboard with DATABASE_REPLICA_URL set"
DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$REPLICA_PORT/boundaries" .venv/bin/python bench/replica_dashboard.py
