#!/usr/bin/env bash
# Start the local PostgreSQL cluster (Debian's `postgresql` package) and make sure the test
# role exists. Prints the admin URL the service tests use (BAOMI_TEST_POSTGRES_URL); the tests
# create and drop their own databases with it.
set -euo pipefail
ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk -v v="$ver" '$1==v' | grep -q .; then
  pg_createcluster "$ver" main >&2
fi
cluster=$(pg_lsclusters -h | awk -v v="$ver" '$1==v {print $2; exit}')
port=$(pg_lsclusters -h | awk -v v="$ver" '$1==v {print $3; exit}')
if ! pg_lsclusters -h | awk -v v="$ver" '$1==v {print $4}' | grep -q online; then
  # pg_ctlcluster talks on stdout ("Removed stale pid file."): only the URL may go there
  pg_ctlcluster "$ver" "$cluster" start >&2
fi
for _ in $(seq 30); do
  su postgres -c "psql -p $port -qtAc 'select 1'" >/dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -p $port -qtAc \"DO \\\$\\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='baomi_test') THEN CREATE ROLE baomi_test LOGIN CREATEDB PASSWORD 'baomi_test'; END IF; END\\\$\\\$;\"" >/dev/null
echo "postgresql+psycopg://baomi_test:baomi_test@127.0.0.1:$port/postgres"
