#!/usr/bin/env bash
# Several Coproduce web servers and background workers sharing one database, behind nginx on
# loopback: the layout of a large consultation on one machine (or the proof of it). Stop with
# Ctrl+C (or SIGTERM): nginx, the servers and the workers stop together.
#
#   scripts/scale-out.sh [--servers N] [--workers M] [--port P] [--threads K]
#
#   --servers N   `coproduce serve --no-worker` processes (default 2), each with K server
#                 processes of its own (--threads, default 1)
#   --workers M   `coproduce worker` processes (default 2)
#   --port P      where nginx listens on 127.0.0.1 (default 8080)
#
# The database is DATABASE_URL's (PostgreSQL for several machines; run it under
# scripts/with-postgres.sh to try it on a throwaway cluster), or SQLite in COPRODUCE_DATA_DIR.
# Run `coproduce migrate` first. Needs Debian's nginx (nginx-light is enough).
set -euo pipefail

servers=2 workers=2 port=8080 threads=1
while [[ $# -gt 0 ]]; do
  case $1 in
    --servers) servers=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) echo "scale-out.sh: unknown option $1; see the top of $0 for the options." >&2; exit 2 ;;
  esac
done
for n in "$servers" "$workers" "$port" "$threads"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "scale-out.sh: '$n' is not a whole number above 0." >&2; exit 2; }
done
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x $nginx ]] || { echo "scale-out.sh: nginx is not installed; run: sudo apt-get install -y nginx-light" >&2; exit 1; }
here=$(cd "$(dirname "$0")/.." && pwd)
coproduce=${COPRODUCE:-$here/.venv/bin/coproduce}

run=$(mktemp -d /tmp/coproduce-scale.XXXXXX)
pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$run"
}
trap stop EXIT
trap 'exit 0' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

upstream=""
for ((i = 0; i < servers; i++)); do
  p=$(free_port)
  COPRODUCE_BEHIND_PROXY=1 "$coproduce" serve --no-worker --host 127.0.0.1 --port "$p" \
    --workers "$threads" >"$run/server-$i.log" 2>&1 &
  pids+=($!)
  upstream+="        server 127.0.0.1:$p;"$'\n'
done
for ((i = 0; i < workers; i++)); do
  "$coproduce" worker >"$run/worker-$i.log" 2>&1 &
  pids+=($!)
done

mkdir -p "$run/nginx"
cat >"$run/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $run/nginx.pid;
error_log $run/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $run/nginx/body;
    proxy_temp_path $run/nginx/proxy;
    fastcgi_temp_path $run/nginx/fastcgi;
    uwsgi_temp_path $run/nginx/uwsgi;
    scgi_temp_path $run/nginx/scgi;
    client_max_body_size 210m;
    upstream coproduce {
        least_conn;
$upstream        keepalive 128;
    }
    server {
        listen 127.0.0.1:$port;
        location / {
            proxy_pass http://coproduce;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        }
    }
}
CONF
"$nginx" -c "$run/nginx.conf" -p "$run/nginx" >"$run/nginx.log" 2>&1 &
pids+=($!)

# Ready when every server answers directly and nginx answers in front of them.
for ((tries = 0; tries < 300; tries++)); do
  ready=1
  for line in $(grep -o '127.0.0.1:[0-9]*' <<<"$upstream") "127.0.0.1:$port"; do
    curl -fsS -o /dev/null "http://$line/" 2>/dev/null || { ready=0; break; }
  done
  [[ $ready == 1 ]] && break
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "scale-out.sh: a process stopped while starting; its log:" >&2; tail -n 20 "$run"/*.log >&2; exit 1; }
  done
  sleep 0.2
done
[[ $ready == 1 ]] || { echo "scale-out.sh: the servers did not answer within a minute; logs in $run" >&2; exit 1; }
echo "Coproduce is running at http://127.0.0.1:$port/ ($servers servers of $threads process(es), $workers workers, nginx); Ctrl+C stops it."
wait -n "${pids[@]}" || true
echo "scale-out.sh: a process stopped; stopping the rest. Logs:" >&2
tail -n 20 "$run"/*.log >&2
exit 1
