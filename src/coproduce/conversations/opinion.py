"""The opinion analysis of a stored conversation: its current votes in, groups out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db.models import OuterRef, Subquery

from coproduce.analysis.opinion import Analysis, VoteLog, analyse
from coproduce.conversations.models import Conversation, CurrentVote, StatementStatus
from coproduce.studies.models import Consent


def vote_log(conversation: Conversation) -> VoteLog:
    """The current votes of everyone whose consent stands (withdrawn people are left out),
    keyed by participant and statement ids; rejected and meta statements set aside."""
    latest = Consent.objects.filter(participant=OuterRef("participant")).order_by(
        "-given_at", "-id"
    )
    votes = (
        CurrentVote.objects.filter(conversation=conversation)
        .annotate(withdrawn=Subquery(latest.values("withdrawn_at")[:1]))
        .filter(withdrawn__isnull=True)
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


def analyse_conversation(conversation: Conversation, previous: Analysis | None = None) -> Analysis:
    return analyse(vote_log(conversation), previous)


def publishable(conversation: Conversation, result: Analysis) -> dict[str, Any]:
    """The result with pseudonyms and statement numbers in place of database ids."""
    pseudonyms = dict(conversation.study.participants.values_list("id", "pseudonym"))
    numbers = dict(conversation.statements.values_list("id", "number"))
    data = result.to_json()
    data["participants"] = {pseudonyms[int(k)]: group for k, group in data["participants"].items()}
    for group in data["groups"]:
        for r in group["repness"]:
            r["statement"] = numbers[r["statement"]]
    for side in data["consensus"].values():
        for c in side:
            c["statement"] = numbers[c["statement"]]
    for s in data["statements"]:
        s["statement"] = numbers[s["statement"]]
    data["conversation"] = {"code": conversation.code, "question": conversation.question}
    return data


def write_analysis(conversation: Conversation, path: Path) -> Path:
    """Analyse and write the publishable result as JSON (written whole, then moved into place)."""
    data = publishable(conversation, analyse_conversation(conversation))
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    partial.replace(path)
    return path
