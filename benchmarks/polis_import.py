"""How fast a large Polis export is imported: votes a second, and the longest write lock.

Writes a synthetic export (--voters people voting on --comments comments, about --votes votes
in all, with a few very active voters), then imports it into a fresh SQLite database (or the
database DATABASE_URL names) in this process, timed. Issue 20's goal: a 1M-vote export in
<= 20 s (>= 50,000 votes a second) on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/polis_import.py [--votes 1000000] [--comments 200]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import tempfile
import time
from pathlib import Path


def write_export(folder: Path, votes: int, comments: int) -> int:
    rng = random.Random(7)
    voters = max(1, votes // (comments // 2))
    with (folder / "comments.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees",
                    "moderated", "comment-body"])  # fmt: skip
        for c in range(comments):
            w.writerow([1600000000000 + c, "", c, c % voters, 0, 0, 1, f"Statement number {c}"])
    written = 0
    with (folder / "votes.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["timestamp", "datetime", "comment-id", "voter-id", "vote"])
        for voter in range(voters):
            for c in rng.sample(range(comments), comments // 2):
                if written >= votes:
                    break
                w.writerow([1600000001000 + written, "", c, voter, rng.choice((1, -1, 0))])
                written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--comments", type=int, default=200)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="coproduce-polis-bench-"))
    os.environ["COPRODUCE_DATA_DIR"] = str(data)
    from coproduce.site import runtime

    runtime.start(data)
    runtime.migrate()
    from django.db import connection

    from coproduce.accounts.models import User
    from coproduce.conversations.polis import import_polis
    from coproduce.studies import services

    export = data / "export"
    export.mkdir()
    votes = write_export(export, args.votes, args.comments)
    owner = User.objects.create_user("bench@example.org", "a-long-benchmark-passphrase")
    study = services.create_study(owner, "Imported", slug="imported")
    started = time.perf_counter()
    conversation = import_polis(export, study, owner)
    seconds = time.perf_counter() - started
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        f"{connection.vendor}: {votes:,} votes, {conversation.statements.count()} statements in"
        f" {seconds:.1f} s = {votes / seconds:,.0f} votes a second (goal >= 50,000)"
    )


if __name__ == "__main__":
    main()
