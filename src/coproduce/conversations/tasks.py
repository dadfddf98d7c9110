"""Background work for conversations, run by `coproduce worker` (django-tasks, database queue)."""

from __future__ import annotations

import time

from django.core.management import call_command
from django_tasks import task

from coproduce.conversations.models import Conversation

# Finished task records are kept a day (for looking into problems), then pruned by the worker,
# at most once an hour.
KEEP_FINISHED_DAYS = 1
PRUNE_EVERY_SECONDS = 3600.0
_last_pruned = [float("-inf")]


@task()
def refresh_opinion(conversation_id: int) -> str:
    """Bring a conversation's opinion analysis up to date; a no-op when it already is.

    Returns the fingerprint analysed, for the task's record. If votes arrived while it ran, it
    asks for another run so that the last votes are never left out.
    """
    from coproduce.conversations.opinion import fingerprint, refresh, request_analysis

    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:  # deleted since: nothing to do
        return "gone"
    analysis = refresh(conversation)
    if fingerprint(conversation) != analysis.fingerprint:
        request_analysis(conversation_id)
    prune_finished()
    return analysis.fingerprint


def prune_finished() -> None:
    """Delete finished task records older than a day, so the queue table stays small."""
    now = time.monotonic()
    if now - _last_pruned[0] < PRUNE_EVERY_SECONDS:
        return
    _last_pruned[0] = now
    call_command("prune_db_task_results", "--min-age-days", str(KEEP_FINISHED_DAYS), verbosity=0)
