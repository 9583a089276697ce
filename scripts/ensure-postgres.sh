#!/usr/bin/env bash
# Prints the URL of a PostgreSQL server the tests may create databases on, starting one when
# none answers: the machine's cluster if it has one, else a throwaway cluster of our own
# (installing Debian's postgresql when missing). Messages go to stderr; the URL to stdout.
set -euo pipefail
default="postgres://postgres@127.0.0.1:5432/postgres"
url="${UPSTATE_TEST_POSTGRES_URL:-$default}"

answers() { pg_isready -q -d "$1" -t 3 >/dev/null 2>&1; }

if answers "$url"; then echo "$url"; exit 0; fi
if [ -n "${UPSTATE_TEST_POSTGRES_URL:-}" ]; then
  echo "ensure-postgres: UPSTATE_TEST_POSTGRES_URL=$url does not answer" >&2
  exit 1
fi

# The machine's own cluster, stopped.
if [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null; then
  version=$(ls /etc/postgresql | sort -n | tail -n 1)
  echo "ensure-postgres: starting the machine's PostgreSQL $version cluster" >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
  for _ in $(seq 1 20); do answers "$url" && { echo "$url"; exit 0; }; sleep 0.5; done
fi

# A throwaway cluster of our own, trusting local connections, on its own port.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "ensure-postgres: installing Debian's postgresql" >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
port=55432
dir=/var/tmp/upstate-test-pg
own_url="postgres://postgres@127.0.0.1:$port/postgres"
if answers "$own_url"; then echo "$own_url"; exit 0; fi
as_pg=()
if [ "$(id -u)" -eq 0 ]; then as_pg=(runuser -u postgres --); fi
if [ ! -f "$dir/PG_VERSION" ]; then
  echo "ensure-postgres: creating a throwaway cluster in $dir" >&2
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  "${as_pg[@]}" "$bin/initdb" -D "$dir" -U postgres --auth=trust >/dev/null
fi
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
  -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" start >&2
answers "$own_url" || { echo "ensure-postgres: the throwaway cluster did not start; see $dir/server.log" >&2; exit 1; }
echo "$own_url"
