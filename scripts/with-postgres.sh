#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster: initdb into a temporary folder, start it
# on a free loopback port, export DATABASE_URL, run the command, then stop and remove the cluster.
set -euo pipefail

initdb=$(compgen -G "/usr/lib/postgresql/*/bin/initdb" | sort -V | tail -n 1 || true)
if [[ -z $initdb ]]; then
  echo "PostgreSQL is not installed; run: sudo apt-get install -y postgresql" >&2
  exit 1
fi
bindir=$(dirname "$initdb")
cluster=$(mktemp -d /tmp/coproduce-pg.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

as_owner=()
if [[ $(id -u) -eq 0 ]]; then
  # PostgreSQL refuses to run as root; the cluster belongs to Debian's postgres user instead.
  chown postgres: "$cluster"
  as_owner=(runuser -u postgres --)
fi

stop() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap stop EXIT

"${as_owner[@]}" "$bindir/initdb" -D "$cluster/data" -U coproduce --auth=trust -E UTF8 \
  --locale=C.UTF-8 >"$cluster/initdb.log"
"${as_owner[@]}" "$bindir/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w \
  -o "-p $port -k $cluster -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
  start >/dev/null

export DATABASE_URL="postgresql://coproduce@127.0.0.1:$port/postgres"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (removed afterwards)"
"$@"
