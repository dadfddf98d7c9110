"""How closely our groups match Polis's own group-id column, for each shared Polis export.

Prints adjusted Rand index (ARI) and group counts for a one-shot analysis, and for a replay:
the votes fed in timestamp order in batches, each run warm-started from the last with Polis's
k smoothing and "once in, always in", as Polis's math worker sees a conversation grow.

    .venv/bin/python benchmarks/polis_agreement.py [--shared ../shared] [--runs 100]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

from coproduce.conversations.opinion_input import log_from_polis
from coproduce.core.analysis.opinion import ModeratedOut, VoteLog, analyse
from coproduce.core.formats.polis import read_export


def ari(result, polis: dict[int, int]) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    ours = result.group_by_participant()
    common = [p for p in polis if ours.get(p) is not None]
    score = adjusted_rand_score([polis[p] for p in common], [ours[p] for p in common])
    return float(score), len(common)


def replay(log: VoteLog, runs: int):  # type: ignore[no-untyped-def]
    """Analyse growing prefixes of the log (already in timestamp order), warm-starting each."""
    result = None
    total = len(log.value)
    for end in np.unique(np.linspace(0, total, runs + 1).astype(int))[1:]:
        prefix = VoteLog(
            log.participant[:end],
            log.statement[:end],
            log.value[:end],
            log.statements,
            log.moderated_out,
            log.meta,
        )
        result = analyse(prefix, result, smooth_k=True, moderated_out=ModeratedOut.ZEROED)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).parents[2] / "shared")
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    folders = sorted(p for p in (args.shared / "data" / "polis").iterdir() if p.is_dir())
    print(
        "| conversation | Polis groups | clustered (Polis / ours) | one-shot groups | one-shot ARI "
        f"| replayed groups ({args.runs} runs) | replayed ARI | seconds (one-shot) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for folder in folders:
        export = read_export(folder)
        polis = {p.participant: p.group_id for p in export.participants if p.group_id is not None}
        log = log_from_polis(export)
        started = time.perf_counter()
        once = analyse(log, moderated_out=ModeratedOut.ZEROED)
        seconds = time.perf_counter() - started
        once_ari, _ = ari(once, polis)
        replayed = replay(log, args.runs)
        replay_ari, _ = ari(replayed, polis)
        print(
            f"| {folder.name} | {len(set(polis.values()))} | {len(polis)} / "
            f"{int(once.clustered.sum())} | {len(once.groups)} | {once_ari:.3f} | "
            f"{len(replayed.groups)} | {replay_ari:.3f} | {seconds:.2f} |"
        )


if __name__ == "__main__":
    main()
