"""Several `coproduce worker` processes on one database: each piece of work is done once."""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from tests.support.processes import COPRODUCE, django_in, run_cli
from tests.support.voting import voting_study

pytestmark = pytest.mark.served

# Votes for the voting study's conversation (tests.support.voting), enough that its analysis
# takes a while, so that three workers would analyse it side by side if nothing stopped them;
# six requests queued as six servers would.
VOTE_AND_QUEUE = """
import random
from django.utils import timezone
from coproduce.conversations import services
from coproduce.conversations.tasks import refresh_opinion
from coproduce.core.evidence import Channel
conversation = services.get_conversation(CODE)
statements = list(conversation.statements.values_list("id", flat=True))
people = conversation.study.participants.values_list("id", flat=True)
rng = random.Random(7)
now = round(timezone.now().timestamp() * 1000)
votes = [
    (s, p, rng.choice((-1, 0, 1)), now) for p in people for s in rng.sample(statements, 40)
]
services.store_votes(conversation.id, votes, Channel.WEB)
for _ in range(6):
    refresh_opinion.using(run_after=timezone.now()).enqueue(conversation.id)
"""

RESULTS = """
import json
from django_tasks_db.models import DBTaskResult
print(json.dumps([[r.status, r.return_value] for r in DBTaskResult.objects.all()]))
"""


def test_three_workers_analyse_a_conversation_exactly_once(fresh_env: dict[str, str]) -> None:
    assert run_cli("migrate", env=fresh_env).returncode == 0
    code, _ = voting_study(fresh_env, people=3000, statements=80)
    django_in(fresh_env, f"CODE = {code!r}\n{VOTE_AND_QUEUE}")
    workers = [
        subprocess.Popen(
            [COPRODUCE, "worker"],
            env=fresh_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    try:
        deadline = time.monotonic() + 240
        while True:
            results = json.loads(django_in(fresh_env, RESULTS))
            if all(status in {"SUCCESSFUL", "FAILED"} for status, _ in results):
                break
            assert time.monotonic() < deadline, results
            time.sleep(1)
    finally:
        for worker in workers:
            worker.terminate()
        errors = [worker.communicate(timeout=60)[1] for worker in workers]
    # The six, and the one adding the statements asked for.
    assert len(results) >= 6 and {status for status, _ in results} == {"SUCCESSFUL"}, errors
    done = sorted(str(value).split(" ")[0] for _, value in results)
    # One analysis; the other requests found it done or being done.
    assert done.count("analysed") == 1, results
    assert set(done) <= {"analysed", "up", "being"}, results
    stored = django_in(
        fresh_env,
        "from coproduce.conversations.models import OpinionAnalysis\n"
        "print(OpinionAnalysis.objects.count())",
    )
    assert stored == "1"
