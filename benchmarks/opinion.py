"""Opinion analysis speed: Coproduce against red-dwarf 0.4.0, side by side, in one run.

Synthetic conversations with latent opinion groups:
  medium      20,000 participants x 1,000 statements, about 1M votes: ours and red-dwarf's
              run_pipeline on the same votes (red-dwarf in its own environment, see below)
  incremental 1,000 new votes on the medium conversation, warm-started from the last result
  large       100,000 participants x 5,000 statements, about 10M votes: time and peak memory

    .venv/bin/python benchmarks/opinion.py [--skip-red-dwarf] [--skip-large]

red-dwarf is installed only for the benchmark, never in the project's environment:
    python3.11 -m venv benchmarks/.venv-red-dwarf
    benchmarks/.venv-red-dwarf/bin/pip install red-dwarf==0.4.0
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

from coproduce.core.analysis.opinion import VoteLog, analyse

HERE = Path(__file__).resolve().parent
RED_DWARF_PYTHON = HERE / ".venv-red-dwarf" / "bin" / "python"
RED_DWARF_RUN = """
import sys, time, numpy as np
from reddwarf.implementations.polis import run_pipeline
data = np.load(sys.argv[1])
votes = [
    {"participant_id": int(p), "statement_id": int(s), "vote": int(v), "modified": float(i)}
    for i, (p, s, v) in enumerate(zip(data["participant"], data["statement"], data["value"]))
]
started = time.perf_counter()
result = run_pipeline(votes=votes, random_state=0)
seconds = time.perf_counter() - started
labels = result.participants_df["cluster_id"]
pairs = [(int(k), int(v)) for k, v in labels.items() if v == v]
import json
print(json.dumps({"seconds": seconds, "labels": pairs}))
"""


def synthetic(
    participants: int, statements: int, per_person: int, groups: int = 3, seed: int = 7
) -> tuple[VoteLog, np.ndarray]:
    """About participants * per_person votes from people in latent groups; and the truth."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, groups, size=participants)
    stance = rng.choice(np.array([-1, 1], dtype=np.int8), size=(groups, statements))
    counts = rng.poisson(per_person, size=participants).clip(1, statements)
    who = np.repeat(np.arange(participants), counts)
    which = rng.integers(0, statements, size=len(who))
    agreeing = rng.random(len(who)) < 0.8
    noise = rng.integers(-1, 2, size=len(who)).astype(np.int8)
    value = np.where(agreeing, stance[group[who], which], noise).astype(np.int8)
    log = VoteLog(
        participant=who.astype(np.int64),
        statement=which.astype(np.int64),
        value=value,
        statements=np.arange(statements, dtype=np.int64),
    )
    return log, group


def timed(log: VoteLog, previous=None):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = analyse(log, previous)
    return result, time.perf_counter() - started


def red_dwarf(log: VoteLog, folder: Path) -> dict[str, object] | None:
    if not RED_DWARF_PYTHON.exists():
        print(f"  red-dwarf: not installed at {RED_DWARF_PYTHON} (see this script's docstring)")
        return None
    votes = folder / "votes.npz"
    # red-dwarf wants one vote per participant and statement: keep the latest, as we do.
    cell = log.participant * (int(log.statements.max()) + 1) + log.statement
    _, first_from_end = np.unique(cell[::-1], return_index=True)
    latest = np.sort(len(cell) - 1 - first_from_end)
    np.savez(
        votes,
        participant=log.participant[latest],
        statement=log.statement[latest],
        value=log.value[latest],
    )
    run = subprocess.run(
        [str(RED_DWARF_PYTHON), "-c", RED_DWARF_RUN, str(votes)],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        print("  red-dwarf failed:", run.stderr.strip().splitlines()[-1:])
        return None
    return json.loads(run.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def agreement(result, truth: np.ndarray) -> float:  # type: ignore[no-untyped-def]
    found = result.group_by_participant()
    keys = [k for k, v in found.items() if v is not None]
    return float(adjusted_rand_score(truth[keys], [found[k] for k in keys]))


def medium(skip_red_dwarf: bool) -> None:
    log, truth = synthetic(20_000, 1_000, 50)
    print(f"medium: 20,000 participants x 1,000 statements, {len(log.value):,} votes")
    ours, seconds = timed(log)
    print(
        f"  coproduce: {seconds:.2f} s, {len(ours.groups)} groups, "
        f"ARI against the latent groups {agreement(ours, truth):.3f}"
    )
    again, _ = timed(log)
    same = again.to_json() | {"seconds": 0} == ours.to_json() | {"seconds": 0}
    print(f"  a second run gives identical output: {same}")
    if not skip_red_dwarf:
        with tempfile.TemporaryDirectory() as folder:
            theirs = red_dwarf(log, Path(folder))
        if theirs is not None:
            their_seconds = float(theirs["seconds"])  # type: ignore[arg-type]
            labels = dict(theirs["labels"])  # type: ignore[call-overload]
            found = ours.group_by_participant()
            keys = [k for k in labels if found.get(k) is not None]
            between = adjusted_rand_score([labels[k] for k in keys], [found[k] for k in keys])
            print(
                f"  red-dwarf 0.4.0 run_pipeline: {their_seconds:.2f} s, "
                f"{len(set(labels.values()))} groups; ARI ours vs red-dwarf {between:.3f}"
            )
            print(f"  speed-up: {their_seconds / seconds:.1f}x (goal: at least 10x)")
    # Incremental: 1,000 new votes, warm-started from the result above.
    rng = np.random.default_rng(11)
    new_p = rng.integers(0, 20_000, size=1_000)
    new_s = rng.integers(0, 1_000, size=1_000)
    new_v = rng.integers(-1, 2, size=1_000).astype(np.int8)
    grown = VoteLog(
        participant=np.concatenate([log.participant, new_p]),
        statement=np.concatenate([log.statement, new_s]),
        value=np.concatenate([log.value, new_v]),
        statements=log.statements,
    )
    updated, update_seconds = timed(grown, ours)
    before, after = ours.group_by_participant(), updated.group_by_participant()
    kept = sum(before[k] == after[k] for k in before if before[k] is not None)
    clustered = sum(v is not None for v in before.values())
    print(
        f"incremental: 1,000 new votes, warm start: {update_seconds:.2f} s (goal: at most 1 s); "
        f"{kept / clustered:.1%} kept their group id"
    )


def large_in_child() -> None:
    log, truth = synthetic(100_000, 5_000, 100)
    result, seconds = timed(log)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(
        json.dumps(
            {
                "votes": len(log.value),
                "seconds": seconds,
                "peak_gb": peak,
                "groups": len(result.groups),
                "ari": agreement(result, truth),
            }
        )
    )


def large() -> None:
    run = subprocess.run(
        [sys.executable, __file__, "--large-child"], capture_output=True, text=True, check=True
    )
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    print(
        f"large: 100,000 participants x 5,000 statements, {figures['votes']:,} votes: "
        f"{figures['seconds']:.1f} s (goal: at most 20 s), peak memory of the whole process "
        f"(including generating the votes) {figures['peak_gb']:.2f} GB (goal: at most 4 GB), "
        f"{figures['groups']} groups, ARI against the latent groups {figures['ari']:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-red-dwarf", action="store_true")
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--large-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.large_child:
        large_in_child()
        return
    print(
        f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    medium(args.skip_red_dwarf)
    if not args.skip_large:
        large()


if __name__ == "__main__":
    main()
