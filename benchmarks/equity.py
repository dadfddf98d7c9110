"""How long voice equity and member-checking results take: the demo study, and a consultation.

Builds the demo study in a fresh data folder (SQLite), then times, in this process:
  demo          voices() (every strand, targets, person weighting, talk time) and the
                member-check results on the demo study
  consultation  the same on a study the size of a national consultation: --people participants
                (default 20,000), each voting on part of 40 statements with a few very active
                people, one finding checked by a tenth of them
and the pure measures on a million contributions (Gini, Lorenz, top shares).

    .venv/bin/python benchmarks/equity.py [--people 20000] [--runs 3]

No goal is set by the issue (19); a team page should answer within a second or two.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path


def timed(call, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        call()
        times.append(time.perf_counter() - t)
    return times


def consultation(people: int):  # type: ignore[no-untyped-def]
    """A large study: people, statements, votes (a few people vote on everything) and a
    member check of one finding."""
    from django.db import transaction
    from django.utils import timezone

    from coproduce.accounts.models import User
    from coproduce.coding.models import Finding
    from coproduce.conversations import services as conversations
    from coproduce.conversations.models import Conversation, Statement, Vote
    from coproduce.equity import member_check
    from coproduce.studies import services as studies
    from coproduce.studies.models import Consent, Participant

    owner = User.objects.create_user("bench@example.org", "a-long-benchmark-passphrase")
    study = studies.create_study(owner, "A national consultation", slug="national")
    text = studies.current_consent_text(study)
    rng = random.Random(1)
    roles = ["lived_experience", "practitioner", "researcher", "other", "not_said"]
    with transaction.atomic():
        made = Participant.objects.bulk_create(
            Participant(study=study, pseudonym=f"P-{n:06d}", role=rng.choice(roles))
            for n in range(people)
        )
        Consent.objects.bulk_create(
            Consent(participant=p, consent_text=text, level=3, given_at=timezone.now())
            for p in made
        )
        talk = Conversation.objects.create(study=study, question="What should change?")
        statements = Statement.objects.bulk_create(
            Statement(conversation=talk, number=n, text=f"Statement {n}", status="approved")
            for n in range(40)
        )
        votes = []
        for p in made:
            share = 1.0 if rng.random() < 0.05 else rng.uniform(0.05, 0.4)
            for s in statements:
                if rng.random() < share:
                    votes.append(
                        Vote(
                            conversation=talk,
                            statement=s,
                            participant=p,
                            value=1,
                            created_at=timezone.now(),
                        )
                    )
        conversations.save_history(votes)
        Finding.objects.create(study=study, title="People want change", position=0)
    check = member_check.open_member_check(study, owner)
    statement = check.findings.get().statement
    history = [
        Vote(
            conversation=check.conversation,
            statement=statement,
            participant=p,
            value=rng.choice([1, 1, -1, 0]),
            created_at=timezone.now(),
        )
        for p in made[: people // 10]
    ]
    conversations.save_history(history)
    return study, len(votes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="coproduce-equity-bench-"))
    os.environ["COPRODUCE_DATA_DIR"] = str(data)
    os.environ.pop("DATABASE_URL", None)
    from coproduce.site import runtime

    runtime.start(data)
    runtime.migrate()
    from coproduce.core.analysis.equity import inequality
    from coproduce.demo.service import build_demo
    from coproduce.equity import member_check, voices

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    demo = build_demo().study
    for name, study in (("demo", demo),):
        v = timed(lambda s=study: voices.voices(s), args.runs)
        m = timed(lambda s=study: member_check.results(s), args.runs)
        print(
            f"{name}: voices median {statistics.median(v):.2f} s,"
            f" member-check results {statistics.median(m):.2f} s"
        )
    t = time.perf_counter()
    big, votes = consultation(args.people)
    print(
        f"consultation built: {args.people:,} people, {votes:,} votes"
        f" ({time.perf_counter() - t:.0f} s, not a figure)"
    )
    v = timed(lambda: voices.voices(big), args.runs)
    m = timed(lambda: member_check.results(big), args.runs)
    summary = voices.voices(big)
    print(
        f"consultation: voices median {statistics.median(v):.2f} s"
        f" (Gini {summary.overall.gini:.2f},"
        f" most active tenth {summary.overall.top_tenth:.0%}), member-check results median"
        f" {statistics.median(m):.2f} s"
    )
    rng = random.Random(2)
    million = {f"p{n}": rng.paretovariate(1.2) for n in range(1_000_000)}
    pure = timed(lambda: inequality(million), args.runs)
    print(f"pure measures on 1,000,000 people: median {statistics.median(pure):.2f} s")


if __name__ == "__main__":
    main()
