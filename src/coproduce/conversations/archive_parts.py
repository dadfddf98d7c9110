"""The conversations' part of a study archive: questions, statements, every vote cast."""

from __future__ import annotations

from typing import Any

from coproduce.archive import (
    ArchivePart,
    ImportContext,
    register_evidence_keys,
    register_part,
)
from coproduce.conversations.models import (
    Conversation,
    ConversationParticipant,
    Statement,
    Vote,
)
from coproduce.conversations.services import save_history
from coproduce.studies.archive_parts import (
    optional_account,
    parse_datetime,
    parse_optional_datetime,
    when,
)
from coproduce.studies.models import Study

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
)


def evidence_keys(study: Study) -> dict[str, str]:
    statements = Statement.objects.filter(conversation__study=study).values_list(
        "pk", "conversation__code", "number"
    )
    return {f"statement:{pk}": f"statement:{code}/{n}" for pk, code, n in statements}


def dump(study: Study) -> list[dict[str, Any]]:
    result = []
    for c in study.conversations.order_by("position", "code"):
        pseudonym = dict(c.members.values_list("participant_id", "participant__pseudonym"))
        numbers = dict(c.members.values_list("participant_id", "number"))
        result.append(
            {
                **{name: getattr(c, name) for name in SETTINGS},
                "opens_at": when(c.opens_at),
                "closes_at": when(c.closes_at),
                "created_at": when(c.created_at),
                "members": sorted([pseudonym[pk], n] for pk, n in numbers.items()),
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
                    for s in c.statements.select_related("author", "written_by").order_by("number")
                ],
                # [member number, statement number, value, channel, session, key, time]
                "votes": [
                    [numbers[p], n, v, ch, se, k, when(t)]
                    for p, n, v, ch, se, k, t in Vote.objects.filter(conversation=c)
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
        for pseudonym, number in item["members"]:
            participant = context.get("participant", pseudonym, where)
            people[number] = participant
            ConversationParticipant.objects.create(
                conversation=conversation, participant=participant, number=number
            )
        statements = {}
        for s in item["statements"]:
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
        history = [
            Vote(
                conversation=conversation,
                participant=people[p],
                statement=statements[n],
                value=v,
                channel=ch,
                session=se,
                idempotency_key=k,
                created_at=parse_datetime(t),
            )
            for p, n, v, ch, se, k, t in item["votes"]
        ]
        save_history(history)


register_part(ArchivePart("conversations", 1, 30, dump, load))
register_evidence_keys("statement", evidence_keys)
