"""Background work for conversations, run by `coproduce worker` (django-tasks, database queue)."""

from __future__ import annotations

from django_tasks import task

from coproduce.conversations.models import Conversation


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
    return analysis.fingerprint
