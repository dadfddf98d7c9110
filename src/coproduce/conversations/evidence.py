"""Conversation statements as evidence items, so they are coded and published like any strand."""

from __future__ import annotations

from collections.abc import Iterator

from coproduce.conversations.models import Statement, StatementStatus
from coproduce.core.evidence import Channel, ContributorRole, EvidenceRecord, Strand
from coproduce.studies.models import Participant, Study
from coproduce.studies.strands import register_strand


def statement_items(study: Study) -> Iterator[EvidenceRecord]:
    """Every participant-written statement moderation approved; seed statements are the team's
    own, and statements still waiting (spam among them) or rejected are not evidence."""
    statements = (
        Statement.objects.filter(
            conversation__study=study,
            author__isnull=False,
            status__in=(StatementStatus.APPROVED, StatementStatus.META),
        )
        .select_related("author")
        .prefetch_related("author__consents")
        .order_by("conversation__position", "number")
    )
    for s in statements:
        author: Participant = s.author  # type: ignore[assignment]
        yield EvidenceRecord(
            evidence_id=f"statement:{s.pk}",
            text=s.text,
            author=author.pseudonym,
            role=ContributorRole(author.role),
            channel=Channel(s.channel),
            strand=Strand.CONVERSATION,
            consent=author.consent_level(),
            created=s.created_at,
        )


register_strand(Strand.CONVERSATION, statement_items)
