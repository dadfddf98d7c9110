"""The conversations section of a study's page (with the evidence counts) and of a participant's
home page (the open conversations, with what is left for them, and published results)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coproduce.accounts.models import User
from coproduce.conversations.counts import conversation_counts
from coproduce.conversations.models import Conversation
from coproduce.conversations.routing import progress
from coproduce.studies.models import Participant, Study
from coproduce.studies.permissions import Permission
from coproduce.studies.sections import (
    ParticipantSection,
    StudySection,
    register_participant_section,
    register_section,
)


def context(study: Study, user: User) -> dict[str, Any]:
    return {
        "conversations": study.conversations.all(),
        "counts": conversation_counts(study),
        "can_edit": user.has_perm(Permission.CHANGE_STUDY, study),
    }


register_section(StudySection("conversations", 10, "conversations/section.html", context))


@dataclass(frozen=True)
class YourConversation:
    """An open conversation as a participant sees it on their home page."""

    conversation: Conversation
    left: int  # statements they have not voted on yet
    total: int


def your_conversations(study: Study, participant: Participant) -> list[YourConversation]:
    """The study's open conversations, in the team's order, with what is left for this person."""
    found = []
    for conversation in study.conversations.order_by("position", "pk"):
        if conversation.is_open():
            done, total = progress(conversation, participant)
            found.append(YourConversation(conversation, total - done, total))
    return found


def next_conversation(participant: Participant, after: Conversation) -> Conversation | None:
    """Another open conversation with statements this person has not seen, or None."""
    for mine in your_conversations(participant.study, participant):
        if mine.conversation.pk != after.pk and mine.left:
            return mine.conversation
    return None


def participant_context(study: Study, participant: Participant) -> dict[str, Any]:
    return {
        "your_conversations": your_conversations(study, participant),
        "public_results": study.conversations.filter(results_public=True).order_by(
            "position", "pk"
        ),
    }


register_participant_section(
    ParticipantSection("conversations", 10, "conversations/for_you.html", participant_context)
)
