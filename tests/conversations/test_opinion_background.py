"""The opinion analysis in the background: queued after votes, debounced, run by the worker,
stored, warm-started, and read by routing. Real database, real django-tasks queue, real worker."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator

import pytest
from django.core.management import call_command

from coproduce.conversations import opinion, services, tasks
from coproduce.conversations.models import Conversation, OpinionAnalysis, Statement
from coproduce.core.evidence import ConsentLevel
from coproduce.studies import services as study_services
from coproduce.studies.models import Participant, Role
from tests.support.factories import signed, study_with_team
from tests.support.processes import serving

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_debounce() -> Iterator[None]:
    """Each test starts as a new process would: nothing queued yet."""
    tasks._queued_until.clear()
    yield
    tasks._queued_until.clear()


def queued() -> list[object]:
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(task_path__endswith="refresh_opinion"))


def run_worker() -> None:
    """Run what is queued and due, as `coproduce worker --batch` does."""
    # Due now rather than in DEBOUNCE_SECONDS: the test does not sleep through the debounce.
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.update(run_after=timezone.now())
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)


def two_camps(people: int = 24) -> tuple[Conversation, list[Participant]]:
    study, team = study_with_team()
    conversation = services.create_conversation(study, team[Role.OWNER], "What helps?")
    services.add_statements(
        conversation,
        [
            services.NewStatement(text=f"Statement {i}", is_seed=True, written_by=team[Role.OWNER])
            for i in range(8)
        ],
    )
    joined = [study_services.join(study, ConsentLevel.PUBLISH, xid=f"p{i}") for i in range(people)]
    for i, person in enumerate(joined):
        for statement in conversation.statements.all():
            services.vote(statement, person, 1 if i % 2 == statement.number % 2 else -1)
    return conversation, joined


def test_votes_queue_one_debounced_analysis_and_nothing_runs_in_the_request() -> None:
    conversation, _ = two_camps()
    tasks = queued()
    assert len(tasks) == 1  # 192 votes, one task
    task = tasks[0]
    assert json.loads(json.dumps(task.args_kwargs))["args"] == [conversation.pk]
    assert task.run_after is not None
    assert not OpinionAnalysis.objects.filter(conversation=conversation).exists()


def test_the_worker_stores_the_analysis_and_skips_when_nothing_changed() -> None:
    conversation, people = two_camps()
    run_worker()
    stored = OpinionAnalysis.objects.get(conversation=conversation)
    assert stored.freshness == opinion.freshness(conversation)
    assert len(stored.result["groups"]) == 2
    assert {int(k) for k in stored.result["participants"]} == {p.pk for p in people}
    assert set(stored.extremity) == {
        str(pk) for pk in conversation.statements.values_list("pk", flat=True)
    }
    first_run = stored.computed_at
    # Unchanged votes: refreshing again keeps the stored result as it was.
    again = opinion.refresh(conversation)
    assert again.computed_at == first_run


def test_new_votes_warm_start_from_the_stored_analysis_and_keep_group_ids() -> None:
    conversation, people = two_camps()
    run_worker()
    before = OpinionAnalysis.objects.get(conversation=conversation).result["participants"]
    tasks._queued_until.clear()
    newcomer = study_services.join(conversation.study, ConsentLevel.PUBLISH, xid="late")
    for statement in conversation.statements.all():
        services.vote(statement, newcomer, 1 if statement.number % 2 == 0 else -1)
    assert len([t for t in queued() if t.status == "READY"]) == 1
    run_worker()
    after = OpinionAnalysis.objects.get(conversation=conversation).result["participants"]
    assert all(after[k] == v for k, v in before.items())
    assert after[str(newcomer.pk)] == after[str(people[0].pk)]  # votes like the even camp


def test_a_withdrawal_queues_a_new_analysis_without_that_person() -> None:
    conversation, people = two_camps()
    run_worker()
    tasks._queued_until.clear()
    study_services.withdraw(people[3])
    assert any(t.status == "READY" for t in queued())
    run_worker()
    stored = OpinionAnalysis.objects.get(conversation=conversation)
    assert str(people[3].pk) not in stored.result["participants"]
    assert len(stored.result["participants"]) == len(people) - 1


def test_moderation_queues_a_new_analysis() -> None:
    conversation, _ = two_camps()
    run_worker()
    tasks._queued_until.clear()
    owner = conversation.study.memberships.get(role=Role.OWNER).user
    assert services.moderate(conversation, owner, [3], "rejected") == 1
    run_worker()
    stored = OpinionAnalysis.objects.get(conversation=conversation)
    rejected = Statement.objects.get(conversation=conversation, number=3).pk
    chosen = {r["statement"] for g in stored.result["groups"] for r in g["repness"]}
    assert rejected not in chosen
    assert [s["set_aside"] for s in stored.result["statements"] if s["statement"] == rejected] == [
        True
    ]


def test_routing_reads_extremity_from_the_stored_analysis() -> None:
    conversation, _ = two_camps()
    assert opinion.stored_extremity(conversation) is None
    run_worker()
    extremity = opinion.stored_extremity(conversation)
    assert extremity is not None
    assert set(extremity) == set(conversation.statements.values_list("pk", flat=True))
    assert max(extremity.values()) > 0


def test_a_stored_warm_start_round_trips_through_json() -> None:
    from coproduce.core.analysis.opinion import WarmStart

    conversation, _ = two_camps()
    result = opinion.analyse_conversation(conversation)
    stored = WarmStart.from_json(json.loads(json.dumps(result.warm_start().to_json())))
    from_json = opinion.analyse_conversation(conversation, stored).to_json()
    from_memory = opinion.analyse_conversation(conversation, result).to_json()
    from_json.pop("seconds"), from_memory.pop("seconds")
    assert from_json == from_memory


@pytest.mark.served
def test_the_served_site_analyses_votes_in_its_own_worker(django_db_setup: None) -> None:
    """`coproduce serve` runs a worker beside the web server: votes sent over HTTP come back as
    a stored analysis within the debounce interval plus a few seconds."""
    conversation, _ = two_camps(people=0)
    with serving() as site:
        send_votes_and_wait(site, conversation)


def send_votes_and_wait(site: str, conversation: Conversation) -> None:
    study = conversation.study
    for i in range(20):
        xid = f"web{i}"
        study_services.join(study, ConsentLevel.PUBLISH, xid=xid)
        for number in conversation.statements.values_list("number", flat=True):
            body = json.dumps(
                signed(
                    conversation,
                    {"xid": xid, "statement": number, "vote": 1 if i % 2 == number % 2 else -1},
                )
            )
            request = urllib.request.Request(  # noqa: S310 - the local test server
                f"{site}/api/conversations/{conversation.code}/votes",
                data=body.encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
                assert answer.status == 201
    deadline = time.monotonic() + tasks.DEBOUNCE_SECONDS + 30
    while time.monotonic() < deadline:
        stored = OpinionAnalysis.objects.filter(conversation=conversation).first()
        if stored is not None and stored.freshness == opinion.freshness(conversation):
            break
        time.sleep(0.5)
    else:
        pytest.fail("the worker beside `coproduce serve` did not store an analysis in time")
    assert len(stored.result["groups"]) == 2


def test_the_worker_prunes_finished_task_records_after_a_day() -> None:
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    conversation, _ = two_camps()
    run_worker()
    old = DBTaskResult.objects.get()
    DBTaskResult.objects.update(finished_at=timezone.now() - timedelta(days=2))
    tasks._last_pruned[0] = float("-inf")
    tasks._queued_until.clear()
    tasks.request_analysis(conversation.pk)
    run_worker()
    assert not DBTaskResult.objects.filter(pk=old.pk).exists()
    assert DBTaskResult.objects.count() == 1  # the one that just ran stays for a day
