"""Pick the next statement for a participant, by Polis's routing priority."""

from __future__ import annotations

from django.db.models import Count, Q

from coproduce.conversations.models import Conversation, CurrentVote, Statement, StatementStatus
from coproduce.conversations.opinion import stored_extremity
from coproduce.conversations.services import visible_statements
from coproduce.core.analysis.routing import StatementTally, choose_next
from coproduce.studies.models import Participant


def next_statement(
    conversation: Conversation,
    participant: Participant,
    extremity: dict[int, float] | None = None,
) -> Statement | None:
    """The statement to show next, or None when the participant has voted on them all.

    Uniform until an analysis gives statements' extremity (by default the stored analysis's);
    then weighted by priority.
    """
    if extremity is None:
        extremity = stored_extremity(conversation)
    voted = CurrentVote.objects.filter(
        conversation=conversation, participant=participant
    ).values_list("statement_id", flat=True)
    open_statements = visible_statements(conversation).exclude(pk__in=voted)
    rows = open_statements.annotate(
        agrees=Count("current_votes", filter=Q(current_votes__value=1)),
        disagrees=Count("current_votes", filter=Q(current_votes__value=-1)),
        seen=Count("current_votes"),
    ).values_list("pk", "agrees", "disagrees", "seen", "status")
    tallies = [
        StatementTally(
            statement_id=pk,
            agrees=a,
            disagrees=d,
            seen=s,
            extremity=(extremity or {}).get(pk, 0.0),
            is_meta=status == StatementStatus.META,
        )
        for pk, a, d, s, status in rows
    ]
    seed = hash((conversation.pk, participant.pk, len(tallies))) & 0xFFFFFFFF
    chosen = choose_next(tallies, seed=seed, analysed=extremity is not None)
    return None if chosen is None else Statement.objects.get(pk=chosen.statement_id)


def progress(conversation: Conversation, participant: Participant) -> tuple[int, int]:
    """How many visible statements the participant has voted on, and how many there are."""
    visible = visible_statements(conversation)
    done = CurrentVote.objects.filter(participant=participant, statement__in=visible).count()
    return done, visible.count()
