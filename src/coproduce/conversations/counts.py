"""Evidence counts for a study's conversations, computed from the data, never typed in.

Shaped like the UCL summary: "N surveys … N responses … up to N unique comments per question",
where responses are statements plus votes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from coproduce.conversations.models import ConversationParticipant, CurrentVote, Statement
from coproduce.studies.models import (
    CHANNEL_CHOICES,
    CONTRIBUTOR_ROLE_CHOICES,
    Participant,
    Study,
)


@dataclass(frozen=True)
class QuestionCount:
    question: str
    url: str
    statements: int
    votes: int
    participants: int


@dataclass(frozen=True)
class ConversationCounts:
    participants: int = 0
    statements: int = 0
    votes: int = 0
    questions: list[QuestionCount] = field(default_factory=list)
    roles: dict[str, int] = field(default_factory=dict)
    channels: dict[str, int] = field(default_factory=dict)

    @property
    def responses(self) -> int:
        return self.statements + self.votes

    @property
    def most_statements_per_question(self) -> int:
        return max((q.statements for q in self.questions), default=0)

    @property
    def role_rows(self) -> list[tuple[str, int]]:
        labels = dict(CONTRIBUTOR_ROLE_CHOICES)
        return [
            (str(labels.get(k, k)), n) for k, n in sorted(self.roles.items(), key=lambda i: -i[1])
        ]

    @property
    def channel_rows(self) -> list[tuple[str, int]]:
        labels = dict(CHANNEL_CHOICES)
        return [
            (str(labels.get(k, k)), n)
            for k, n in sorted(self.channels.items(), key=lambda i: -i[1])
        ]

    @property
    def votes_per_participant(self) -> float:
        return self.votes / self.participants if self.participants else 0.0


def conversation_counts(study: Study) -> ConversationCounts:
    """Participants, statements, votes (as cast, latest per statement), and their spread."""
    conversations = list(study.conversations.all())
    if not conversations:
        return ConversationCounts()
    statements = dict(
        Statement.objects.filter(conversation__study=study)
        .exclude(status="rejected")
        .values_list("conversation")
        .annotate(n=Count("id"))
    )
    # A changed vote is one validation, not two: count the votes that stand.
    votes = dict(
        CurrentVote.objects.filter(conversation__study=study)
        .values_list("conversation")
        .annotate(n=Count("id"))
    )
    members = dict(
        ConversationParticipant.objects.filter(conversation__study=study)
        .values_list("conversation")
        .annotate(n=Count("id"))
    )
    people = Participant.objects.filter(
        pk__in=ConversationParticipant.objects.filter(conversation__study=study).values(
            "participant"
        )
    )
    vote_channels = Counter(
        dict(
            CurrentVote.objects.filter(conversation__study=study)
            .values_list("channel")
            .annotate(n=Count("id"))
        )
    )
    statement_channels = Counter(
        dict(
            Statement.objects.filter(conversation__study=study, author__isnull=False)
            .values_list("channel")
            .annotate(n=Count("id"))
        )
    )
    return ConversationCounts(
        participants=people.count(),
        statements=sum(statements.values()),
        votes=sum(votes.values()),
        questions=[
            QuestionCount(
                c.question,
                c.get_absolute_url(),
                statements.get(c.pk, 0),
                votes.get(c.pk, 0),
                members.get(c.pk, 0),
            )
            for c in conversations
        ],
        roles=dict(people.values_list("role").annotate(n=Count("id"))),
        channels=dict(vote_channels + statement_channels),
    )
