"""A synthetic Polis export of any size: people voting on about half the comments each."""

from __future__ import annotations

import csv
import random
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
