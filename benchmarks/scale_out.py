"""Vote throughput as web servers are added: scripts/scale-out.sh (nginx on loopback in front of
N `coproduce serve --no-worker` processes and M `coproduce worker` processes, one database),
hammered by wrk through nginx with new votes, for N = 1, 2, 4 (by default).

    scripts/with-postgres.sh .venv/bin/python benchmarks/scale_out.py     # PostgreSQL
    .venv/bin/python benchmarks/scale_out.py                              # SQLite
Options: --servers 1,2,4 --workers 2 --seconds 15 --connections 64 --participants 5000
         --statements 200

Each layout votes into the same conversation with idempotency keys of its own; at the end the
votes in the database must equal those acknowledged (plus at most one in flight per connection
at each stop). A machine's cores bound the figures: on 2 cores, servers beyond 2 share them
with nginx, wrk and the database.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from votes import count_votes, free_port, fresh_site, hammer, prepare, wait_for  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", default="1,2,4")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--statements", type=int, default=200)
    args = parser.parse_args()
    data_dir, env, database = fresh_site("coproduce-scale-bench-")
    signatures = data_dir / "signatures.txt"
    code = prepare(env, args.participants, args.statements, signatures)
    print(
        f"database: {database}; {args.workers} workers; wrk {args.connections} connections,"
        f" {args.seconds} s a layout; {os.cpu_count()} cores, {platform.processor() or 'cpu'}"
    )
    print("| web servers | votes/s | p50 ms | p99 ms | failed |")
    print("| --- | --- | --- | --- | --- |")
    acked_total, stops = 0, 0
    for count in [int(n) for n in args.servers.split(",")]:
        port = free_port()
        layout = subprocess.Popen(
            [
                str(HERE.parent / "scripts" / "scale-out.sh"),
                "--servers",
                str(count),
                "--workers",
                str(args.workers),
                "--port",
                str(port),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{base}/api/conversations/{code}", seconds=120)
            figures = hammer(
                f"{base}/api/conversations/{code}/votes", args, signatures, f"s{count}-"
            )
        finally:
            os.killpg(layout.pid, signal.SIGTERM)
            layout.wait(timeout=60)
        acked, failed = int(figures["ACKED"]), int(figures["FAILED"])
        acked_total += acked
        stops += 1
        print(
            f"| {count} | {acked / args.seconds:,.0f} | {figures['P50_MS']} | {figures['P99_MS']}"
            f" | {failed} |"
        )
    stored, dense = count_votes(env)
    in_flight = stored - acked_total
    verdict = "ok" if 0 <= in_flight <= args.connections * stops else "LOST OR DOUBLED VOTES"
    print(
        f"votes in the database: {stored} = acknowledged {acked_total} + {in_flight} in flight"
        f" at the stops ({verdict}); participant numbers "
        + ("dense (ok)" if dense else "WITH GAPS OR DUPLICATES")
    )
    shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
