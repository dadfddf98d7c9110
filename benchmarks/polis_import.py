"""How fast large imports are, and how long the site waits to write meanwhile.

Writes a synthetic Polis export (--voters people voting on --comments comments, about --votes
votes in all), then imports it into a fresh SQLite database (or the database DATABASE_URL
names) in this process, timed, while another process (as a server is) makes a small write every
0.05 s and times each. Issue 20's goals: a 1M-vote export in <= 20 s (>= 50,000 votes a second)
on SQLite and PostgreSQL, and no write lock held for more than a fraction of a second.
--stories N imports a story CSV of N rows the same way instead; --archive imports a study
archive holding the export's conversation (made first, not timed).

    .venv/bin/python benchmarks/polis_import.py [--votes 1000000] [--comments 200]
    .venv/bin/python benchmarks/polis_import.py --stories 10000
    .venv/bin/python benchmarks/polis_import.py --archive --votes 200000
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.polis import write_export

# What a server does while the import runs: small writes (an hourly count, as a vote or a
# sign-in makes) every 0.05 s, each timed, until the stop file appears; the times as JSON.
WRITER = """
import json, sys, time
from pathlib import Path
import django
django.setup()
from coproduce.studies.throttle import spend
waits, n = [], 0
while not Path(sys.argv[1]).exists():
    started = time.perf_counter()
    spend("votes", f"address:bench-{n}")
    waits.append(time.perf_counter() - started)
    n += 1
    time.sleep(0.05)
print(json.dumps(waits))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--stories", type=int, default=0, help="a story CSV of this many rows")
    parser.add_argument(
        "--archive", action="store_true", help="import the votes as a study archive instead"
    )
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="coproduce-polis-bench-"))
    os.environ["COPRODUCE_DATA_DIR"] = str(data)
    from coproduce.site import runtime

    runtime.start(data)
    runtime.migrate()
    from django.db import connection

    from coproduce.accounts.models import User
    from coproduce.conversations.polis import import_polis
    from coproduce.stories.services import import_stories_csv
    from coproduce.studies import services

    owner = User.objects.create_user("bench@example.org", "a-long-benchmark-passphrase")
    study = services.create_study(owner, "Imported", slug="imported")
    if args.stories:
        rows = "".join(
            f'snapshot,"Story {n}: the bus did not come again, so I walked.",publish\n'
            for n in range(args.stories)
        )
        data_csv = ("type,story,consent\n" + rows).encode()
        work = functools.partial(import_stories_csv, study, owner, data_csv)
        what = f"{args.stories:,} stories"
    else:
        export = data / "export"
        export.mkdir()
        votes = write_export(export, args.votes, args.comments)
        work = functools.partial(import_polis, export, study, owner)
        what = f"{votes:,} votes"
        if args.archive:  # the same votes in a study archive: made first, not timed
            from coproduce.archive import export_study, import_study

            work()
            archive = export_study(study, data / "study.zip")
            study.delete()
            work = functools.partial(import_study, archive)
            what = f"a study archive of {votes:,} votes"
    stop = data / "stop"
    # The site meanwhile, in a process of its own as a server is: small writes, each timed.
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(stop)],
        env=dict(os.environ, DJANGO_SETTINGS_MODULE="coproduce.site.settings"),
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(2)  # the writer has started
    started = time.perf_counter()
    try:
        work()
    finally:
        seconds = time.perf_counter() - started
        stop.touch()
        waits = sorted(json.loads(writer.communicate(timeout=60)[0]))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    rate = (args.stories or votes) / seconds
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"{connection.vendor}: {what} in {seconds:.1f} s = {rate:,.0f} a second;"
        f" this process's peak memory {peak:,.0f} MiB (the export's writing included)"
    )
    waits.sort()
    print(
        f"a small write every 0.05 s meanwhile ({len(waits)} of them): longest"
        f" {waits[-1]:.2f} s, 99th percentile {waits[int(len(waits) * 0.99)]:.2f} s,"
        f" median {waits[len(waits) // 2]:.3f} s"
    )


if __name__ == "__main__":
    main()
