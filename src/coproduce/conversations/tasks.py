"""Background work for conversations, run by `coproduce worker` (django-tasks, database queue),
and the one way to ask for it."""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from coproduce.conversations.models import Conversation, OpinionAnalysis
from coproduce.conversations.one_at_a_time import only_one
from coproduce.conversations.opinion import freshness, refresh

log = logging.getLogger(__name__)

# Votes arriving within this many seconds of each other share one background analysis.
DEBOUNCE_SECONDS = 5.0
# Finished task records are kept a day (for looking into problems), then pruned by the worker,
# at most once an hour.
KEEP_FINISHED_DAYS = 1
PRUNE_EVERY_SECONDS = 3600.0
_last_pruned = [float("-inf")]
_queued_until: dict[int, float] = {}
_queued_lock = threading.Lock()


@task()
def refresh_opinion(conversation_id: int) -> str:
    """Bring a conversation's opinion analysis up to date; a no-op when it already is.

    Returns what it did, for the task's record: "analysed <fingerprint>", "up to date", "being
    analysed by another worker" or "gone". Only one worker analyses a conversation at a time
    (coproduce.conversations.one_at_a_time); if votes arrived while it ran, it asks for another
    run so that the last votes are never left out.
    """
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:  # deleted since: nothing to do
        return "gone"
    with only_one("opinion", conversation_id) as mine:
        if not mine:
            return "being analysed by another worker"
        before = OpinionAnalysis.objects.filter(conversation=conversation).first()
        analysis = refresh(conversation)
        if freshness(conversation) != analysis.freshness:
            request_analysis(conversation_id)
    prune_finished()
    if before is not None and before.computed_at == analysis.computed_at:
        return "up to date"
    return f"analysed {analysis.fingerprint}"


def request_analysis(conversation_id: int) -> None:
    """Ask for a background analysis after new votes (or moderation, or a withdrawal).

    Debounced per process: one task is queued to run DEBOUNCE_SECONDS from now, and until it is
    due, further requests are covered by it (it reads the votes when it runs). Queueing happens
    after the current transaction commits, and a failure to queue never loses the vote: the next
    request, or the team's "refresh" button, queues again.
    """
    now = time.monotonic()
    with _queued_lock:
        if _queued_until.get(conversation_id, 0.0) > now:
            return
        _queued_until[conversation_id] = now + DEBOUNCE_SECONDS

    def queue() -> None:
        try:
            refresh_opinion.using(
                run_after=timezone.now() + timedelta(seconds=DEBOUNCE_SECONDS)
            ).enqueue(conversation_id)
        except Exception:  # the vote is stored either way; the next request tries again
            log.exception(
                "Could not queue the opinion analysis of conversation %s", conversation_id
            )
            with _queued_lock:
                _queued_until.pop(conversation_id, None)

    transaction.on_commit(queue)


def prune_finished() -> None:
    """Delete finished task records older than a day, so the queue table stays small."""
    now = time.monotonic()
    if now - _last_pruned[0] < PRUNE_EVERY_SECONDS:
        return
    _last_pruned[0] = now
    call_command("prune_db_task_results", "--min-age-days", str(KEEP_FINISHED_DAYS), verbosity=0)
