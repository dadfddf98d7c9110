"""How the installation is doing: the database, and the background work queue (for
`coproduce status` and the /status/ page).

The worker's health is read from the queue itself, so it holds with any number of servers and
workers: work waiting long with none running means no worker is taking it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

# Work waiting longer than this, with nothing running, means no worker is taking it.
STALLED_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class Health:
    database: str
    waiting: int
    running: int
    failed_last_day: int
    oldest_waiting: datetime | None
    last_finished: datetime | None

    @property
    def worker_ok(self) -> bool:
        if self.waiting == 0 or self.running:
            return True
        return self.oldest_waiting is None or timezone.now() - self.oldest_waiting < STALLED_AFTER

    def sentences(self) -> list[str]:
        said = [f"Database: {self.database}, answering."]
        if self.worker_ok:
            said.append(
                f"Background work: {self.waiting} waiting, {self.running} running"
                + (
                    f"; last finished {timezone.localtime(self.last_finished):%Y-%m-%d %H:%M}."
                    if self.last_finished
                    else "."
                )
            )
        else:
            age = timezone.now() - (self.oldest_waiting or timezone.now())
            said.append(
                f"Background work is stalled: {self.waiting} waiting, the oldest for"
                f" {int(age.total_seconds() // 60)} minutes, none running; start a worker"
                " (`coproduce worker`, or `coproduce serve` without --no-worker)."
            )
        if self.failed_last_day:
            said.append(f"{self.failed_last_day} pieces of background work failed in the last day.")
        return said


def health() -> Health:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    results = DBTaskResult.objects.all()
    # Work due now (a task may be queued to run a little later, to gather votes first); it has
    # been due since it was queued, or since the time it was to run after.
    waiting = DBTaskResult.objects.ready()
    due = [
        max(queued, after) if after.year < 9000 else queued
        for queued, after in waiting.order_by("enqueued_at").values_list(
            "enqueued_at", "run_after"
        )[:1000]
    ]
    oldest = min(due, default=None)
    last = (
        results.filter(finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    return Health(
        database=connection.vendor,
        waiting=waiting.count(),
        running=results.filter(status=TaskResultStatus.RUNNING).count(),
        failed_last_day=results.filter(
            status=TaskResultStatus.FAILED, finished_at__gte=timezone.now() - timedelta(days=1)
        ).count(),
        oldest_waiting=oldest,
        last_finished=last,
    )
