"""A participant's statements and votes, shown to them and erased at their request."""

from __future__ import annotations

from typing import Any

from coproduce.conversations.models import (
    ConversationParticipant,
    CurrentVote,
    Statement,
    StatementComment,
    Vote,
)
from coproduce.conversations.tasks import request_analysis
from coproduce.studies.models import Participant, Study
from coproduce.studies.retention import PurgePart, register_purge
from coproduce.studies.rights import PersonalDataPart, register_personal_data


def collect(participant: Participant) -> list[dict[str, Any]]:
    written = participant.statements.select_related("conversation").order_by("created_at", "pk")
    votes = (
        CurrentVote.objects.filter(participant=participant)
        .select_related("conversation", "statement")
        .order_by("voted_at", "pk")
    )
    return (
        [
            {
                "kind": "statement you wrote",
                "conversation": s.conversation.question,
                "text": s.text,
                "status": s.get_status_display(),
                "at": s.created_at.isoformat(),
            }
            for s in written
        ]
        + [
            {
                "kind": "your vote",
                "conversation": v.conversation.question,
                "statement": v.statement.text,
                "vote": v.get_value_display(),
                "at": v.voted_at.isoformat(),
            }
            for v in votes
        ]
        + [
            {
                "kind": "your comment",
                "conversation": c.statement.conversation.question,
                "statement": c.statement.text,
                "text": c.text,
                "at": c.created_at.isoformat(),
            }
            for c in StatementComment.objects.filter(participant=participant)
            .select_related("statement__conversation")
            .order_by("created_at", "pk")
        ]
    )


def erase(participant: Participant) -> int:
    """Remove their statements (with every vote on them) and their votes."""
    conversations = set(
        ConversationParticipant.objects.filter(participant=participant).values_list(
            "conversation_id", flat=True
        )
    )
    removed = Vote.objects.filter(participant=participant).delete()[0]
    removed += StatementComment.objects.filter(participant=participant).delete()[0]
    removed += Statement.objects.filter(author=participant).delete()[0]
    CurrentVote.objects.filter(participant=participant).delete()
    for conversation_id in conversations:
        request_analysis(conversation_id)
    return removed


def hand_over(participant: Participant, stand_in: Participant) -> int:
    """Keep their statements and votes under the stand-in (the analysis is unchanged)."""
    moved = Statement.objects.filter(author=participant).update(author=stand_in)
    moved += Vote.objects.filter(participant=participant).update(participant=stand_in)
    moved += StatementComment.objects.filter(participant=participant).update(participant=stand_in)
    CurrentVote.objects.filter(participant=participant).update(participant=stand_in)
    members = ConversationParticipant.objects.filter(participant=participant)
    conversations = set(members.values_list("conversation_id", flat=True))
    members.update(participant=stand_in)
    for conversation_id in conversations:
        request_analysis(conversation_id)
    return moved


register_personal_data(
    PersonalDataPart(
        "conversations", "Statements and votes", collect, erase, order=20, hand_over=hand_over
    )
)


def purge(study: Study) -> dict[str, int]:
    """After retention: what withdrawn participants wrote and their votes go for good."""
    consenting = Participant.objects.filter(study=study).consenting().values("pk")
    gone = Participant.objects.filter(study=study).exclude(pk__in=consenting)
    statements = Statement.objects.filter(conversation__study=study, author__in=gone)
    votes = Vote.objects.filter(conversation__study=study, participant__in=gone)
    CurrentVote.objects.filter(conversation__study=study, participant__in=gone).delete()
    comments = StatementComment.objects.filter(
        statement__conversation__study=study, participant__in=gone
    )
    return {
        "comments by people who withdrew": comments.delete()[0],
        "votes by people who withdrew": votes.delete()[0],
        "statements by people who withdrew": statements.delete()[0],
    }


register_purge(PurgePart("conversations", purge, order=20))
