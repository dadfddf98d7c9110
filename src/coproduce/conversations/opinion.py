"""The opinion analysis of a stored conversation: its current votes in, groups out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from coproduce.conversations.freshness import Freshness
from coproduce.conversations.models import (
    Conversation,
    CurrentVote,
    OpinionAnalysis,
    StatementStatus,
    Vote,
)
from coproduce.core.analysis.opinion import Analysis, VoteLog, WarmStart, analyse
from coproduce.core.analysis.opinion.stored import relabelled
from coproduce.core.files import write_atomically
from coproduce.studies.models import Consent, Participant


def vote_log(conversation: Conversation) -> VoteLog:
    """The current votes of everyone whose consent stands (withdrawn people are left out),
    keyed by participant and statement ids; rejected and meta statements set aside."""
    consenting = Participant.objects.filter(study=conversation.study_id).consenting()
    votes = (
        CurrentVote.objects.filter(
            conversation=conversation, participant__in=consenting.values("pk")
        )
        .order_by("voted_at", "id")
        .values_list("participant_id", "statement_id", "value")
    )
    statements = list(conversation.statements.values_list("id", "status"))
    return VoteLog.of(
        votes.iterator(chunk_size=20_000),
        [s for s, _ in statements],
        moderated_out=[s for s, status in statements if status == StatementStatus.REJECTED],
        meta=[s for s, status in statements if status == StatementStatus.META],
    )


def analyse_conversation(
    conversation: Conversation, previous: Analysis | WarmStart | None = None
) -> Analysis:
    return analyse(vote_log(conversation), previous)


def freshness(conversation: Conversation) -> Freshness:
    """The conversation's freshness now (a few aggregate queries)."""
    last_vote = Vote.objects.filter(conversation=conversation).aggregate(last=Max("id"))["last"]
    statements = conversation.statements.aggregate(
        last=Max("id"),
        rejected=Count("id", filter=Q(status=StatementStatus.REJECTED)),
        meta=Count("id", filter=Q(status=StatementStatus.META)),
        approved=Count("id", filter=Q(status=StatementStatus.APPROVED)),
    )
    consents = Consent.objects.filter(participant__study=conversation.study_id).aggregate(
        last=Max("id"), withdrawn=Count("id", filter=Q(withdrawn_at__isnull=False))
    )
    return Freshness(
        last_vote=last_vote or 0,
        last_statement=statements["last"] or 0,
        approved=statements["approved"],
        rejected=statements["rejected"],
        meta=statements["meta"],
        last_consent=consents["last"] or 0,
        withdrawn=consents["withdrawn"],
    )


def refresh(conversation: Conversation, *, force: bool = False) -> OpinionAnalysis:
    """Bring the stored analysis up to date, warm-starting from the last one. Run it in the
    background (tasks.refresh_opinion), never inside a request: it reads every vote."""
    seen = freshness(conversation)
    stored = OpinionAnalysis.objects.filter(conversation=conversation).first()
    if stored is not None and stored.freshness == seen and not force:
        return stored
    previous = None if stored is None else WarmStart.from_json(stored.warm_start)
    result = analyse_conversation(conversation, previous)
    fields = {
        "computed_at": timezone.now(),
        "fingerprint": str(seen),
        "seconds": result.seconds,
        "result": result.to_json(),
        "warm_start": result.warm_start().to_json(),
        "extremity": {str(s.key): round(s.extremity, 6) for s in result.statements},
    }
    with transaction.atomic():
        analysis, _ = OpinionAnalysis.objects.update_or_create(
            conversation=conversation, defaults=fields
        )
    return analysis


def stored_extremity(conversation: Conversation) -> dict[int, float] | None:
    """Each statement's extremity from the stored analysis (for routing); None before one."""
    found = OpinionAnalysis.objects.filter(conversation=conversation).values_list(
        "extremity", flat=True
    )
    for extremity in found:
        return {int(k): float(v) for k, v in extremity.items()}
    return None


def publishable(conversation: Conversation, result: Analysis | dict[str, Any]) -> dict[str, Any]:
    """The result (or its stored JSON) with pseudonyms and statement numbers for database ids."""
    data = relabelled(
        result.to_json() if isinstance(result, Analysis) else result,
        dict(conversation.study.participants.values_list("id", "pseudonym")),
        dict(conversation.statements.values_list("id", "number")),
    )
    data["conversation"] = {"code": conversation.code, "question": conversation.question}
    return data


def write_analysis(conversation: Conversation, path: Path) -> Path:
    """Bring the stored analysis up to date and write its publishable form as JSON (written
    whole, then moved into place). For commands, not requests: it may analyse every vote."""
    data = publishable(conversation, refresh(conversation).result)
    return write_atomically(path, json.dumps(data, ensure_ascii=False, indent=1))
