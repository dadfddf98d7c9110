"""The opinion analysis of a stored conversation: its current votes in, groups out."""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone

from coproduce.conversations.models import (
    Conversation,
    CurrentVote,
    OpinionAnalysis,
    StatementStatus,
    Vote,
)
from coproduce.core.analysis.opinion import Analysis, VoteLog, WarmStart, analyse
from coproduce.studies.models import Consent

log = logging.getLogger(__name__)

# Votes arriving within this many seconds of each other share one background analysis.
DEBOUNCE_SECONDS = 5.0


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


def analyse_conversation(
    conversation: Conversation, previous: Analysis | WarmStart | None = None
) -> Analysis:
    return analyse(vote_log(conversation), previous)


def fingerprint(conversation: Conversation) -> str:
    """What an analysis depends on, in a few cheap aggregates: the last vote, the statements'
    statuses and the study's consents. Equal fingerprints mean an analysis is still current."""
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
    return (
        f"v{last_vote or 0}:s{statements['last'] or 0}/{statements['approved']}/"
        f"{statements['rejected']}/{statements['meta']}:c{consents['last'] or 0}/"
        f"{consents['withdrawn']}"
    )


def refresh(conversation: Conversation, *, force: bool = False) -> OpinionAnalysis:
    """Bring the stored analysis up to date, warm-starting from the last one. Run it in the
    background (tasks.refresh_opinion), never inside a request: it reads every vote."""
    seen = fingerprint(conversation)
    stored = OpinionAnalysis.objects.filter(conversation=conversation).first()
    if stored is not None and stored.fingerprint == seen and not force:
        return stored
    previous = None if stored is None else WarmStart.from_json(stored.warm_start)
    result = analyse_conversation(conversation, previous)
    fields = {
        "computed_at": timezone.now(),
        "fingerprint": seen,
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


_queued_until: dict[int, float] = {}
_queued_lock = threading.Lock()


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
        from coproduce.conversations.tasks import refresh_opinion

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


def publishable(conversation: Conversation, result: Analysis | dict[str, Any]) -> dict[str, Any]:
    """The result (or its stored JSON) with pseudonyms and statement numbers for database ids."""
    pseudonyms = dict(conversation.study.participants.values_list("id", "pseudonym"))
    numbers = dict(conversation.statements.values_list("id", "number"))
    data = json.loads(json.dumps(result if isinstance(result, dict) else result.to_json()))
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
    """Bring the stored analysis up to date and write its publishable form as JSON (written
    whole, then moved into place). For commands, not requests: it may analyse every vote."""
    data = publishable(conversation, refresh(conversation).result)
    write_json(data, path)
    return path


def write_json(data: dict[str, Any], path: Path) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    partial.replace(path)
