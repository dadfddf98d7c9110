"""The conversations' part of a study archive: questions, statements, every vote cast."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any, NamedTuple

from coproduce.archive import (
    ArchivePart,
    ImportContext,
    register_evidence_keys,
    register_part,
    rows,
)
from coproduce.conversations.models import (
    Conversation,
    ConversationParticipant,
    Statement,
    StatementComment,
    Vote,
)
from coproduce.conversations.services import CastVote, save_history
from coproduce.studies.archive_parts import (
    optional_account,
    parse_datetime,
    parse_optional_datetime,
    when,
)
from coproduce.studies.bulk import batches
from coproduce.studies.models import Participant, Study

SETTINGS = (
    "code",
    "question",
    "description",
    "position",
    "moderation",
    "participants_can_write",
    "statement_max_length",
    "ask_about_you",
    "results_public",
    "purpose",
    "invites_comments",
    "comment_prompt",
)


class MemberRow(NamedTuple):
    """A participant in the conversation, by pseudonym, with their number in it."""

    pseudonym: str
    number: int


class VoteRow(NamedTuple):
    """A vote in the conversation's history (a JSON array, in this order)."""

    member: int  # the voter's number in the conversation
    statement: int  # the statement's number
    value: int
    channel: str
    session: str
    key: str | None  # the idempotency key the client sent, if any
    time: str | None


def evidence_keys(study: Study) -> dict[str, str]:
    statements = Statement.objects.filter(conversation__study=study).values_list(
        "pk", "conversation__code", "number"
    )
    return {f"statement:{pk}": f"statement:{code}/{n}" for pk, code, n in statements}


def dump(study: Study) -> list[dict[str, Any]]:
    # Nothing of anyone who has withdrawn travels: not their statements, nor their votes, nor
    # votes on their statements (the consent record itself stays with the participants part).
    standing = set(study.participants.consenting().values_list("pk", flat=True))
    result = []
    for c in study.conversations.order_by("position", "code"):
        members = c.members.filter(participant__in=standing)
        pseudonym = dict(members.values_list("participant_id", "participant__pseudonym"))
        numbers = dict(members.values_list("participant_id", "number"))
        statements = [
            s
            for s in c.statements.select_related("author", "written_by").order_by("number")
            if s.author_id is None or s.author_id in standing
        ]
        kept = {s.number for s in statements}
        result.append(
            {
                **{name: getattr(c, name) for name in SETTINGS},
                "opens_at": when(c.opens_at),
                "closes_at": when(c.closes_at),
                "created_at": when(c.created_at),
                "members": rows(sorted(MemberRow(pseudonym[pk], n) for pk, n in numbers.items())),
                "statements": [
                    {
                        "number": s.number,
                        "text": s.text,
                        "author": s.author.pseudonym if s.author else None,
                        "written_by": s.written_by.email if s.written_by else None,
                        "status": s.status,
                        "is_seed": s.is_seed,
                        "channel": s.channel,
                        "session": s.session,
                        "created_at": when(s.created_at),
                    }
                    for s in statements
                ],
                "votes": rows(
                    VoteRow(numbers[p], n, v, ch, se, k, when(t))
                    for p, n, v, ch, se, k, t in Vote.objects.filter(
                        conversation=c, participant__in=standing
                    )
                    .order_by("created_at", "id")
                    .values_list(
                        "participant_id",
                        "statement__number",
                        "value",
                        "channel",
                        "session",
                        "idempotency_key",
                        "created_at",
                    )
                    if n in kept
                ),
                "comments": [
                    {
                        "statement": m.statement.number,
                        "author": m.participant.pseudonym if m.participant else None,
                        "text": m.text,
                        "channel": m.channel,
                        "session": m.session,
                        "created_at": when(m.created_at),
                    }
                    for m in StatementComment.objects.filter(statement__conversation=c)
                    .select_related("statement", "participant")
                    .order_by("created_at", "pk")
                    if (m.participant_id is None or m.participant_id in standing)
                    and m.statement.number in kept
                ],
            }
        )
    return result


def load(context: ImportContext, data: list[dict[str, Any]]) -> None:
    for item in data:
        conversation = Conversation.objects.create(
            study=context.study,
            # Archives from before a setting existed leave it out: the model's default applies.
            **{name: item[name] for name in SETTINGS if name in item},
            opens_at=parse_optional_datetime(item["opens_at"]),
            closes_at=parse_optional_datetime(item["closes_at"]),
            created_at=parse_datetime(item["created_at"]),
        )
        where = f"conversation {conversation.code}"
        people = {}
        for batch in batches([MemberRow._make(m) for m in item["members"]], BATCH):
            for member in batch:
                people[member.number] = context.get("participant", member.pseudonym, where)
            ConversationParticipant.objects.bulk_create(
                ConversationParticipant(
                    conversation=conversation, participant=people[m.number], number=m.number
                )
                for m in batch
            )
        statements = {}
        for s in in_batches(item["statements"]):
            statements[s["number"]] = Statement.objects.create(
                conversation=conversation,
                number=s["number"],
                text=s["text"],
                author=context.get("participant", s["author"], where) if s["author"] else None,
                written_by=optional_account(s["written_by"]),
                status=s["status"],
                is_seed=s["is_seed"],
                channel=s["channel"],
                session=s["session"],
                created_at=parse_datetime(s["created_at"]),
            )
            context.remember(
                "evidence",
                f"statement:{conversation.code}/{s['number']}",
                f"statement:{statements[s['number']].pk}",
            )
        # The votes are written once every part has loaded, a chunk a transaction.
        context.afterwards.append(partial(save_votes, conversation, people, statements, item))
        comments = item.get("comments", [])  # archives from before comments have none
        for m in in_batches(comments):
            if m["statement"] not in statements:
                context.get("statement", str(m["statement"]), where)  # refuses: damaged
            StatementComment.objects.create(
                statement=statements[m["statement"]],
                participant=context.get("participant", m["author"], where) if m["author"] else None,
                text=m["text"],
                channel=m["channel"],
                session=m["session"],
                created_at=parse_datetime(m["created_at"]),
            )


def save_votes(
    conversation: Conversation,
    people: dict[int, Participant],
    statements: dict[int, Statement],
    item: dict[str, Any],
) -> None:
    save_history(
        [
            CastVote(
                conversation.pk,
                statements[v.statement].pk,
                people[v.member].pk,
                v.value,
                v.channel,
                v.session,
                parse_datetime(str(v.time)),
                v.key,
            )
            for v in map(VoteRow._make, item["votes"])
        ]
    )


# Rows a transaction while a conversation loads (coproduce.studies.bulk).
BATCH = 1_000


def in_batches(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Each row, BATCH of them a transaction."""
    for batch in batches(rows, BATCH):
        yield from batch


register_part(
    ArchivePart(
        "conversations",
        1,
        30,
        dump,
        load,
        holds=(
            "Statements with their writers' pseudonyms, and every vote by pseudonymous member"
            " number."
        ),
        batched=True,
    )
)
register_evidence_keys("statement", evidence_keys)
