"""Bulk writes a batch a transaction (coproduce.studies.bulk): a failure loses only its own
batch, and SQLite's writers get a pause between batches while PostgreSQL's need none."""

from __future__ import annotations

import time

import pytest
from django.db import connection, transaction

from coproduce.studies import bulk
from coproduce.studies.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)  # the batches' own commits


def test_each_batch_commits_on_its_own_and_a_failure_loses_only_its_batch() -> None:
    names = [f"Group {n}" for n in range(7)]
    with pytest.raises(RuntimeError):
        for batch in bulk.batches(names, 3):
            for name in batch:
                if name == "Group 4":
                    raise RuntimeError("the disk is full")
                Organisation.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    kept = sorted(Organisation.objects.values_list("name", flat=True))
    assert kept == ["Group 0", "Group 1", "Group 2"]  # "Group 3" went with its batch


def test_the_pause_is_sqlites_alone_and_never_inside_a_transaction() -> None:
    expected = bulk.BETWEEN_CHUNKS if connection.vendor == "sqlite" else 0.0
    assert bulk.pause_between_chunks() == expected
    started = time.perf_counter()
    for _ in bulk.batches(list(range(4)), 1):
        pass
    assert time.perf_counter() - started >= 4 * expected
    started = time.perf_counter()
    with transaction.atomic():
        bulk.let_others_write(0.3)  # inside a caller's transaction a pause would help no one
    assert time.perf_counter() - started < 0.3
    started = time.perf_counter()
    bulk.let_others_write(0.3)
    assert time.perf_counter() - started >= 0.3
